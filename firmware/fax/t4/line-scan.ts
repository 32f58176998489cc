// A cheap check of MH/MR page data as it arrives, without decoding it: EOLs are found with two
// table lookups per octet, lines counted, RTC (six EOLs in a row, T.4 §4.1.4) noticed, and a
// line whose coded length no valid line can have is counted bad (too short to code a full row,
// or longer than any row can be; a lost or a false EOL shows up so). It catches less than a
// decode (a flipped bit inside a line that still has a plausible length goes unseen), but costs
// a small part of one: a receiver on a slow board can keep up with the line with it and leave
// the full decode for later (firmware/fax/t30/receiver.ts).
//
// The data is in line order with the first bit of each octet in its LSB (T.4 on a Class 1
// modem). An EOL is at least 11 zeros then a one (T.4 §4.1.2; fill zeros before it included);
// no valid code word has more than 10 zeros in a row, so a run of 11 can only be an EOL, and a
// run inside one octet is at most 7: an EOL always ends a run carried over octet boundaries.
import { LEADING_ZEROS, TRAILING_ZEROS } from './tables.ts';

/** The interpreter's native table mapping (`to[i] = map[from[i]]`), where the platform has it. */
declare const E: { mapInPlace?: (from: Uint8Array, to: Uint8Array, map: Uint8Array) => void } | undefined;

/** 1 for the octets that can start an EOL's zeros (below 16), 0 for the others. */
const BELOW_16 = new Uint8Array(256);
for (let b = 0; b < 16; b++) BELOW_16[b] = 1;

export class LineScanner {
  /** Lines seen (EOLs after the first, until RTC). */
  lines = 0;
  /** Lines with a coded length no valid line can have. */
  badLines = 0;
  maxBadRun = 0;
  badRun = 0;
  /** RTC was seen: the page's data has ended. */
  rtc = false;
  /** Octets scanned. */
  octets = 0;
  /** Zero bits at the end of what was scanned (an EOL in the making). */
  private zeros = 0;
  /** Bits since the one that ended the last EOL (-1: no EOL yet). */
  private bits = -1;
  /** EOLs in a row with no line between (RTC after six). */
  private eolRun = 0;
  private readonly minBits: number;
  /** Scratch for candidates(). */
  private flags: Uint8Array = new Uint8Array(0);
  private readonly maxBits: number;

  /**
   * `twoD`: MR (a 2-D line can be as short as its tag bit and one code); `width` in pixels. A
   * 1-D line is at least 9 bits (the shortest make-up code for a full white row is 9 bits).
   */
  constructor(width: number, twoD: boolean) {
    this.minBits = twoD ? 2 : 9;
    this.maxBits = 8 * width + 64;
  }

  /**
   * Only octets below 16 can hold the start of an EOL (its 11 zeros cover a whole octet, or the
   * top 4 bits of one and the low bits of the next), about one octet in fifteen of dense text:
   * they are found natively (E.mapInPlace to flags, indexOf) and only they and the octet after
   * each are looked at in JavaScript; a stretch between them just adds its bits. A JavaScript
   * loop over every octet costs an ESP32 ~0.9 ms an octet, when the line brings one every 0.56
   * ms at 14400 bit/s (docs/FAX-LINE.md, keeping up).
   */
  push(data: Uint8Array): void {
    if (this.rtc) return;
    const n = data.length;
    const flags = this.candidates(data);
    // the state in locals while the loop runs: a property of `this` is a lookup by name on the interpreter
    let zeros = this.zeros;
    let bits = this.bits;
    let i = 0;
    while (i < n) {
      if (zeros < 4) {
        // no run long enough pending: every octet up to the next candidate only adds its bits
        // (an octet of 16 or more has at most 7 low zeros and at most 3 high ones: 3 + 7 < 11)
        let k = flags.indexOf(1, i);
        if (k < 0 || k > n) k = n;
        if (k > i) {
          if (bits >= 0) bits += 8 * (k - i);
          zeros = LEADING_ZEROS[data[k - 1]];
          i = k;
          if (i === n) break;
        }
      }
      const b = data[i];
      if (b === 0) {
        zeros += 8;
        if (bits >= 0) bits += 8;
        i++;
        continue;
      }
      // line order is LSB first: the zeros before the first one are the low (MSB-first trailing) zeros
      const first = TRAILING_ZEROS[b];
      if (zeros + first >= 11) {
        this.eol(bits >= 0 ? bits - zeros : -1);
        if (this.rtc) {
          this.octets += i + 1;
          this.zeros = 0;
          return;
        }
        // bits after the EOL's one, to the end of this octet
        bits = 7 - first;
      } else if (bits >= 0) bits += 8;
      zeros = LEADING_ZEROS[b];
      i++;
    }
    this.zeros = zeros;
    this.bits = bits;
    this.octets += n;
  }

  /** Flags (1: the octet is below 16) for `data`, in a buffer kept from call to call. */
  private candidates(data: Uint8Array): Uint8Array {
    if (this.flags.length < data.length) this.flags = new Uint8Array(data.length < 256 ? 256 : data.length);
    const f = this.flags;
    if (typeof E !== 'undefined' && E.mapInPlace) E.mapInPlace(data, f, BELOW_16);
    else for (let i = 0; i < data.length; i++) f[i] = data[i] < 16 ? 1 : 0;
    return f;
  }

  /** An EOL; `lineBits` is the length of the line it ends (its fill zeros not counted). */
  private eol(lineBits: number): void {
    if (lineBits < 0) return; // the page's first EOL
    // RTC: EOLs with nothing between them (in MR each followed by its tag bit only)
    if (lineBits === 0 || (lineBits === 1 && this.minBits === 2)) {
      if (++this.eolRun >= 5) this.rtc = true; // the sixth EOL in a row
      return;
    }
    this.eolRun = 0;
    this.lines++;
    if (lineBits < this.minBits || lineBits > this.maxBits) {
      this.badLines++;
      this.badRun++;
      if (this.badRun > this.maxBadRun) this.maxBadRun = this.badRun;
    } else this.badRun = 0;
  }
}
