// From a suite's raw shared secret to the keys the envelope uses (docs/FAXNIKS.md §4):
//   PRK      = HKDF-Extract(salt = LABEL ‖ " pair" ‖ suite ‖ epoch, K_raw)      symmetric, cached
//   K(S→R)   = HKDF-Expand(PRK, LABEL ‖ " dir" ‖ aead ‖ len‖ID_S ‖ len‖ID_R, 32) one per direction
// The identities are length-prefixed so no two (S, R) pairs give the same info string.
import { ascii, concat, u32be } from './bytes.ts';
import { hkdfExpand, hkdfExtract } from './hkdf.ts';
import { sha256 } from './sha256.ts';
import { LABEL } from './suites.ts';

/** One entity's secret for one suite and epoch: computes K_raw with any peer. */
export interface KeyAgreement {
  suite: number;
  epoch: number;
  /** My canonical identity. */
  identity: string;
  /** K_raw(me, peer) = K_raw(peer, me). Expensive (a POLY key is seconds on the device): cache the PRK. */
  rawKey(peer: string): Uint8Array;
}

/**
 * Where pair keys (PRKs) are kept between messages. On the device the store backs this with
 * flash (it is as secret as the share itself); MemoryPeerKeyCache below serves hosts and tests.
 */
export interface PeerKeyCache {
  get(me: string, peer: string, suite: number, epoch: number): Uint8Array | null;
  put(me: string, peer: string, suite: number, epoch: number, prk: Uint8Array): void;
}

function cacheKey(me: string, peer: string, suite: number, epoch: number): string {
  return suite + '/' + epoch + '/' + me + '/' + peer;
}

/** Bounded in-memory cache; the oldest entry goes first (no Map on the device: a plain object). */
export class MemoryPeerKeyCache implements PeerKeyCache {
  entries: { [k: string]: Uint8Array } = {};
  order: string[] = [];
  capacity: number;
  hits = 0;
  misses = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get(me: string, peer: string, suite: number, epoch: number): Uint8Array | null {
    const k = cacheKey(me, peer, suite, epoch);
    // Keys start with a digit, so they never meet an Object.prototype name (and the device has
    // no usable Object.prototype.hasOwnProperty.call).
    const v = this.entries[k] || null;
    if (v) this.hits++;
    else this.misses++;
    return v;
  }

  put(me: string, peer: string, suite: number, epoch: number, prk: Uint8Array): void {
    const k = cacheKey(me, peer, suite, epoch);
    if (!this.entries[k]) {
      this.order.push(k);
      if (this.order.length > this.capacity) {
        const old = this.order.shift() as string;
        delete this.entries[old];
      }
    }
    this.entries[k] = prk;
  }
}

function lp(id: string): Uint8Array {
  const b = ascii(id);
  return concat([new Uint8Array([b.length]), b]);
}

export function pairPrk(raw: Uint8Array, suite: number, epoch: number): Uint8Array {
  return hkdfExtract(sha256, concat([ascii(LABEL + ' pair'), new Uint8Array([suite]), u32be(epoch)]), raw);
}

export function directionalKey(prk: Uint8Array, aead: number, from: string, to: string): Uint8Array {
  return hkdfExpand(sha256, prk, concat([ascii(LABEL + ' dir'), new Uint8Array([aead]), lp(from), lp(to)]), 32);
}

/**
 * The pair PRK with `peer`, from the cache or computed. `keep` false: not cached — the opener
 * computes a key for whatever sender a header names and keeps it only once a tag made with it
 * verified (rememberPairKey), so unauthenticated envelopes cannot fill the cache (issue #12 item 11).
 */
export function pairKey(ka: KeyAgreement, peer: string, cache: PeerKeyCache | null, keep?: boolean): Uint8Array {
  if (cache) {
    const hit = cache.get(ka.identity, peer, ka.suite, ka.epoch);
    if (hit) return hit;
  }
  const prk = pairPrk(ka.rawKey(peer), ka.suite, ka.epoch);
  if (cache && keep !== false) cache.put(ka.identity, peer, ka.suite, ka.epoch, prk);
  return prk;
}

/** Cache a pair key whose first tag has verified (no-op when it is cached already). */
export function rememberPairKey(ka: KeyAgreement, peer: string, cache: PeerKeyCache | null, prk: Uint8Array): void {
  if (cache && !cache.get(ka.identity, peer, ka.suite, ka.epoch)) cache.put(ka.identity, peer, ka.suite, ka.epoch, prk);
}

/**
 * Per-message key material: HKDF-Expand(K(S→R), LABEL " msg" ‖ aead ‖ salt, length). K(S→R) is
 * already a uniform key (an HKDF output), so no Extract step is needed (RFC 5869 §3.3); the
 * fresh 16-byte salt is what makes every message key new — K(S→R) is static for the epoch.
 */
export function messageKeys(dirKey: Uint8Array, salt: Uint8Array, aead: number, length: number): Uint8Array {
  return hkdfExpand(sha256, dirKey, concat([ascii(LABEL + ' msg'), new Uint8Array([aead]), salt]), length);
}
