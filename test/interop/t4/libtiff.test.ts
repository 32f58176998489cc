// faxvault's codec and TIFF files against libtiff (libtiff-tools): what faxvault writes, libtiff
// decodes to the same pixels; what libtiff writes, faxvault decodes to the same pixels; and for
// the same coding both produce the same bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { readTiff, writeTiff, codePage } from '../../../host/image/tiff.ts';
import type { TiffCoding } from '../../../host/image/tiff.ts';
import { firstDifferentRow } from '../../../host/image/bitmap.ts';
import type { Bitmap } from '../../../host/image/bitmap.ts';
import { makePage } from '../../../scripts/t4/patterns.ts';
import type { Pattern } from '../../../scripts/t4/patterns.ts';
import { tempDir, run } from './tools.ts';
import { encodePage } from '../../firmware/fax/t4/helpers.ts';

const tmp = tempDir();
const PATTERNS: Pattern[] = ['mixed', 'noise', 'alternate', 'text', 'black', 'white', 'stripes', 'sparse'];

function pagesFor(width: number, yDpi: number): Bitmap[] {
  return PATTERNS.map((p, i) => makePage(width, 200, p, width + i, yDpi));
}

/** libtiff's pixels: tiffcp decodes to an uncompressed TIFF, which faxvault only has to unpack. */
function libtiffPixels(file: string): Bitmap[] {
  const out = tmp.path('plain.tif');
  run('tiffcp', ['-c', 'none', file, out]);
  return readTiff(readFileSync(out));
}

test('libtiff decodes faxvault MH, MR and MMR TIFFs to the same pixels (widths, fill orders, aligned EOLs)', () => {
  for (const width of [1728, 2048, 2432]) {
    const pages = pagesFor(width, width === 1728 ? 98 : 196);
    for (const coding of ['mh', 'mr', 'mmr'] as const) for (const fillOrder of [1, 2] as const) {
      for (const byteAligned of coding === 'mmr' ? [false] : [false, true]) {
        const f = tmp.path(`fv-${coding}-${fillOrder}-${byteAligned}.tif`);
        writeFileSync(f, writeTiff(pages, { coding, fillOrder, byteAligned }));
        run('tiffinfo', ['-D', f]); // strict: any decoding warning fails
        const back = libtiffPixels(f);
        assert.is(back.length, pages.length);
        back.forEach((b, i) => assert.is(firstDifferentRow(pages[i], b), -1, `${width} ${coding} fill=${fillOrder} aligned=${byteAligned} page ${i} (${PATTERNS[i]})`));
      }
    }
  }
});

test('faxvault decodes libtiff G3 1-D, G3 2-D, G3 with fill, G4, both fill orders, many strips', () => {
  const pages = pagesFor(1728, 196).concat(pagesFor(2432, 98).slice(0, 3));
  const plain = tmp.path('src.tif');
  writeFileSync(plain, writeTiff(pages, { coding: 'none' }));
  for (const c of ['g3', 'g3:2d', 'g3:fill', 'g3:2d:fill', 'g4']) for (const fill of ['msb2lsb', 'lsb2msb']) {
    for (const rows of ['100000', '37']) {
      const f = tmp.path('lt.tif');
      run('tiffcp', ['-c', c, '-f', fill, '-r', rows, plain, f]);
      const back = readTiff(readFileSync(f));
      assert.is(back.length, pages.length);
      back.forEach((b, i) => {
        assert.is(firstDifferentRow(pages[i], b), -1, `${c} ${fill} rows/strip ${rows} page ${i}`);
        assert.is(b.info.badLines, 0);
        assert.is(b.info.missingRows, 0);
      });
    }
  }
});

