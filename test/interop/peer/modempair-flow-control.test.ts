// The back-to-back modems over loopback TCP, driven by a bare Class 1 DTE written in this test:
// a V.21 HDLC frame with its FCS, then 8 KB of +FTM page data at V.17 14400 written in one go
// without waiting for XON. SpanDSP's T.31 transmit buffer holds 4 KB and overruns silently, so
// this proves the peer's flow control: XOFF is sent to the DTE, the peer stops reading, and
// every byte arrives at the far modem's +FRM. Real time, ~15 s.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type Socket } from 'node:net';
import { startBackToBack } from './harness.ts';

const DLE = 0x10;
const ETX = 0x03;
const SUB = 0x1a;
const XON = 0x11;
const XOFF = 0x13;

/** A DTE on a TCP modem port: what it has received, and waiting for a pattern in it. */
class Dte {
  private buf = Buffer.alloc(0);
  private pos = 0;
  constructor(private readonly sock: Socket, readonly name: string) {
    sock.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); });
  }
  static open(port: number, name: string): Promise<Dte> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new Dte(s, name)));
      s.on('error', reject);
    });
  }
  write(data: string | Uint8Array): void {
    this.sock.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }
  /** Wait for `re` after what was already consumed; returns the bytes up to and including the match. */
  async expect(re: RegExp, ms = 10000): Promise<Buffer> {
    const t0 = Date.now();
    for (;;) {
      const text = this.buf.subarray(this.pos).toString('latin1');
      const m = re.exec(text);
      if (m) {
        const end = this.pos + m.index + m[0].length;
        const got = this.buf.subarray(this.pos, end);
        this.pos = end;
        return got;
      }
      if (Date.now() - t0 > ms) {
        throw new Error(`${this.name}: no ${re} within ${ms} ms; got ${JSON.stringify(text.slice(0, 200))}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  async command(cmd: string, re: RegExp = /\r\nOK\r\n/, ms = 10000): Promise<Buffer> {
    this.write(cmd + '\r');
    return this.expect(re, ms);
  }
  close(): void {
    this.sock.destroy();
  }
}

/** DLE shielding towards the modem (T.31 §8.3.2): DLE doubled, DLE ETX ends the block. */
function stuff(data: Uint8Array): Buffer {
  const out: number[] = [];
  for (const b of data) {
    out.push(b);
    if (b === DLE) out.push(DLE);
  }
  out.push(DLE, ETX);
  return Buffer.from(out);
}

/** Undo the modem's DLE shielding up to DLE ETX (DLE SUB stands for two DLEs). */
function unstuff(data: Uint8Array): Buffer {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== DLE) { out.push(data[i]); continue; }
    const n = data[++i];
    if (n === ETX) break;
    if (n === DLE) out.push(DLE);
    else if (n === SUB) out.push(DLE, DLE);
  }
  return Buffer.from(out);
}

test('two bare DTEs exchange a V.21 frame and 8 KB of V.17 data through the back-to-back modems', async () => {
  const pair = await startBackToBack({ tcp: true });
  const a = await Dte.open(pair.tcpA!, 'A');
  const b = await Dte.open(pair.tcpB!, 'B');
  try {
    for (const d of [a, b]) {
      await d.command('ATE0');
      await d.command('AT+FCLASS=1');
    }
    // B answers before anyone calls (it waits off hook); A dials: +FRH=3 is implied for A.
    b.write('ATA\r');
    await new Promise((r) => setTimeout(r, 300));
    a.write('ATD5550002\r');
    await b.expect(/CONNECT\r\n/, 10000);            // after ~3.6 s of answer tone: V.21 transmit
    const frame = Buffer.from([0xff, 0x13, 0x80, 0x00, 0xce, 0xf4, DLE, 0x42]);
    b.write(stuff(frame));
    await b.expect(/\r\nOK\r\n/, 10000);
    await a.expect(/CONNECT\r\n/, 10000);
    const rx = await a.expect(/\x10\x03\r\nOK\r\n/, 10000);
    const rxFrame = unstuff(rx);
    assert.equal([...rxFrame.subarray(0, frame.length)], [...frame], 'frame body as sent');
    assert.is(rxFrame.length, frame.length + 2, 'followed by the 2 FCS bytes');

    // Page data: B listens first, then A sends 8 KB at V.17 14400 in one write.
    b.write('AT+FRM=145\r');
    await new Promise((r) => setTimeout(r, 200));
    await a.command('AT+FTM=145', /CONNECT\r\n/);
    let seed = 12345;
    const data = Buffer.alloc(8192, 0).map(() => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    a.write(stuff(data));
    const aside = await a.expect(/\r\nOK\r\n/, 20000);     // OK once the data has gone out
    const xoffs = [...aside].filter((c) => c === XOFF).length;
    const xons = [...aside].filter((c) => c === XON).length;
    assert.ok(xoffs >= 1, `the modem sent XOFF to a DTE writing 8 KB at once (got ${xoffs})`);
    assert.ok(xons >= xoffs, 'and XON after each XOFF');
    await b.expect(/CONNECT\r\n/, 5000);
    const got = unstuff(await b.expect(/\x10\x03/, 15000));
    await b.expect(/NO CARRIER\r\n/, 5000);
    // The receiver may deliver fill before the first data byte; the data itself must be whole.
    const at = got.indexOf(data.subarray(0, 16));
    assert.ok(at >= 0, `data start found in ${got.length} received bytes`);
    const body = got.subarray(at, at + data.length);
    let diff = -1;
    for (let i = 0; i < data.length; i++) if (body[i] !== data[i]) { diff = i; break; }
    assert.is(diff, -1, `all ${data.length} bytes arrive in order (first difference at ${diff}, ${body.length} received)`);

    await a.command('ATH');
    await b.command('ATH');
  } catch (e) {
    console.log(pair.trace());
    throw e;
  } finally {
    a.close();
    b.close();
    await pair.kill();
  }
});

test.run();
