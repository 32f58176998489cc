// Table-driven decoding of one coded line held whole in a byte buffer (MSB-first bit order).
// The streaming decoder (decoder.ts) only calls these on bits it has buffered, so they never
// suspend; no line is made of bits at or past `limit`, so garbage ends in "bad line" rather
// than a line made of bits that are not there. Results are changing-element lists (changes.ts).
//
// The bits are read through a 32-bit accumulator refilled two bytes at a time (`acc` holds
// `nb` valid bits at its low end, 16 <= nb <= 31 after a refill; bits above them are stale and
// masked off), so each code word costs one table lookup (two for the long ones) and a shift:
// fewer operations per code word for V8 and for the interpreter alike. `limit` is checked at
// each refill and at the end of the line rather than after every code word (positions only
// grow, so a code word ending past it still makes the line bad); so the decoder reads at most
// a few bytes past `limit` (LOOKAHEAD_BYTES: buffers handed in have that much room).
import { decodeTables } from './tables.ts';

// In the loops below the table geometry is written as numbers: RUN_ROOT = 8 bits (mask 0xff),
// MODE_ROOT = 7 (0x7f), KIND_HORIZONTAL = 7, a make-up code's entry at most (MAX_MAKEUP << 4) | 15
// = 40975, a terminating code's below 64 << 4 = 1024. On the interpreter a name from outside
// the function is looked up through the scopes at every use, a number is not
// (test/firmware/fax/t4/codec.test.ts checks the numbers against the constants).

/** Bit position just after the last line decoded by decode1D/decode2D. */
export let endBit = 0;

/** Bytes a buffer needs past the last data byte for the decoders' look-ahead. */
export const LOOKAHEAD_BYTES = 8;

/** `n` bits (n <= 16) at bit `pos` of `buf`, MSB first. `buf` must have 3 readable bytes past pos>>3. */
export function peekBits(buf: Uint8Array, pos: number, n: number): number {
  const i = pos >> 3;
  return ((((buf[i] << 16) | (buf[i + 1] << 8) | buf[i + 2]) >>> (24 - (pos & 7) - n)) & ((1 << n) - 1));
}


/**
 * Decodes a one-dimensional (MH) line starting at bit `pos`, not using bits at or past `limit`.
 * Fills `cur`; returns the number of changing elements, or -1 when the line is bad.
 * On success endBit is the position after the line's last code word.
 */
export function decode1D(buf: Uint8Array, pos: number, limit: number, width: number, cur: Uint16Array): number {
  const tables = decodeTables();
  const white = tables[0];
  const black = tables[1];
  let p = pos >> 3;
  let acc = buf[p++];
  let nb = 8 - (pos & 7);
  let a0 = 0;
  let n = 0;
  // A white run then a black run, until the line is full; each run is make-up codes (64 pixels
  // and more) then one terminating code (0-63). The two colours are written out rather than
  // switching tables: one branch fewer per code word.
  for (;;) {
    let run = 0;
    let e = 0;
    for (;;) {
      if (nb < 16) {
        if ((p << 3) - nb > limit) return -1;
        acc = (acc << 16) | (buf[p] << 8) | buf[p + 1];
        p += 2;
        nb += 16;
      }
      e = white[(acc >>> (nb - 8)) & 0xff];
      if ((e & 15) === 0) {
        // a long code word (or none): second level
        if (e === 0) return -1;
        const x = (e >> 4) & 7;
        e = white[(e >> 7) + ((acc >>> (nb - 8 - x)) & ((1 << x) - 1))];
        if (e === 0) return -1;
      }
      nb -= e & 15;
      if (e < 1024) break; // terminating code
      // Make-up code (or EOL, which cannot be inside a line); a run longer than the line is
      // bad already, which also bounds how far a line of make-up codes can read.
      run += e >> 4;
      if (e > 40975 || run > width) return -1;
    }
    a0 += run + (e >> 4);
    if (a0 > width || n > width + 2) return -1;
    cur[n++] = a0;
    if (a0 >= width) break;
    run = 0;
    for (;;) {
      if (nb < 16) {
        if ((p << 3) - nb > limit) return -1;
        acc = (acc << 16) | (buf[p] << 8) | buf[p + 1];
        p += 2;
        nb += 16;
      }
      e = black[(acc >>> (nb - 8)) & 0xff];
      if ((e & 15) === 0) {
        if (e === 0) return -1;
        const x = (e >> 4) & 7;
        e = black[(e >> 7) + ((acc >>> (nb - 8 - x)) & ((1 << x) - 1))];
        if (e === 0) return -1;
      }
      nb -= e & 15;
      if (e < 1024) break;
      run += e >> 4;
      if (e > 40975 || run > width) return -1;
    }
    a0 += run + (e >> 4);
    if (a0 > width || n > width + 2) return -1;
    cur[n++] = a0;
    if (a0 >= width) break;
  }
  const end = (p << 3) - nb;
  if (end > limit) return -1;
  cur[n] = width;
  cur[n + 1] = width;
  cur[n + 2] = width;
  endBit = end;
  return n;
}

