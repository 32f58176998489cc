// Streaming T.4/T.6 page encoder: fed rows (packed 1-bit, MSB first, 1 = black), hands out
// coded bytes. Holds one reference line and an output buffer of a few kilobytes.
//
// Layout of a T.4 page (T.4 §4.1): EOL before every line, fill before an EOL when the line is
// shorter than the minimum scan line time or when EOLs are byte-aligned, RTC (six EOLs) at the
// end. MR adds the tag bit after each EOL (1 = the next line is 1-D, 0 = 2-D) and codes one
// line in K one-dimensionally (T.4 §4.2.1.1). T.6 (MMR): 2-D lines only, no EOLs or fill,
// EOFB at the end, padded to a byte.
//
// The line coders are module functions that keep the bit writer (pending bits `acc`/`nacc`,
// output index `o`) in locals for the whole line and write it back once: a code word costs one
// table lookup ((code << 4) | length, tables.ts), a shift and an or, and a byte stored when one
// is full. (Module functions rather than methods also keep the interpreter's `this` locks few,
// see decoder.ts.)
import { rowToChanges, changesCapacity, whiteChanges } from './changes.ts';
import { encodeTables, REVERSE } from './tables.ts';
import { MODE_PASS, MODE_HORIZONTAL, MODE_V0 } from './codes.ts';
import type { T4EncoderOptions } from './options.ts';

// Vertical mode number for a1 - b1 = -3..3 (index d + 3), per T.4 Table 4/T.4.
const V_MODE = [8, 7, 6, MODE_V0, 3, 4, 5];
// A run of 2624 or more pixels starts with 2560 make-up codes (T.4 §4.1.1.1, Table 3/T.4): in
// the coders below as the numbers 2624 (LONG_RUN) and 103 (ENC_MAKEUP + 40, tables.ts), like
// ENC_MAKEUP = 63: a number costs the interpreter no scope lookup (codec.test.ts checks them).

export class T4Encoder {
  /** Rows encoded. */
  lines = 0;
  /** Coded bytes handed out so far. */
  bytes = 0;

  // Internal state, read and written by the module functions below (not `private` only because
  // those functions live outside the class).
  /** @internal */ readonly width: number;
  /** @internal */ readonly mmr: boolean;
  /** @internal */ readonly mr: boolean;
  /** @internal */ readonly k: number;
  /** @internal */ readonly lsb: boolean;
  /** @internal */ readonly align: boolean;
  /** @internal */ readonly minBits: number;
  /** @internal */ readonly endMarker: boolean;
  /** @internal */ readonly onData: (bytes: Uint8Array) => void;
  /** @internal */ readonly out: Uint8Array;
  /** @internal */ readonly flushAt: number;
  /** @internal bytes in out */ o = 0;
  /** @internal pending bits: the low `nacc` bits of acc (fewer than 8 between calls) */ acc = 0;
  /** @internal */ nacc = 0;
  /** @internal bit count where the current line's EOL began */ lineStart = -1;
  /** @internal */ finished = false;
  /** @internal */ ref: Uint16Array;
  /** @internal */ cur: Uint16Array;
  /** @internal the buffer `words` views */ wordsOf: ArrayBufferLike | null = null;
  /** @internal */ words: Int32Array | null = null;

  constructor(opts: T4EncoderOptions) {
    this.width = opts.width;
    this.mmr = opts.coding === 'mmr';
    this.mr = opts.coding === 'mr';
    this.k = opts.k === undefined ? 2 : (opts.k < 1 ? 1 : opts.k);
    this.lsb = opts.bitOrder === 'lsb-first';
    this.align = opts.byteAlignedEol === true;
    this.minBits = opts.minLineBits === undefined ? 0 : opts.minLineBits;
    this.endMarker = opts.endMarker === undefined ? true : opts.endMarker;
    this.onData = opts.onData;
    if (!(this.width > 0 && this.width <= 16384)) throw new RangeError('t4 encoder: width out of range: ' + this.width);
    // Worst line: 6 bits per pixel (horizontal mode, runs of one) plus EOL, fill and RTC.
    const worst = ((6 * this.width + 64) >> 3) + 16 + ((this.minBits + 7) >> 3);
    this.flushAt = worst > 1024 ? worst : 1024;
    this.out = new Uint8Array(this.flushAt + worst + 32);
    this.ref = new Uint16Array(changesCapacity(this.width));
    this.cur = new Uint16Array(changesCapacity(this.width));
    whiteChanges(this.width, this.ref);
  }

