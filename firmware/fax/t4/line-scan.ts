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
  private readonly maxBits: number;

  /**
   * `twoD`: MR (a 2-D line can be as short as its tag bit and one code); `width` in pixels. A
   * 1-D line is at least 9 bits (the shortest make-up code for a full white row is 9 bits).
   */
  constructor(width: number, twoD: boolean) {
    this.minBits = twoD ? 2 : 9;
    this.maxBits = 8 * width + 64;
  }

  push(data: Uint8Array): void {
    if (this.rtc) return;
    for (let i = 0; i < data.length; i++) {
      const b = data[i];
      if (b === 0) {
        this.zeros += 8;
        if (this.bits >= 0) this.bits += 8;
        continue;
      }
      // line order is LSB first: the zeros before the first one are the low (MSB-first trailing) zeros
      const first = TRAILING_ZEROS[b];
      if (this.zeros + first >= 11) {
        this.eol(this.bits >= 0 ? this.bits - this.zeros : -1);
        if (this.rtc) {
          this.octets += i + 1;
          return;
        }
        // bits after the EOL's one, to the end of this octet
        this.bits = 7 - first;
      } else if (this.bits >= 0) this.bits += 8;
      this.zeros = LEADING_ZEROS[b];
    }
    this.octets += data.length;
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
