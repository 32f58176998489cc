import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { readDocumentFile, toSheets } from '../../../sim/board/documents.ts';
import { writePbm } from '../../../host/image/pbm.ts';
import { newBitmap, rowOf } from '../../../host/image/bitmap.ts';

const dir = mkdtempSync(join(tmpdir(), 'fv-docs-'));

test('a fax-width fine PBM becomes sheets row for row', () => {
  const b = newBitmap(1728, 10, 204, 196);
  rowOf(b, 3)[0] = 0x81;
  const f = join(dir, 'a.pbm');
  writeFileSync(f, writePbm([b, b]));
  const sheets = toSheets(readDocumentFile(f));
  assert.is(sheets.length, 2);
  assert.is(sheets[0].width, 1728);
  assert.is(sheets[0].linesPerMm, 7.7);
  assert.is(sheets[0].rows.length, 10);
  assert.is(sheets[0].rows[3][0], 0x81);
});

test('a PNG is thresholded (dark = black) and scaled to the fax width', () => {
  const png = new PNG({ width: 3456, height: 4 });
  png.data.fill(255);
  for (let y = 0; y < 2; y++) for (let x = 0; x < 8; x++) png.data.fill(0, (y * 3456 + x) * 4, (y * 3456 + x) * 4 + 3);
  const f = join(dir, 'b.png');
  writeFileSync(f, PNG.sync.write(png));
  const [s] = toSheets(readDocumentFile(f));
  assert.is(s.width, 1728);
  // Halving the width keeps the aspect: 4 rows become 2; 8 black pixels become 4.
  assert.is(s.rows.length, 2);
  assert.is(s.rows[0][0], 0xf0);
  assert.is(s.rows[1][0], 0);
});

test('unreadable and unknown files are named in the error', () => {
  const f = join(dir, 'c.txt');
  writeFileSync(f, 'hello');
  assert.throws(() => readDocumentFile(f), /c\.txt: not a PBM, PNG, TIFF or PDF file/);
  assert.throws(() => readDocumentFile(join(dir, 'none.pbm')), /cannot read .*none\.pbm/);
  writeFileSync(f, 'P4\n1728');
  assert.throws(() => readDocumentFile(f), /c\.txt: /);
});

test.run();
