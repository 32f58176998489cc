// HMAC-SHA-256 (RFC 2104) and HKDF (RFC 5869) over a one-shot hash function, so the board's
// SHA-256 engine (hal/crypto.ts) can stand in for the software one.
import { concat } from './bytes.ts';
import { sha256 } from './sha256.ts';
import type { HashFn } from './sha256.ts';

const BLOCK = 64; // SHA-256 block size in bytes (RFC 2104 §2: B)

export function hmac(hash: HashFn, key: Uint8Array, msg: Uint8Array | Uint8Array[]): Uint8Array {
  // The message may come in parts, copied once into the inner block: a one-shot hash engine
  // needs it whole, and a segment's parts joined first would be a second copy (1 KB on the board).
  const parts = msg instanceof Uint8Array ? [msg] : msg;
  let n = 0;
  for (let i = 0; i < parts.length; i++) n += parts[i].length;
  const k = new Uint8Array(BLOCK);
  k.set(key.length > BLOCK ? hash(key) : key);
  const inner = new Uint8Array(BLOCK + n);
  const outer = new Uint8Array(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = k[i] ^ 0x36;
    outer[i] = k[i] ^ 0x5c;
  }
  n = BLOCK;
  for (let i = 0; i < parts.length; i++) {
    inner.set(parts[i], n);
    n += parts[i].length;
  }
  outer.set(hash(inner), BLOCK);
  return hash(outer);
}

export function hmacSha256(key: Uint8Array, msg: Uint8Array): Uint8Array {
  return hmac(sha256, key, msg);
}

/** RFC 5869 §2.2. An empty salt means HashLen zero bytes. */
export function hkdfExtract(hash: HashFn, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return hmac(hash, salt.length ? salt : new Uint8Array(32), ikm);
}

/** RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i), L ≤ 255·HashLen. */
export function hkdfExpand(hash: HashFn, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (length < 0 || length > 255 * 32) throw new Error('hkdf: output length ' + length + ' out of range');
  const out = new Uint8Array(length);
  let prev: Uint8Array = new Uint8Array(0);
  let o = 0;
  for (let i = 1; o < length; i++) {
    prev = hmac(hash, prk, concat([prev, info, new Uint8Array([i])]));
    const take = Math.min(32, length - o);
    out.set(prev.subarray(0, take), o);
    o += take;
  }
  return out;
}

export function hkdf(hash: HashFn, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return hkdfExpand(hash, hkdfExtract(hash, salt, ikm), info, length);
}
