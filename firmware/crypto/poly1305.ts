// Poly1305 (RFC 8439 §2.5) without BigInt: the accumulator and r are ten 13-bit limbs, so every
// product stays below 2^30 and every sum of five below 2^32 (exact 32-bit carries on the device).
// p = 2^130 - 5, so a carry out of bit 130 folds back multiplied by 5.

const MASK = 8191; // 2^13 - 1

/** 17 little-endian bytes (a block plus its top byte) -> ten 13-bit limbs. */
function toLimbs(b: Uint8Array, out: Int32Array): void {
  for (let i = 0; i < 10; i++) {
    const bit = 13 * i;
    const at = bit >> 3;
    const v = b[at] | (b[at + 1] << 8) | ((at + 2 < 17 ? b[at + 2] : 0) << 16);
    out[i] = (v >>> (bit & 7)) & MASK;
  }
}

export class Poly1305 {
  r = new Int32Array(10);
  h = new Int32Array(10);
  s: Uint8Array;
  buf = new Uint8Array(16);
  bufLen = 0;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new Error('poly1305: key is 32 bytes');
    const rb = new Uint8Array(17);
    rb.set(key.subarray(0, 16));
    // §2.5.1 clamp: top four bits of r[3], r[7], r[11], r[15] and bottom two of r[4], r[8], r[12] cleared.
    rb[3] &= 15; rb[7] &= 15; rb[11] &= 15; rb[15] &= 15;
    rb[4] &= 252; rb[8] &= 252; rb[12] &= 252;
    toLimbs(rb, this.r);
    this.s = new Uint8Array(16);
    this.s.set(key.subarray(16, 32));
  }

  /**
   * h = (h + block) · r mod p for `count` 16-byte blocks of `b` from `off`; `hibit` is 2^128 as
   * bit 11 of limb 9 (full blocks) or 0 (the padded last one). Written out over local variables
   * for the device interpreter, in the style of poly1305-donna's 16-bit version: every partial
   * sum of five products stays below 2^32, so `>>> 13` carries exactly.
   */
  blocks(b: Uint8Array, off: number, count: number, hibit: number): void {
    const h = this.h, r = this.r;
    let h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3], h4 = h[4], h5 = h[5], h6 = h[6], h7 = h[7], h8 = h[8], h9 = h[9];
    const r0 = r[0], r1 = r[1], r2 = r[2], r3 = r[3], r4 = r[4], r5 = r[5], r6 = r[6], r7 = r[7], r8 = r[8], r9 = r[9];
    // 2^130 ≡ 5 (mod p): products that land past limb 9 come back multiplied by 5.
    const s1 = 5 * r1, s2 = 5 * r2, s3 = 5 * r3, s4 = 5 * r4, s5 = 5 * r5, s6 = 5 * r6, s7 = 5 * r7, s8 = 5 * r8, s9 = 5 * r9;
    for (let n = 0; n < count; n++) {
      const p = off + 16 * n;
      const t0 = b[p] | (b[p + 1] << 8), t1 = b[p + 2] | (b[p + 3] << 8), t2 = b[p + 4] | (b[p + 5] << 8), t3 = b[p + 6] | (b[p + 7] << 8);
      const t4 = b[p + 8] | (b[p + 9] << 8), t5 = b[p + 10] | (b[p + 11] << 8), t6 = b[p + 12] | (b[p + 13] << 8), t7 = b[p + 14] | (b[p + 15] << 8);
      h0 += t0 & 0x1fff;
      h1 += ((t0 >>> 13) | (t1 << 3)) & 0x1fff;
      h2 += ((t1 >>> 10) | (t2 << 6)) & 0x1fff;
      h3 += ((t2 >>> 7) | (t3 << 9)) & 0x1fff;
      h4 += ((t3 >>> 4) | (t4 << 12)) & 0x1fff;
      h5 += (t4 >>> 1) & 0x1fff;
      h6 += ((t4 >>> 14) | (t5 << 2)) & 0x1fff;
      h7 += ((t5 >>> 11) | (t6 << 5)) & 0x1fff;
      h8 += ((t6 >>> 8) | (t7 << 8)) & 0x1fff;
      h9 += (t7 >>> 5) | hibit;
      let c = 0;
      let d0 = c + h0 * r0 + h1 * s9 + h2 * s8 + h3 * s7 + h4 * s6;
      c = d0 >>> 13; d0 &= 0x1fff;
      d0 += h5 * s5 + h6 * s4 + h7 * s3 + h8 * s2 + h9 * s1;
      c += d0 >>> 13; d0 &= 0x1fff;
      let d1 = c + h0 * r1 + h1 * r0 + h2 * s9 + h3 * s8 + h4 * s7;
      c = d1 >>> 13; d1 &= 0x1fff;
      d1 += h5 * s6 + h6 * s5 + h7 * s4 + h8 * s3 + h9 * s2;
      c += d1 >>> 13; d1 &= 0x1fff;
      let d2 = c + h0 * r2 + h1 * r1 + h2 * r0 + h3 * s9 + h4 * s8;
      c = d2 >>> 13; d2 &= 0x1fff;
      d2 += h5 * s7 + h6 * s6 + h7 * s5 + h8 * s4 + h9 * s3;
      c += d2 >>> 13; d2 &= 0x1fff;
      let d3 = c + h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s9;
      c = d3 >>> 13; d3 &= 0x1fff;
      d3 += h5 * s8 + h6 * s7 + h7 * s6 + h8 * s5 + h9 * s4;
      c += d3 >>> 13; d3 &= 0x1fff;
      let d4 = c + h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
      c = d4 >>> 13; d4 &= 0x1fff;
      d4 += h5 * s9 + h6 * s8 + h7 * s7 + h8 * s6 + h9 * s5;
      c += d4 >>> 13; d4 &= 0x1fff;
      let d5 = c + h0 * r5 + h1 * r4 + h2 * r3 + h3 * r2 + h4 * r1;
      c = d5 >>> 13; d5 &= 0x1fff;
      d5 += h5 * r0 + h6 * s9 + h7 * s8 + h8 * s7 + h9 * s6;
      c += d5 >>> 13; d5 &= 0x1fff;
      let d6 = c + h0 * r6 + h1 * r5 + h2 * r4 + h3 * r3 + h4 * r2;
      c = d6 >>> 13; d6 &= 0x1fff;
      d6 += h5 * r1 + h6 * r0 + h7 * s9 + h8 * s8 + h9 * s7;
      c += d6 >>> 13; d6 &= 0x1fff;
      let d7 = c + h0 * r7 + h1 * r6 + h2 * r5 + h3 * r4 + h4 * r3;
      c = d7 >>> 13; d7 &= 0x1fff;
      d7 += h5 * r2 + h6 * r1 + h7 * r0 + h8 * s9 + h9 * s8;
      c += d7 >>> 13; d7 &= 0x1fff;
      let d8 = c + h0 * r8 + h1 * r7 + h2 * r6 + h3 * r5 + h4 * r4;
      c = d8 >>> 13; d8 &= 0x1fff;
      d8 += h5 * r3 + h6 * r2 + h7 * r1 + h8 * r0 + h9 * s9;
      c += d8 >>> 13; d8 &= 0x1fff;
      let d9 = c + h0 * r9 + h1 * r8 + h2 * r7 + h3 * r6 + h4 * r5;
      c = d9 >>> 13; d9 &= 0x1fff;
      d9 += h5 * r4 + h6 * r3 + h7 * r2 + h8 * r1 + h9 * r0;
      c += d9 >>> 13; d9 &= 0x1fff;
      c = ((c << 2) + c) | 0;
      c = (c + d0) | 0;
      d0 = c & 0x1fff;
      c = c >>> 13;
      d1 += c;
      h0 = d0; h1 = d1; h2 = d2; h3 = d3; h4 = d4; h5 = d5; h6 = d6; h7 = d7; h8 = d8; h9 = d9;
    }
    h[0] = h0; h[1] = h1; h[2] = h2; h[3] = h3; h[4] = h4; h[5] = h5; h[6] = h6; h[7] = h7; h[8] = h8; h[9] = h9;
  }

  update(data: Uint8Array): Poly1305 {
    let i = 0;
    if (this.bufLen > 0) {
      while (i < data.length && this.bufLen < 16) this.buf[this.bufLen++] = data[i++];
      if (this.bufLen < 16) return this;
      this.blocks(this.buf, 0, 1, 1 << 11);
      this.bufLen = 0;
    }
    const whole = (data.length - i) >> 4;
    if (whole > 0) {
      this.blocks(data, i, whole, 1 << 11); // 2^128: the bit appended to every full block
      i += 16 * whole;
    }
    while (i < data.length) this.buf[this.bufLen++] = data[i++];
    return this;
  }

  digest(): Uint8Array {
    if (this.bufLen > 0) {
      // §2.5.1: a short final block gets a 0x01 byte after it and no 2^128 bit.
      this.buf[this.bufLen] = 1;
      for (let i = this.bufLen + 1; i < 16; i++) this.buf[i] = 0;
      this.blocks(this.buf, 0, 1, 0);
    }
    const h = this.h;
    // Carry fully (twice: the fold of the top carry can ripple once more).
    for (let pass = 0; pass < 2; pass++) {
      let c = 0;
      for (let i = 0; i < 10; i++) {
        const v = h[i] + c;
        c = Math.floor(v / 8192);
        h[i] = v - c * 8192;
      }
      h[0] += 5 * c;
    }
    // h < 2p now; g = h + 5 - 2^130 = h - p is the answer when h + 5 carries out of bit 130.
    const g = new Int32Array(10);
    let c = 5;
    for (let i = 0; i < 10; i++) {
      const v = h[i] + c;
      c = Math.floor(v / 8192);
      g[i] = v - c * 8192;
    }
    const f = c ? g : h;
    // Low 128 bits of f, plus s, mod 2^128, little-endian.
    const out = new Uint8Array(16);
    let acc = 0, bits = 0, o = 0, carry = 0;
    for (let i = 0; i < 10 && o < 16; i++) {
      acc |= f[i] << bits;
      bits += 13;
      while (bits >= 8 && o < 16) {
        const v = (acc & 0xff) + this.s[o] + carry;
        out[o++] = v & 0xff;
        carry = v >> 8;
        acc >>>= 8;
        bits -= 8;
      }
    }
    return out;
  }
}

export function poly1305(key: Uint8Array, msg: Uint8Array): Uint8Array {
  return new Poly1305(key).update(msg).digest();
}
