// Suite POLY-GF128 on the device side (docs/FAXNIKS.md §3.1): Blundo's symmetric polynomial of
// degree t over GF(2^128). The center gives X the t+1 blocks s_j = x_X · Σ_i a_ij x_X^i, stored
// highest j first; the key with Y is then GHASH with key x_Y over the share:
//   GHASH_{x_Y}(s_t ‖ … ‖ s_0) = Σ_j s_j x_Y^(j+1) = x_X x_Y F(x_X, x_Y)
// which is symmetric in X and Y because a_ij = a_ji. x = 0 is refused, so the factor x_X x_Y
// never erases information.
import { ascii, isZero } from './bytes.ts';
import { canonicalIdentity } from './identity.ts';
import { Ghash } from './gf128.ts';
import { pairPrk } from './keys.ts';
import type { KeyAgreement, PeerKeyCache } from './keys.ts';
import { SUITE_POLY_GF128 } from './suites.ts';
import { expandMessageXmd } from './xmd.ts';

export const POLY_DST = 'FAXNIKS-V1-POLY-GF128-ID';
/** Largest degree the envelope and the device accept (a share is then 16 KB). */
export const POLY_MAX_T = 1023;

/** x_ID: the identity hashed into GF(2^128) (RFC 9380 expand_message_xmd, SHA-256, own DST). */
export function polyPoint(identity: string): Uint8Array {
  const x = expandMessageXmd(ascii(identity), POLY_DST, 16);
  // Probability 2^-128; refusing keeps x_X·x_Y·F invertible in F.
  if (isZero(x)) throw new Error('poly: identity ' + identity + ' hashes to zero; it cannot be used');
  const out = new Uint8Array(16);
  out.set(x);
  return out;
}

/** The degree t of a share, or an error when its length is not 16(t+1) with 1 ≤ t ≤ POLY_MAX_T. */
export function polyShareDegree(share: Uint8Array): number {
  if (share.length % 16 !== 0 || share.length < 32) throw new Error('poly: a share is 16(t+1) bytes, got ' + share.length);
  const t = share.length / 16 - 1;
  if (t > POLY_MAX_T) throw new Error('poly: degree ' + t + ' above ' + POLY_MAX_T);
  return t;
}

/**
 * K_raw with one peer, computed a few blocks per call so the kernel can slice it (a t = 255 key
 * is ~7 s on an ESP32-class board, projected from the interpreter: docs/FAXNIKS.md §8).
 */
export class PolyKeyJob {
  share: Uint8Array;
  blocks: number;
  done = 0;
  g: Ghash;

  constructor(share: Uint8Array, peer: string) {
    this.blocks = polyShareDegree(share) + 1;
    this.share = share;
    this.g = new Ghash(polyPoint(peer));
  }

  /** Absorbs up to `maxBlocks` share blocks; true when the key is ready. */
  step(maxBlocks: number): boolean {
    const n = Math.min(maxBlocks, this.blocks - this.done);
    this.g.absorb(this.share, this.done, n);
    this.done += n;
    return this.done === this.blocks;
  }

  result(): Uint8Array {
    if (this.done !== this.blocks) throw new Error('poly: key job not finished');
    return this.g.result();
  }
}

export function polyRawKey(share: Uint8Array, peer: string): Uint8Array {
  const job = new PolyKeyJob(share, peer);
  job.step(job.blocks);
  return job.result();
}

/**
 * My POLY-GF128 secret for one epoch. The share is either held (hosts, tests) or read again from
 * where it is kept each time a pair key is computed (`share` given as a function: the board's
 * store). A share is 16(t+1) bytes — about 300 interpreter variables at t = 255 — and pair keys
 * are computed once per peer and then cached, so a board does not hold it while idle.
 */
export class PolyAgreement implements KeyAgreement {
  suite = SUITE_POLY_GF128;
  epoch: number;
  identity: string;
  private held: Uint8Array | null;
  private readonly load: (() => Uint8Array) | null;

  constructor(identity: string, epoch: number, share: Uint8Array | (() => Uint8Array)) {
    this.identity = canonicalIdentity(identity);
    this.epoch = epoch;
    if (typeof share === 'function') {
      this.load = share;
      this.held = null;
      polyShareDegree(share());
    } else {
      polyShareDegree(share);
      this.held = share;
      this.load = null;
    }
  }

  /** The share: the one held, or read again. */
  share(): Uint8Array {
    return this.held || (this.load as () => Uint8Array)();
  }

  rawKey(peer: string): Uint8Array {
    return polyRawKey(this.share(), canonicalIdentity(peer));
  }
}

/**
 * Computes the pair key with a new peer in slices and leaves its PRK in the cache, so the next
 * seal or open finds it there: what the crypto worker runs when a message for an unknown peer
 * arrives, a few blocks per dispatch instead of seconds in one.
 */
export class PolyPairKeyJob {
  job: PolyKeyJob;
  agreement: PolyAgreement;
  peer: string;
  cache: PeerKeyCache;

  constructor(agreement: PolyAgreement, peer: string, cache: PeerKeyCache) {
    this.peer = canonicalIdentity(peer);
    this.agreement = agreement;
    this.cache = cache;
    this.job = new PolyKeyJob(agreement.share(), this.peer);
  }

  /** Absorbs up to `maxBlocks` share blocks; true once the PRK is in the cache. */
  step(maxBlocks: number): boolean {
    if (!this.job.step(maxBlocks)) return false;
    const a = this.agreement;
    this.cache.put(a.identity, this.peer, a.suite, a.epoch, pairPrk(this.job.result(), a.suite, a.epoch));
    return true;
  }
}
