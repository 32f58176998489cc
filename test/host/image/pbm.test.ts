import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readPbm, writePbm, PbmError } from '../../../host/image/pbm.ts';
import { firstDifferentRow } from '../../../host/image/bitmap.ts';
import { makePage } from '../../../scripts/t4/patterns.ts';

const enc = (s: string) => new TextEncoder().encode(s);

test('P1 with comments and odd whitespace', () => {
  const [p] = readPbm(enc('P1\n# a comment\n 5 2\n1 0 1 0 1\n01010\n'));
  assert.is(p.width, 5);
  assert.is(p.height, 2);
  assert.equal(Array.from(p.data), [0xa8, 0x50]);
});

test('P4 round trip, several pages in one stream, odd widths', () => {
  const pages = [makePage(13, 7, 'noise', 1), makePage(1728, 40, 'text', 2), makePage(2433, 3, 'checker', 3)];
  const back = readPbm(writePbm(pages));
  assert.is(back.length, 3);
  back.forEach((b, i) => {
    assert.is(b.width, pages[i].width);
    assert.is(firstDifferentRow(pages[i], b), -1);
  });
});

test('bad PBM files are reported clearly', () => {
  assert.throws(() => readPbm(enc('P6\n1 1\n255\nabc')), (e: unknown) => e instanceof PbmError && /not a PBM/.test((e as Error).message));
  assert.throws(() => readPbm(enc('P4\n100 100\n\x00\x00')), /truncated/);
  assert.throws(() => readPbm(enc('P4\nx 1\n')), /width/);
  assert.throws(() => readPbm(enc('P1\n2 2\n1 0 2 1')), /unexpected character/);
  assert.throws(() => readPbm(enc('P4\n0 5\n')), /0x5/);
});

test.run();
