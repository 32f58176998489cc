// hal/espruino EspruinoClock on a fake interpreter: getTime() is the wall clock that setTime()
// moves; now() must stay monotonic and continuous across it, alarms fire on monotonic time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import type { Clock } from '../../../hal/clock.ts';

const { EspruinoClock } = await espruinoModule('clock');

function withClock(f: (fk: FakeEspruino, c: Clock) => void): void {
  const fk = new FakeEspruino();
  fk.install();
  try {
    f(fk, new EspruinoClock() as Clock);
  } finally {
    fk.uninstall();
  }
}

test('now() starts at 0 and follows getTime(); wall() is getTime() in ms', () => {
  withClock((fk, c) => {
    assert.ok(Math.abs(c.now()) < 1e-3);
    fk.advance(1234);
    assert.ok(Math.abs(c.now() - 1234) < 1e-3);
    assert.ok(Math.abs(c.wall() - (1_700_000_000_000 + 1234)) < 1);
  });
});

test('setWall moves wall() but now() stays continuous, forwards and backwards, more than once', () => {
  withClock((fk, c) => {
    fk.advance(5000);
    const day = 86_400_000;
    c.setWall(1_800_000_000_000);
    assert.ok(Math.abs(c.now() - 5000) < 1e-3, 'now() after setting the date: ' + c.now());
    assert.ok(Math.abs(c.wall() - 1_800_000_000_000) < 1);
    fk.advance(1000);
    assert.ok(Math.abs(c.now() - 6000) < 1e-3);
    assert.ok(Math.abs(c.wall() - (1_800_000_000_000 + 1000)) < 1);
    c.setWall(1_800_000_000_000 - 30 * day); // backwards
    assert.ok(Math.abs(c.now() - 6000) < 1e-3, 'now() went backwards: ' + c.now());
    fk.advance(500);
    assert.ok(Math.abs(c.now() - 6500) < 1e-3);
  });
});

test('a call at() runs at its monotonic time, also when the date is set meanwhile; cancel() forgets one', () => {
  withClock((fk, c) => {
    const fired: number[] = [];
    c.at(250, () => fired.push(c.now()));
    fk.advance(249);
    assert.equal(fired, []);
    fk.advance(1);
    assert.is(fired.length, 1);
    assert.ok(Math.abs(fired[0] - 250) < 1e-3);
    // two pending, the first cancelled: only the second one runs
    const first = c.at(c.now() + 100, () => fired.push(-1));
    c.at(c.now() + 300, () => fired.push(c.now()));
    c.cancel(first);
    c.setWall(c.wall() - 3_600_000); // an hour back: the call still comes 300 ms on
    fk.advance(299);
    assert.is(fired.length, 1);
    fk.advance(1);
    assert.is(fired.length, 2);
    assert.ok(Math.abs(fired[1] - 550) < 1e-3);
    // past times run at once; calls at one time run in the order asked for
    c.at(0, () => fired.push(-2));
    c.at(0, () => fired.push(-4));
    fk.advance(0);
    assert.equal(fired.slice(2), [-2, -4]);
    // a cancelled call never runs, and cancel leaves the interpreter's other timers alone
    // (clearTimeout(undefined) would clear them all)
    const gone = c.at(c.now() + 10, () => fired.push(-3));
    c.at(c.now() + 50, () => fired.push(-5));
    c.cancel(gone);
    c.cancel(undefined);
    fk.advance(100);
    assert.equal(fired.slice(4), [-5]);
    assert.is(fk.pendingTimers(), 0);
  });
});

test('defer runs after the current call, not inside it', () => {
  withClock((fk, c) => {
    const order: string[] = [];
    c.defer(() => order.push('deferred'));
    order.push('caller');
    fk.advance(0);
    assert.equal(order, ['caller', 'deferred']);
  });
});

test('cpu() measures work: setting the date does not make a dispatch look days long', () => {
  withClock((fk, c) => {
    const t0 = c.cpu();
    c.setWall(c.wall() + 86_400_000);
    fk.advance(3);
    const dt = c.cpu() - t0;
    assert.ok(dt >= 0 && dt < 10, 'cpu() jumped by ' + dt + ' ms');
  });
});

test.run();
