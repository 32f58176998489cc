// Streaming T.4/T.6 page decoder: fed coded bytes in chunks of any size, hands out rows.
//
// MH and MR (T.4): lines are delimited by EOL code words (a run of at least 11 zeros then a
// one, T.4 §4.1.2): the bits between two EOLs are one coded line. Each line is decoded where it
// starts and its EOL checked after it (see "decode first" below); a line that does not decode
// to exactly `width` pixels is bad: it is counted and concealed by repeating the previous row,
// as fax machines do, and decoding resumes at the next EOL, found by scanning the bytes. A row
// comes out as soon as the EOL after it has arrived. Six EOLs in a row (RTC, T.4 §4.1.4) end
// the page.
// MMR (T.6): no EOLs, so a line is decoded once enough bits for the longest possible line are
// buffered (or the input has ended). The first error is fatal for the rest of the page
// (T.6 has no resynchronisation); EOFB (T.6 §2.4) ends the page.
//
// Memory is fixed at construction: one input buffer of a few kilobytes (sized from the width),
// two changing-element lists and one row. Zero fill beyond what is needed to see an EOL is not
// kept once the buffer is full, and a "line" that outgrows the buffer without an EOL is counted
// bad and dropped.
//
// Only push() and end() are methods; the work below them is done by module functions that take
// the decoder as an argument, and the callbacks are called through locals, not as `this.onRow()`.
// The Espruino interpreter locks `this` twice for every active method frame and counts locks in
// four bits: once an object is `this` in seven nested frames (push -> pushEol -> onEolFound ->
// segment -> emitGood -> emit -> onRow once was exactly that) its count saturates at 15, is never
// decremented again, and the object with its buffers (and whatever onRow's closure holds) stays
// allocated forever. An argument costs a reference, not a lock, at any depth.
import { decode1D, decode2D, endBit, peekBits, isEol } from './decode-line.ts';
import { paintRow, whiteChanges, changesCapacity } from './changes.ts';
import { REVERSE, LEADING_ZEROS, TRAILING_ZEROS } from './tables.ts';
import type { T4DecoderOptions } from './options.ts';
import { t4Trace } from './options.ts';

// Page state names, for traces.
const ST_PREAMBLE = 0; // before the first EOL (MH/MR)
const ST_LINES = 1;
const ST_ENDED = 2; // RTC/EOFB seen, row limit reached, or end() called
const ST_FATAL = 3; // MMR error: nothing more is decoded on this page
const STATE_NAMES = ['preamble', 'lines', 'ended', 'fatal'];

/** Upper bound on the coded bits of one valid line (7 bits per pixel in the worst 2-D case, plus codes). */
function maxLineBits(width: number): number {
  return 8 * width + 64;
}

export class T4Decoder {
  /** Rows handed out (decoded or concealed). */
  lines = 0;
  /** Lines that did not decode (each concealed by the previous row, or lost for MMR). */
  badLines = 0;
  /** Longest run of consecutive bad lines (T.30 RTN/RTP decisions). */
  maxBadRun = 0;
  /** Current run of consecutive bad lines. */
  badRun = 0;
  /** MMR only: a coding error ended decoding of this page. */
  fatal = false;
  /** RTC (MH/MR) or EOFB (MMR) was seen. */
  endMarker = false;
  /** No more rows will come (end marker, row limit, fatal error or end() called). */
  done = false;
  /** Bytes pushed after the page ended (e.g. data after RTC). */
  trailingBytes = 0;
  /** With expectEndMarker: end() came before RTC/EOFB (the page was cut short). */
  truncated = false;

  // Internal state, read and written by the module functions below (not part of the API: they
  // are not `private` only because those functions live outside the class, see the top).
  /** @internal */ readonly width: number;
  /** @internal */ readonly mmr: boolean;
  /** @internal */ readonly mr: boolean;
  /** @internal */ readonly lsb: boolean;
  /** @internal */ readonly maxRows: number;
  /** @internal */ readonly expectEnd: boolean;
  /** @internal */ readonly onRow: ((row: Uint8Array, index: number, bad: boolean) => void) | null;
  /** @internal */ readonly page: Uint8Array | null;
  /** @internal page rows before this one are cleared (white) */ clearedTo = 0;
  /** @internal */ readonly onEnd: ((d: T4Decoder) => void) | null;
  /** @internal */ readonly trace: ((line: string) => void) | null;
  /** @internal bytes of buf usable for data */ readonly cap: number;
  /** @internal */ readonly maxBits: number;
  /** @internal */ buf: Uint8Array;
  /** @internal bytes stored */ len = 0;
  /** @internal bit where the current line starts */ lineStart = 0;
  /** @internal looking for the current line's EOL (it did not decode first) */ scanning = false;
  /** @internal next byte of buf to scan for an EOL */ scanByte = 0;
  /** @internal zero bits just before scanByte (capped) */ zeros = 0;
  /** @internal coded bits of the last line, EOL and fill included */ lastLineBits = 0;
  /** @internal current line outgrew the buffer (already counted bad) */ overflow = false;
  /** @internal consecutive EOLs with no line between them */ emptyRun = 0;
  /** @internal */ state = ST_PREAMBLE;
  /** @internal */ ref: Uint16Array;
  /** @internal */ cur: Uint16Array;
  /** @internal */ row: Uint8Array;

