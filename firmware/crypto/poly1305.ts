// Poly1305 (RFC 8439 §2.5) without BigInt: the accumulator and r are ten 13-bit limbs, so every
// product (< 2^30) and every column sum (< 2^35) stays exact in a double on the device.
// p = 2^130 - 5, so a carry out of bit 130 folds back multiplied by 5.

const MASK = 8191; // 2^13 - 1

/** 17 little-endian bytes (a block plus its top byte) -> ten 13-bit limbs. */
function toLimbs(b: Uint8Array, out: Float64Array): void {
  for (let i = 0; i < 10; i++) {
    const bit = 13 * i;
    const at = bit >> 3;
    const v = b[at] | (b[at + 1] << 8) | ((at + 2 < 17 ? b[at + 2] : 0) << 16);
    out[i] = (v >>> (bit & 7)) & MASK;
  }
}

export class Poly1305 {
  r = new Float64Array(10);
  h = new Float64Array(10);
  m = new Float64Array(10);
  d = new Float64Array(10);
  s: Uint8Array;
  buf = new Uint8Array(17);
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

  /** h = (h + block) · r mod p, block already in this.buf (17 bytes with its top byte). */
  block(): void {
    const h = this.h, r = this.r, m = this.m, d = this.d;
    toLimbs(this.buf, m);
    for (let i = 0; i < 10; i++) h[i] += m[i];
    for (let i = 0; i < 10; i++) {
      let sum = 0;
      for (let j = 0; j < 10; j++) {
        // Terms past 2^130 wrap with factor 5 (2^130 ≡ 5 mod p).
        sum += j <= i ? h[j] * r[i - j] : 5 * h[j] * r[i - j + 10];
      }
      d[i] = sum;
    }
    let c = 0;
    for (let i = 0; i < 10; i++) {
      const v = d[i] + c;
      c = Math.floor(v / 8192);
      h[i] = v - c * 8192;
    }
    c = c * 5 + h[0];
    h[0] = c % 8192;
    h[1] += Math.floor(c / 8192);
  }

  update(data: Uint8Array): Poly1305 {
    for (let i = 0; i < data.length; i++) {
      this.buf[this.bufLen++] = data[i];
      if (this.bufLen === 16) {
        this.buf[16] = 1; // 2^128: the bit appended to every full block
        this.block();
        this.bufLen = 0;
      }
    }
    return this;
  }

  digest(): Uint8Array {
    if (this.bufLen > 0) {
      // §2.5.1: a short final block gets a 0x01 byte after it and no 2^128 bit.
      this.buf[this.bufLen] = 1;
      for (let i = this.bufLen + 1; i < 17; i++) this.buf[i] = 0;
      this.block();
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
    const g = new Float64Array(10);
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
