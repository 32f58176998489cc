// Test pages for the fax line, made and read back by tools nobody here wrote (netpbm, libtiff-tools),
// so that a page that crossed the line can be compared pixel for pixel with what was sent.
//
//   const page = textPage(['faxvault test page 1', 'The quick brown fox']);
//   writePbm(path, page);  pbmToTiff([p1, p2], 'doc.tif');  pbmToRawG3(p1, 'p1.g3');
//   const got = decodeTiff('received.tif');       // every page of a multi-page TIFF
//   assert.is(diffBitmaps(page, got[0]), null);   // null when equal, else what differs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A bilevel page as PBM holds it: rows packed MSB first, 1 = black, each row padded to a byte. */
export interface Bitmap {
  width: number;
  height: number;
  rows: Uint8Array;
}

/** Fax page width at 8 pels/mm on an A4/Letter line (T.4 §2.2). */
export const FAX_WIDTH = 1728;

function tool(cmd: string, args: string[], input?: Uint8Array): Buffer {
  const r = spawnSync(cmd, args, { input, maxBuffer: 256 << 20 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message} (is it installed? see scripts/debian-packages.txt)`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

export function tempDir(prefix = 'faxpeer-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A fax-width page of `height` rows with the text lines drawn by pbmtext (its built-in font,
 * enlarged `scale` times), set near the top left on white.
 */
export function textPage(lines: string[], opts: { height?: number; scale?: number } = {}): Bitmap {
  const height = opts.height ?? 600;
  const scale = opts.scale ?? 3;
  let pbm = tool('pbmtext', ['-builtin', 'fixed'], Buffer.from(lines.join('\n') + '\n'));
  if (scale > 1) pbm = tool('pnmenlarge', [String(scale)], pbm);
  pbm = tool('pnmpad', ['-white', `-width=${FAX_WIDTH}`, `-height=${height}`, '-halign=0.1', '-valign=0.1'], pbm);
  const [page] = readPbmStream(pbm);
  return page;
}

/** Parse one or more concatenated raw PBM (P4) images, as tifftopnm writes a multi-page TIFF. */
export function readPbmStream(buf: Uint8Array): Bitmap[] {
  const pages: Bitmap[] = [];
  let i = 0;
  const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  function token(): string {
    for (;;) {
      while (i < buf.length && isSpace(buf[i])) i++;
      if (buf[i] === 0x23) { while (i < buf.length && buf[i] !== 0x0a) i++; continue; } // comment
      break;
    }
    const start = i;
    while (i < buf.length && !isSpace(buf[i])) i++;
    return Buffer.from(buf.subarray(start, i)).toString('latin1');
  }
  while (i < buf.length) {
    while (i < buf.length && isSpace(buf[i])) i++;
    if (i >= buf.length) break;
    const magic = token();
    if (magic !== 'P4') throw new Error(`not a raw PBM image (magic ${JSON.stringify(magic)})`);
    const width = Number(token());
    const height = Number(token());
    i++; // the single whitespace byte before the raster
    const size = ((width + 7) >> 3) * height;
    if (i + size > buf.length) throw new Error(`PBM raster truncated: ${width}x${height}`);
    pages.push({ width, height, rows: Uint8Array.from(buf.subarray(i, i + size)) });
    i += size;
  }
  return pages;
}

export function writePbm(path: string, page: Bitmap): void {
  writeFileSync(path, Buffer.concat([Buffer.from(`P4\n${page.width} ${page.height}\n`), Buffer.from(page.rows)]));
}

/**
 * Pages (PBM files) into one TIFF, one image per page, fine resolution (204×196 dpi) unless told,
 * coded `g3` (MH), `g3:2d` (MR) or `g4` (MMR) by libtiff's tiffcp.
 */
export function pbmToTiff(pbmPaths: string[], out: string, opts: { coding?: 'g3' | 'g3:2d' | 'g4'; yres?: 98 | 196 } = {}): void {
  const dir = tempDir('pages-');
  const singles = pbmPaths.map((p, n) => {
    const t = join(dir, `p${n}.tif`);
    writeFileSync(t, tool('pamtotiff', ['-g3', '-xresolution=204', `-yresolution=${opts.yres ?? 196}`, p]));
    return t;
  });
  tool('tiffcp', ['-c', opts.coding ?? 'g3', ...singles, out]);
}

/**
 * A page as raw T.4 (MH, no header) by netpbm's pbmtog3: the form efax sends unchanged (efax's
 * own TIFF reader adds garbage rows after a libtiff-written strip, so tests hand it raw G3).
 */
export function pbmToRawG3(pbmPath: string, out: string): void {
  writeFileSync(out, tool('pbmtog3', [pbmPath]));
}

/** Every page of a TIFF, decoded by netpbm's tifftopnm (libtiff's G3/G4 decoder). */
export function decodeTiff(path: string): Bitmap[] {
  return readPbmStream(tool('tifftopnm', ['-quiet', path]));
}

export function readPbmFile(path: string): Bitmap {
  return readPbmStream(readFileSync(path))[0];
}

/**
 * null when `got` shows `want` exactly; otherwise a sentence saying what differs.
 * `skipTop` rows of `got` are ignored first (efax puts a 20-row header band above a page it
 * sends, blank with -h "").
 */
export function diffBitmaps(want: Bitmap, got: Bitmap, opts: { skipTop?: number } = {}): string | null {
  const skip = opts.skipTop ?? 0;
  if (got.width !== want.width) return `width ${got.width}, expected ${want.width}`;
  if (got.height - skip !== want.height) return `height ${got.height - skip} (after skipping ${skip}), expected ${want.height}`;
  const stride = (want.width + 7) >> 3;
  let bad = 0;
  let first = -1;
  for (let r = 0; r < want.height; r++) {
    const a = want.rows.subarray(r * stride, (r + 1) * stride);
    const b = got.rows.subarray((r + skip) * stride, (r + skip + 1) * stride);
    if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) {
      bad++;
      if (first < 0) first = r;
    }
  }
  return bad ? `${bad} of ${want.height} rows differ, first at row ${first}` : null;
}

/** True when every pixel of rows [from, to) is white. */
export function rowsAreWhite(page: Bitmap, from: number, to: number): boolean {
  const stride = (page.width + 7) >> 3;
  return page.rows.subarray(from * stride, to * stride).every((b) => b === 0);
}
