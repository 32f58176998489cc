// Error correction mode blocks (T.30 Annex A): page data cut into numbered frames of 256 (or 64)
// octets, up to 256 frames a block; the receiver answers PPS with MCF or with PPR naming the
// frames to send again (a 256-bit map, bit n = frame n, LSB first).
import { HdlcEncoder } from '../class1/hdlc.ts';
import { FCD, RCP } from './fcf.ts';

/** Sender side: one block's frames, kept until the receiver confirms them. */
export class TxBlock {
  data: Uint8Array;
  frames = 0;
  /** Length of the last frame (the others are full). */
  lastLen = 0;
  /** Frames still to (re)send: 1 = send. */
  pending: Uint8Array = new Uint8Array(32);

  constructor(readonly frameSize: number, readonly maxFrames: number) {
    this.data = new Uint8Array(frameSize * maxFrames);
  }

  /** Fill from `read` until the block is full or the page ends; returns true when the page ended. */
  fill(read: (max: number) => Uint8Array | null): boolean {
    const cap = this.frameSize * this.maxFrames;
    let n = 0;
    let ended = false;
    while (n < cap) {
      const c = read(cap - n);
      if (c === null) {
        ended = true;
        break;
      }
      this.data.set(c, n);
      n += c.length;
    }
    this.frames = Math.ceil(n / this.frameSize);
    this.lastLen = n - (this.frames - 1) * this.frameSize;
    if (this.frames === 0) {
      // an empty block still carries one frame so that PPS counts are valid
      this.frames = 1;
      this.lastLen = 0;
    }
    for (let i = 0; i < 32; i++) this.pending[i] = 0;
    for (let f = 0; f < this.frames; f++) this.pending[f >> 3] |= 1 << (f & 7);
    return ended;
  }

  /** Take a PPR map: those frames are pending again. Returns how many. */
  applyPpr(map: Uint8Array): number {
    let n = 0;
    for (let f = 0; f < this.frames; f++) {
      const on = f >> 3 < map.length && ((map[f >> 3] >> (f & 7)) & 1) === 1;
      if (on) {
        this.pending[f >> 3] |= 1 << (f & 7);
        n++;
      } else this.pending[f >> 3] &= ~(1 << (f & 7));
    }
    return n;
  }

  /** The pending frames as an HDLC octet stream: flags, FCD frames, three RCP frames (T.4 Annex A). */
  stream(out: (b: Uint8Array) => void, preambleFlags: number): void {
    const enc = new HdlcEncoder(out, 512);
    const frame = new Uint8Array(4 + this.frameSize);
    frame[0] = 0xff;
    frame[1] = 0x03;
    frame[2] = FCD;
    enc.flags(preambleFlags);
    for (let f = 0; f < this.frames; f++) {
      if (((this.pending[f >> 3] >> (f & 7)) & 1) === 0) continue;
      const len = f === this.frames - 1 ? this.lastLen : this.frameSize;
      frame[3] = f;
      frame.set(this.data.subarray(f * this.frameSize, f * this.frameSize + len), 4);
      enc.frame(frame, 0, 4 + len);
    }
    const rcp = new Uint8Array([0xff, 0x03, RCP]);
    for (let i = 0; i < 3; i++) enc.frame(rcp, 0, 3);
    enc.flags(4);
    enc.flush();
  }
}

/**
 * Receiver side of a block, in bounded memory: frames are handed on in order as soon as they
 * can be (frame n once 0..n-1 are out); frames after a gap wait in a window of `window` slots,
 * and any beyond it are dropped and named in the next PPR (T.30 Annex A lets the receiver ask
 * again for any frame it did not keep). A window of 256 never drops a good frame (64 KB with
 * 256-octet frames); a device can choose a few KB at the cost of resending more after a loss.
 */
export class RxBlock {
  frameSize = 256;
  /** Next frame number to hand on. */
  next = 0;
  have: Uint8Array = new Uint8Array(32);
  rcp = false;
  framesSeen = 0;
  /** Frames dropped for want of a free slot. */
  dropped = 0;
  /** The sink said no (the session keeps its Refusal): nothing more goes out. */
  refused = false;
  private slots: Uint8Array;
  private slotFrame: Int32Array;
  private slotLen: Int32Array;

  constructor(readonly window: number, frameSize: number, readonly out: (b: Uint8Array) => boolean) {
    this.frameSize = frameSize;
    this.slots = new Uint8Array(window * frameSize);
    this.slotFrame = new Int32Array(window);
    this.slotLen = new Int32Array(window);
    this.reset();
  }

  /** Start the next block (frame numbers begin at 0 again). */
  reset(): void {
    this.next = 0;
    for (let i = 0; i < 32; i++) this.have[i] = 0;
    for (let i = 0; i < this.window; i++) this.slotFrame[i] = -1;
    this.rcp = false;
    this.framesSeen = 0;
  }

  private got(n: number): boolean {
    return ((this.have[n >> 3] >> (n & 7)) & 1) === 1;
  }

  private emit(data: Uint8Array): void {
    if (!this.refused && !this.out(data)) this.refused = true;
  }

  /** One HDLC frame (FCS checked and stripped): FCD or RCP. */
  put(b: Uint8Array, len: number): void {
    if (len < 3 || b[0] !== 0xff) return;
    const fcf = b[2] & 0xfe;
    if (fcf === RCP) {
      this.rcp = true;
      return;
    }
    if (fcf !== FCD || len < 4) return;
    const n = b[3];
    const dlen = len - 4;
    if (dlen > this.frameSize || this.got(n) || n < this.next) return;
    this.framesSeen++;
    if (n === this.next) {
      this.have[n >> 3] |= 1 << (n & 7);
      this.emit(b.subarray(4, len));
      this.next++;
      this.drain();
      return;
    }
    if (n >= this.next + this.window) {
      this.dropped++;
      return;
    }
    const k = n % this.window;
    this.slots.set(b.subarray(4, len), k * this.frameSize);
    this.slotFrame[k] = n;
    this.slotLen[k] = dlen;
    this.have[n >> 3] |= 1 << (n & 7);
  }

  /** Hand on the frames that now follow in order from the window. */
  private drain(): void {
    for (;;) {
      const k = this.next % this.window;
      if (this.slotFrame[k] !== this.next) return;
      this.slotFrame[k] = -1;
      this.emit(this.slots.subarray(k * this.frameSize, k * this.frameSize + this.slotLen[k]));
      this.next++;
    }
  }

  /** PPR map of frames missing among the first `count`; the number missing. */
  missing(count: number, map: Uint8Array): number {
    let n = 0;
    for (let i = 0; i < 32; i++) map[i] = 0;
    for (let f = 0; f < count; f++) {
      if (!this.got(f)) {
        map[f >> 3] |= 1 << (f & 7);
        n++;
      }
    }
    return n;
  }

  /** EOR: the sender gives up on the block: hand on what is in the window, skipping gaps. */
  flushGaps(): void {
    for (let step = 0; step < 256 && this.next < 256; step++) {
      const k = this.next % this.window;
      if (this.slotFrame[k] === this.next) {
        this.slotFrame[k] = -1;
        this.emit(this.slots.subarray(k * this.frameSize, k * this.frameSize + this.slotLen[k]));
      }
      this.next++;
    }
  }
}
