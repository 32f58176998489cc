import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { glyphRow } from '../../../firmware/print/index.ts';
import { glyphCount } from '../../../firmware/print/font.ts';
import { ART, DESCENDER_ART } from './font-art.ts';

test('the packed font is the drawn one, glyph for glyph', () => {
  assert.is(glyphCount(), 95);
  assert.is(ART.length, 95 * 7);
  for (let c = 0x20; c <= 0x7e; c++) {
    const ch = String.fromCharCode(c);
    for (let y = 0; y < 9; y++) {
      const row = DESCENDER_ART[ch] ? DESCENDER_ART[ch][y] : y < 7 ? ART[(c - 0x20) * 7 + y] : '.....';
      let v = 0;
      for (let x = 0; x < 5; x++) v = (v << 1) | (row[x] === '#' ? 1 : 0);
      assert.is(glyphRow(c, y), v, `'${String.fromCharCode(c)}' row ${y}`);
    }
  }
});

test('g j p q y reach below the baseline (#15: the report printed "pa9e"); no other glyph does', () => {
  for (let c = 0x21; c <= 0x7e; c++) {
    const below = glyphRow(c, 7) | glyphRow(c, 8);
    assert.is(below !== 0, 'gjpqy'.includes(String.fromCharCode(c)), String.fromCharCode(c));
  }
  // 'g' is no longer a '9' moved up: its bowl sits on the x-height like 'a' and 'q'.
  for (let y = 0; y < 2; y++) assert.is(glyphRow(0x67, y), 0, 'g starts at the x-height');
  assert.is.not(glyphRow(0x67, 6), glyphRow(0x39, 6));
});

test.run();
