// Documents for the simulated scanner: PBM, TIFF (fax or not) or PNG files become sheets of
// packed rows at a fax width and resolution, as a real sheet feeder's sensor would deliver them.
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { readPbm } from '../../host/image/pbm.ts';
import { readTiff } from '../../host/image/tiff.ts';
import { newBitmap, rowOf, strideOf } from '../../host/image/bitmap.ts';
import type { Bitmap } from '../../host/image/bitmap.ts';
import { toWidth, toResolution } from '../../host/image/resample.ts';
import type { SheetImage } from './scanner.ts';

const FAX_WIDTHS = [1728, 2048, 2432];

function readPng(buf: Uint8Array): Bitmap[] {
  const png = PNG.sync.read(Buffer.from(buf));
  const b = newBitmap(png.width, png.height);
  for (let y = 0; y < png.height; y++) {
    const row = rowOf(b, y);
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      const a = png.data[i + 3];
      const lum = (png.data[i] * 299 + png.data[i + 1] * 587 + png.data[i + 2] * 114) / 1000;
      if (a >= 128 && lum < 128) row[x >> 3] |= 0x80 >> (x & 7);
    }
  }
  return [b];
}

/** Read a document file into pages; throws an Error naming the file and what is wrong with it. */
export function readDocumentFile(file: string): Bitmap[] {
  let buf: Uint8Array;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  const magic = String.fromCharCode(...buf.subarray(0, 4));
  try {
    if (magic.startsWith('P1') || magic.startsWith('P4')) return readPbm(buf);
    if (magic === 'II*\0' || magic === 'MM\0*') return readTiff(buf);
    if (buf[0] === 0x89 && magic.slice(1) === 'PNG') return readPng(buf);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  throw new Error(`${file}: not a PBM, TIFF or PNG file`);
}

/** Pages as the scanner sees them: fax width (1728 unless already 2048/2432), fine unless stated. */
export function toSheets(pages: Bitmap[]): SheetImage[] {
  return pages.map((p) => {
    let b = p;
    if (!FAX_WIDTHS.includes(b.width)) b = toWidth(b, 1728);
    if (b.yDpi !== 98 && b.yDpi !== 196 && b.yDpi !== 391) b = toResolution({ ...b, yDpi: b.yDpi || 196 }, 196);
    const stride = strideOf(b.width);
    const rows: Uint8Array[] = [];
    for (let y = 0; y < b.height; y++) rows.push(b.data.slice(y * stride, (y + 1) * stride));
    const linesPerMm = b.yDpi === 98 ? 3.85 : b.yDpi === 391 ? 15.4 : 7.7;
    return { width: b.width, linesPerMm, rows };
  });
}
