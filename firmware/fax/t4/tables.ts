// Lookup tables built from the code lists in codes.ts: code words for the encoder, and
// two-level lookup tables for the table-driven decoder (peek a few bits, index, done), plus
// the byte-level helpers (bit reversal for LSB-first data, leading/trailing zero counts).
import { codeLists, EOL, MODE_EXTENSION, MODE_PASS, MODE_HORIZONTAL, VERTICAL_DELTA } from './codes.ts';

function bitsOf(s: string): number {
  let v = 0;
  for (let i = 0; i < s.length; i++) v = (v << 1) | (s.charCodeAt(i) === 49 ? 1 : 0);
  return v;
}

// ---- encoder: code word and length per run length ----------------------------------------
// One Int32 per code word, (code << 4) | length, so writing a code is one lookup.

/** Index of the make-up codes in an encode table: ENC_MAKEUP + m for a run of 64 * m (m = 1..40). */
export const ENC_MAKEUP = 63;

/** Code words of one colour: [r] terminating code of run r (0..63), [ENC_MAKEUP + m] make-up 64*m. */
function runCodes(term: string[], makeup: string[], common: string[]): Int32Array {
  const t = new Int32Array(ENC_MAKEUP + 41);
  for (let r = 0; r < 64; r++) t[r] = (bitsOf(term[r]) << 4) | term[r].length;
  for (let m = 1; m <= 40; m++) {
    const s = m <= 27 ? makeup[m - 1] : common[m - 28];
    t[ENC_MAKEUP + m] = (bitsOf(s) << 4) | s.length;
  }
  return t;
}

/** The encoder's tables: [white, black, modes]; built by encodeTables(). */
let encodeTablesBuilt: Int32Array[] | null = null;

/**
 * The encoder's code words, built on first use (a board that only receives never builds them):
 * [white runs, black runs] indexed as runCodes says, and [modes] (code << 4) | length indexed by
 * mode number (codes.ts).
 */
export function encodeTables(): Int32Array[] {
  if (encodeTablesBuilt !== null) return encodeTablesBuilt;
  const c = codeLists();
  const mode = new Int32Array(c.modeCodes.length);
  for (let i = 0; i < c.modeCodes.length; i++) mode[i] = (bitsOf(c.modeCodes[i]) << 4) | c.modeCodes[i].length;
  encodeTablesBuilt = [runCodes(c.whiteTerm, c.whiteMakeup, c.commonMakeup), runCodes(c.blackTerm, c.blackMakeup, c.commonMakeup), mode];
  return encodeTablesBuilt;
}

// ---- decoder: two-level lookup tables, built on first use --------------------------------
// One Uint16 per entry, so a lookup answers run length and code length at once:
//   leaf:    (value << 4) | length   length 1..13 (the whole code word, both levels counted);
//            value = run length (0..2560) or VAL_EOL
//   pointer: (offset << 7) | (extraBits << 4)   length field 0, offset >= 128: look the next
//            extraBits bits up at table[offset + bits] (root tables only)
//   0:       no code word starts with these bits (the line is bad).
// Sizes: white 304 entries, black 416 (both root 8 bits), modes 128: 1,696 bytes in all.
// The mode table (2-D) has no second level: every mode code is at most 7 bits, and the codes
// that need more (EOL, the extension 0000001xxx) both make a line bad, so they read as 0.
// A mode entry answers two code words when it can: its low byte is the first code word's
// (kind << 4) | length, its high byte, when the first is a vertical mode and a second vertical
// mode code lies whole in the rest of the 7 bits, the second's (else 0). Half of a text page's
// codes are V0 (1 bit) and most of the rest VR1/VL1 (3 bits), so most lookups answer two:
// ~10 % faster 2-D decoding, in the same 128 entries.

/** Decoded value of the EOL code word in the run tables (above any run length). */
export const VAL_EOL = 4000;

function fill(t: Uint16Array, base: number, spanBits: number, code: number, len: number, entry: number): void {
  const shift = spanBits - len;
  const first = base + (code << shift);
  const count = 1 << shift;
  for (let j = 0; j < count; j++) {
    if (t[first + j] !== 0) throw new Error('t4: code words overlap');
    t[first + j] = entry;
  }
}

