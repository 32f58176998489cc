// hal/espruino EspruinoEntropy on a fake E.hwRand: four bytes from each 32-bit value, low byte
// first, negative (signed) values too, and no more calls than needed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import type { Entropy } from '../../../hal/entropy.ts';

const { EspruinoEntropy } = await espruinoModule('entropy');

test('fill takes 32 bits per hwRand call', () => {
  const fk = new FakeEspruino();
  fk.install();
  try {
    const e = new EspruinoEntropy() as Entropy;
    fk.rand = [0x04030201, -1, -0x7f7f7f80, 0x0d0c0b0a, 0x11111111];
    const out = new Uint8Array(14);
    e.fill(out);
    assert.equal([...out], [1, 2, 3, 4, 0xff, 0xff, 0xff, 0xff, 0x80, 0x80, 0x80, 0x80, 0x0a, 0x0b]);
    assert.equal(fk.rand, [0x11111111], 'four calls for 14 bytes');
    e.fill(new Uint8Array(0));
    assert.is(fk.rand.length, 1);
  } finally {
    fk.uninstall();
  }
});

test.run();