test('same coding, same bytes: faxvault strips equal libtiff strips (MH, MR K=2/4, MMR, byte-aligned EOLs)', () => {
  const plain = tmp.path('src2.tif');
  const std = pagesFor(1728, 98);
  const fine = pagesFor(1728, 196);
  for (const [pages, tag] of [[std, 'standard'], [fine, 'fine']] as const) {
    writeFileSync(plain, writeTiff(pages, { coding: 'none' }));
    const cases: [string, TiffCoding, boolean][] = [
      ['g3', 'mh', false], ['g3:2d', 'mr', false], ['g4', 'mmr', false], ['g3:fill', 'mh', true], ['g3:2d:fill', 'mr', true],
    ];
    for (const [c, coding, byteAligned] of cases) {
      const f = tmp.path('same.tif');
      run('tiffcp', ['-c', c, '-r', '100000', plain, f]);
      const theirs = readTiff(readFileSync(f));
      theirs.forEach((t, i) => {
        const mine = codePage(pages[i], { coding, byteAligned }).data;
        const ref = t.info.strips[0];
        assert.is(mine.length, ref.length, `${tag} ${c} page ${i} size`);
        assert.ok(Buffer.compare(Buffer.from(mine), Buffer.from(ref)) === 0, `${tag} ${c} page ${i} bytes`);
      });
    }
  }
});

test('tiffinfo reads faxvault TIFF-F tags: multi-page, resolution, page numbers', () => {
  const pages = [makePage(1728, 50, 'text', 1, 98), makePage(1728, 80, 'text', 2, 196)];
  const f = tmp.path('tags.tif');
  writeFileSync(f, writeTiff(pages, { coding: 'mh', fillOrder: 2 }));
  const info = run('tiffinfo', [f]).stdout.toString();
  assert.match(info, /Resolution: 204, 98 pixels\/inch/);
  assert.match(info, /Resolution: 204, 196 pixels\/inch/);
  assert.match(info, /Page Number: 1-2/);
  assert.match(info, /Compression Scheme: CCITT Group 3/);
  assert.match(info, /FillOrder: lsb-to-msb/);
  assert.match(info, /Subfile Type: multi-page document/);
});

test('checkerboard (rows starting black: width + 1 runs): libtiff decodes faxvault MR and MMR exactly', () => {
  // libtiff's MH decoder keeps at most `width` runs per row and reports "Buffer overflow" on
  // such rows, so MH is checked against g3topbm instead (netpbm.test.ts).
  const page = makePage(1728, 64, 'checker', 1, 196);
  for (const coding of ['mr', 'mmr'] as const) {
    const f = tmp.path(`checker-${coding}.tif`);
    writeFileSync(f, writeTiff([page], { coding }));
    const [b] = libtiffPixels(f);
    assert.is(firstDifferentRow(page, b), -1, coding);
  }
});

test('fax2tiff reads faxvault wire data: raw MH/MR/MMR, LSB first, minimum scan line fill, RTC/EOFB', () => {
  const page = makePage(1728, 300, 'mixed', 9);
  for (const [coding, flags] of [['mh', ['-3', '-1']], ['mr', ['-3', '-2']], ['mmr', ['-4']]] as const) {
    for (const bitOrder of ['lsb-first', 'msb-first'] as const) {
      // 14400 bit/s and a 20 ms minimum scan line time: 288 bits per line at least (T.30 Table 2).
      const raw = encodePage(page, { coding, bitOrder, minLineBits: 288, k: 4 });
      const src = tmp.path('wire.fax');
      const out = tmp.path('f2t.tif');
      writeFileSync(src, raw);
      // fax2tiff reads the RTC EOLs as empty lines and warns about them; the page rows must be exact.
      run('fax2tiff', [...flags, bitOrder === 'lsb-first' ? '-L' : '-M', '-X', '1728', '-R', '196', '-u', '-o', out, src], undefined, false);
      const [b] = readTiff(readFileSync(out));
      assert.ok(b.height >= 300, `${coding}: ${b.height} rows`);
      assert.is(firstDifferentRow(page, { ...b, height: 300 }), -1, `${coding} ${bitOrder}`);
    }
  }
});

test.after(() => tmp.cleanup());
test.run();
