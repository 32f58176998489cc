// Text pages for reports, rendered one pixel row at a time (never a page in RAM): A4 width at
// 8 dots/mm (1728 pixels, T.4 §2.2), fine resolution (7.7 lines/mm), the 5×7 font scaled ×3 in a
// 6×9 cell (18×27 pixels: 90 characters a line, 80 lines a page).
import type { PrintPageInfo } from '../../hal/printer.ts';
import { DESCENT, GLYPH_H, GLYPH_W, glyphRow } from './font.ts';

export const REPORT_PAGE: PrintPageInfo = { width: 1728, linesPerMm: 7.7 };
export const SCALE = 3;
export const CELL_W = (GLYPH_W + 1) * SCALE;
export const CELL_H = (GLYPH_H + 2) * SCALE;
export const MARGIN_X = 54;
export const MARGIN_Y = 60;
export const COLUMNS = Math.floor((REPORT_PAGE.width - 2 * MARGIN_X) / CELL_W);
export const LINES_PER_PAGE = 80;

/** Paint pixel row `y` (0..CELL_H-1) of a text line into `row` (cleared first). */
export function paintTextRow(text: string, y: number, row: Uint8Array): void {
  row.fill(0);
  const gy = Math.floor(y / SCALE);
  if (gy >= GLYPH_H + DESCENT) return; // descenders use the two rows between lines
  const n = text.length < COLUMNS ? text.length : COLUMNS;
  for (let c = 0; c < n; c++) {
    const bits = glyphRow(text.charCodeAt(c), gy);
    if (!bits) continue;
    const x0 = MARGIN_X + c * CELL_W;
    for (let gx = 0; gx < GLYPH_W; gx++) {
      if (!((bits >> (GLYPH_W - 1 - gx)) & 1)) continue;
      for (let k = 0; k < SCALE; k++) {
        const x = x0 + gx * SCALE + k;
        row[x >> 3] |= 0x80 >> (x & 7);
      }
    }
  }
}

/** Split report lines into pages of LINES_PER_PAGE, cutting long lines at COLUMNS. */
export function paginate(lines: string[]): string[][] {
  const pages: string[][] = [];
  let cur: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    do {
      cur.push(l.substring(0, COLUMNS));
      l = l.substring(COLUMNS);
      if (cur.length === LINES_PER_PAGE) {
        pages.push(cur);
        cur = [];
      }
    } while (l.length > 0);
  }
  if (cur.length || pages.length === 0) pages.push(cur);
  return pages;
}
