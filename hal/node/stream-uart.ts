// What the two host UART drivers share (tcp-uart.ts, serial-uart.ts): the hal/uart.ts contract
// over a byte stream. Received bytes wait in a buffer for read(); with XON/XOFF on, XON (0x11)
// and XOFF (0x13) from the modem are taken out of the stream and XOFF holds our output (a pty or
// TCP link has no CTS, and SpanDSP's 4 KB buffer overruns silently). Writes are accepted up to
// `txLimit` bytes not yet handed to the OS; onWritable fires when room comes back.
import type { Uart } from '../uart.ts';

const XON = 0x11;
const XOFF = 0x13;

export abstract class StreamUart implements Uart {
  onReadable: (() => void) | null = null;
  onWritable: (() => void) | null = null;
  private rx: Buffer[] = [];
  private rxLen = 0;
  private tx: Buffer[] = [];
  private txLen = 0;
  private xonxoff = false;
  private held = false;
  private wantWritable = false;

  constructor(protected readonly txLimit = 4096) {}

  /** Hand bytes to the OS (it keeps them); false when it wants us to wait for drained(). */
  protected abstract sink(bytes: Buffer): boolean;
  /** The link is open and can take bytes. */
  protected abstract linkUp(): boolean;
  private waitingDrain = false;
  abstract setDtr(on: boolean): void;

  /** The subclass got bytes from the link. */
  protected received(data: Buffer): void {
    let d = data;
    if (this.xonxoff && (d.includes(XON) || d.includes(XOFF))) {
      const keep: number[] = [];
      for (const b of d) {
        if (b === XOFF) this.held = true;
        else if (b === XON) {
          this.held = false;
        } else keep.push(b);
      }
      d = Buffer.from(keep);
      if (!this.held) queueMicrotask(() => this.pump());
    }
    if (d.length === 0) return;
    this.rx.push(d);
    this.rxLen += d.length;
    if (this.onReadable) this.onReadable();
  }

  /** The OS took what we gave it. */
  protected drained(): void {
    this.waitingDrain = false;
    this.pump();
  }

  /** Is our output held by an XOFF? */
  get heldByXoff(): boolean {
    return this.held;
  }

  write(bytes: Uint8Array): number {
    const n = Math.max(0, Math.min(bytes.length, this.txLimit - this.txLen));
    if (n > 0) {
      this.tx.push(Buffer.from(bytes.subarray(0, n)));
      this.txLen += n;
    }
    if (n < bytes.length) this.wantWritable = true;
    this.pump();
    return n;
  }

  read(max: number): Uint8Array {
    const n = Math.min(max, this.rxLen);
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const c = this.rx[0];
      const k = Math.min(c.length, n - o);
      out.set(c.subarray(0, k), o);
      o += k;
      if (k === c.length) this.rx.shift();
      else this.rx[0] = c.subarray(k);
    }
    this.rxLen -= n;
    return out;
  }

  readable(): number {
    return this.rxLen;
  }

  setXonXoff(on: boolean): void {
    this.xonxoff = on;
    if (!on && this.held) {
      this.held = false;
      this.pump();
    }
  }

  private pumping = false;
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.txLen > 0 && !(this.xonxoff && this.held) && !this.waitingDrain && this.linkUp()) {
        // Small pieces, so that an XOFF stops us within a few bytes of the modem's limit.
        const c = this.tx[0];
        const piece = c.subarray(0, 64);
        if (piece.length === c.length) this.tx.shift();
        else this.tx[0] = c.subarray(64);
        this.txLen -= piece.length;
        if (!this.sink(piece)) this.waitingDrain = true;
      }
    } finally {
      this.pumping = false;
    }
    if (this.wantWritable && this.txLen < this.txLimit) {
      this.wantWritable = false;
      if (this.onWritable) this.onWritable();
    }
  }

  protected dropQueued(): void {
    this.tx = [];
    this.txLen = 0;
    this.waitingDrain = false;
  }
}
