// The modem on a hardware UART (Serial2), DTR on a GPIO, XON/XOFF in software.
//
// The interpreter's own `flow:'xon'` only makes Espruino send XOFF when its input buffer fills; it
// does not stop sending on the modem's XOFF, and passes DC1/DC3 on as data. So, as the host
// UARTs do (hal/node/stream-uart.ts), with XON/XOFF on this driver takes DC1/DC3 out of the
// received bytes and holds its output on XOFF. Output goes to Serial2 no faster than the wire
// takes it (10 bits a byte at the baud rate), a piece at most per turn of the interpreter's loop:
// what was handed over and not yet sent when an XOFF comes is then at most about a piece, not the
// interpreter's 255-byte buffer plus the ESP32 driver's 1 KB ring; and Serial.write, which blocks
// when those are full, never stalls the kernel.
import type { Uart } from '../uart.ts';
import type { PinMap } from './pins.ts';

/** Receive buffer bound during a call: the kernel drains it every dispatch; bytes past it are dropped (counted). */
const RX_MAX = 2048;
/** Bytes accepted from the driver and not yet handed to Serial2, during a call. */
const TX_MAX = 1024;
/**
 * The same between calls, when only result codes, RING and commands pass: ~190 ESP32 variables
 * less for whatever runs after a call (a delivery, a print).
 */
const RX_REST = 256;
const TX_REST = 128;
/** Bytes handed to Serial2 per turn. */
const TX_PIECE = 64;
const XON = 0x11;
const XOFF = 0x13;

export class EspruinoUart implements Uart {
  onReadable: (() => void) | null = null;
  onWritable: (() => void) | null = null;
  /** Received bytes dropped because the buffer was full. */
  rxDropped = 0;
  private rx = new Uint8Array(RX_REST);
  private rxLen = 0;
  private tx = new Uint8Array(TX_REST);
  private txLen = 0;
  private calling = false;
  private dtrPin: string;
  private xonxoff = false;
  private held = false;
  private wantWritable = false;
  private pumpPending = false;
  private pumpBound: () => void;
  /** Bytes the wire takes per millisecond; credit grows with time up to a piece. */
  private bytesPerMs: number;
  private credit = TX_PIECE;
  private lastCredit = 0;

  constructor(pins: PinMap) {
    this.dtrPin = pins.modemDtr;
    this.bytesPerMs = pins.modemBaud / 10000;
    this.lastCredit = getTime() * 1000;
    // Only options Serial.setup knows (an unknown one throws "Unknown option").
    Serial2.setup(pins.modemBaud, { rx: pins.modemRx, tx: pins.modemTx });
    const self = this;
    this.pumpBound = function () {
      self.pumpPending = false;
      self.pump();
    };
    Serial2.on('data', function (d: string) {
      self.received(d);
    });
    digitalWrite(this.dtrPin, 1);
  }

  private received(d: string): void {
    const was = this.rxLen;
    if (!this.xonxoff) {
      // Receiving (XON/XOFF is on only while we send): the whole piece in one native copy. A
      // JavaScript step per octet costs an ESP32 a good part of the 556 µs the line gives each
      // octet at 14400 bit/s (docs/FAX-LINE.md, keeping up).
      const b = E.toUint8Array(d);
      let n = b.length;
      if (n > this.rx.length - this.rxLen) {
        this.rxDropped += n - (this.rx.length - this.rxLen);
        n = this.rx.length - this.rxLen;
      }
      this.rx.set(n === b.length ? b : b.subarray(0, n), this.rxLen);
      this.rxLen += n;
      if (was === 0 && this.rxLen > 0 && this.onReadable) this.onReadable();
      return;
    }
    let released = false;
    for (let i = 0; i < d.length; i++) {
      const c = d.charCodeAt(i) & 0xff;
      if (this.xonxoff && c === XOFF) this.held = true;
      else if (this.xonxoff && c === XON) {
        if (this.held) released = true;
        this.held = false;
      } else if (this.rxLen < this.rx.length) this.rx[this.rxLen++] = c;
      else this.rxDropped++;
    }
    if (released) this.schedulePump();
    if (was === 0 && this.rxLen > 0 && this.onReadable) this.onReadable();
  }

