// The modem UART over loopback TCP (host only): faxpeer/modempair expose a SpanDSP Class 1 modem
// on a TCP port, and this gives the firmware's driver the HAL Uart in front of it. XON/XOFF from
// the modem (DC1/DC3) pauses writes when enabled, as a UART with software flow control would;
// DTR has no wire here (dropping it closes nothing: the driver hangs up with ATH).
import * as net from 'node:net';
import type { Uart } from '../uart.ts';

const XON = 0x11;
const XOFF = 0x13;

export class TcpUart implements Uart {
  onReadable: (() => void) | null = null;
  onWritable: (() => void) | null = null;
  /** Bytes allowed to wait in Node's socket buffer before write() reports a full buffer. */
  highWater = 1024;
  private sock: net.Socket;
  private chunks: Buffer[] = [];
  private size = 0;
  private xonxoff = false;
  private held = false;
  private wantWritable = false;
  closed = false;

  private constructor(sock: net.Socket) {
    this.sock = sock;
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => this.incoming(d));
    sock.on('drain', () => this.writable());
    sock.on('close', () => {
      this.closed = true;
    });
    sock.on('error', () => {
      this.closed = true;
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TcpUart> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host);
      s.once('connect', () => resolve(new TcpUart(s)));
      s.once('error', reject);
    });
  }

  private incoming(d: Buffer): void {
    let data = d;
    if (this.xonxoff) {
      const keep: number[] = [];
      for (const c of d) {
        if (c === XOFF) this.held = true;
        else if (c === XON) {
          this.held = false;
          this.writable();
        } else keep.push(c);
      }
      data = Buffer.from(keep);
    }
    if (data.length === 0) return;
    const was = this.size;
    this.chunks.push(data);
    this.size += data.length;
    if (was === 0 && this.onReadable) this.onReadable();
  }

  private writable(): void {
    if (this.wantWritable && !this.held && this.sock.writableLength < this.highWater) {
      this.wantWritable = false;
      if (this.onWritable) this.onWritable();
    }
  }

  write(bytes: Uint8Array): number {
    if (this.closed) return bytes.length; // a dead line swallows data; the driver's timers notice
    const room = this.held ? 0 : this.highWater - this.sock.writableLength;
    if (room <= 0) {
      this.wantWritable = true;
      return 0;
    }
    const n = Math.min(room, bytes.length);
    this.sock.write(Buffer.from(bytes.subarray(0, n)));
    if (n < bytes.length) this.wantWritable = true;
    return n;
  }

  read(max: number): Uint8Array {
    const out = new Uint8Array(Math.min(max, this.size));
    let o = 0;
    while (o < out.length) {
      const c = this.chunks[0];
      const n = Math.min(c.length, out.length - o);
      out.set(c.subarray(0, n), o);
      o += n;
      if (n === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(n);
    }
    this.size -= out.length;
    if (this.size > 0 && this.onReadable) {
      // more left: ask again (the reader takes what it wants per call)
    }
    return out;
  }

  readable(): number {
    return this.size;
  }

  setDtr(_on: boolean): void {}

  setXonXoff(on: boolean): void {
    this.xonxoff = on;
    if (!on && this.held) {
      this.held = false;
      this.writable();
    }
  }

  close(): void {
    this.sock.destroy();
  }
}
