// The serial cable between a DTE and an emulated modem (sim/line/serial-link.ts): its rate in
// both directions, on time and when the clock's timers fire late (a loaded machine running the
// emulator in real time: efax's page reached the scripted remote 15-16 rows short when the link
// fell below the line's rate and the modem's transmit buffer ran empty mid-page).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import type { Clock, ClockTimer } from '../../../hal/clock.ts';
import { SerialLink } from '../../../sim/line/index.ts';

/** A clock whose every timer fires `lateMs` after it is due, like timers on a busy machine. */
class LateClock implements Clock {
  constructor(readonly inner: VirtualClock, private readonly lateMs: number) {}
  now(): number {
    return this.inner.now();
  }
  wall(): number {
    return this.inner.wall();
  }
  setWall(unixMs: number): void {
    this.inner.setWall(unixMs);
  }
  at(t: number, cb: () => void): ClockTimer {
    return this.inner.at(t + this.lateMs, cb);
  }
  cancel(timer: ClockTimer): void {
    this.inner.cancel(timer);
  }
  defer(cb: () => void): void {
    this.inner.defer(cb);
  }
  cpu(): number {
    return 0;
  }
}

/** Bytes that cross the link in one second, the DTE keeping its transmit buffer full. */
function dteToModemPerSecond(lateMs: number): number {
  const vc = new VirtualClock(0);
  const link = new SerialLink(new LateClock(vc, lateMs), { baud: 115200 });
  let got = 0;
  link.modem.onData = (b) => {
    got += b.length;
  };
  const block = new Uint8Array(4096).fill(0x55);
  const fill = (): void => {
    while (link.dte.write(block) === block.length) { /* until the buffer is full */ }
  };
  link.dte.onWritable = fill;
  fill();
  vc.runUntil(1000);
  return got;
}

/** Bytes the DTE has read one second after the modem queued 64 KB for it. */
function modemToDtePerSecond(lateMs: number): number {
  const vc = new VirtualClock(0);
  const link = new SerialLink(new LateClock(vc, lateMs), { baud: 115200 });
  let got = 0;
  link.dte.onReadable = () => {
    got += link.dte.read(1 << 20).length;
  };
  link.modem.send(new Uint8Array(65536).fill(0x55));
  vc.runUntil(1000);
  return got;
}

test('115200 baud carries 11,520 bytes a second each way (8N1) when timers fire on time', () => {
  const tx = dteToModemPerSecond(0);
  const rx = modemToDtePerSecond(0);
  assert.ok(tx > 11400 && tx <= 11520, `DTE -> modem ${tx} bytes`);
  assert.ok(rx > 11400 && rx <= 11520, `modem -> DTE ${rx} bytes`);
});

test('timers firing late do not make the link slower than its baud rate (bytes due meanwhile come at once)', () => {
  for (const late of [5, 20, 100]) {
    const tx = dteToModemPerSecond(late);
    const rx = modemToDtePerSecond(late);
    // what the wire carried in the second, less what was still due when it ended
    const floor = 11520 * (1000 - 2 * late) / 1000 - 128;
    assert.ok(tx >= floor && tx <= 11520, `DTE -> modem with timers ${late} ms late: ${tx} bytes`);
    assert.ok(rx >= floor && rx <= 11520, `modem -> DTE with timers ${late} ms late: ${rx} bytes`);
  }
});

test.run();