/**
 * Decodes a two-dimensional (MR/MMR) line against the reference line `ref` (T.4 §4.2.1.3).
 * Same contract as decode1D.
 */
export function decode2D(buf: Uint8Array, pos: number, limit: number, width: number, ref: Uint16Array, cur: Uint16Array): number {
  const tables = decodeTables();
  const white = tables[0];
  const black = tables[1];
  const modes = tables[2];
  let p = pos >> 3;
  let acc = buf[p++];
  let nb = 8 - (pos & 7);
  let a0 = -1; // the imaginary white element before the line
  let n = 0;
  // b1 (T.4 §4.2.1.3.1) is ref[bi]: the first changing element on the reference line right of
  // a0 with the colour opposite to a0's, i.e. the smallest index bi of a0's parity (even when
  // a0 is white: bi's parity is a0's colour throughout) with ref[bi] > a0. After each mode the new bi can only lie at or after a
  // known index of the right parity (see each mode below), so it is found stepping by two
  // from there (ref never decreases: it is a line this decoder made, or a white line).
  let bi = 0;
  while (a0 < width) {
    if (n > width + 2) return -1; // zero-length runs in horizontal mode can make many entries
    while (ref[bi] <= a0) bi += 2;
    if (nb < 16) {
      if ((p << 3) - nb > limit) return -1;
      acc = (acc << 16) | (buf[p] << 8) | buf[p + 1];
      p += 2;
      nb += 16;
    }
    const two = modes[(acc >>> (nb - 7)) & 0x7f];
    const e = two & 0xff;
    if (e === 0) return -1; // EOL inside a line, extension (uncompressed mode) or no code word
    nb -= e & 15;
    const kind = e >> 4;
    if (kind < 7) {
      // Vertical mode: a1 = b1 + (kind - 3); a0's colour changes, and with it bi's parity.
      const a1 = ref[bi] + kind - 3;
      if (a1 <= a0 || a1 > width) return -1;
      cur[n++] = a1;
      // V0/VR: every element up to bi is <= b1 <= a1, so the next b1 is at bi+1 or later.
      // VL: the elements of the new parity before bi-1 are below the old a0 (b1 was the first
      // of its parity past it), so bi-1 is the first candidate (bi+1 when there is none).
      if (kind >= 3) bi++;
      else bi = bi > 0 ? bi - 1 : 1;
      a0 = a1;
      // A second vertical mode in the same lookup (tables.ts), unless the line is complete
      // (then those bits begin whatever follows it): the same steps again.
      const e2 = two >> 8;
      if (e2 !== 0 && a0 < width) {
        while (ref[bi] <= a0) bi += 2;
        nb -= e2 & 15;
        const a2 = ref[bi] + (e2 >> 4) - 3;
        if (a2 <= a0 || a2 > width) return -1;
        cur[n++] = a2;
        if (e2 >= 48) bi++; // kind >= 3
        else bi = bi > 0 ? bi - 1 : 1;
        a0 = a2;
      }
    } else if (kind === 7) {
      // Two runs, a0's colour first (T.4 §4.2.1.3.2 c).
      let a = a0 < 0 ? 0 : a0;
      let t = (bi & 1) === 0 ? white : black;
      for (let k = 0; k < 2; k++) {
        let run = 0;
        for (;;) {
          if (nb < 16) {
            if ((p << 3) - nb > limit) return -1;
            acc = (acc << 16) | (buf[p] << 8) | buf[p + 1];
            p += 2;
            nb += 16;
          }
          let r = t[(acc >>> (nb - 8)) & 0xff];
          if ((r & 15) === 0) {
            if (r === 0) return -1;
            const x = (r >> 4) & 7;
            r = t[(r >> 7) + ((acc >>> (nb - 8 - x)) & ((1 << x) - 1))];
            if (r === 0) return -1;
          }
          nb -= r & 15;
          const v = r >> 4;
          run += v;
          if (v < 64) break;
          if (v > 2560 || run > width) return -1; // EOL (above MAX_MAKEUP), or a run longer than the line
        }
        a += run;
        if (a > width) return -1;
        cur[n++] = a;
        t = t === white ? black : white;
      }
      a0 = a; // a0 moved right with its colour unchanged: b1 is at bi or later
    } else {
      // Pass mode (KIND_PASS): a0 moves under b2, its colour unchanged; every element up to
      // bi+1 is <= b2, so b1 is at bi+2 or later.
      const b2 = ref[bi + 1];
      if (b2 >= width) return -1;
      a0 = b2;
      bi += 2;
    }
  }
  const end = (p << 3) - nb;
  if (end > limit) return -1;
  cur[n] = width;
  cur[n + 1] = width;
  cur[n + 2] = width;
  endBit = end;
  return n;
}

/** True when the 12 bits at `pos` are an EOL code word (000000000001). */
export function isEol(buf: Uint8Array, pos: number): boolean {
  return peekBits(buf, pos, 12) === 1;
}
