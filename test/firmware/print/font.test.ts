import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { glyphRow } from '../../../firmware/print/index.ts';
import { glyphCount } from '../../../firmware/print/font.ts';
import { ART } from './font-art.ts';

test('the packed font is the drawn one, glyph for glyph', () => {
  assert.is(glyphCount(), 95);
  assert.is(ART.length, 95 * 7);
  for (let c = 0x20; c <= 0x7e; c++) {
    for (let y = 0; y < 7; y++) {
      const row = ART[(c - 0x20) * 7 + y];
      let v = 0;
      for (let x = 0; x < 5; x++) v = (v << 1) | (row[x] === '#' ? 1 : 0);
      assert.is(glyphRow(c, y), v, `'${String.fromCharCode(c)}' row ${y}`);
    }
  }
});

test.run();