  constructor(opts: T4DecoderOptions) {
    // A width out of range makes a decoder that reports a fatal error, not one that allocates
    // whatever it was told.
    const widthOk = opts.width > 0 && opts.width <= 16384;
    this.width = widthOk ? Math.floor(opts.width) : 8;
    this.mmr = opts.coding === 'mmr';
    this.mr = opts.coding === 'mr';
    this.lsb = opts.bitOrder === 'lsb-first';
    this.maxRows = opts.rows === undefined ? -1 : opts.rows;
    this.expectEnd = opts.expectEndMarker === true;
    this.onRow = opts.onRow === undefined ? null : opts.onRow;
    this.page = opts.page === undefined ? null : opts.page;
    this.onEnd = opts.onEnd === undefined ? null : opts.onEnd;
    this.trace = opts.trace === undefined ? t4Trace : opts.trace;
    this.maxBits = maxLineBits(this.width);
    // MMR decodes a line only once a worst-case line's bits follow its start (drainMmr), so its
    // buffer holds two such lines and compacts about once a line's worth; an MH/MR line ends at
    // its EOL and a compaction copies only the line in progress, so one worst-case line and a
    // margin do (on the board: 1.8 KB, ~125 variables, less for every page printed or sent).
    this.cap = (this.mmr ? 2 : 1) * ((this.maxBits + 7) >> 3) + 64;
    this.buf = new Uint8Array(this.cap + 8);
    this.ref = new Uint16Array(changesCapacity(this.width));
    this.cur = new Uint16Array(changesCapacity(this.width));
    this.row = new Uint8Array((this.width + 7) >> 3);
    whiteChanges(this.width, this.ref);
    if (this.mmr) this.state = ST_LINES;
    if (!widthOk) fatalStop(this, 'width out of range: ' + opts.width);
  }

  /** Feeds coded bytes (any chunk size). Never throws on bad data. */
  push(data: Uint8Array): void {
    if (this.state >= ST_ENDED) {
      this.trailingBytes += data.length;
      return;
    }
    if (this.mmr) pushMmr(this, data, 0);
    else pushEol(this, data);
  }

  /** No more input: decodes what is left and marks the page done. */
  end(): void {
    if (this.state < ST_ENDED) {
      if (this.mmr) drainMmr(this, true);
      else finishEolLine(this);
    }
    if (this.state < ST_ENDED) to(this, ST_ENDED, 'end of input');
    if (this.expectEnd && !this.endMarker && !this.fatal && !(this.maxRows >= 0 && this.lines >= this.maxRows)) {
      this.truncated = true;
      const trace = this.trace;
      if (trace !== null) trace('t4 decoder: page ended without ' + (this.mmr ? 'EOFB' : 'RTC'));
    }
    finish(this);
  }
}

function to(d: T4Decoder, state: number, why: string): void {
  const trace = d.trace;
  if (trace !== null) trace('t4 decoder: ' + STATE_NAMES[d.state] + ' -> ' + STATE_NAMES[state] + ' (' + why + ')');
  d.state = state;
}

function finish(d: T4Decoder): void {
  if (d.done) return;
  d.done = true;
  const onEnd = d.onEnd;
  if (onEnd !== null) onEnd(d);
}

// ---- rows out ------------------------------------------------------------------------------

function emitGood(d: T4Decoder): void {
  const t = d.ref;
  d.ref = d.cur;
  d.cur = t;
  d.badRun = 0;
  emit(d, false);
}

function emitBad(d: T4Decoder, why: string): void {
  d.badLines++;
  d.badRun++;
  if (d.badRun > d.maxBadRun) d.maxBadRun = d.badRun;
  const trace = d.trace;
  if (trace !== null) trace('t4 decoder: bad line ' + d.lines + ': ' + why);
  emit(d, true); // T.4 practice: repeat the previous row (ref is unchanged)
}

/** Page rows cleared at a time (see emit). */
const CLEAR_ROWS = 64;