  /** Encodes one row (packed 1-bit pixels, MSB first, 1 = black). */
  encodeRow(row: Uint8Array): void {
    if (this.finished) throw new Error('t4 encoder: row after finish()');
    // Rows usually come from one page or ring buffer: one Int32Array over it lets rowToChanges
    // pass over white a word at a time (rows at a byte offset that is not a multiple of 4 go
    // byte by byte).
    let words: Int32Array | null = null;
    if ((row.byteOffset & 3) === 0) {
      if (row.buffer !== this.wordsOf) {
        this.wordsOf = row.buffer;
        this.words = new Int32Array(row.buffer, 0, row.buffer.byteLength >> 2);
      }
      words = this.words;
    }
    rowToChanges(row, this.width, this.cur, words, row.byteOffset >> 2);
    if (this.mmr) {
      code2D(this);
    } else if (this.mr) {
      const oneD = this.lines % this.k === 0;
      eol(this, oneD ? 1 : 0, true);
      if (oneD) code1D(this);
      else code2D(this);
    } else {
      eol(this, -1, true);
      code1D(this);
    }
    const t = this.ref;
    this.ref = this.cur;
    this.cur = t;
    this.lines++;
    if (this.o >= this.flushAt) this.flush();
  }

  /** Hands out the whole bytes coded so far. */
  flush(): void {
    if (this.o === 0) return;
    const out = this.out;
    const n = this.o;
    if (this.lsb) for (let i = 0; i < n; i++) out[i] = REVERSE[out[i]];
    this.bytes += n;
    this.o = 0;
    const onData = this.onData;
    onData(out.subarray(0, n));
  }

