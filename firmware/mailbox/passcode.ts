// Pass codes: PBKDF2-HMAC-SHA256 (RFC 8018 §5.2, one 32-byte block) with a 16-byte random salt
// per box and an iteration count kept with the hash, so it can be tuned to the board. SHA-256 is
// the board's engine when it has one (hal/crypto.ts; pass it as `hash`): in pure JS, 64
// iterations took 1.4 s on the interpreter's Linux build, about 47 s projected on an ESP32-class
// board, hence the default of 16. Compared in constant time. A 4–8 digit code is weak against someone holding a flash dump whatever the hash; the
// lockout (lockout.ts) is what protects it at the panel and over the LAN.
import { hmac } from '../crypto/hkdf.ts';
import { sha256 } from '../crypto/sha256.ts';
import type { HashFn } from '../crypto/sha256.ts';
import { equalCT, fromHex, toHex } from '../crypto/bytes.ts';
import type { Entropy } from '../../hal/entropy.ts';

function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** PBKDF2-HMAC-SHA256 with dkLen = 32 (a single block T_1). */
export function pbkdf2Sha256(password: Uint8Array, salt: Uint8Array, iterations: number, hash?: HashFn): Uint8Array {
  const h = hash || sha256;
  const first = new Uint8Array(salt.length + 4);
  first.set(salt);
  first[salt.length + 3] = 1; // INT(1), big-endian
  let u = hmac(h, password, first);
  const t = new Uint8Array(32);
  t.set(u);
  for (let i = 1; i < iterations; i++) {
    u = hmac(h, password, u);
    for (let j = 0; j < 32; j++) t[j] ^= u[j];
  }
  return t;
}

export function hashCode(code: string, saltHex: string, iterations: number, hash?: HashFn): string {
  return toHex(pbkdf2Sha256(bytesOf(code), fromHex(saltHex), iterations, hash));
}

export function newSalt(entropy: Entropy): string {
  const s = new Uint8Array(16);
  entropy.fill(s);
  return toHex(s);
}

/** True when `code` hashes to `hashHex`; the comparison does not stop at the first difference. */
export function codeMatches(code: string, saltHex: string, iterations: number, hashHex: string, hash?: HashFn): boolean {
  if (!hashHex) return false;
  const want = fromHex(hashHex);
  const got = pbkdf2Sha256(bytesOf(code), fromHex(saltHex), iterations, hash);
  return equalCT(got, want);
}
