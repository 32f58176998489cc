// Document files for sending: PBM, PNG, TIFF and PDF read into pages and made ready for the fax
// line. The PDF path is proven with Ghostscript (an independent reader) rasterising a PDF that
// embeds known fax pages: the pixels must come back exactly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDocumentFile, toFaxPages, DocumentError } from '../../../host/image/document.ts';
import { faxPdf } from '../../../host/image/pdf.ts';
import { codePage } from '../../../host/image/tiff.ts';
import { writePbm } from '../../../host/image/pbm.ts';
import { encodePngBitmap } from '../../../host/image/png.ts';
import { newBitmap, rowOf } from '../../../host/image/bitmap.ts';
import type { Bitmap } from '../../../host/image/bitmap.ts';

const dir = mkdtempSync(join(tmpdir(), 'fv-doc-'));

function shapes(width: number, height: number, yDpi: number, seed: number): Bitmap {
  const b = newBitmap(width, height, 204, yDpi);
  for (let y = 0; y < height; y++) {
    const row = rowOf(b, y);
    for (let x = 0; x < width; x++) if (((x >> 4) + (y >> 3) + seed) % 5 === 0 || (x * 7 + y * 3 + seed) % 97 === 0) row[x >> 3] |= 0x80 >> (x & 7);
  }
  return b;
}

function same(a: Bitmap, b: Bitmap): boolean {
  return a.width === b.width && a.height === b.height && Buffer.compare(Buffer.from(a.data), Buffer.from(b.data)) === 0;
}

test('PDF of fax pages: Ghostscript rasterises it at the fax grid back to the same pixels', () => {
  for (const yDpi of [98, 196] as const) {
    const pages = [shapes(1728, 300, yDpi, 1), shapes(1728, 200, yDpi, 2)];
    const f = join(dir, `p${yDpi}.pdf`);
    writeFileSync(f, faxPdf(pages.map((p) => codePage(p, { coding: 'mmr' }))));
    const back = readDocumentFile(f, yDpi);
    assert.is(back.length, 2);
    back.forEach((b, i) => {
      assert.is(b.yDpi, yDpi);
      assert.ok(same(toFaxPages([b], yDpi)[0], pages[i]), `page ${i + 1} at ${yDpi} dpi`);
    });
  }
});

test('PBM and PNG: read, scaled or centred to 1728, at the resolution asked', () => {
  const narrow = shapes(800, 100, 0, 3);
  const pbm = join(dir, 'n.pbm');
  writeFileSync(pbm, writePbm([narrow]));
  const [p] = toFaxPages(readDocumentFile(pbm), 196);
  assert.is(p.width, 1728);
  assert.is(p.height, 100, 'unknown resolution taken as fine');
  // Centred: the narrow page's row 0 sits (1728 - 800) / 2 = 464 pixels in.
  const bit = (b: Bitmap, x: number, y: number) => (rowOf(b, y)[x >> 3] >> (7 - (x & 7))) & 1;
  for (let x = 0; x < 800; x++) assert.is(bit(p, 464 + x, 5), bit(narrow, x, 5));
  const [s] = toFaxPages(readDocumentFile(pbm), 98);
  assert.is(s.height, 50, 'fine to standard drops every other row');
  const png = join(dir, 'n.png');
  writeFileSync(png, encodePngBitmap(shapes(2000, 60, 196, 4)));
  const [w] = toFaxPages(readDocumentFile(png), 196);
  assert.is(w.width, 1728, 'wider pages are scaled down');
});

test('bad files: one clear error naming the file', () => {
  const junk = join(dir, 'junk.pdf');
  writeFileSync(junk, '%PDF-1.4\nthis is not a pdf at all\n');
  assert.throws(() => readDocumentFile(junk), (e: unknown) => e instanceof DocumentError && /junk\.pdf: Ghostscript could not read it/.test((e as Error).message));
  const txt = join(dir, 'a.txt');
  writeFileSync(txt, 'hello');
  assert.throws(() => readDocumentFile(txt), /a\.txt: not a PBM, PNG, TIFF or PDF file/);
  assert.throws(() => readDocumentFile(join(dir, 'none.pdf')), /cannot read .*none\.pdf: no such file/);
});

test.run();
