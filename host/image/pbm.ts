// Netpbm PBM (portable bitmap): P1 (plain) and P4 (raw) read, P4 write. A file may hold several
// images one after another (netpbm's multi-image streams): each is a page.
// PBM rows are packed 1-bit, MSB first, 1 = black, like the codec's rows.
import type { Bitmap } from './bitmap.ts';
import { strideOf } from './bitmap.ts';

export class PbmError extends Error {}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/** Reads every image of a PBM stream. Resolution is unknown to PBM: xDpi/yDpi are 0. */
export function readPbm(buf: Uint8Array): Bitmap[] {
  const pages: Bitmap[] = [];
  let p = 0;
  function skipSpaceAndComments(): void {
    for (;;) {
      while (p < buf.length && isSpace(buf[p])) p++;
      if (p < buf.length && buf[p] === 35) { // '#'
        while (p < buf.length && buf[p] !== 10 && buf[p] !== 13) p++;
        continue;
      }
      return;
    }
  }
  function number(what: string): number {
    skipSpaceAndComments();
    let v = 0;
    const s = p;
    while (p < buf.length && buf[p] >= 48 && buf[p] <= 57) {
      v = v * 10 + buf[p] - 48;
      p++;
      if (v > 1e7) throw new PbmError('PBM ' + what + ' too large');
    }
    if (p === s) throw new PbmError('PBM header: expected the ' + what);
    return v;
  }
  for (;;) {
    skipSpaceAndComments();
    if (p >= buf.length) break;
    if (buf[p] !== 80 || (buf[p + 1] !== 49 && buf[p + 1] !== 52)) {
      if (pages.length === 0) throw new PbmError('not a PBM file (no P1/P4 magic number)');
      break; // trailing junk after the last image
    }
    const raw = buf[p + 1] === 52;
    p += 2;
    const width = number('width');
    const height = number('height');
    if (width < 1 || height < 1) throw new PbmError('PBM image of ' + width + 'x' + height + ' pixels');
    const stride = strideOf(width);
    if (stride * height > 1 << 26) throw new PbmError('PBM image of ' + width + 'x' + height + ' pixels is too large');
    const data = new Uint8Array(stride * height);
    if (raw) {
      if (p >= buf.length || !isSpace(buf[p])) throw new PbmError('PBM header: no whitespace after the height');
      p++;
      if (p + data.length > buf.length) throw new PbmError('PBM data truncated: ' + (buf.length - p) + ' of ' + data.length + ' bytes');
      data.set(buf.subarray(p, p + data.length));
      p += data.length;
    } else {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          while (p < buf.length && (isSpace(buf[p]) || buf[p] === 35)) {
            if (buf[p] === 35) while (p < buf.length && buf[p] !== 10) p++;
            else p++;
          }
          if (p >= buf.length) throw new PbmError('plain PBM data truncated');
          const c = buf[p++];
          if (c === 49) data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
          else if (c !== 48) throw new PbmError('plain PBM: unexpected character ' + JSON.stringify(String.fromCharCode(c)));
        }
      }
    }
    const r = width & 7;
    if (r) for (let y = 0; y < height; y++) data[y * stride + stride - 1] &= (0xff00 >> r) & 0xff;
    pages.push({ width, height, xDpi: 0, yDpi: 0, data });
  }
  return pages;
}

/** Writes pages as a raw (P4) PBM stream, one image after another. */
export function writePbm(pages: Bitmap[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const b of pages) {
    const head = new TextEncoder().encode('P4\n' + b.width + ' ' + b.height + '\n');
    parts.push(head, b.data.subarray(0, strideOf(b.width) * b.height));
    total += head.length + strideOf(b.width) * b.height;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
