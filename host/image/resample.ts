// Whole-page versions of the firmware's row transformations (firmware/fax/t4/transform.ts), for
// the CLI and tests: change the vertical resolution, change the width.
import { LineDropper, WidthScaler, WidthPadder } from '../../firmware/fax/t4/index.ts';
import type { Bitmap } from './bitmap.ts';
import { strideOf } from './bitmap.ts';

function collect(width: number, xDpi: number, yDpi: number, feed: (push: (row: Uint8Array) => void) => void): Bitmap {
  const rows: Uint8Array[] = [];
  feed((row) => rows.push(row.slice(0, strideOf(width))));
  const s = strideOf(width);
  const data = new Uint8Array(s * rows.length);
  rows.forEach((r, y) => data.set(r, y * s));
  return { width, height: rows.length, xDpi, yDpi, data };
}

function rows(b: Bitmap, each: (row: Uint8Array) => void): void {
  const s = strideOf(b.width);
  for (let y = 0; y < b.height; y++) each(b.data.subarray(y * s, (y + 1) * s));
}

/**
 * To `yDpi` lines per inch: halving drops every other row (fine -> standard, T.4 practice),
 * doubling repeats each row; 391 -> 98 halves twice. Other ratios are not fax resolutions.
 */
export function toResolution(b: Bitmap, yDpi: number): Bitmap {
  let page = b;
  const from = b.yDpi || 196;
  if (Math.abs(from - yDpi) < 5) return { ...b, yDpi };
  if (from > yDpi) {
    let r = from;
    while (r > yDpi * 1.5) {
      page = collect(page.width, page.xDpi, Math.round(r / 2), (push) => {
        const d = new LineDropper(push);
        rows(page, (row) => d.push(row));
      });
      r /= 2;
    }
  } else {
    let r = from;
    while (r < yDpi / 1.5) {
      page = collect(page.width, page.xDpi, Math.round(r * 2), (push) => rows(page, (row) => { push(row); push(row); }));
      r *= 2;
    }
  }
  return { ...page, yDpi };
}

/** To `width` pixels: wider pages are scaled down (keeping the aspect), narrower ones centred. */
export function toWidth(b: Bitmap, width: number): Bitmap {
  if (b.width === width) return b;
  if (b.width > width) {
    return collect(width, b.xDpi, b.yDpi, (push) => {
      const s = new WidthScaler(b.width, width, push, true);
      rows(b, (row) => s.push(row));
    });
  }
  return collect(width, b.xDpi, b.yDpi, (push) => {
    const p = new WidthPadder(b.width, width, push);
    rows(b, (row) => p.push(row));
  });
}
