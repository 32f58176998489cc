// A DTE for real-time tests on any hal/uart.ts Uart: send text or bytes, wait for a pattern
// (test helper, not a test file).
import type { Uart } from '../../../hal/uart.ts';

export class AsyncDte {
  buf: number[] = [];
  pos = 0;
  constructor(
    readonly uart: Uart,
    readonly name = 'dte',
  ) {
    uart.onReadable = () => this.drain();
  }
  private drain(): void {
    for (;;) {
      const b = this.uart.read(4096);
      if (b.length === 0) return;
      for (const x of b) this.buf.push(x);
    }
  }
  send(data: string | Uint8Array): void {
    const b = typeof data === 'string' ? Uint8Array.from(data, (c) => c.charCodeAt(0)) : data;
    let off = 0;
    const push = (): void => {
      while (off < b.length) {
        const n = this.uart.write(b.subarray(off));
        off += n;
        if (n === 0) {
          setTimeout(push, 5);
          return;
        }
      }
    };
    push();
  }
  unread(): string {
    return String.fromCharCode(...this.buf.slice(this.pos));
  }
  async expect(re: RegExp, ms = 10000): Promise<{ text: string; at: number }> {
    const t0 = Date.now();
    for (;;) {
      this.drain();
      const text = this.unread();
      const m = re.exec(text);
      if (m) {
        const end = this.pos + m.index + m[0].length;
        const got = String.fromCharCode(...this.buf.slice(this.pos, end));
        this.pos = end;
        return { text: got, at: Date.now() };
      }
      if (Date.now() - t0 > ms) throw new Error(`${this.name}: no ${re} within ${ms} ms; got ${JSON.stringify(text.slice(0, 200))}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  async cmd(c: string, re: RegExp = /\r\nOK\r\n/, ms?: number): Promise<string> {
    this.send(c + '\r');
    return (await this.expect(re, ms)).text;
  }
}
