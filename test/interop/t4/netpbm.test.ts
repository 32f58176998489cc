// faxvault's MH codec against netpbm: pbmtog3 (an independent encoder, fed text pages rendered
// by pbmtext) decoded by faxvault, and faxvault's MH decoded by g3topbm, in both bit orders.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readPbm, writePbm } from '../../../host/image/pbm.ts';
import { firstDifferentRow } from '../../../host/image/bitmap.ts';
import type { Bitmap } from '../../../host/image/bitmap.ts';
import { makePage } from '../../../scripts/t4/patterns.ts';
import { encodePage, decodePage } from '../../firmware/fax/t4/helpers.ts';
import { run } from './tools.ts';

const TEXT = [
  'CONFIDENTIAL RECEPTION - box 12 - pass code required.',
  'The quick brown fox jumps over the lazy dog 0123456789',
  'T.4 modified Huffman coding; T.30 session: DIS/DCS/TCF/CFR, MCF.',
  '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ abcdefghijklmnopqrstuvwxyz',
].join('\n');

function textPage(): Bitmap {
  return readPbm(run('pbmtext', ['-builtin', 'fixed'], new TextEncoder().encode(TEXT)).stdout)[0];
}

test('pbmtext pages coded by pbmtog3 decode in faxvault to the same pixels (both bit orders)', () => {
  const page = textPage();
  assert.ok(page.width > 100 && page.height > 20, 'pbmtext rendered something');
  const pbm = writePbm([page]);
  for (const reverse of [false, true]) {
    const g3 = run('pbmtog3', ['-nofixedwidth'].concat(reverse ? ['-reversebits'] : []), pbm).stdout;
    const { page: back, d } = decodePage(g3, page.width, { coding: 'mh', bitOrder: reverse ? 'lsb-first' : 'msb-first' });
    assert.is(firstDifferentRow(page, back), -1, 'reverse=' + reverse);
    assert.is(d.badLines, 0);
    assert.ok(d.endMarker, 'pbmtog3 writes RTC');
  }
});

test('pbmtog3 fixed-width 1728 pages: faxvault and g3topbm agree pixel for pixel', () => {
  const pbm = writePbm([textPage()]);
  const g3 = run('pbmtog3', [], pbm).stdout;
  const theirs = readPbm(run('g3topbm', [], g3).stdout)[0];
  assert.is(theirs.width, 1728);
  const { page: mine, d } = decodePage(g3, 1728, { coding: 'mh' });
  assert.is(d.badLines, 0);
  assert.is(firstDifferentRow(theirs, mine), -1);
});

test('g3topbm decodes faxvault MH to the source pixels (text, worst cases, widths, bit orders)', () => {
  const pages: Bitmap[] = [textPage(), makePage(1728, 120, 'mixed', 3), makePage(1728, 60, 'checker', 4),
    makePage(2048, 60, 'noise', 5), makePage(2432, 60, 'alternate', 6)];
  for (const page of pages) for (const bitOrder of ['msb-first', 'lsb-first'] as const) {
    for (const byteAlignedEol of [false, true]) {
      const g3 = encodePage(page, { coding: 'mh', bitOrder, byteAlignedEol, minLineBits: 200 });
      const args = ['-width=' + page.width, '-stop_error'].concat(bitOrder === 'lsb-first' ? ['-reversebits'] : []);
      const back = readPbm(run('g3topbm', args, g3).stdout)[0];
      assert.is(back.width, page.width);
      assert.is(firstDifferentRow(page, back), -1, `${page.width} ${bitOrder} aligned=${byteAlignedEol}`);
    }
  }
});

test.run();