function emit(d: T4Decoder, bad: boolean): void {
  const index = d.lines++;
  const onRow = d.onRow;
  const page = d.page;
  const stride = d.row.length;
  if (page !== null && (index + 1) * stride <= page.length) {
    if (index >= d.clearedTo) {
      // Rows are painted black spans only, on white: clear the page ahead in blocks of rows
      // (one call per block, and the block is still in the cache when it is painted).
      let to = (index + CLEAR_ROWS) * stride;
      if (to > page.length) to = page.length;
      page.fill(0, index * stride, to);
      d.clearedTo = index + CLEAR_ROWS;
    }
    paintRow(d.ref, d.width, page, index * stride);
    if (onRow !== null) onRow(page.subarray(index * stride, (index + 1) * stride), index, bad);
  } else if (onRow !== null) {
    const row = d.row;
    row.fill(0);
    paintRow(d.ref, d.width, row, 0);
    onRow(row, index, bad);
  }
  if (d.maxRows >= 0 && d.lines >= d.maxRows && d.state < ST_ENDED) {
    to(d, ST_ENDED, 'row count reached');
    finish(d);
  }
}

function fatalStop(d: T4Decoder, why: string): void {
  d.fatal = true;
  d.badLines++;
  d.badRun++;
  if (d.badRun > d.maxBadRun) d.maxBadRun = d.badRun;
  to(d, ST_FATAL, why);
  finish(d);
}

// ---- MH / MR: EOL-delimited ----------------------------------------------------------------
// Input is copied into buf as it comes and each line is decoded where it starts, before its EOL
// is looked for ("decode first"): a line that decodes to `width` pixels followed by at least 11
// zeros and a one (its EOL, T.4 §4.1.2, fill included) is good, and the bits are touched once.
// That gives exactly what cutting the data at each EOL first would: no sequence of valid code
// words holds 11 zeros in a row (T.4's code words start with at most 7 zeros and end with at
// most 3), so the first EOL after a line that decodes is the one that follows it. Anything
// else (a bad line, the page's first EOL, RTC, a line not all buffered yet) goes the careful
// way: the bytes are scanned for the next EOL and the bits before it decoded as one line.

function compact(d: T4Decoder): void {
  const from = d.lineStart >> 3;
  if (from === 0) return;
  const buf = d.buf;
  const n = d.len - from;
  // one native copy (set handles the overlap, on the interpreter too; it has no copyWithin):
  // a byte loop here was ~3 % of an MMR page's decoding
  buf.set(buf.subarray(from, d.len), 0);
  d.len = n;
  d.lineStart -= from << 3;
  d.scanByte -= from;
}

/**
 * Zero fill need not be kept beyond what shows an EOL: every run of zero bytes in buf (all of
 * it scanned: EOL fill, or a line that is not one) is cut to two bytes.
 */
function squeezeFill(d: T4Decoder): void {
  const buf = d.buf;
  const len = d.len;
  let o = 0;
  let run = 0;
  for (let i = 0; i < len; i++) {
    const b = buf[i];
    if (b === 0) {
      if (run >= 2) continue;
      run++;
    } else run = 0;
    buf[o++] = b;
  }
  d.len = o;
  d.scanByte = o;
}

function pushEol(d: T4Decoder, data: Uint8Array): void {
  const lsb = d.lsb;
  let i = 0;
  while (i < data.length) {
    if (d.len >= d.cap) {
      compact(d);
      if (d.len >= d.cap) squeezeFill(d);
      if (d.len >= d.cap) {
        // A line longer than any valid one: count it once, drop what is stored; the scan for
        // the next EOL goes on (its count of zeros is kept).
        d.len = 0;
        d.lineStart = 0;
        d.scanByte = 0;
        if (!d.overflow) {
          d.overflow = true;
          if (d.state === ST_LINES) emitBad(d, 'no EOL within ' + d.cap + ' bytes');
          if (d.state >= ST_ENDED) break;
        }
      }
    }
    const room = d.cap - d.len;
    const n = data.length - i < room ? data.length - i : room;
    const buf = d.buf;
    if (lsb) {
      let o = d.len;
      for (let k = i; k < i + n; k++) buf[o++] = REVERSE[data[k]];
    } else buf.set(n === data.length ? data : data.subarray(i, i + n), d.len);
    d.len += n;
    i += n;
    eolLines(d);
    if (d.state >= ST_ENDED) {
      // bytes after the one that ended the last EOL (or the last line) were not part of the page
      d.trailingBytes += d.len - ((d.lineStart + 7) >> 3);
      break;
    }
  }
  if (i < data.length) d.trailingBytes += data.length - i;
}