  /** Ends the page: RTC or EOFB, padding to a whole byte, and a last flush. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.endMarker) {
      if (this.mmr) {
        put(this, 1, 12);
        put(this, 1, 12);
      } else {
        for (let i = 0; i < 6; i++) eol(this, this.mr ? 1 : -1, i === 0);
      }
    }
    if (this.nacc > 0) put(this, 0, 8 - this.nacc);
    this.flush();
  }
}

/** Bits written so far, pending ones included. */
function bitCount(e: T4Encoder): number {
  return ((e.bytes + e.o) << 3) + e.nacc;
}

/** Writes `len` bits (len <= 24) of `code` (cold paths: EOLs, fill, end markers). */
function put(e: T4Encoder, code: number, len: number): void {
  const acc = (e.acc << len) | code;
  let n = e.nacc + len;
  const out = e.out;
  while (n >= 8) {
    n -= 8;
    out[e.o++] = (acc >>> n) & 0xff;
  }
  e.acc = acc & ((1 << n) - 1);
  e.nacc = n;
}

function zeros(e: T4Encoder, count: number): void {
  while (count > 8) {
    put(e, 0, 8);
    count -= 8;
  }
  if (count > 0) put(e, 0, count);
}

/** Fill for the line just finished (minimum scan line, byte alignment), then EOL (+ tag). */
function eol(e: T4Encoder, tag: number, fillLine: boolean): void {
  if (fillLine && e.lineStart >= 0 && e.minBits > 0) {
    const used = bitCount(e) - e.lineStart;
    if (used < e.minBits) zeros(e, e.minBits - used);
  }
  if (e.align) zeros(e, (4 - e.nacc) & 7); // EOL is 12 bits: end it on a byte boundary
  e.lineStart = bitCount(e);
  put(e, 1, 12);
  if (tag >= 0) put(e, tag, 1);
}

// In the two line coders below, a code word c = (code << 4) | length is written as
//   acc = (acc << (c & 15)) | (c >> 4); nacc += c & 15; then whole bytes out.
// acc keeps only its low bits meaningful (at most 7 pending + 13 new < 32), so it is never masked.

/** One-dimensional line (T.4 §4.1.1): white and black runs in turn, from cur. */
function code1D(e: T4Encoder): void {
  // names from outside the function in locals: the interpreter looks those up at every use
  const tables = encodeTables();
  const whiteCodes = tables[0];
  const blackCodes = tables[1];
  const cur = e.cur;
  const width = e.width;
  const out = e.out;
  let acc = e.acc;
  let nacc = e.nacc;
  let o = e.o;
  let a0 = 0;
  let i = 0;
  for (;;) {
    // each run: 2560 make-ups while needed, a make-up for the multiple of 64, a terminating code
    const codes = (i & 1) === 0 ? whiteCodes : blackCodes;
    const a1 = cur[i++];
    let span = a1 - a0;
    a0 = a1;
    let c = 0;
    while (span >= 2624) { // LONG_RUN
      c = codes[103]; // ENC_MAKEUP + 40: make-up 2560
      acc = (acc << (c & 15)) | (c >> 4);
      nacc += c & 15;
      while (nacc >= 8) { nacc -= 8; out[o++] = (acc >>> nacc) & 0xff; }
      span -= 2560;
    }
    if (span >= 64) {
      c = codes[63 + (span >> 6)]; // ENC_MAKEUP + m
      acc = (acc << (c & 15)) | (c >> 4);
      nacc += c & 15;
      while (nacc >= 8) { nacc -= 8; out[o++] = (acc >>> nacc) & 0xff; }
      span &= 63;
    }
    c = codes[span];
    acc = (acc << (c & 15)) | (c >> 4);
    nacc += c & 15;
    while (nacc >= 8) { nacc -= 8; out[o++] = (acc >>> nacc) & 0xff; }
    if (a0 >= width) break;
  }
  e.acc = acc & ((1 << nacc) - 1);
  e.nacc = nacc;
  e.o = o;
}

/** Two-dimensional line: T.4 §4.2.1.3.3 coding procedure, against ref. */
function code2D(e: T4Encoder): void {
  const tables = encodeTables();
  const whiteCodes = tables[0];
  const blackCodes = tables[1];
  const modeCode = tables[2];
  const vMode = V_MODE;
  const passCode = modeCode[MODE_PASS];
  const horizontalCode = modeCode[MODE_HORIZONTAL];
  const cur = e.cur;
  const ref = e.ref;
  const width = e.width;
  const out = e.out;
  let acc = e.acc;
  let nacc = e.nacc;
  let o = e.o;
  let a0 = -1;
  let ai = 0; // index of a1 in cur (its parity is the colour of a0)
  // b1 = ref[bi]: the smallest index of a0's parity with ref[bi] > a0, found stepping by two
  // from where each mode leaves bi (the decoder's argument, decode-line.ts).
  let bi = 0;
  let c = 0;
  while (a0 < width) {
    while (ref[bi] <= a0) bi += 2;
    const b1 = ref[bi];
    const b2 = ref[bi + 1];
    const a1 = cur[ai];
    if (b2 < a1) {
      // pass: a0 moves under b2, its colour unchanged
      c = passCode;
      acc = (acc << (c & 15)) | (c >> 4);
      nacc += c & 15;
      while (nacc >= 8) { nacc -= 8; out[o++] = (acc >>> nacc) & 0xff; }
      a0 = b2;
      bi += 2;
      continue;
    }
    const d = a1 - b1;
    if (d >= -3 && d <= 3) {
      c = modeCode[vMode[d + 3]];
      acc = (acc << (c & 15)) | (c >> 4);
      nacc += c & 15;
      while (nacc >= 8) { nacc -= 8; out[o++] = (acc >>> nacc) & 0xff; }
      a0 = a1;
      ai++;
      if (d >= 0) bi++;
      else bi = bi > 0 ? bi - 1 : 1;
    } else {
      // horizontal: two runs, a0's colour first (T.4 §4.2.1.3.2 c)
      c = horizontalCode;
      acc = (acc << (c & 15)) | (c >> 4);
      nacc += c & 15;
      while (nacc >= 8) { nacc -= 8; out[o++] = (acc >>> nacc) & 0xff; }
      let codes = (ai & 1) === 0 ? whiteCodes : blackCodes;
      let from = a0 < 0 ? 0 : a0;
      for (let k = 0; k < 2; k++) {
        const to = cur[ai++];
        let span = to - from;
        from = to;
        while (span >= 2624) { // LONG_RUN
          c = codes[103]; // ENC_MAKEUP + 40: make-up 2560
          acc = (acc << (c & 15)) | (c >> 4);
          nacc += c & 15;
          while (nacc >= 8) { nacc -= 8; out[o++] = (acc >>> nacc) & 0xff; }
          span -= 2560;
        }
        if (span >= 64) {
          c = codes[63 + (span >> 6)]; // ENC_MAKEUP + m
          acc = (acc << (c & 15)) | (c >> 4);
          nacc += c & 15;
          while (nacc >= 8) { nacc -= 8; out[o++] = (acc >>> nacc) & 0xff; }
          span &= 63;
        }
        c = codes[span];
        acc = (acc << (c & 15)) | (c >> 4);
        nacc += c & 15;
        while (nacc >= 8) { nacc -= 8; out[o++] = (acc >>> nacc) & 0xff; }
        codes = codes === whiteCodes ? blackCodes : whiteCodes;
      }
      a0 = from; // a2, colour unchanged: b1 is at bi or later
    }
  }
  e.acc = acc & ((1 << nacc) - 1);
  e.nacc = nacc;
  e.o = o;
}
