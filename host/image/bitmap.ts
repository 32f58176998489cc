// A whole page held in memory on the host (files, tests, the CLI): packed 1-bit rows, MSB first,
// 1 = black, `stride` = ceil(width / 8) bytes per row. The device never holds one of these.

export interface Bitmap {
  width: number;
  height: number;
  /** Horizontal resolution in dots per inch (204 for fax, 0 when unknown). */
  xDpi: number;
  /** Vertical resolution in lines per inch (98 standard, 196 fine, 391 superfine; 0 when unknown). */
  yDpi: number;
  /** height × stride bytes. */
  data: Uint8Array;
}

export function strideOf(width: number): number {
  return (width + 7) >> 3;
}

export function newBitmap(width: number, height: number, xDpi = 0, yDpi = 0): Bitmap {
  return { width, height, xDpi, yDpi, data: new Uint8Array(strideOf(width) * height) };
}

/** Row y as a view into the bitmap's data. */
export function rowOf(b: Bitmap, y: number): Uint8Array {
  const s = strideOf(b.width);
  return b.data.subarray(y * s, (y + 1) * s);
}

/** Clears the pad bits past `width` in every row (so byte comparisons compare pixels only). */
export function clearPadBits(b: Bitmap): void {
  const s = strideOf(b.width);
  const r = b.width & 7;
  if (r === 0) return;
  const mask = (0xff00 >> r) & 0xff;
  for (let y = 0; y < b.height; y++) b.data[y * s + s - 1] &= mask;
}

/** Index of the first row that differs between two bitmaps (pixels only), or -1 if equal. */
export function firstDifferentRow(a: Bitmap, b: Bitmap): number {
  if (a.width !== b.width) return 0;
  const h = Math.max(a.height, b.height);
  const s = strideOf(a.width);
  const r = a.width & 7;
  const mask = r === 0 ? 0xff : (0xff00 >> r) & 0xff;
  for (let y = 0; y < h; y++) {
    if (y >= a.height || y >= b.height) return y;
    for (let i = 0; i < s; i++) {
      const m = i === s - 1 ? mask : 0xff;
      if ((a.data[y * s + i] & m) !== (b.data[y * s + i] & m)) return y;
    }
  }
  return -1;
}

/** Standard fax vertical resolutions (T.4 §2.2) in lines per inch, as TIFF writes them. */
export const FAX_YDPI = { standard: 98, fine: 196, superfine: 391 } as const;
export const FAX_XDPI = 204;
