// Reads text back from a printed report page by matching each character cell against the
// font: proves what the page says, without trusting the report's own line list.
import { glyphRow } from '../../../firmware/print/index.ts';

const SCALE = 3;
const CELL_W = 18;
const CELL_H = 27;
const MARGIN_X = 54;
const MARGIN_Y = 60;

function px(rows: Uint8Array[], x: number, y: number): number {
  const r = rows[y];
  return r && (r[x >> 3] >> (7 - (x & 7))) & 1;
}

export function readText(rows: Uint8Array[], columns = 90): string[] {
  const out: string[] = [];
  for (let l = 0; MARGIN_Y + (l + 1) * CELL_H <= rows.length; l++) {
    let s = '';
    for (let c = 0; c < columns; c++) {
      const g: number[] = [];
      for (let gy = 0; gy < 9; gy++) { // 7 rows and the 2 descender rows (g and q differ only there)
        let v = 0;
        for (let gx = 0; gx < 5; gx++) v = (v << 1) | px(rows, MARGIN_X + c * CELL_W + gx * SCALE + 1, MARGIN_Y + l * CELL_H + gy * SCALE + 1);
        g.push(v);
      }
      let ch = '\u0000';
      for (let code = 0x20; code <= 0x7e; code++) {
        let ok = true;
        for (let gy = 0; gy < 9 && ok; gy++) if (glyphRow(code, gy) !== g[gy]) ok = false;
        if (ok) {
          ch = String.fromCharCode(code);
          break;
        }
      }
      s += ch;
    }
    out.push(s.replace(/ +$/, ''));
  }
  return out;
}
