// ChaCha20 (RFC 8439 §2.3–2.4) in 32-bit words. Written here instead of taking @noble/ciphers:
// noble's cipher wrapper copies keys with Uint8Array.from and builds its constants with it when
// the module loads, and the device interpreter has no TypedArray.from (docs/ESPRUINO.md).

function le32(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

/**
 * §2.3: one 64-byte keystream block for `counter` into `out`. The state lives in sixteen local
 * variables and the quarter rounds (§2.1) are written out: on the device interpreter every
 * typed-array access and function call costs, and this loop is the whole cipher.
 */
export function chachaBlock(key: Uint8Array, counter: number, nonce: Uint8Array, out: Uint8Array): void {
  chachaXorBlock(key, counter, nonce, ZERO64, out, 0, 64);
}

const ZERO64 = new Uint8Array(64);

/** out[off..off+n) = data[off..off+n) XOR keystream block `counter` (n ≤ 64). */
export function chachaXorBlock(key: Uint8Array, counter: number, nonce: Uint8Array, data: Uint8Array, out: Uint8Array, off: number, n: number): void {
  // "expand 32-byte k" as four little-endian words, then key, counter, nonce (§2.3).
  const j0 = 0x61707865, j1 = 0x3320646e, j2 = 0x79622d32, j3 = 0x6b206574;
  const j4 = le32(key, 0), j5 = le32(key, 4), j6 = le32(key, 8), j7 = le32(key, 12);
  const j8 = le32(key, 16), j9 = le32(key, 20), j10 = le32(key, 24), j11 = le32(key, 28);
  const j12 = counter | 0, j13 = le32(nonce, 0), j14 = le32(nonce, 4), j15 = le32(nonce, 8);
  let x0 = j0, x1 = j1, x2 = j2, x3 = j3, x4 = j4, x5 = j5, x6 = j6, x7 = j7;
  let x8 = j8, x9 = j9, x10 = j10, x11 = j11, x12 = j12, x13 = j13, x14 = j14, x15 = j15;
  for (let r = 0; r < 10; r++) {
    // column rounds QR(0,4,8,12) … QR(3,7,11,15), then diagonal rounds QR(0,5,10,15) … QR(3,4,9,14)
    x0 = (x0 + x4) | 0; x12 ^= x0; x12 = (x12 << 16) | (x12 >>> 16);
    x8 = (x8 + x12) | 0; x4 ^= x8; x4 = (x4 << 12) | (x4 >>> 20);
    x0 = (x0 + x4) | 0; x12 ^= x0; x12 = (x12 << 8) | (x12 >>> 24);
    x8 = (x8 + x12) | 0; x4 ^= x8; x4 = (x4 << 7) | (x4 >>> 25);
    x1 = (x1 + x5) | 0; x13 ^= x1; x13 = (x13 << 16) | (x13 >>> 16);
    x9 = (x9 + x13) | 0; x5 ^= x9; x5 = (x5 << 12) | (x5 >>> 20);
    x1 = (x1 + x5) | 0; x13 ^= x1; x13 = (x13 << 8) | (x13 >>> 24);
    x9 = (x9 + x13) | 0; x5 ^= x9; x5 = (x5 << 7) | (x5 >>> 25);
    x2 = (x2 + x6) | 0; x14 ^= x2; x14 = (x14 << 16) | (x14 >>> 16);
    x10 = (x10 + x14) | 0; x6 ^= x10; x6 = (x6 << 12) | (x6 >>> 20);
    x2 = (x2 + x6) | 0; x14 ^= x2; x14 = (x14 << 8) | (x14 >>> 24);
    x10 = (x10 + x14) | 0; x6 ^= x10; x6 = (x6 << 7) | (x6 >>> 25);
    x3 = (x3 + x7) | 0; x15 ^= x3; x15 = (x15 << 16) | (x15 >>> 16);
    x11 = (x11 + x15) | 0; x7 ^= x11; x7 = (x7 << 12) | (x7 >>> 20);
    x3 = (x3 + x7) | 0; x15 ^= x3; x15 = (x15 << 8) | (x15 >>> 24);
    x11 = (x11 + x15) | 0; x7 ^= x11; x7 = (x7 << 7) | (x7 >>> 25);
    x0 = (x0 + x5) | 0; x15 ^= x0; x15 = (x15 << 16) | (x15 >>> 16);
    x10 = (x10 + x15) | 0; x5 ^= x10; x5 = (x5 << 12) | (x5 >>> 20);
    x0 = (x0 + x5) | 0; x15 ^= x0; x15 = (x15 << 8) | (x15 >>> 24);
    x10 = (x10 + x15) | 0; x5 ^= x10; x5 = (x5 << 7) | (x5 >>> 25);
    x1 = (x1 + x6) | 0; x12 ^= x1; x12 = (x12 << 16) | (x12 >>> 16);
    x11 = (x11 + x12) | 0; x6 ^= x11; x6 = (x6 << 12) | (x6 >>> 20);
    x1 = (x1 + x6) | 0; x12 ^= x1; x12 = (x12 << 8) | (x12 >>> 24);
    x11 = (x11 + x12) | 0; x6 ^= x11; x6 = (x6 << 7) | (x6 >>> 25);
    x2 = (x2 + x7) | 0; x13 ^= x2; x13 = (x13 << 16) | (x13 >>> 16);
    x8 = (x8 + x13) | 0; x7 ^= x8; x7 = (x7 << 12) | (x7 >>> 20);
    x2 = (x2 + x7) | 0; x13 ^= x2; x13 = (x13 << 8) | (x13 >>> 24);
    x8 = (x8 + x13) | 0; x7 ^= x8; x7 = (x7 << 7) | (x7 >>> 25);
    x3 = (x3 + x4) | 0; x14 ^= x3; x14 = (x14 << 16) | (x14 >>> 16);
    x9 = (x9 + x14) | 0; x4 ^= x9; x4 = (x4 << 12) | (x4 >>> 20);
    x3 = (x3 + x4) | 0; x14 ^= x3; x14 = (x14 << 8) | (x14 >>> 24);
    x9 = (x9 + x14) | 0; x4 ^= x9; x4 = (x4 << 7) | (x4 >>> 25);
  }
  const w = [x0 + j0, x1 + j1, x2 + j2, x3 + j3, x4 + j4, x5 + j5, x6 + j6, x7 + j7,
    x8 + j8, x9 + j9, x10 + j10, x11 + j11, x12 + j12, x13 + j13, x14 + j14, x15 + j15];
  for (let i = 0; i < n; i++) {
    out[off + i] = data[off + i] ^ ((w[i >> 2] >>> (8 * (i & 3))) & 0xff);
  }
}

/** §2.4: data XOR the keystream starting at block `counter` (32-bit, must not wrap). */
export function chacha20(key: Uint8Array, nonce: Uint8Array, counter: number, data: Uint8Array): Uint8Array {
  if (key.length !== 32 || nonce.length !== 12) throw new Error('chacha20: key is 32 bytes, nonce 12');
  const blocks = Math.ceil(data.length / 64);
  if (counter < 0 || counter + blocks > 4294967296) throw new Error('chacha20: block counter would wrap');
  const out = new Uint8Array(data.length);
  for (let b = 0; b < blocks; b++) {
    const o = 64 * b;
    chachaXorBlock(key, counter + b, nonce, data, out, o, Math.min(64, data.length - o));
  }
  return out;
}
