// GF(2^128) arithmetic in the GHASH representation (NIST SP 800-38D §6.3): a 16-byte block is a
// polynomial whose coefficient of x^0 is the most significant bit of byte 0, reduced modulo
// x^128 + x^7 + x^2 + x + 1. Internally an element is four 32-bit words, w[0] = bytes 0..3
// big-endian. No BigInt: this runs on the device.

/** Block (16 bytes) -> 4 words. */
export function toWords(b: Uint8Array, off: number, w: Int32Array): void {
  for (let i = 0; i < 4; i++) {
    const p = off + 4 * i;
    w[i] = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
  }
}

/** 4 words -> block (16 bytes). */
export function fromWords(w: Int32Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 4; i++) {
    out[4 * i] = (w[i] >>> 24) & 0xff;
    out[4 * i + 1] = (w[i] >>> 16) & 0xff;
    out[4 * i + 2] = (w[i] >>> 8) & 0xff;
    out[4 * i + 3] = w[i] & 0xff;
  }
  return out;
}

/**
 * X·Y by SP 800-38D §6.3 Algorithm 1, one bit at a time: the reference the table method is
 * tested against, and cheap enough for one-off products (the center, the tests).
 */
export function gfMul(x: Uint8Array, y: Uint8Array): Uint8Array {
  const z = new Int32Array(4);
  const v = new Int32Array(4);
  toWords(y, 0, v);
  for (let i = 0; i < 128; i++) {
    if ((x[i >> 3] >> (7 - (i & 7))) & 1) {
      z[0] ^= v[0];
      z[1] ^= v[1];
      z[2] ^= v[2];
      z[3] ^= v[3];
    }
    // V·x: a right shift in this bit order; the bit leaving x^127 folds back as R = 0xE1 ‖ 0^120.
    const carry = v[3] & 1;
    v[3] = (v[3] >>> 1) | (v[2] << 31);
    v[2] = (v[2] >>> 1) | (v[1] << 31);
    v[1] = (v[1] >>> 1) | (v[0] << 31);
    v[0] = v[0] >>> 1;
    if (carry) v[0] ^= 0xe1000000;
  }
  return fromWords(z);
}

export function gfAdd(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = a[i] ^ b[i];
  return out;
}

// Reduction of the eight bits shifted out by an 8-bit right shift (Shoup's method): a bit at
// x^(127-k) becomes x^(135-k) = x^(7-k)·x^128 ≡ x^(7-k)·(1 + x + x^2 + x^7), i.e. 0xE1 shifted
// right by 7-k bits in the top 16 bits of the block. Built on first use (1 KB).
let REM8: Int32Array | null = null;

function rem8(): Int32Array {
  if (REM8) return REM8;
  const t = new Int32Array(256);
  for (let r = 0; r < 256; r++) {
    let v = 0;
    for (let k = 0; k < 8; k++) if ((r >> k) & 1) v ^= 0xe100 >> (7 - k);
    t[r] = v << 16;
  }
  REM8 = t;
  return t;
}

/**
 * Multiplication by a fixed H with a 256-entry table of byte multiples (Shoup's 8-bit method):
 * 16 table steps per product instead of 128 bit steps. GHASH and the POLY evaluation multiply by
 * the same H hundreds of times, so the 4 KB table pays for itself quickly; on the device this
 * halves a POLY key against the 4-bit table.
 */
export class GfMulTable {
  /** Entry b (words 4b..4b+3) is b·H, where byte b = b0…b7 (MSB first) stands for Σ b_k x^k. */
  t = new Int32Array(1024);
  rem: Int32Array;

  constructor(h: Uint8Array) {
    const t = this.t;
    this.rem = rem8();
    const v = new Int32Array(4);
    toWords(h, 0, v);
    t.set(v, 4 * 0x80); // byte 0x80 = x^0
    for (let i = 0x40; i > 0; i >>= 1) {
      const carry = v[3] & 1;
      v[3] = (v[3] >>> 1) | (v[2] << 31);
      v[2] = (v[2] >>> 1) | (v[1] << 31);
      v[1] = (v[1] >>> 1) | (v[0] << 31);
      v[0] = v[0] >>> 1;
      if (carry) v[0] ^= 0xe1000000;
      t.set(v, 4 * i);
    }
    for (let i = 2; i <= 0x80; i *= 2) {
      for (let j = 1; j < i; j++) {
        const a = 4 * (i + j), b = 4 * i, c = 4 * j;
        t[a] = t[b] ^ t[c];
        t[a + 1] = t[b + 1] ^ t[c + 1];
        t[a + 2] = t[b + 2] ^ t[c + 2];
        t[a + 3] = t[b + 3] ^ t[c + 3];
      }
    }
  }

  /** z := z·H, z as 4 words. Processes z from its last byte (highest powers) to its first. */
  mulInPlace(z: Int32Array): void {
    const t = this.t, rem = this.rem;
    let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
    for (let i = 15; i >= 0; i--) {
      const byte = (z[i >> 2] >>> (8 * (3 - (i & 3)))) & 0xff;
      if (i !== 15) {
        const r = z3 & 0xff;
        z3 = (z3 >>> 8) | (z2 << 24);
        z2 = (z2 >>> 8) | (z1 << 24);
        z1 = (z1 >>> 8) | (z0 << 24);
        z0 = (z0 >>> 8) ^ rem[r];
      }
      const p = 4 * byte;
      z0 ^= t[p];
      z1 ^= t[p + 1];
      z2 ^= t[p + 2];
      z3 ^= t[p + 3];
    }
    z[0] = z0;
    z[1] = z1;
    z[2] = z2;
    z[3] = z3;
  }
}

/**
 * GHASH_H over whole blocks (SP 800-38D §6.4), resumable: `absorb` can be called with a few
 * blocks at a time so a long evaluation is sliced across kernel dispatches.
 */
export class Ghash {
  table: GfMulTable;
  y = new Int32Array(4);
  x = new Int32Array(4);

  constructor(h: Uint8Array) {
    this.table = new GfMulTable(h);
  }

  /** Absorbs `count` blocks of `data` starting at block index `first`. */
  absorb(data: Uint8Array, first: number, count: number): void {
    const y = this.y;
    const x = this.x;
    for (let b = first; b < first + count; b++) {
      toWords(data, 16 * b, x);
      y[0] ^= x[0];
      y[1] ^= x[1];
      y[2] ^= x[2];
      y[3] ^= x[3];
      this.table.mulInPlace(y);
    }
  }

  result(): Uint8Array {
    return fromWords(this.y);
  }
}

/** GHASH_H(data), data a whole number of blocks. */
export function ghash(h: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length % 16 !== 0) throw new Error('ghash: input is not a whole number of blocks');
  const g = new Ghash(h);
  g.absorb(data, 0, data.length / 16);
  return g.result();
}
