// The appliance's own FAXNIKS key and what sealing and opening need from the board. The key is
// provisioned into the flash store (`faxvault flash --key FILE`, `faxvault sim --key FILE`) and
// never leaves it: a record `faxniks.key` (identity, epoch, suite, share length) and the POLY
// share in hex parts `faxniks.share.N` of at most 1 KiB each (a store record lives in one sector,
// and a t = 255 share is 4 KiB). Only POLY-GF128 runs on the device (docs/FAXNIKS.md §3).
import type { Clock } from '../../hal/clock.ts';
import type { CryptoAccel } from '../../hal/crypto.ts';
import type { Entropy } from '../../hal/entropy.ts';
import { fromHex, toHex } from '../crypto/bytes.ts';
import type { SealParams } from '../crypto/envelope.ts';
import type { OpenPolicy } from '../crypto/envelope-open.ts';
import type { KeyAgreement, PeerKeyCache } from '../crypto/keys.ts';
import { PolyAgreement } from '../crypto/poly.ts';
import { SUITE_POLY_GF128, AEAD_CHACHA20_POLY1305, AEAD_AES256CTR_HMAC_SHA256 } from '../crypto/suites.ts';
import type { OutboxStore } from './outbox.ts';

export const KEY_SETTING = 'faxniks.key';
const SHARE_PART = 'faxniks.share.';
const PART_HEX = 1024;

/** Writes the appliance's POLY key into the store. False when the store refused a record. */
export function provisionKey(store: OutboxStore, identity: string, epoch: number, share: Uint8Array): boolean {
  const hex = toHex(share);
  const parts = Math.ceil(hex.length / PART_HEX);
  for (let i = 0; i < parts; i++) {
    if (!store.setSetting(SHARE_PART + i, hex.substring(i * PART_HEX, (i + 1) * PART_HEX))) return false;
  }
  // The head record last: a power cut before it leaves the old key (or none) in force.
  return store.setSetting(KEY_SETTING, JSON.stringify({ identity: identity, epoch: epoch, suite: SUITE_POLY_GF128, bytes: share.length, parts: parts }));
}

/** The provisioned key, or null (none, or damaged: the reason goes to `problem`). */
export function loadKey(store: OutboxStore, problem?: (why: string) => void): PolyAgreement | null {
  const head = store.getSetting(KEY_SETTING);
  if (!head) return null;
  try {
    const h = JSON.parse(head) as { identity: string; epoch: number; suite: number; bytes: number; parts: number };
    if (h.suite !== SUITE_POLY_GF128) throw new Error('suite ' + h.suite + ' cannot run here');
    // The share stays in the store and is read when a pair key is computed (poly.ts); it is
    // read once here to check it.
    return new PolyAgreement(h.identity, h.epoch, function () {
      return readShare(store, h.bytes, h.parts);
    });
  } catch (e) {
    if (problem) problem('key in store unusable: ' + (e as Error).message);
    return null;
  }
}

/** The share's hex parts joined and decoded; throws when a part is missing or the length is wrong. */
function readShare(store: OutboxStore, bytes: number, parts: number): Uint8Array {
  let hex = '';
  for (let i = 0; i < parts; i++) {
    const p = store.getSetting(SHARE_PART + i);
    if (p === null) throw new Error('share part ' + i + ' missing');
    hex += p;
  }
  if (hex.length !== 2 * bytes) throw new Error('share length ' + hex.length / 2 + ' instead of ' + bytes);
  return fromHex(hex);
}

/** Everything sealing and opening needs, for any transport. */
export interface CryptoContext {
  agreement: KeyAgreement;
  cache: PeerKeyCache;
  entropy: Entropy;
  accel: CryptoAccel | null;
  clock: Clock;
  /** Plaintext bytes per envelope segment: one segment is sealed per kernel dispatch. */
  segmentSize: number;
}

/** AES-CTR + HMAC through the board's engine when it has one, else ChaCha20-Poly1305 (docs/FAXNIKS.md §8). */
export function preferredAead(ctx: CryptoContext): number {
  return ctx.accel ? AEAD_AES256CTR_HMAC_SHA256 : AEAD_CHACHA20_POLY1305;
}

export function sealParams(ctx: CryptoContext, to: string, contentType: number, challenge: Uint8Array | null): SealParams {
  return {
    agreement: ctx.agreement,
    to: to,
    aead: preferredAead(ctx),
    contentType: contentType,
    timestamp: Math.floor(ctx.clock.wall()),
    challenge: challenge,
    segmentSize: ctx.segmentSize,
    entropy: ctx.entropy,
    cache: ctx.cache,
    accel: ctx.accel,
  };
}

/** Opening a message on a connection: it must echo the challenge I sent (no replay, FAXNIKS §5.4). */
export function openPolicy(ctx: CryptoContext, expect: Uint8Array | null): OpenPolicy {
  return {
    agreements: [ctx.agreement],
    cache: ctx.cache,
    accel: ctx.accel,
    suitesFor: null,
    aeads: null,
    now: ctx.clock.wall(),
    maxAgeMs: 0,
    maxFutureMs: 0,
    expectChallenge: expect,
    replay: null,
  };
}
