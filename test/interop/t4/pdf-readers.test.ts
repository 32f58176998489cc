// The PDF writer (host/image/pdf.ts) against two independent PDF readers: poppler (pdfimages
// decodes each image's CCITT data; pdftoppm renders the page) and ghostscript (renders the page).
// Multi-page documents in MH, MR and MMR, standard and fine (and superfine), several widths,
// both bit orders and byte-aligned EOLs: rendered at the page's own resolution each reader must
// give exactly the pixels of the page that was coded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { faxPdf } from '../../../host/image/pdf.ts';
import { codePage, readTiff } from '../../../host/image/tiff.ts';
import type { CodedPage, TiffWriteOptions } from '../../../host/image/tiff.ts';
import { readPbm } from '../../../host/image/pbm.ts';
import { firstDifferentRow } from '../../../host/image/bitmap.ts';
import type { Bitmap } from '../../../host/image/bitmap.ts';
import { makePage } from '../../../scripts/t4/patterns.ts';
import { faxTestDocument } from '../../../scripts/t4/document.ts';
import { tempDir, run } from './tools.ts';

const tmp = tempDir();

function blackBytes(b: Bitmap): number {
  let n = 0;
  for (const v of b.data) if (v) n++;
  return n;
}

/** Every reader's view of page i (1-based) of a PDF file, at the page's resolution. */
function readers(pdf: string, i: number, page: Bitmap): Array<{ who: string; image: Bitmap }> {
  const res = ['-rx', String(page.xDpi), '-ry', String(page.yDpi)];
  const tag = `${pdf}-${i}`;
  run('pdftoppm', ['-mono', ...res, '-f', String(i), '-l', String(i), '-singlefile', pdf, tag]);
  run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pbmraw', `-r${page.xDpi}x${page.yDpi}`,
    `-dFirstPage=${i}`, `-dLastPage=${i}`, `-sOutputFile=${tag}-gs.pbm`, pdf]);
  run('pdfimages', ['-f', String(i), '-l', String(i), pdf, `${tag}-img`]);
  const img = readdirSync(tmp.dir).filter((n) => n.startsWith(`${tag.slice(tmp.dir.length + 1)}-img`)).sort();
  assert.is(img.length, 1, `${tag}: pdfimages finds one image on the page`);
  return [
    { who: 'pdfimages', image: readPbm(readFileSync(tmp.path(img[0])))[0] },
    { who: 'pdftoppm', image: readPbm(readFileSync(`${tag}.pbm`))[0] },
    { who: 'ghostscript', image: readPbm(readFileSync(`${tag}-gs.pbm`))[0] },
  ];
}

function checkDocument(name: string, bitmaps: Bitmap[], coded: CodedPage[]): number {
  const pdf = tmp.path(name + '.pdf');
  writeFileSync(pdf, faxPdf(coded, { title: name }));
  const info = run('pdfinfo', [pdf]).stdout.toString();
  assert.match(info, new RegExp(`Pages:\\s+${bitmaps.length}\\b`), `${name}: page count`);
  let checked = 0;
  bitmaps.forEach((page, k) => {
    for (const { who, image } of readers(pdf, k + 1, page)) {
      const where = `${name} page ${k + 1} (${page.width}x${page.height} at ${page.xDpi}x${page.yDpi}) by ${who}`;
      assert.is(image.width, page.width, where + ': width');
      assert.is(image.height, page.height, where + ': height');
      assert.is(firstDifferentRow(page, image), -1, where + ': first different row');
      checked++;
    }
  });
  return checked;
}

test('MH, MR and MMR documents, standard and fine pages, render to the coded pixels in poppler and ghostscript', () => {
  const pages = [
    makePage(1728, 180, 'text', 11, 98),
    makePage(1728, 260, 'mixed', 12, 196),
    makePage(2048, 120, 'noise', 13, 98),
    makePage(2432, 100, 'alternate', 14, 196),
  ];
  assert.ok(pages.every((p) => blackBytes(p) > 100), 'the pages are not blank');
  let checked = 0;
  for (const coding of ['mh', 'mr', 'mmr'] as const) {
    const variants: TiffWriteOptions[] = [{ coding }, { coding, fillOrder: 2, byteAligned: coding !== 'mmr' }];
    for (const o of variants) {
      const name = `${coding}-fo${o.fillOrder ?? 1}${o.byteAligned ? '-aligned' : ''}`;
      checked += checkDocument(name, pages, pages.map((p) => codePage(p, o)));
    }
  }
  assert.is(checked, 3 * 2 * 4 * 3);
});

test('a real document rendered by ghostscript to G3/G4 TIFF, its strips embedded as they are, reads back to the same pixels', () => {
  const ps = tmp.path('doc.ps');
  writeFileSync(ps, faxTestDocument(2));
  for (const [device, res] of [['tiffg3', '204x98'], ['tiffg32d', '204x196'], ['tiffg4', '204x391']] as const) {
    const f = tmp.path(`${device}.tif`);
    run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', `-sDEVICE=${device}`, `-r${res}`, '-sPAPERSIZE=a4', '-dMaxStripSize=0', `-sOutputFile=${f}`, ps], undefined, false);
    const tiff = readTiff(readFileSync(f));
    assert.is(tiff.length, 2);
    const coded: CodedPage[] = tiff.map((p) => {
      assert.is(p.info.strips.length, 1, `${device}: one strip per page`);
      return { width: p.width, height: p.height, xDpi: p.xDpi, yDpi: p.yDpi, coding: p.info.coding, fillOrder: p.info.fillOrder, byteAligned: p.info.byteAligned, data: p.info.strips[0] };
    });
    assert.ok(tiff.every((p) => blackBytes(p) > 1000), `${device}: the document was rendered`);
    assert.is(checkDocument(device, tiff, coded), 2 * 3);
  }
});

test.after(() => tmp.cleanup());
test.run();
