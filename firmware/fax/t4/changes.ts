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

/**
 * Fills `out` with the changing elements of `row`; returns how many (the last is `width`).
 * Byte by byte: `b ^ (b >> 1 | previous pixel << 7)` has a one wherever a pixel differs from the
 * one left of it, so a byte of one colour costs a load and a compare, and each change one
 * LEADING_ZEROS lookup. With `words` (an Int32Array over row's buffer, row starting at its
 * word `wordAt`), four bytes of the colour before them are passed over in one load: most of a
 * page of text is white (whatever the byte order, a word of four white bytes is 0, of black
 * -1).
 */
export function rowToChanges(row: Uint8Array, width: number, out: Uint16Array, words: Int32Array | null, wordAt: number): number {
  const lzOf = LEADING_ZEROS; // a local: the interpreter looks outside names up at every use
  const bytes = (width + 7) >> 3;
  let n = 0;
  let prev = 0; // the pixel before the byte (the line starts after an imaginary white one)
  let i = 0;
  for (;;) {
    if (words !== null) {
      // whole words of the previous pixel's colour
      const stop = bytes & ~3;
      const skip = prev === 0 ? 0 : -1;
      while (i < stop && words[wordAt + (i >> 2)] === skip) i += 4;
    }
    if (i >= bytes) break;
    const b = row[i];
    let x = b ^ ((b >> 1) | (prev << 7));
    prev = b & 1;
    if (x !== 0) {
      const base = i << 3;
      do {
        const lz = lzOf[x];
        out[n++] = base + lz;
        x &= 0x7f >> lz;
      } while (x !== 0);
    }
    i++;
    if (words !== null && (i & 3) !== 0) {
      // finish the word byte by byte before looking at whole words again
      const end = (i | 3) + 1 < bytes ? (i | 3) + 1 : bytes;
      for (; i < end; i++) {
        const c = row[i];
        let y = c ^ ((c >> 1) | (prev << 7));
        prev = c & 1;
        if (y === 0) continue;
        const base = i << 3;
        do {
          const lz = lzOf[y];
          out[n++] = base + lz;
          y &= 0x7f >> lz;
        } while (y !== 0);
      }
    }
  }
  while (n > 0 && out[n - 1] >= width) n--; // changes among the pad bits past the width
  out[n++] = width;
  out[n] = width;
  out[n + 1] = width;
  out[n + 2] = width;
  return n;
}

/**
 * Paints the row described by a changing-element list (terminated by `width` sentinels) into
 * `out` at byte `at` (ceil(width / 8) bytes), which must be all zero (white) before. The list
 * must be one the decoder made: non-decreasing, every entry at most `width` (a zero-length span,
 * two equal entries, comes from a horizontal-mode run of 0).
 * Each black span [s, e) is painted as the difference of two suffixes, "black from s on" XOR
 * "black from e on": its first byte is XOR-ed with the bits from s on, the bytes after it up to
 * e's byte are set, and e's byte is XOR-ed with the bits from e on, turned to "the bits before
 * e" when e's byte lies past s's (it held nothing yet). Spans never overlap, so XOR is OR here;
 * it spares the one-byte-or-more branch, which the processor guesses wrong about as often as
 * right on text (~25 % faster painting on the bench's pages).
 */
export function paintRow(changes: Uint16Array, width: number, out: Uint8Array, at: number): void {
  let i = 0;
  for (;;) {
    const s = changes[i];
    if (s >= width) break;
    const e = changes[i + 1];
    i += 2;
    if (e === s) continue;
    const sb = at + (s >> 3);
    const eb = at + (e >> 3);
    out[sb] ^= 0xff >> (s & 7);
    for (let k = sb + 1; k < eb; k++) out[k] = 0xff;
    // (sb - eb) >> 31: all ones when e's byte lies past s's (then 0xff ^ "bits from e on")
    if ((e & 7) !== 0) out[eb] ^= (((sb - eb) >> 31) & 0xff) ^ (0xff >> (e & 7));
  }
}

/** A white line: a list holding only `width` and its sentinels. */
export function whiteChanges(width: number, out: Uint16Array): void {
  out[0] = width;
  out[1] = width;
  out[2] = width;
  out[3] = width;
}
