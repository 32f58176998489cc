// Table-driven decoding of one coded line held whole in a byte buffer (MSB-first bit order).
// The streaming decoder (decoder.ts) only calls these once the line's bits are all buffered, so
// they never suspend; every read is checked against `limit`, so garbage ends in "bad line"
// rather than a read past the data. Results are changing-element lists (changes.ts).
import {
  WHITE_TABLE, BLACK_TABLE, MODE_TABLE, WHITE_ROOT, BLACK_ROOT, MODE_ROOT,
} from './tables.ts';
import { MODE_PASS, MODE_HORIZONTAL, MODE_V0, MODE_VL3, VERTICAL_DELTA, MAX_MAKEUP } from './codes.ts';

/** Bit position just after the last line decoded by decode1D/decode2D. */
export let endBit = 0;

/** `n` bits (n <= 16) at bit `pos` of `buf`, MSB first. `buf` must have 3 readable bytes past pos>>3. */
export function peekBits(buf: Uint8Array, pos: number, n: number): number {
  const i = pos >> 3;
  return ((((buf[i] << 16) | (buf[i + 1] << 8) | buf[i + 2]) >>> (24 - (pos & 7) - n)) & ((1 << n) - 1));
}

/**
 * Decodes a one-dimensional (MH) line starting at bit `pos`, not reading at or past `limit`.
 * Fills `cur`; returns the number of changing elements, or -1 when the line is bad.
 * On success endBit is the position after the line's last code word.
 */
export function decode1D(buf: Uint8Array, pos: number, limit: number, width: number, cur: Uint16Array): number {
  // Code lookups inlined (a 24-bit window at pos): this loop is most of MH decoding time.
  let a0 = 0;
  let n = 0;
  let black = 0;
  let t = WHITE_TABLE;
  let root = WHITE_ROOT;
  let rootMask = (1 << root) - 1;
  let run = 0;
  while (a0 < width) {
    const i = pos >> 3;
    const w = ((buf[i] << 16) | (buf[i + 1] << 8) | buf[i + 2]) << (pos & 7);
    let e = t[(w >>> (24 - root)) & rootMask];
    if (e < 0) {
      const p = -e;
      const sb = p & 15;
      e = t[(p >> 4) + ((w >>> (24 - root - sb)) & ((1 << sb) - 1))];
    }
    const len = e & 31;
    if (e === 0 || pos + len > limit) return -1;
    const v = (e >> 5) - 1;
    pos += len;
    run += v;
    if (v < 64) {
      // Terminating code: the run is complete.
      a0 += run;
      if (a0 > width || n > width + 2) return -1;
      cur[n++] = a0;
      run = 0;
      black ^= 1;
      if (black) {
        t = BLACK_TABLE;
        root = BLACK_ROOT;
      } else {
        t = WHITE_TABLE;
        root = WHITE_ROOT;
      }
      rootMask = (1 << root) - 1;
    } else if (v > MAX_MAKEUP) {
      return -1; // an EOL inside the line
    }
  }
  if (run !== 0) return -1;
  cur[n] = width;
  cur[n + 1] = width;
  cur[n + 2] = width;
  endBit = pos;
  return n;
}

/**
 * Decodes a two-dimensional (MR/MMR) line against the reference line `ref` (T.4 §4.2.1.3).
 * Same contract as decode1D.
 */
export function decode2D(buf: Uint8Array, pos: number, limit: number, width: number, ref: Uint16Array, cur: Uint16Array): number {
  // Lookups are inlined (a 24-bit window at pos, as in decode1D): this is the MR/MMR hot loop.
  let a0 = -1; // the imaginary white element before the line
  let black = 0;
  let n = 0;
  let bi = 0;
  const modeMask = (1 << MODE_ROOT) - 1;
  while (a0 < width) {
    if (n > width + 2) return -1;
    // b1: first changing element on the reference line right of a0 with the colour opposite
    // to a0's, i.e. an even entry when a0 is white, an odd one when black.
    while (bi > 0 && ref[bi - 1] > a0) bi--;
    while (ref[bi] <= a0) bi++;
    if ((bi & 1) !== black) bi++;
    const b1 = ref[bi];
    let i = pos >> 3;
    let w = ((buf[i] << 16) | (buf[i + 1] << 8) | buf[i + 2]) << (pos & 7);
    let e = MODE_TABLE[(w >>> (24 - MODE_ROOT)) & modeMask];
    if (e < 0) {
      const p = -e;
      const sb = p & 15;
      e = MODE_TABLE[(p >> 4) + ((w >>> (24 - MODE_ROOT - sb)) & ((1 << sb) - 1))];
    }
    const len = e & 31;
    if (e === 0 || pos + len > limit) return -1;
    const mode = (e >> 5) - 1;
    pos += len;
    if (mode >= MODE_V0 && mode <= MODE_VL3) {
      const a1 = b1 + VERTICAL_DELTA[mode];
      if (a1 <= a0 || a1 > width) return -1;
      cur[n++] = a1;
      a0 = a1;
      black ^= 1;
    } else if (mode === MODE_HORIZONTAL) {
      // Two runs, a0's colour first (T.4 §4.2.1.3.2 c).
      let a = a0 < 0 ? 0 : a0;
      let colour = black;
      for (let k = 0; k < 2; k++) {
        const t = colour ? BLACK_TABLE : WHITE_TABLE;
        const root = colour ? BLACK_ROOT : WHITE_ROOT;
        let run = 0;
        for (;;) {
          i = pos >> 3;
          w = ((buf[i] << 16) | (buf[i + 1] << 8) | buf[i + 2]) << (pos & 7);
          e = t[(w >>> (24 - root)) & ((1 << root) - 1)];
          if (e < 0) {
            const p = -e;
            const sb = p & 15;
            e = t[(p >> 4) + ((w >>> (24 - root - sb)) & ((1 << sb) - 1))];
          }
          const l = e & 31;
          if (e === 0 || pos + l > limit) return -1;
          const v = (e >> 5) - 1;
          if (v > MAX_MAKEUP) return -1; // EOL
          pos += l;
          run += v;
          if (v < 64) break;
        }
        a += run;
        if (a > width) return -1;
        cur[n++] = a;
        colour ^= 1;
      }
      a0 = a;
    } else if (mode === MODE_PASS) {
      const b2 = ref[bi + 1];
      if (b2 >= width) return -1;
      a0 = b2;
    } else {
      return -1; // EOL inside a line, extension (uncompressed mode) or no code word
    }
  }
  cur[n] = width;
  cur[n + 1] = width;
  cur[n + 2] = width;
  endBit = pos;
  return n;
}

/** True when the 12 bits at `pos` are an EOL code word (000000000001). */
export function isEol(buf: Uint8Array, pos: number): boolean {
  return peekBits(buf, pos, 12) === 1;
}