function buildDecodeTable(codes: string[], values: number[], root: number): Uint16Array {
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
  const t = new Uint16Array(size);
  for (let p = 0; p < (1 << root); p++) if (extra[p] > 0) t[p] = (offset[p] << 7) | (extra[p] << 4);
  for (let i = 0; i < codes.length; i++) {
    const s = codes[i];
    const len = s.length;
    const entry = (values[i] << 4) | len;
    if (len <= root) fill(t, 0, root, bitsOf(s), len, entry);
    else {
      const p = bitsOf(s.substring(0, root));
      fill(t, offset[p], extra[p], bitsOf(s.substring(root)), len - root, entry);
    }
  }
  return t;
}

function runTable(term: string[], makeup: string[], common: string[], root: number): Uint16Array {
  const codes: string[] = [];
  const values: number[] = [];
  for (let r = 0; r < 64; r++) { codes.push(term[r]); values.push(r); }
  for (let m = 0; m < makeup.length; m++) { codes.push(makeup[m]); values.push(64 * (m + 1)); }
  for (let m = 0; m < common.length; m++) { codes.push(common[m]); values.push(1792 + 64 * m); }
  codes.push(EOL);
  values.push(VAL_EOL);
  return buildDecodeTable(codes, values, root);
}

/**
 * Root bits of both run tables (most code words resolve in one lookup; T.4's are at most 13
 * bits). One root for both colours lets the 2-D decoder's horizontal mode use one loop.
 */
export const RUN_ROOT = 8;
/** Bits the mode table is indexed by (the longest mode code, T.4 Table 4/T.4). */
export const MODE_ROOT = 7;
/** Mode table kinds: vertical modes are 0..6 (a1 - b1 = kind - 3), then these two. */
export const KIND_HORIZONTAL = 7;
export const KIND_PASS = 8;

/** The decoder's tables: [white runs, black runs, 2-D modes]; built by decodeTables(). */
let decodeTablesBuilt: Uint16Array[] | null = null;

/**
 * The decode tables, built on first use (a board that only sends never builds them). Mode
 * table entries are (kind << 4) | length: kind 0..6 a vertical mode with a1 - b1 = kind - 3,
 * KIND_HORIZONTAL, KIND_PASS; 0 = bad line; in the high byte a second vertical mode that
 * follows, or 0 (see above).
 */
export function decodeTables(): Uint16Array[] {
  if (decodeTablesBuilt !== null) return decodeTablesBuilt;
  const c = codeLists();
  const codes = c.modeCodes;
  const mode = new Uint16Array(1 << MODE_ROOT);
  for (let m = 0; m < codes.length; m++) {
    if (m === MODE_EXTENSION) continue; // left 0: not supported, the line is bad
    const kind = m === MODE_PASS ? KIND_PASS : m === MODE_HORIZONTAL ? KIND_HORIZONTAL : VERTICAL_DELTA[m] + 3;
    fill(mode, 0, MODE_ROOT, bitsOf(codes[m]), codes[m].length, (kind << 4) | codes[m].length);
  }
  // The second code word of each entry (see above): the bits after the first, looked up in the
  // one-code table (padded with zeros, so only a code that ends within them counts).
  for (let i = 0; i < mode.length; i++) {
    const first = mode[i];
    const len = first & 15;
    if (first === 0 || (first >> 4) >= KIND_HORIZONTAL) continue;
    const second = mode[(i << len) & ((1 << MODE_ROOT) - 1)] & 0xff;
    if (second !== 0 && (second >> 4) < KIND_HORIZONTAL && (second & 15) <= MODE_ROOT - len) mode[i] = first | (second << 8);
  }
  decodeTablesBuilt = [runTable(c.whiteTerm, c.whiteMakeup, c.commonMakeup, RUN_ROOT), runTable(c.blackTerm, c.blackMakeup, c.commonMakeup, RUN_ROOT), mode];
  return decodeTablesBuilt;
}

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