/** Decodes the lines in buf, as far as they can be told complete. */
function eolLines(d: T4Decoder): void {
  while (d.state < ST_ENDED) {
    if (!d.scanning) {
      // Decode first when the data looks long enough (the last line's length): a line that
      // turns out longer is scanned for instead, so data coming in small pieces is not decoded
      // again and again.
      if (d.state === ST_LINES && !d.overflow && (d.len << 3) - d.lineStart >= d.lastLineBits && lineFirst(d)) continue;
      startScan(d);
    }
    const eolEnd = scanEol(d);
    if (eolEnd < 0) return;
    d.scanning = false;
    d.lastLineBits = eolEnd - d.lineStart;
    onEolFound(d, eolEnd);
  }
}

/** Decode first: the line at lineStart, if it decodes and its EOL follows (see the top). */
function lineFirst(d: T4Decoder): boolean {
  const buf = d.buf;
  const limit = d.len << 3;
  let start = d.lineStart;
  let twoD = false;
  if (d.mr) {
    if (start >= limit) return false;
    twoD = peekBits(buf, start, 1) === 0; // T.4 §4.2.1.1 tag: 1 = 1-D, 0 = 2-D
    start++;
  }
  const n = twoD ? decode2D(buf, start, limit, d.width, d.ref, d.cur) : decode1D(buf, start, limit, d.width, d.cur);
  if (n < 0) return false;
  // The EOL: at least 11 zeros (fill included), then its one.
  const from = endBit;
  let i = from >> 3;
  let b = buf[i] & (0xff >> (from & 7));
  const last = d.len;
  while (b === 0) {
    if (++i >= last) return false; // the EOL is not all here yet
    b = buf[i];
  }
  const one = (i << 3) + LEADING_ZEROS[b];
  if (one - from < 11) return false;
  d.lastLineBits = one + 1 - d.lineStart;
  d.lineStart = one + 1;
  d.emptyRun = 0;
  emitGood(d);
  return true;
}

/** Starts scanning for the EOL after lineStart (bits before it count as ones). */
function startScan(d: T4Decoder): void {
  d.scanning = true;
  const at = d.lineStart;
  const sb = at >> 3;
  if ((at & 7) === 0) {
    d.scanByte = sb;
    d.zeros = 0; // the byte before ended with the EOL's one
    return;
  }
  const b = d.buf[sb] & (0xff >> (at & 7));
  d.zeros = b === 0 ? 8 - (at & 7) : TRAILING_ZEROS[b];
  d.scanByte = sb + 1;
}

/**
 * Scans buf from scanByte for an EOL: a one after at least 11 zeros (T.4 §4.1.2; a run of 11
 * can only end in the first one of an octet). Returns the bit after that one, or -1 when the
 * buffered data holds none yet.
 */
function scanEol(d: T4Decoder): number {
  const leading = LEADING_ZEROS; // locals: the interpreter looks outside names up at every use
  const trailing = TRAILING_ZEROS;
  const buf = d.buf;
  const len = d.len;
  let zeros = d.zeros;
  let i = d.scanByte;
  for (; i < len; i++) {
    const b = buf[i];
    if (b === 0) {
      if (zeros < 4096) zeros += 8;
      continue;
    }
    const lz = leading[b];
    if (zeros + lz >= 11) {
      d.scanByte = i + 1;
      d.zeros = 0;
      return (i << 3) + lz + 1;
    }
    zeros = trailing[b];
  }
  d.scanByte = i;
  d.zeros = zeros;
  return -1;
}

/** An EOL ends at bit `eolEnd`: the bits from lineStart up to the EOL are one coded line. */
function onEolFound(d: T4Decoder, eolEnd: number): void {
  let limit = eolEnd - 12;
  if (limit < d.lineStart) limit = d.lineStart;
  const start = d.lineStart;
  d.lineStart = eolEnd;
  if (d.overflow) {
    d.overflow = false;
    d.emptyRun = 0;
    return;
  }
  if (d.state === ST_PREAMBLE) {
    // Data before the first EOL is normally line noise; some files omit the page's first
    // EOL, so a first line that decodes cleanly is kept.
    to(d, ST_LINES, 'first EOL');
    if (hasOnes(d.buf, start, limit) && decode1D(d.buf, start, limit, d.width, d.cur) >= 0 &&
        !hasOnes(d.buf, endBit, limit)) emitGood(d);
    return;
  }
  segment(d, start, limit, false);
}