  write(bytes: Uint8Array): number {
    const room = this.tx.length - this.txLen;
    const n = bytes.length < room ? bytes.length : room;
    if (n > 0) {
      this.tx.set(n === bytes.length ? bytes : bytes.subarray(0, n), this.txLen);
      this.txLen += n;
    }
    if (n < bytes.length) this.wantWritable = true;
    // The first piece goes at once (commands are short); the rest on the next turns.
    if (!this.pumpPending) this.sendPiece();
    this.schedulePump();
    return n;
  }

  private sendPiece(): void {
    if (this.txLen === 0 || (this.xonxoff && this.held)) return;
    this.earn();
    let k = this.txLen < TX_PIECE ? this.txLen : TX_PIECE;
    if (k > this.credit) k = Math.floor(this.credit);
    if (k <= 0) return;
    this.credit -= k;
    const piece = new Uint8Array(k);
    piece.set(this.tx.subarray(0, k));
    // moving down within one buffer: a forward copy (what set() does here) is safe
    this.tx.set(this.tx.subarray(k, this.txLen));
    this.txLen -= k;
    Serial2.write(piece);
  }

  /** Credit for the time since the last look (getTime() jumps with setTime: a jump back gives a piece). */
  private earn(): void {
    const t = getTime() * 1000;
    const dt = t - this.lastCredit;
    this.lastCredit = t;
    const c = dt < 0 ? TX_PIECE : this.credit + dt * this.bytesPerMs;
    this.credit = c > TX_PIECE ? TX_PIECE : c;
  }

  private schedulePump(): void {
    if (this.pumpPending || this.txLen === 0 || (this.xonxoff && this.held)) return;
    this.pumpPending = true;
    this.earn();
    const want = this.txLen < TX_PIECE ? this.txLen : TX_PIECE;
    const wait = this.credit >= want ? 0 : Math.ceil((want - this.credit) / this.bytesPerMs);
    setTimeout(this.pumpBound, wait);
  }

  private pump(): void {
    this.sendPiece();
    this.schedulePump();
    if (this.wantWritable && this.txLen < this.tx.length) {
      this.wantWritable = false;
      if (this.onWritable) this.onWritable();
    }
  }

  read(max: number): Uint8Array {
    const n = max < this.rxLen ? max : this.rxLen;
    const out = new Uint8Array(n);
    out.set(this.rx.subarray(0, n));
    this.rx.set(this.rx.subarray(n, this.rxLen));
    this.rxLen -= n;
    if (!this.calling) this.inCall(false);
    return out;
  }
  /** Resize to the call's or the rest's buffers; a buffer shrinks only once what it holds fits. */
  inCall(on: boolean): void {
    this.calling = on;
    const rx = on ? RX_MAX : RX_REST;
    const tx = on ? TX_MAX : TX_REST;
    if (this.rx.length !== rx && this.rxLen <= rx) {
      const b = new Uint8Array(rx);
      b.set(this.rx.subarray(0, this.rxLen));
      this.rx = b;
    }
    if (this.tx.length !== tx && this.txLen <= tx) {
      const b = new Uint8Array(tx);
      b.set(this.tx.subarray(0, this.txLen));
      this.tx = b;
    }
  }
  readable(): number {
    return this.rxLen;
  }
  setDtr(on: boolean): void {
    digitalWrite(this.dtrPin, on ? 1 : 0);
  }
  setXonXoff(on: boolean): void {
    this.xonxoff = on;
    if (!on && this.held) {
      this.held = false;
      this.schedulePump();
    }
  }
}
