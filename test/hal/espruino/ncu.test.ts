// hal/espruino EspruinoNcu on a fake interpreter: one ring per burst of ring-detector pulses
// (pulses within 1.5 s belong to one ring), none while off hook; the relay follows setOffHook.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import { ESP32_APPLIANCE as P } from '../../../hal/espruino/pins.ts';
import type { Ncu } from '../../../hal/ncu.ts';

const { EspruinoNcu } = await espruinoModule('ncu');

function withNcu(f: (fk: FakeEspruino, n: Ncu, rings: () => number) => void): void {
  const fk = new FakeEspruino();
  fk.install();
  try {
    fk.pins[P.ringDetect] = 1; // the opto's pull-up: idle high
    const n = new EspruinoNcu(P) as Ncu;
    let rings = 0;
    n.onRing = () => rings++;
    f(fk, n, () => rings);
  } finally {
    fk.uninstall();
  }
}

/** A ring burst: `ms` of 25 Hz pulses on the detector (low 20 ms, high 20 ms). */
function burst(fk: FakeEspruino, ms: number): void {
  for (let t = 0; t < ms; t += 40) {
    fk.level(P.ringDetect, 0);
    fk.advance(20);
    fk.level(P.ringDetect, 1);
    fk.advance(20);
  }
}

test('the relay starts on hook, the detector is watched on falling edges', () => {
  withNcu((fk, n) => {
    assert.is(fk.pins[P.hookRelay], 0);
    assert.is(n.isOffHook(), false);
    const w = fk.watches.filter((x) => x.pin === P.ringDetect);
    assert.is(w.length, 1);
    assert.is(w[0].opts.edge, 'falling');
    assert.is(w[0].opts.repeat, true);
  });
});

test('one ring per burst, the next burst after the 4 s pause is the next ring', () => {
  withNcu((fk, _n, rings) => {
    burst(fk, 1000);
    assert.is(rings(), 1);
    fk.advance(4000);
    burst(fk, 2000);
    assert.is(rings(), 2);
    // a pulse 1.4 s after the last one still belongs to that ring; 1.6 s after is a new one
    fk.advance(1400 - 20);
    burst(fk, 40);
    assert.is(rings(), 2);
    fk.advance(1600 - 20);
    burst(fk, 40);
    assert.is(rings(), 3);
  });
});

test('no ring while off hook; the relay pin follows setOffHook', () => {
  withNcu((fk, n, rings) => {
    n.setOffHook(true);
    assert.is(fk.pins[P.hookRelay], 1);
    assert.is(n.isOffHook(), true);
    burst(fk, 1000);
    assert.is(rings(), 0);
    n.setOffHook(false);
    assert.is(fk.pins[P.hookRelay], 0);
    fk.advance(4000);
    burst(fk, 1000);
    assert.is(rings(), 1);
  });
});

test('rings are still seen after the date was set back (the watch times are wall-clock)', () => {
  withNcu((fk, _n, rings) => {
    burst(fk, 1000);
    assert.is(rings(), 1);
    fk.advance(4000);
    fk.setTime(fk.getTime() - 3600); // the user corrects the clock by an hour
    burst(fk, 1000);
    assert.is(rings(), 2);
  });
});

test('lineCurrent reads the loop-current input', () => {
  withNcu((fk, n) => {
    fk.pins[P.loopCurrent] = 1;
    assert.is(n.lineCurrent(), true);
    fk.pins[P.loopCurrent] = 0;
    assert.is(n.lineCurrent(), false);
  });
});

test.run();
