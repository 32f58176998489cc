// A bare test DTE on an emulated modem's Uart: writes AT commands and data, and runs the virtual
// clock until the modem's answer matches (test helper, not a test file).
import type { Uart } from '../../../hal/uart.ts';
import type { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';

export const DLE = 0x10;
export const ETX = 0x03;

export function bytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

/** DLE shielding towards the modem, ending with DLE ETX. */
export function stuff(data: Uint8Array | number[]): Uint8Array {
  const out: number[] = [];
  for (const b of data) {
    out.push(b);
    if (b === DLE) out.push(DLE);
  }
  out.push(DLE, ETX);
  return Uint8Array.from(out);
}

/** Undo DLE shielding up to DLE ETX. */
export function unstuff(data: Uint8Array | number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== DLE) {
      out.push(data[i]);
      continue;
    }
    const n = data[++i];
    if (n === ETX) break;
    out.push(n);
  }
  return out;
}

export class TestDte {
  buf: number[] = [];
  pos = 0;
  private pendingTx: Uint8Array[] = [];
  constructor(
    readonly clock: VirtualClock,
    readonly uart: Uart,
    readonly name = 'dte',
  ) {
    uart.onReadable = () => {
      const b = uart.read(1 << 20);
      for (const x of b) this.buf.push(x);
    };
    uart.onWritable = () => this.flush();
  }

  send(data: string | Uint8Array): void {
    const b = typeof data === 'string' ? bytes(data) : data;
    if (b.length) this.pendingTx.push(b.slice());
    this.flush();
  }

  private flush(): void {
    while (this.pendingTx.length) {
      const chunk = this.pendingTx[0];
      const n = this.uart.write(chunk);
      if (n < chunk.length) {
        this.pendingTx[0] = chunk.subarray(n);
        break;
      }
      this.pendingTx.shift();
    }
  }

  /** Bytes not yet consumed by expect(), as latin1 text. */
  unread(): string {
    return String.fromCharCode(...this.buf.slice(this.pos));
  }

  /** Run the clock until `re` matches what is unread; consume through the match. */
  expect(re: RegExp, withinMs = 120000): { text: string; at: number; raw: number[] } {
    const deadline = this.clock.now() + withinMs;
    let seen = -1;
    for (;;) {
      if (this.buf.length === seen) {
        const n = this.clock.next();
        if (n < 0 || n > deadline) {
          throw new Error(`${this.name}: no ${re} within ${withinMs} ms (t=${this.clock.now()}); unread ${JSON.stringify(this.unread().slice(0, 300))}`);
        }
        this.clock.step();
        continue;
      }
      seen = this.buf.length;
      const text = this.unread();
      const m = re.exec(text);
      if (m) {
        const end = this.pos + m.index + m[0].length;
        const raw = this.buf.slice(this.pos, end);
        this.pos = end;
        return { text: String.fromCharCode(...raw), at: this.clock.now(), raw };
      }
      const n = this.clock.next();
      if (n < 0 || n > deadline) {
        throw new Error(`${this.name}: no ${re} within ${withinMs} ms (t=${this.clock.now()}); unread ${JSON.stringify(text.slice(0, 300))}`);
      }
      this.clock.step();
    }
  }

  /** Run the clock until an unshielded DLE ETX arrives; returns the data before it, unshielded. */
  readData(withinMs = 600000): number[] {
    const deadline = this.clock.now() + withinMs;
    const out: number[] = [];
    let i = this.pos;
    for (;;) {
      while (i < this.buf.length) {
        const b = this.buf[i];
        if (b !== DLE) {
          out.push(b);
          i++;
          continue;
        }
        if (i + 1 >= this.buf.length) break;
        const n = this.buf[i + 1];
        i += 2;
        if (n === ETX) {
          this.pos = i;
          return out;
        }
        out.push(n);
      }
      const t = this.clock.next();
      if (t < 0 || t > deadline) throw new Error(`${this.name}: no DLE ETX within ${withinMs} ms (${out.length} bytes so far)`);
      this.clock.step();
    }
  }

  /** Send a command line and wait for the result. */
  cmd(c: string, re: RegExp = /\r\nOK\r\n/, withinMs?: number): string {
    this.send(c + '\r');
    return this.expect(re, withinMs).text;
  }

  /** Let time pass (running what is scheduled). */
  wait(ms: number): void {
    this.clock.runUntil(this.clock.now() + ms);
  }
}

/** Index where `data` occurs whole in `got` (-1 if not): receivers add fill before and the turn-off after. */
export function findWhole(got: number[], data: Uint8Array | number[]): number {
  outer: for (let i = 0; i + data.length <= got.length; i++) {
    for (let j = 0; j < data.length; j++) if (got[i + j] !== data[j]) continue outer;
    return i;
  }
  return -1;
}
