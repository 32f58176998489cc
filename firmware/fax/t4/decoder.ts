// Streaming T.4/T.6 page decoder: fed coded bytes in chunks of any size, hands out rows.
//
// MH and MR (T.4): lines are delimited by EOL code words. Incoming bytes are scanned for EOLs a
// byte at a time (a run of at least 11 zeros then a one, T.4 §4.1.2); when one is found, the
// bits since the previous EOL are one coded line and are decoded whole. A line that does not
// decode to exactly `width` pixels is bad: it is counted and concealed by repeating the
// previous row, as fax machines do; decoding resumes at the next EOL. Six EOLs in a row (RTC,
// T.4 §4.1.4) end the page.
// MMR (T.6): no EOLs, so a line is decoded once enough bits for the longest possible line are
// buffered (or the input has ended). The first error is fatal for the rest of the page
// (T.6 has no resynchronisation); EOFB (T.6 §2.4) ends the page.
//
// Memory is fixed at construction: one input buffer of a few kilobytes (sized from the width),
// two changing-element lists and one row. Zero fill beyond what is needed to see an EOL is not
// stored, and a "line" that outgrows the buffer without an EOL is counted bad and dropped.
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

  private readonly width: number;
  private readonly mmr: boolean;
  private readonly mr: boolean;
  private readonly lsb: boolean;
  private readonly maxRows: number;
  private readonly expectEnd: boolean;
  private readonly onRow: ((row: Uint8Array, index: number, bad: boolean) => void) | null;
  private readonly onEnd: ((d: T4Decoder) => void) | null;
  private readonly trace: ((line: string) => void) | null;
  private readonly cap: number; // bytes of buf usable for data
  private readonly maxBits: number;
  private buf: Uint8Array;
  private len = 0; // bytes stored
  private lineStart = 0; // bit where the current line starts
  private zeros = 0; // zero bits just before the scan point (capped)
  private storedZeros = 0; // of those, how many are stored in buf
  private overflow = false; // current line outgrew the buffer (already counted bad)
  private emptyRun = 0; // consecutive EOLs with no line between them
  private state = ST_PREAMBLE;
  private ref: Uint16Array;
  private cur: Uint16Array;
  private row: Uint8Array;

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
    this.onEnd = opts.onEnd === undefined ? null : opts.onEnd;
    this.trace = opts.trace === undefined ? t4Trace : opts.trace;
    this.maxBits = maxLineBits(this.width);
    this.cap = 2 * ((this.maxBits + 7) >> 3) + 64;
    this.buf = new Uint8Array(this.cap + 8);
    this.ref = new Uint16Array(changesCapacity(this.width));
    this.cur = new Uint16Array(changesCapacity(this.width));
    this.row = new Uint8Array((this.width + 7) >> 3);
    whiteChanges(this.width, this.ref);
    if (this.mmr) this.state = ST_LINES;
    if (!widthOk) this.fatalStop('width out of range: ' + opts.width);
  }

  private to(state: number, why: string): void {
    if (this.trace !== null) this.trace('t4 decoder: ' + STATE_NAMES[this.state] + ' -> ' + STATE_NAMES[state] + ' (' + why + ')');
    this.state = state;
  }

  /** Feeds coded bytes (any chunk size). Never throws on bad data. */
  push(data: Uint8Array): void {
    if (this.state >= ST_ENDED) {
      this.trailingBytes += data.length;
      return;
    }
    if (this.mmr) this.pushMmr(data, 0);
    else this.pushEol(data);
  }

  /** No more input: decodes what is left and marks the page done. */
  end(): void {
    if (this.state < ST_ENDED) {
      if (this.mmr) this.drainMmr(true);
      else this.finishEolLine();
    }
    if (this.state < ST_ENDED) this.to(ST_ENDED, 'end of input');
    if (this.expectEnd && !this.endMarker && !this.fatal && !(this.maxRows >= 0 && this.lines >= this.maxRows)) {
      this.truncated = true;
      if (this.trace !== null) this.trace('t4 decoder: page ended without ' + (this.mmr ? 'EOFB' : 'RTC'));
    }
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.onEnd !== null) this.onEnd(this);
  }

  // ---- rows out ----------------------------------------------------------------------------

  private emitGood(): void {
    const t = this.ref;
    this.ref = this.cur;
    this.cur = t;
    this.badRun = 0;
    this.emit(false);
  }

  private emitBad(why: string): void {
    this.badLines++;
    this.badRun++;
    if (this.badRun > this.maxBadRun) this.maxBadRun = this.badRun;
    if (this.trace !== null) this.trace('t4 decoder: bad line ' + this.lines + ': ' + why);
    this.emit(true); // T.4 practice: repeat the previous row (ref is unchanged)
  }

  private emit(bad: boolean): void {
    const index = this.lines++;
    if (this.onRow !== null) {
      paintRow(this.ref, this.width, this.row);
      this.onRow(this.row, index, bad);
    }
    if (this.maxRows >= 0 && this.lines >= this.maxRows && this.state < ST_ENDED) {
      this.to(ST_ENDED, 'row count reached');
      this.finish();
    }
  }

  private fatalStop(why: string): void {
    this.fatal = true;
    this.badLines++;
    this.badRun++;
    if (this.badRun > this.maxBadRun) this.maxBadRun = this.badRun;
    this.to(ST_FATAL, why);
    this.finish();
  }

  // ---- MH / MR: EOL-delimited ----------------------------------------------------------------

  private compact(): void {
    const from = this.lineStart >> 3;
    if (from === 0) return;
    const buf = this.buf;
    const n = this.len - from;
    for (let i = 0; i < n; i++) buf[i] = buf[from + i];
    this.len = n;
    this.lineStart -= from << 3;
  }

  private pushEol(data: Uint8Array): void {
    // The hot loop of MH/MR decoding: state lives in locals and is written back around calls.
    const lsb = this.lsb;
    const buf = this.buf;
    const cap = this.cap;
    let zeros = this.zeros;
    let stored = this.storedZeros;
    let len = this.len;
    for (let i = 0; i < data.length; i++) {
      const b = lsb ? REVERSE[data[i]] : data[i];
      if (b === 0) {
        // Fill: once enough zeros are stored to show an EOL, more need not be kept.
        if (zeros < 4096) zeros += 8;
        if (stored >= 16) continue;
        stored += 8;
      }
      if (len >= cap) {
        this.len = len;
        this.compact();
        len = this.len;
        if (len >= cap) {
          // A line longer than any valid one: count it once, drop what is stored.
          if (!this.overflow) {
            this.overflow = true;
            if (this.state === ST_LINES) this.emitBad('no EOL within ' + cap + ' bytes');
            if (this.state >= ST_ENDED) {
              this.trailingBytes += data.length - i;
              return;
            }
          }
          len = 0;
          this.lineStart = 0;
        }
      }
      buf[len++] = b;
      if (b === 0) continue;
      const lz = LEADING_ZEROS[b];
      if (zeros + lz >= 11) {
        this.len = len;
        this.onEolFound(((len - 1) << 3) + lz + 1);
        if (this.state >= ST_ENDED) {
          this.trailingBytes += data.length - i - 1;
          return;
        }
      }
      zeros = TRAILING_ZEROS[b];
      stored = zeros;
    }
    this.zeros = zeros;
    this.storedZeros = stored;
    this.len = len;
  }

  /** An EOL ends at bit `eolEnd`: the bits from lineStart up to the EOL are one coded line. */
  private onEolFound(eolEnd: number): void {
    let limit = eolEnd - 12;
    if (limit < this.lineStart) limit = this.lineStart;
    const start = this.lineStart;
    this.lineStart = eolEnd;
    if (this.overflow) {
      this.overflow = false;
      this.emptyRun = 0;
      return;
    }
    if (this.state === ST_PREAMBLE) {
      // Data before the first EOL is normally line noise; some files omit the page's first
      // EOL, so a first line that decodes cleanly is kept.
      this.to(ST_LINES, 'first EOL');
      if (this.hasOnes(start, limit) && decode1D(this.buf, start, limit, this.width, this.cur) >= 0 &&
          !this.hasOnes(endBit, limit)) this.emitGood();
      return;
    }
    this.segment(start, limit, false);
  }

  /** Handles the bits of one line between two EOLs (or after the last EOL at end of input). */
  private segment(start: number, limit: number, last: boolean): void {
    let twoD = false;
    if (this.mr && start < limit) {
      // T.4 §4.2.1.1: tag 1 = 1-D, 0 = 2-D. (Some writers end MR pages with bare EOLs: no tag,
      // so the segment is empty and counts towards RTC like an EOL+1.)
      twoD = peekBits(this.buf, start, 1) === 0;
      start++;
    }
    if (!this.hasOnes(start, limit)) {
      if (last) return;
      // An empty line: part of RTC (T.4 §4.1.4: six EOLs) or stray fill.
      this.emptyRun++;
      if (this.emptyRun >= 5) {
        this.endMarker = true;
        this.to(ST_ENDED, 'RTC');
        this.finish();
      }
      return;
    }
    this.emptyRun = 0;
    const n = twoD
      ? decode2D(this.buf, start, limit, this.width, this.ref, this.cur)
      : decode1D(this.buf, start, limit, this.width, this.cur);
    if (n < 0) this.emitBad(twoD ? '2-D codes do not make a line' : '1-D codes do not make a line');
    else if (this.hasOnes(endBit, limit)) this.emitBad('line longer than ' + this.width + ' pixels');
    else this.emitGood();
  }

  private finishEolLine(): void {
    if (this.overflow || this.state === ST_ENDED) return;
    const limit = this.len << 3;
    if (this.state === ST_PREAMBLE) {
      // No EOL at all: a single 1-D line at most (e.g. a one-row file without EOL).
      this.to(ST_LINES, 'end of input before any EOL');
      if (this.hasOnes(0, limit) && decode1D(this.buf, this.lineStart, limit, this.width, this.cur) >= 0) this.emitGood();
      return;
    }
    if (this.hasOnes(this.lineStart, limit)) this.segment(this.lineStart, limit, true);
  }

  private hasOnes(from: number, to: number): boolean {
    const buf = this.buf;
    if (from >= to) return false;
    let i = from >> 3;
    const last = (to - 1) >> 3;
    let b = buf[i] & (0xff >> (from & 7));
    if (i === last) return (b & (0xff00 >> (((to - 1) & 7) + 1))) !== 0;
    if (b !== 0) return true;
    for (i = i + 1; i < last; i++) if (buf[i] !== 0) return true;
    return (buf[last] & (0xff00 >> (((to - 1) & 7) + 1))) !== 0;
  }

  // ---- MMR: no EOLs -----------------------------------------------------------------------

  private pushMmr(data: Uint8Array, from: number): void {
    const lsb = this.lsb;
    let i = from;
    while (i < data.length && this.state < ST_ENDED) {
      if (this.len >= this.cap) {
        this.compact();
        if (this.len >= this.cap) { this.fatalStop('buffer full'); break; } // cannot happen: drain keeps < maxBits
      }
      const room = this.cap - this.len;
      const n = data.length - i < room ? data.length - i : room;
      const buf = this.buf;
      let o = this.len;
      for (let k = 0; k < n; k++) buf[o++] = lsb ? REVERSE[data[i + k]] : data[i + k];
      this.len = o;
      i += n;
      this.drainMmr(false);
    }
    if (i < data.length) this.trailingBytes += data.length - i;
  }

  private drainMmr(atEnd: boolean): void {
    while (this.state === ST_LINES) {
      const avail = (this.len << 3) - this.lineStart;
      if (!atEnd && avail < this.maxBits + 24) return;
      const limit = this.len << 3;
      const start = this.lineStart;
      if (!this.hasOnes(start, limit)) {
        if (atEnd) this.to(ST_ENDED, 'end of data without EOFB');
        return;
      }
      if (avail >= 12 && isEol(this.buf, start)) {
        // EOFB is two EOLs (T.6 §2.4.1.1); one EOL followed by end of data is accepted as well.
        if (avail < 24 || isEol(this.buf, start + 12)) {
          this.endMarker = true;
          this.lineStart = start + (avail < 24 ? 12 : 24);
          this.trailingBytes += this.len - ((this.lineStart + 7) >> 3);
          this.to(ST_ENDED, 'EOFB');
          this.finish();
          return;
        }
      }
      const n = decode2D(this.buf, start, limit, this.width, this.ref, this.cur);
      if (n < 0) {
        this.fatalStop('2-D codes do not make a line (line ' + this.lines + ')');
        return;
      }
      this.lineStart = endBit;
      this.emitGood();
    }
  }
}
