// hal/node SerialUart: the XON/XOFF and buffering contract it shares with StreamUart (unit), and
// the serialport package opening a pseudo-terminal: SpanDSP's modem on the interop peer's pty
// answers the AT set through it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StreamUart } from '../../../hal/node/stream-uart.ts';
import { openModemUart } from '../../../hal/node/modem-uart.ts';
import { startBackToBack } from '../../interop/peer/harness.ts';
import { AsyncDte } from './async-dte.ts';

class FakeUart extends StreamUart {
  sent: number[] = [];
  up = true;
  dtr = true;
  protected linkUp(): boolean {
    return this.up;
  }
  protected sink(b: Buffer): boolean {
    for (const x of b) this.sent.push(x);
    return true;
  }
  setDtr(on: boolean): void {
    this.dtr = on;
  }
  feed(d: number[]): void {
    this.received(Buffer.from(d));
  }
}

test('XON/XOFF on: XOFF holds output and is not data; XON releases; with it off they are data', async () => {
  const u = new FakeUart(100);
  u.setXonXoff(true);
  u.feed([0x41, 0x13, 0x42]);
  assert.equal([...u.read(10)], [0x41, 0x42]);
  assert.is(u.write(new Uint8Array(50)), 50);
  assert.is(u.sent.length, 0, 'held');
  assert.is(u.write(new Uint8Array(80)), 50, 'only room for 50 more');
  let writable = 0;
  u.onWritable = () => writable++;
  u.feed([0x11]);
  await new Promise((r) => setTimeout(r, 0));
  assert.is(u.sent.length, 100, 'released');
  assert.is(writable, 1);
  u.setXonXoff(false);
  u.feed([0x13, 0x11]);
  assert.equal([...u.read(10)], [0x13, 0x11]);
  u.write(new Uint8Array(3));
  assert.is(u.sent.length, 103, 'not held when off');
});

test('nothing is lost while the link is down; it goes out when it comes up', () => {
  const u = new FakeUart();
  u.up = false;
  u.write(Uint8Array.from([1, 2, 3]));
  assert.is(u.sent.length, 0);
  u.up = true;
  (u as unknown as { drained(): void }).drained();
  assert.equal(u.sent, [1, 2, 3]);
});

test('serialport opens the SpanDSP peer modem\'s pty: AT, +FCLASS=?, +FTM=?, DTR on a pty is harmless', async () => {
  let pair;
  try {
    pair = await startBackToBack();
  } catch (e) {
    console.log(`  skipped: SpanDSP peer not available (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  const opened = await openModemUart(pair.ptyA);
  try {
    const A = new AsyncDte(opened.uart, 'A');
    await A.cmd('ATE0', /OK\r\n/);
    assert.is(await A.cmd('AT'), '\r\nOK\r\n');
    assert.is(await A.cmd('AT+FCLASS=?'), '\r\n0,1,1.0\r\n\r\nOK\r\n');
    assert.is(await A.cmd('AT+FTM=?'), '\r\n24,48,72,73,74,96,97,98,121,122,145,146\r\n\r\nOK\r\n');
    opened.uart.setDtr(false);
    opened.uart.setDtr(true);
    assert.is(await A.cmd('AT'), '\r\nOK\r\n');
  } finally {
    await opened.close();
    await pair.kill();
  }
});

test.run();
