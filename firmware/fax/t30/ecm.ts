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

/** Receiver side: frames of the current block as they arrive, in any order. */
export class RxBlock {
  data: Uint8Array | null = null;
  lens: Int32Array = new Int32Array(256);
  have: Uint8Array = new Uint8Array(32);
  frameSize = 256;
  rcp = false;
  framesSeen = 0;

  reset(frameSize: number): void {
    this.frameSize = frameSize;
    if (!this.data || this.data.length !== frameSize * 256) this.data = new Uint8Array(frameSize * 256);
    for (let i = 0; i < 32; i++) this.have[i] = 0;
    this.rcp = false;
    this.framesSeen = 0;
  }

  /** One HDLC frame (FCS already checked and stripped): FCD or RCP. */
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
    if (dlen > this.frameSize || !this.data) return;
    this.data.set(b.subarray(4, len), n * this.frameSize);
    this.lens[n] = dlen;
    this.have[n >> 3] |= 1 << (n & 7);
    this.framesSeen++;
  }

  /** PPR map of frames missing among the first `count`; the number missing. */
  missing(count: number, map: Uint8Array): number {
    let n = 0;
    for (let i = 0; i < 32; i++) map[i] = 0;
    for (let f = 0; f < count; f++) {
      if (((this.have[f >> 3] >> (f & 7)) & 1) === 0) {
        map[f >> 3] |= 1 << (f & 7);
        n++;
      }
    }
    return n;
  }

  /** Hand the first `count` frames' data out in order (all present, or gaps skipped). */
  deliver(count: number, out: (b: Uint8Array) => boolean): boolean {
    if (!this.data) return true;
    for (let f = 0; f < count; f++) {
      if (((this.have[f >> 3] >> (f & 7)) & 1) === 0) continue;
      if (!out(this.data.subarray(f * this.frameSize, f * this.frameSize + this.lens[f]))) return false;
    }
    return true;
  }
}