/** Handles the bits of one line between two EOLs (or after the last EOL at end of input). */
function segment(d: T4Decoder, start: number, limit: number, last: boolean): void {
  const buf = d.buf;
  let twoD = false;
  if (d.mr && start < limit) {
    // T.4 §4.2.1.1: tag 1 = 1-D, 0 = 2-D. (Some writers end MR pages with bare EOLs: no tag,
    // so the segment is empty and counts towards RTC like an EOL+1.)
    twoD = peekBits(buf, start, 1) === 0;
    start++;
  }
  if (!hasOnes(buf, start, limit)) {
    if (last) return;
    // An empty line: part of RTC (T.4 §4.1.4: six EOLs) or stray fill.
    d.emptyRun++;
    if (d.emptyRun >= 5) {
      d.endMarker = true;
      to(d, ST_ENDED, 'RTC');
      finish(d);
    }
    return;
  }
  d.emptyRun = 0;
  const n = twoD
    ? decode2D(buf, start, limit, d.width, d.ref, d.cur)
    : decode1D(buf, start, limit, d.width, d.cur);
  if (n < 0) emitBad(d, twoD ? '2-D codes do not make a line' : '1-D codes do not make a line');
  else if (hasOnes(buf, endBit, limit)) emitBad(d, 'line longer than ' + d.width + ' pixels');
  else emitGood(d);
}

function finishEolLine(d: T4Decoder): void {
  if (d.overflow || d.state === ST_ENDED) return;
  const limit = d.len << 3;
  if (d.state === ST_PREAMBLE) {
    // No EOL at all: a single 1-D line at most (e.g. a one-row file without EOL).
    to(d, ST_LINES, 'end of input before any EOL');
    if (hasOnes(d.buf, 0, limit) && decode1D(d.buf, d.lineStart, limit, d.width, d.cur) >= 0) emitGood(d);
    return;
  }
  if (hasOnes(d.buf, d.lineStart, limit)) segment(d, d.lineStart, limit, true);
}

/** True when any bit in [from, to) of buf is set. */
function hasOnes(buf: Uint8Array, from: number, to: number): boolean {
  if (from >= to) return false;
  let i = from >> 3;
  const last = (to - 1) >> 3;
  const b = buf[i] & (0xff >> (from & 7));
  if (i === last) return (b & (0xff00 >> (((to - 1) & 7) + 1))) !== 0;
  if (b !== 0) return true;
  for (i = i + 1; i < last; i++) if (buf[i] !== 0) return true;
  return (buf[last] & (0xff00 >> (((to - 1) & 7) + 1))) !== 0;
}

// ---- MMR: no EOLs -------------------------------------------------------------------------

function pushMmr(d: T4Decoder, data: Uint8Array, from: number): void {
  const lsb = d.lsb;
  let i = from;
  while (i < data.length && d.state < ST_ENDED) {
    if (d.len >= d.cap) {
      compact(d);
      if (d.len >= d.cap) { fatalStop(d, 'buffer full'); break; } // cannot happen: drain keeps < maxBits
    }
    const room = d.cap - d.len;
    const n = data.length - i < room ? data.length - i : room;
    const buf = d.buf;
    if (lsb) {
      let o = d.len;
      for (let k = i; k < i + n; k++) buf[o++] = REVERSE[data[k]];
    } else buf.set(n === data.length ? data : data.subarray(i, i + n), d.len);
    d.len += n;
    i += n;
    drainMmr(d, false);
  }
  if (i < data.length) d.trailingBytes += data.length - i;
}

function drainMmr(d: T4Decoder, atEnd: boolean): void {
  while (d.state === ST_LINES) {
    const avail = (d.len << 3) - d.lineStart;
    if (!atEnd && avail < d.maxBits + 24) return;
    const limit = d.len << 3;
    const start = d.lineStart;
    if (!hasOnes(d.buf, start, limit)) {
      if (atEnd) to(d, ST_ENDED, 'end of data without EOFB');
      return;
    }
    if (avail >= 12 && isEol(d.buf, start)) {
      // EOFB is two EOLs (T.6 §2.4.1.1); one EOL followed by end of data is accepted as well.
      if (avail < 24 || isEol(d.buf, start + 12)) {
        d.endMarker = true;
        d.lineStart = start + (avail < 24 ? 12 : 24);
        d.trailingBytes += d.len - ((d.lineStart + 7) >> 3);
        to(d, ST_ENDED, 'EOFB');
        finish(d);
        return;
      }
    }
    const n = decode2D(d.buf, start, limit, d.width, d.ref, d.cur);
    if (n < 0) {
      fatalStop(d, '2-D codes do not make a line (line ' + d.lines + ')');
      return;
    }
    d.lineStart = endBit;
    emitGood(d);
  }
}
