// The two segment AEADs of the envelope (docs/FAXNIKS.md §5.3). A segment is sealed under the
// message key with a nonce made of the message's nonce prefix, the segment counter and a
// last-segment flag (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár 2015),
// so segments cannot be reordered, dropped from the end, or extended past the last one.
//
//  0x01 CHACHA20-POLY1305 (RFC 8439 §2.8), composed here from chacha20.ts and poly1305.ts
//       (no BigInt: noble's AEAD writes its length block with BigInt/setBigUint64, and its
//       cipher wrappers use Uint8Array.from, both absent on the device).
//  0x02 AES-256-CTR + HMAC-SHA-256 (encrypt-then-MAC, 32-byte tag) for boards with an AES/SHA
//       engine: AES only through hal/crypto.ts (noble's AES builds 1.28 MB of tables: never here).
import type { CryptoAccel } from '../../hal/crypto.ts';
import { concat, equalCT, writeU32 } from './bytes.ts';
import { chacha20 } from './chacha20.ts';
import { Poly1305 } from './poly1305.ts';
import { hmac } from './hkdf.ts';
import type { HashFn } from './sha256.ts';
import { AEAD_AES256CTR_HMAC_SHA256, AEAD_CHACHA20_POLY1305, aeadName } from './suites.ts';

export const NONCE_PREFIX_BYTES = 7;
/** Segments per message: the counter is 32 bits in the nonce. */
export const MAX_SEGMENTS = 4294967295;

export interface SegmentAead {
  id: number;
  tagLength: number;
  /** ciphertext ‖ tag */
  seal(counter: number, last: boolean, aad: Uint8Array, plain: Uint8Array): Uint8Array;
  /** The plaintext, or null when the tag does not verify. */
  open(counter: number, last: boolean, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null;
}

/**
 * Message-key bytes each AEAD takes from HKDF (keys.ts messageKeys): one HMAC block for
 * ChaCha20 (32), two for AES + HMAC (32 + 32). Each HMAC costs ~20 ms on the interpreter.
 */
export function aeadKeyMaterialLength(id: number): number {
  if (id === AEAD_CHACHA20_POLY1305) return 32;
  if (id === AEAD_AES256CTR_HMAC_SHA256) return 64;
  throw new Error('aead: unknown AEAD id ' + id);
}

/** prefix(7) ‖ counter(4, big-endian) ‖ last(1): the 12-byte STREAM nonce. */
function streamNonce(prefix: Uint8Array, counter: number, last: boolean): Uint8Array {
  if (counter < 0 || counter > MAX_SEGMENTS) throw new Error('aead: segment counter out of range');
  const n = new Uint8Array(12);
  n.set(prefix, 0);
  writeU32(n, 7, counter);
  n[11] = last ? 1 : 0;
  return n;
}

const ZEROS16 = new Uint8Array(16);

/** RFC 8439 §2.8: Poly1305 over aad ‖ pad16 ‖ ct ‖ pad16 ‖ le64(|aad|) ‖ le64(|ct|). */
function chachaTag(otk: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array {
  const mac = new Poly1305(otk);
  mac.update(aad);
  if (aad.length % 16) mac.update(ZEROS16.subarray(0, 16 - (aad.length % 16)));
  mac.update(ct);
  if (ct.length % 16) mac.update(ZEROS16.subarray(0, 16 - (ct.length % 16)));
  // Lengths are below 2^32 here, so the high words of both 64-bit little-endian fields stay 0.
  const lens = new Uint8Array(16);
  lens[0] = aad.length & 0xff;
  lens[1] = (aad.length >>> 8) & 0xff;
  lens[2] = (aad.length >>> 16) & 0xff;
  lens[3] = (aad.length >>> 24) & 0xff;
  lens[8] = ct.length & 0xff;
  lens[9] = (ct.length >>> 8) & 0xff;
  lens[10] = (ct.length >>> 16) & 0xff;
  lens[11] = (ct.length >>> 24) & 0xff;
  mac.update(lens);
  return mac.digest();
}

/** ChaCha20-Poly1305 with an explicit 12-byte nonce (RFC 8439 §2.8), for the KATs and the STREAM layer. */
export function chachaPolySeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plain: Uint8Array): Uint8Array {
  const otk = chacha20(key, nonce, 0, new Uint8Array(32)); // §2.6: block 0 gives the Poly1305 key
  const ct = chacha20(key, nonce, 1, plain);
  return concat([ct, chachaTag(otk, aad, ct)]);
}

export function chachaPolyOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  if (sealed.length < 16) return null;
  const ct = sealed.subarray(0, sealed.length - 16);
  const otk = chacha20(key, nonce, 0, new Uint8Array(32));
  if (!equalCT(chachaTag(otk, aad, ct), sealed.subarray(sealed.length - 16))) return null;
  return chacha20(key, nonce, 1, ct);
}

