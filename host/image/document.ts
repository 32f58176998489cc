// Document files a person sends by fax — PBM, PNG, TIFF (fax or not) and PDF — read into pages,
// and pages made ready for the fax line: 1728 pixels wide (scaled down or centred, T.4 §2.2 A4
// width; 2048/2432 kept) at 98 or 196 lines per inch. PDF is rasterised by Ghostscript (the
// Debian package `ghostscript`) at 204 × 98/196 dpi, the fax grid, so nothing is resampled twice.
import { readFileSync, mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { readPbm } from './pbm.ts';
import { readTiff } from './tiff.ts';
import { newBitmap, rowOf } from './bitmap.ts';
import type { Bitmap } from './bitmap.ts';
import { toWidth, toResolution } from './resample.ts';

export const FAX_WIDTHS = [1728, 2048, 2432];

export class DocumentError extends Error {}

/** PNG to 1-bit: a pixel is black when opaque and darker than mid-grey. */
export function readPng(buf: Uint8Array): Bitmap[] {
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

/** A PDF's pages through Ghostscript's PBM device at the fax resolution. */
export function rasterisePdf(file: string, yDpi: 98 | 196): Bitmap[] {
  const dir = mkdtempSync(join(tmpdir(), 'fv-pdf-'));
  try {
    const r = spawnSync('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pbmraw', `-r204x${yDpi}`,
      `-sOutputFile=${join(dir, 'p-%04d.pbm')}`, file], { encoding: 'utf8' });
    if (r.error) throw new DocumentError(`${file}: a PDF needs Ghostscript (gs) on this computer: ${r.error.message}`);
    // Ghostscript may exit 0 on a damaged file having printed its error and rendered nothing.
    const said = (r.stderr || r.stdout || '').replace(/\*+/g, '').trim().split('\n')[0].trim();
    if (r.status !== 0) throw new DocumentError(`${file}: Ghostscript could not read it: ${said}`);
    const pages: Bitmap[] = [];
    for (const name of readdirSync(dir).sort()) {
      for (const p of readPbm(readFileSync(join(dir, name)))) pages.push({ ...p, xDpi: 204, yDpi });
    }
    if (pages.length === 0) throw new DocumentError(`${file}: Ghostscript could not read it: ${said || 'no pages'}`);
    return pages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Read a document file into pages; throws a DocumentError naming the file and what is wrong.
 * `yDpi` is the resolution to rasterise a PDF at (other formats carry their own or none).
 */
export function readDocumentFile(file: string, yDpi: 98 | 196 = 196): Bitmap[] {
  let buf: Uint8Array;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new DocumentError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const magic = String.fromCharCode(...buf.subarray(0, 5));
  try {
    if (magic.startsWith('P1') || magic.startsWith('P4')) return readPbm(buf);
    if (magic.startsWith('II*\0') || magic.startsWith('MM\0*')) return readTiff(buf);
    if (buf[0] === 0x89 && magic.slice(1, 4) === 'PNG') return readPng(buf);
    if (magic === '%PDF-') return rasterisePdf(file, yDpi);
  } catch (e) {
    if (e instanceof DocumentError) throw e;
    throw new DocumentError(`${file}: ${(e as Error).message}`);
  }
  throw new DocumentError(`${file}: not a PBM, PNG, TIFF or PDF file`);
}

/**
 * Pages ready for the fax line: a fax width (1728 unless already 2048/2432) and `yDpi` lines
 * per inch (a page of unknown resolution is taken as fine).
 */
export function toFaxPages(pages: Bitmap[], yDpi: 98 | 196): Bitmap[] {
  return pages.map((p) => {
    let b = p;
    if (!FAX_WIDTHS.includes(b.width)) b = toWidth(b, 1728);
    b = toResolution({ ...b, yDpi: b.yDpi || 196 }, yDpi);
    return { ...b, xDpi: 204, yDpi };
  });
}
