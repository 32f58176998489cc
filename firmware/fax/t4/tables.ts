// Lookup tables built once from the code lists in codes.ts: code words for the encoder, and
// two-level lookup tables for the table-driven decoder (peek a few bits, index, done), plus
// the byte-level helpers (bit reversal for LSB-first data, leading/trailing zero counts).
import {
  WHITE_TERM, BLACK_TERM, WHITE_MAKEUP, BLACK_MAKEUP, COMMON_MAKEUP, EOL, MODE_CODES,
} from './codes.ts';

/** Decoded value of the EOL code word in every decode table (above any run length). */
export const VAL_EOL = 4000;

function bitsOf(s: string): number {
  let v = 0;
  for (let i = 0; i < s.length; i++) v = (v << 1) | (s.charCodeAt(i) === 49 ? 1 : 0);
  return v;
}

// ---- encoder: code word and length per run length ----------------------------------------

/** Code words of one colour: term[r] for r < 64, makeup[m] for runs 64*m (m = 1..40). */
export interface RunCodes {
  termCode: Uint16Array;
  termLen: Uint8Array;
  makeupCode: Uint16Array;
  makeupLen: Uint8Array;
}

function runCodes(term: string[], makeup: string[]): RunCodes {
  const rc: RunCodes = {
    termCode: new Uint16Array(64), termLen: new Uint8Array(64),
    makeupCode: new Uint16Array(41), makeupLen: new Uint8Array(41),
  };
  for (let r = 0; r < 64; r++) {
    rc.termCode[r] = bitsOf(term[r]);
    rc.termLen[r] = term[r].length;
  }
  for (let m = 1; m <= 40; m++) {
    const s = m <= 27 ? makeup[m - 1] : COMMON_MAKEUP[m - 28];
    rc.makeupCode[m] = bitsOf(s);
    rc.makeupLen[m] = s.length;
  }
  return rc;
}

export const WHITE_CODES: RunCodes = runCodes(WHITE_TERM, WHITE_MAKEUP);
export const BLACK_CODES: RunCodes = runCodes(BLACK_TERM, BLACK_MAKEUP);
export const MODE_CODE: Uint16Array = new Uint16Array(MODE_CODES.length);
export const MODE_LEN: Uint8Array = new Uint8Array(MODE_CODES.length);
for (let i = 0; i < MODE_CODES.length; i++) {
  MODE_CODE[i] = bitsOf(MODE_CODES[i]);
  MODE_LEN[i] = MODE_CODES[i].length;
}

// ---- decoder: two-level lookup tables ------------------------------------------------------
// Entry > 0: a leaf, ((value + 1) << 5) | total code length.  Entry 0: no code word starts with
// these bits (the line is bad).  Entry < 0: -((offset << 4) | extraBits): look the next
// extraBits bits up at table[offset + bits].

function fill(t: Int32Array, base: number, spanBits: number, code: number, len: number, entry: number): void {
  const shift = spanBits - len;
  const first = base + (code << shift);
  const count = 1 << shift;
  for (let j = 0; j < count; j++) {
    if (t[first + j] !== 0) throw new Error('t4: code words overlap');
    t[first + j] = entry;
  }
}

function buildDecodeTable(codes: string[], values: number[], root: number): Int32Array {
  // First pass: the longest code under each root prefix that is longer than the root.
  const extra: number[] = [];
  for (let p = 0; p < (1 << root); p++) extra.push(0);
  for (let i = 0; i < codes.length; i++) {
    const len = codes[i].length;
    if (len > root) {
      const p = bitsOf(codes[i].substring(0, root));
      if (len - root > extra[p]) extra[p] = len - root;
    }
  }
  let size = 1 << root;
  const offset: number[] = [];
  for (let p = 0; p < (1 << root); p++) {
    offset.push(size);
    if (extra[p] > 0) size += 1 << extra[p];
  }
  const t = new Int32Array(size);
  for (let p = 0; p < (1 << root); p++) if (extra[p] > 0) t[p] = -((offset[p] << 4) | extra[p]);
  for (let i = 0; i < codes.length; i++) {
    const s = codes[i];
    const len = s.length;
    const entry = ((values[i] + 1) << 5) | len;
    if (len <= root) fill(t, 0, root, bitsOf(s), len, entry);
    else {
      const p = bitsOf(s.substring(0, root));
      fill(t, offset[p], extra[p], bitsOf(s.substring(root)), len - root, entry);
    }
  }
  return t;
}

function runTable(term: string[], makeup: string[], root: number): Int32Array {
  const codes: string[] = [];
  const values: number[] = [];
  for (let r = 0; r < 64; r++) { codes.push(term[r]); values.push(r); }
  for (let m = 0; m < makeup.length; m++) { codes.push(makeup[m]); values.push(64 * (m + 1)); }
  for (let m = 0; m < COMMON_MAKEUP.length; m++) { codes.push(COMMON_MAKEUP[m]); values.push(1792 + 64 * m); }
  codes.push(EOL);
  values.push(VAL_EOL);
  return buildDecodeTable(codes, values, root);
}

/** Root bits of each decode table (chosen so most code words resolve in one lookup). */
export const WHITE_ROOT = 8;
export const BLACK_ROOT = 7;
export const MODE_ROOT = 7;
export const WHITE_TABLE: Int32Array = runTable(WHITE_TERM, WHITE_MAKEUP, WHITE_ROOT);
export const BLACK_TABLE: Int32Array = runTable(BLACK_TERM, BLACK_MAKEUP, BLACK_ROOT);
export const MODE_TABLE: Int32Array = (function () {
  const codes: string[] = MODE_CODES.slice();
  const values: number[] = [];
  for (let i = 0; i < codes.length; i++) values.push(i);
  codes.push(EOL);
  values.push(VAL_EOL);
  return buildDecodeTable(codes, values, MODE_ROOT);
})();

// ---- byte helpers --------------------------------------------------------------------------

/** REVERSE[b] = b with its bit order reversed (LSB-first wire data <-> MSB-first codec order). */
export const REVERSE = new Uint8Array(256);
/** LEADING_ZEROS[b]: zero bits before the first one, MSB first (8 for b = 0). */
export const LEADING_ZEROS = new Uint8Array(256);
/** TRAILING_ZEROS[b]: zero bits after the last one, MSB first (8 for b = 0). */
export const TRAILING_ZEROS = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  let r = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 0x80 >> i;
  REVERSE[b] = r;
  let lz = 0;
  while (lz < 8 && (b & (0x80 >> lz)) === 0) lz++;
  LEADING_ZEROS[b] = lz;
  let tz = 0;
  while (tz < 8 && (b & (1 << tz)) === 0) tz++;
  TRAILING_ZEROS[b] = tz;
}