class ChaChaStream implements SegmentAead {
  id = AEAD_CHACHA20_POLY1305;
  tagLength = 16;
  key: Uint8Array;
  prefix: Uint8Array;
  /** The engine's native ChaCha20-Poly1305 when it has one (hal/crypto.ts), else null: JavaScript. */
  native: CryptoAccel['chachaPoly'] | null;

  constructor(material: Uint8Array, prefix: Uint8Array, accel: CryptoAccel | null) {
    this.key = material.subarray(0, 32);
    this.prefix = prefix;
    this.native = accel && accel.chachaPoly ? accel.chachaPoly : null;
  }

  seal(counter: number, last: boolean, aad: Uint8Array, plain: Uint8Array): Uint8Array {
    const nonce = streamNonce(this.prefix, counter, last);
    return this.native ? this.native.seal(this.key, nonce, aad, plain) : chachaPolySeal(this.key, nonce, aad, plain);
  }

  open(counter: number, last: boolean, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null {
    const nonce = streamNonce(this.prefix, counter, last);
    return this.native ? this.native.open(this.key, nonce, aad, sealed) : chachaPolyOpen(this.key, nonce, aad, sealed);
  }
}

class AesHmacStream implements SegmentAead {
  id = AEAD_AES256CTR_HMAC_SHA256;
  tagLength = 32;
  encKey: Uint8Array;
  macKey: Uint8Array;
  prefix: Uint8Array;
  accel: CryptoAccel;
  hash: HashFn;

  constructor(material: Uint8Array, prefix: Uint8Array, accel: CryptoAccel) {
    this.encKey = material.subarray(0, 32);
    this.macKey = material.subarray(32, 64);
    this.prefix = prefix;
    this.accel = accel;
    this.hash = function (d: Uint8Array): Uint8Array {
      return accel.sha256(d);
    };
  }

  /** CTR counter block: the STREAM nonce ‖ a 32-bit block counter from 0 (SP 800-38A §6.5). */
  iv(nonce: Uint8Array): Uint8Array {
    const iv = new Uint8Array(16);
    iv.set(nonce, 0);
    return iv;
  }

  /** HMAC over len(aad) ‖ aad ‖ nonce ‖ ct: the nonce binds counter and last flag to the tag. */
  tag(nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array {
    const len = new Uint8Array(4);
    writeU32(len, 0, aad.length);
    return hmac(this.hash, this.macKey, [len, aad, nonce, ct]);
  }

  seal(counter: number, last: boolean, aad: Uint8Array, plain: Uint8Array): Uint8Array {
    const nonce = streamNonce(this.prefix, counter, last);
    const ct = this.accel.aes256ctr(this.encKey, this.iv(nonce), plain);
    return concat([ct, this.tag(nonce, aad, ct)]);
  }

  open(counter: number, last: boolean, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null {
    if (sealed.length < 32) return null;
    const nonce = streamNonce(this.prefix, counter, last);
    const ct = sealed.subarray(0, sealed.length - 32);
    if (!equalCT(this.tag(nonce, aad, ct), sealed.subarray(sealed.length - 32))) return null;
    return this.accel.aes256ctr(this.encKey, this.iv(nonce), ct);
  }
}

/** True when this board can run AEAD `id` (AES needs the engine). */
export function aeadAvailable(id: number, accel: CryptoAccel | null): boolean {
  if (id === AEAD_CHACHA20_POLY1305) return true;
  if (id === AEAD_AES256CTR_HMAC_SHA256) return accel !== null;
  return false;
}

/**
 * The segment AEAD `id` under per-message key material; `prefix` is the 7-byte nonce prefix (the
 * envelope uses the first bytes of the message salt: the key is already unique per message, the
 * prefix only keeps nonces distinct across messages should a key ever repeat).
 */
export function segmentAead(id: number, material: Uint8Array, prefix: Uint8Array, accel: CryptoAccel | null): SegmentAead {
  if (material.length !== aeadKeyMaterialLength(id)) throw new Error('aead: wrong key material length');
  if (prefix.length !== NONCE_PREFIX_BYTES) throw new Error('aead: nonce prefix is ' + NONCE_PREFIX_BYTES + ' bytes');
  if (id === AEAD_CHACHA20_POLY1305) return new ChaChaStream(material, prefix, accel);
  if (id === AEAD_AES256CTR_HMAC_SHA256) {
    if (!accel) throw new Error('aead: ' + aeadName(id) + ' needs the board crypto engine (hal/crypto.ts), absent here');
    return new AesHmacStream(material, prefix, accel);
  }
  throw new Error('aead: unknown AEAD id ' + id);
}
