// ChaCha20 (RFC 8439 §2.3–2.4) in 32-bit words. Written here instead of taking @noble/ciphers:
// noble's cipher wrapper copies keys with Uint8Array.from and builds its constants with it when
// the module loads, and the device interpreter has no TypedArray.from (DEVICE.md).

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

function le32(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

// §2.2: the quarter round on four words of the working state.
function qr(x: Int32Array, a: number, b: number, c: number, d: number): void {
  x[a] = (x[a] + x[b]) | 0; x[d] = rotl(x[d] ^ x[a], 16);
  x[c] = (x[c] + x[d]) | 0; x[b] = rotl(x[b] ^ x[c], 12);
  x[a] = (x[a] + x[b]) | 0; x[d] = rotl(x[d] ^ x[a], 8);
  x[c] = (x[c] + x[d]) | 0; x[b] = rotl(x[b] ^ x[c], 7);
}

/** §2.3: one 64-byte keystream block for `counter` into `out`. */
export function chachaBlock(key: Uint8Array, counter: number, nonce: Uint8Array, out: Uint8Array): void {
  const s = new Int32Array(16);
  // "expand 32-byte k" as four little-endian words.
  s[0] = 0x61707865; s[1] = 0x3320646e; s[2] = 0x79622d32; s[3] = 0x6b206574;
  for (let i = 0; i < 8; i++) s[4 + i] = le32(key, 4 * i);
  s[12] = counter | 0;
  s[13] = le32(nonce, 0); s[14] = le32(nonce, 4); s[15] = le32(nonce, 8);
  const x = new Int32Array(16);
  x.set(s);
  for (let r = 0; r < 10; r++) {
    qr(x, 0, 4, 8, 12); qr(x, 1, 5, 9, 13); qr(x, 2, 6, 10, 14); qr(x, 3, 7, 11, 15);
    qr(x, 0, 5, 10, 15); qr(x, 1, 6, 11, 12); qr(x, 2, 7, 8, 13); qr(x, 3, 4, 9, 14);
  }
  for (let i = 0; i < 16; i++) {
    const v = (x[i] + s[i]) | 0;
    out[4 * i] = v & 0xff;
    out[4 * i + 1] = (v >>> 8) & 0xff;
    out[4 * i + 2] = (v >>> 16) & 0xff;
    out[4 * i + 3] = (v >>> 24) & 0xff;
  }
}

/** §2.4: data XOR the keystream starting at block `counter` (32-bit, must not wrap). */
export function chacha20(key: Uint8Array, nonce: Uint8Array, counter: number, data: Uint8Array): Uint8Array {
  if (key.length !== 32 || nonce.length !== 12) throw new Error('chacha20: key is 32 bytes, nonce 12');
  const blocks = Math.ceil(data.length / 64);
  if (counter < 0 || counter + blocks > 4294967296) throw new Error('chacha20: block counter would wrap');
  const out = new Uint8Array(data.length);
  const ks = new Uint8Array(64);
  for (let b = 0; b < blocks; b++) {
    chachaBlock(key, counter + b, nonce, ks);
    const o = 64 * b;
    const n = Math.min(64, data.length - o);
    for (let i = 0; i < n; i++) out[o + i] = data[o + i] ^ ks[i];
  }
  return out;
}
