// Secrets typed by people or sent by fax machines (box pass codes, the T.30 SID password, the
// administrator code): each kept as its own record — hash, salt, iteration count and scheme
// version — never in clear.
//
//   v0  PBKDF2-HMAC-SHA256 (RFC 8018 §5.2, one 32-byte block) of the code with a 16-byte salt
//   v1  HMAC-SHA256(device secret, v0): the hash is bound to the board's device secret
//       (device-secret.ts), so a copy of the flash alone does not allow an offline search of
//       the short numeric codes; a v0 record is upgraded in place at boot (no code needed)
//
// SHA-256 is the board's engine when it has one (hal/crypto.ts, passed as `hash`): in pure JS,
// 64 iterations took 1.4 s on the interpreter's Linux build, about 47 s projected on an
// ESP32-class board, hence the default of 16. A 6-digit code has 10^6 values whatever the
// iteration count: what protects it online is the lockout (lockout.ts), offline the device
// secret. Compared in constant time.
import { hmac } from '../crypto/hkdf.ts';
import { sha256 } from '../crypto/sha256.ts';
import type { HashFn } from '../crypto/sha256.ts';
import { equalCT, fromHex, toHex } from '../crypto/bytes.ts';
import type { Entropy } from '../../hal/entropy.ts';

/** Default PBKDF2 rounds (the board hashes slowly; see above). */
export const DEFAULT_ITER = 16;
/** New pass codes and administrator codes: at least this many digits (existing ones are flagged). */
export const MIN_CODE_DIGITS = 6;
export const MAX_CODE_DIGITS = 12;

/** One stored secret. `hash` '' means none is set. */
export interface SecretRecord {
  hash: string;
  salt: string;
  iter: number;
  /** Scheme version: 0 plain PBKDF2, 1 bound to the device secret. */
  v: number;
}

/** What hashing a secret needs: the board's hash engine, the device secret, a salt source. */
export interface SecretKeys {
  hash?: HashFn;
  /** The device secret (32 bytes) or null where none exists (tools, old tests): v0 records. */
  pepper: Uint8Array | null;
  /** Random bytes for salts (the health-tested source of crypto/entropy-health.ts on a board). */
  entropy: Entropy;
}

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

function bind(pepper: Uint8Array, v0: Uint8Array, hash?: HashFn): Uint8Array {
  return hmac(hash || sha256, pepper, v0);
}

/** The v0 hash (hex): PBKDF2 only. Kept for tools and tests that know no device secret. */
export function hashCode(code: string, saltHex: string, iterations: number, hash?: HashFn): string {
  return toHex(pbkdf2Sha256(bytesOf(code), fromHex(saltHex), iterations, hash));
}

export function newSalt(entropy: Entropy): string {
  const s = new Uint8Array(16);
  entropy.fill(s);
  return toHex(s);
}

function compute(code: string, salt: string, iter: number, v: number, keys: SecretKeys): Uint8Array | null {
  const base = pbkdf2Sha256(bytesOf(code), fromHex(salt), iter, keys.hash);
  if (v === 0) return base;
  if (v === 1 && keys.pepper) return bind(keys.pepper, base, keys.hash);
  return null; // a bound record without the device secret can never match
}

/** A new record for `code`: a fresh salt, bound to the device secret when there is one. */
export function makeSecret(code: string, keys: SecretKeys, iter?: number): SecretRecord {
  const salt = newSalt(keys.entropy);
  const it = iter || DEFAULT_ITER;
  const v = keys.pepper ? 1 : 0;
  return { hash: toHex(compute(code, salt, it, v, keys) as Uint8Array), salt: salt, iter: it, v: v };
}

/**
 * makeSecret, or a record nothing matches when no salt can be had (the entropy source failed its
 * health tests): a code is never kept in clear nor hashed with a bad salt, and a box that needs
 * a SID password keeps needing one (fail closed: a set hash of zeros, bound, unreachable).
 */
export function makeSecretOrNone(code: string, keys: SecretKeys, iter?: number): SecretRecord {
  try {
    return makeSecret(code, keys, iter);
  } catch (e) {
    let zeros = '';
    for (let i = 0; i < 64; i++) zeros += '0';
    return { hash: zeros, salt: '', iter: iter || DEFAULT_ITER, v: 1 };
  }
}

/** True when `code` is the secret of `rec`; the comparison does not stop at the first difference. */
export function secretMatches(code: string, rec: SecretRecord, keys: SecretKeys): boolean {
  if (!rec.hash) return false;
  const got = compute(code, rec.salt, rec.iter, rec.v, keys);
  const want = fromHex(rec.hash);
  if (!got) return false;
  return equalCT(got, want);
}

/** Bind a v0 record to the device secret without knowing the code (v1 = HMAC over v0). */
export function upgradeSecret(rec: SecretRecord, keys: SecretKeys): boolean {
  if (!rec.hash || rec.v !== 0 || !keys.pepper) return false;
  rec.hash = toHex(bind(keys.pepper, fromHex(rec.hash), keys.hash));
  rec.v = 1;
  return true;
}

/** True when `code` (v0 hash) is the one of hashHex; for the tools' old records. */
export function codeMatches(code: string, saltHex: string, iterations: number, hashHex: string, hash?: HashFn): boolean {
  if (!hashHex) return false;
  return equalCT(pbkdf2Sha256(bytesOf(code), fromHex(saltHex), iterations, hash), fromHex(hashHex));
}

/**
 * A secret kept in fields of a settings object: `<prefix>Hash`, `<prefix>Salt`, `<prefix>Iter`,
 * `<prefix>V` (e.g. codeHash… of a box, sidHash… of its T.30 password, adminHash… of the panel).
 */
export function readSecret(holder: object, prefix: string): SecretRecord {
  const o = holder as { [k: string]: unknown };
  return {
    hash: typeof o[prefix + 'Hash'] === 'string' ? (o[prefix + 'Hash'] as string) : '',
    salt: typeof o[prefix + 'Salt'] === 'string' ? (o[prefix + 'Salt'] as string) : '',
    iter: typeof o[prefix + 'Iter'] === 'number' ? (o[prefix + 'Iter'] as number) : DEFAULT_ITER,
    v: typeof o[prefix + 'V'] === 'number' ? (o[prefix + 'V'] as number) : 0,
  };
}

export function writeSecret(holder: object, prefix: string, rec: SecretRecord): void {
  const o = holder as { [k: string]: unknown };
  o[prefix + 'Hash'] = rec.hash;
  o[prefix + 'Salt'] = rec.salt;
  o[prefix + 'Iter'] = rec.iter;
  o[prefix + 'V'] = rec.v;
}

/** Digits only, MIN_CODE_DIGITS..MAX_CODE_DIGITS: what the panel accepts as a new code. */
export function newCodeProblem(code: string): string {
  if (!/^[0-9]*$/.test(code)) return 'digits only';
  if (code.length < MIN_CODE_DIGITS || code.length > MAX_CODE_DIGITS) return 'Use ' + MIN_CODE_DIGITS + ' to ' + MAX_CODE_DIGITS + ' digits';
  return '';
}
