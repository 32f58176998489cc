// A coded line is a list of changing elements (T.4 §4.2.1.3.1): the pixel positions where the
// colour changes, starting from an imaginary white pixel before the line. Even entries are where
// black begins, odd entries where white begins again; the list ends with `width` and is followed
// by at least three more `width` sentinels so the 2-D coder can look past the end safely.
// These helpers convert between that list and a packed row (MSB first, 1 = black).
import { LEADING_ZEROS } from './tables.ts';

/** Entries a changing-element list for `width` pixels may need (runs plus sentinels). */
export function changesCapacity(width: number): number {
  return width + 8;
}

/** Fills `out` with the changing elements of `row`; returns how many (the last is `width`). */
export function rowToChanges(row: Uint8Array, width: number, out: Uint16Array): number {
  const bytes = (width + 7) >> 3;
  let n = 0;
  let pos = 0;
  let inv = 0; // 0x00 while looking for black, 0xff while looking for white
  while (pos < width) {
    let i = pos >> 3;
    let b = (row[i] ^ inv) & (0xff >> (pos & 7));
    while (b === 0) {
      i++;
      if (i >= bytes) break;
      b = row[i] ^ inv;
    }
    pos = b === 0 ? width : (i << 3) + LEADING_ZEROS[b];
    if (pos > width) pos = width;
    out[n++] = pos;
    inv ^= 0xff;
  }
  if (n === 0) out[n++] = width; // width 0: never happens for fax pages, keeps the list well formed
  out[n] = width;
  out[n + 1] = width;
  out[n + 2] = width;
  return n;
}

/** Sets pixels [s, e) of `row` to black. */
function blackSpan(row: Uint8Array, s: number, e: number): void {
  const sb = s >> 3;
  const eb = e >> 3;
  const sm = 0xff >> (s & 7);
  const em = (0xff00 >> (e & 7)) & 0xff;
  if (sb === eb) {
    row[sb] |= sm & em;
    return;
  }
  row[sb] |= sm;
  for (let k = sb + 1; k < eb; k++) row[k] = 0xff;
  if (e & 7) row[eb] |= em;
}

/** Paints the row described by a changing-element list (terminated by `width` sentinels). */
export function paintRow(changes: Uint16Array, width: number, row: Uint8Array): void {
  row.fill(0);
  let i = 0;
  for (;;) {
    const s = changes[i];
    if (s >= width) break;
    let e = changes[i + 1];
    if (e > width) e = width;
    if (e > s) blackSpan(row, s, e);
    i += 2;
  }
}

/** A white line: a list holding only `width` and its sentinels. */
export function whiteChanges(width: number, out: Uint16Array): void {
  out[0] = width;
  out[1] = width;
  out[2] = width;
  out[3] = width;
}
