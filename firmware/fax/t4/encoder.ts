// Streaming T.4/T.6 page encoder: fed rows (packed 1-bit, MSB first, 1 = black), hands out
// coded bytes. Holds one reference line and an output buffer of a few kilobytes.
//
// Layout of a T.4 page (T.4 §4.1): EOL before every line, fill before an EOL when the line is
// shorter than the minimum scan line time or when EOLs are byte-aligned, RTC (six EOLs) at the
// end. MR adds the tag bit after each EOL (1 = the next line is 1-D, 0 = 2-D) and codes one
// line in K one-dimensionally (T.4 §4.2.1.1). T.6 (MMR): 2-D lines only, no EOLs or fill,
// EOFB at the end, padded to a byte.
import { rowToChanges, changesCapacity, whiteChanges } from './changes.ts';
import { WHITE_CODES, BLACK_CODES, MODE_CODE, MODE_LEN, REVERSE } from './tables.ts';
import type { RunCodes } from './tables.ts';
import { MODE_PASS, MODE_HORIZONTAL, MODE_V0 } from './codes.ts';
import type { T4EncoderOptions } from './options.ts';

// Vertical mode number for a1 - b1 = -3..3 (index d + 3), per T.4 Table 4/T.4.
const V_MODE = [8, 7, 6, MODE_V0, 3, 4, 5];

export class T4Encoder {
  /** Rows encoded. */
  lines = 0;
  /** Coded bytes handed out so far. */
  bytes = 0;

  private readonly width: number;
  private readonly mmr: boolean;
  private readonly mr: boolean;
  private readonly k: number;
  private readonly lsb: boolean;
  private readonly align: boolean;
  private readonly minBits: number;
  private readonly endMarker: boolean;
  private readonly onData: (bytes: Uint8Array) => void;
  private readonly out: Uint8Array;
  private readonly flushAt: number;
  private o = 0; // bytes in out
  private acc = 0; // pending bits (fewer than 8 between calls)
  private nacc = 0;
  private lineStart = -1; // bit count where the current line's EOL began
  private finished = false;
  private ref: Uint16Array;
  private cur: Uint16Array;

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

  /** Bits written so far, pending ones included. */
  private bitCount(): number {
    return ((this.bytes + this.o) << 3) + this.nacc;
  }

  private put(code: number, len: number): void {
    const acc = (this.acc << len) | code;
    let n = this.nacc + len;
    const out = this.out;
    while (n >= 8) {
      n -= 8;
      out[this.o++] = (acc >>> n) & 0xff;
    }
    this.acc = acc & ((1 << n) - 1);
    this.nacc = n;
  }

  private zeros(count: number): void {
    while (count > 8) {
      this.put(0, 8);
      count -= 8;
    }
    if (count > 0) this.put(0, count);
  }

  /** One run: 2560 make-ups while needed, a make-up for the multiple of 64, a terminating code. */
  private run(codes: RunCodes, span: number): void {
    while (span >= 2624) {
      this.put(codes.makeupCode[40], codes.makeupLen[40]);
      span -= 2560;
    }
    if (span >= 64) {
      const m = span >> 6;
      this.put(codes.makeupCode[m], codes.makeupLen[m]);
      span -= m << 6;
    }
    this.put(codes.termCode[span], codes.termLen[span]);
  }

  /** Fill for the line just finished (minimum scan line, byte alignment), then EOL (+ tag). */
  private eol(tag: number, fillLine: boolean): void {
    if (fillLine && this.lineStart >= 0 && this.minBits > 0) {
      const used = this.bitCount() - this.lineStart;
      if (used < this.minBits) this.zeros(this.minBits - used);
    }
    if (this.align) this.zeros((4 - this.nacc) & 7); // EOL is 12 bits: end it on a byte boundary
    this.lineStart = this.bitCount();
    this.put(1, 12);
    if (tag >= 0) this.put(tag, 1);
  }

  /** Encodes one row (packed 1-bit pixels, MSB first, 1 = black). */
  encodeRow(row: Uint8Array): void {
    if (this.finished) throw new Error('t4 encoder: row after finish()');
    const width = this.width;
    rowToChanges(row, width, this.cur);
    if (this.mmr) {
      this.code2D();
    } else if (this.mr) {
      const oneD = this.lines % this.k === 0;
      this.eol(oneD ? 1 : 0, true);
      if (oneD) this.code1D();
      else this.code2D();
    } else {
      this.eol(-1, true);
      this.code1D();
    }
    const t = this.ref;
    this.ref = this.cur;
    this.cur = t;
    this.lines++;
    if (this.o >= this.flushAt) this.flush();
  }

  private code1D(): void {
    const cur = this.cur;
    const width = this.width;
    let a0 = 0;
    let i = 0;
    for (;;) {
      const a1 = cur[i];
      this.run((i & 1) === 0 ? WHITE_CODES : BLACK_CODES, a1 - a0);
      a0 = a1;
      i++;
      if (a0 >= width) break;
    }
  }

  // T.4 §4.2.1.3.3 coding procedure.
  private code2D(): void {
    const cur = this.cur;
    const ref = this.ref;
    const width = this.width;
    let a0 = -1;
    let black = 0;
    let ai = 0; // index of a1 in cur (its parity is the colour of a0)
    let bi = 0;
    while (a0 < width) {
      while (bi > 0 && ref[bi - 1] > a0) bi--;
      while (ref[bi] <= a0) bi++;
      if ((bi & 1) !== black) bi++;
      const b1 = ref[bi];
      const b2 = ref[bi + 1];
      const a1 = cur[ai];
      if (b2 < a1) {
        this.put(MODE_CODE[MODE_PASS], MODE_LEN[MODE_PASS]);
        a0 = b2;
        continue;
      }
      const d = a1 - b1;
      if (d >= -3 && d <= 3) {
        const m = V_MODE[d + 3];
        this.put(MODE_CODE[m], MODE_LEN[m]);
        a0 = a1;
        black ^= 1;
        ai++;
      } else {
        const a2 = cur[ai + 1];
        this.put(MODE_CODE[MODE_HORIZONTAL], MODE_LEN[MODE_HORIZONTAL]);
        this.run(black ? BLACK_CODES : WHITE_CODES, a1 - (a0 < 0 ? 0 : a0));
        this.run(black ? WHITE_CODES : BLACK_CODES, a2 - a1);
        a0 = a2;
        ai += 2;
      }
    }
  }

  /** Hands out the whole bytes coded so far. */
  flush(): void {
    if (this.o === 0) return;
    const out = this.out;
    const n = this.o;
    if (this.lsb) for (let i = 0; i < n; i++) out[i] = REVERSE[out[i]];
    this.bytes += n;
    this.o = 0;
    this.onData(out.subarray(0, n));
  }

  /** Ends the page: RTC or EOFB, padding to a whole byte, and a last flush. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.endMarker) {
      if (this.mmr) {
        this.put(1, 12);
        this.put(1, 12);
      } else {
        for (let i = 0; i < 6; i++) this.eol(this.mr ? 1 : -1, i === 0);
      }
    }
    if (this.nacc > 0) this.put(0, 8 - this.nacc);
    this.flush();
  }
}
