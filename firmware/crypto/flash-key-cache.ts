// Peer keys kept across restarts: on the board a POLY pair key costs seconds (docs/ESPRUINO.md), so the
// pair PRK is computed once per peer and epoch and saved as a named setting of the flash store.
// Reads go through a small in-memory cache first. The store is reached through the two calls
// below only, so crypto does not depend on the store's code.
import type { PeerKeyCache } from './keys.ts';
import { MemoryPeerKeyCache } from './keys.ts';

export interface NamedValues {
  getSetting(name: string): string | null;
  setSetting(name: string, value: string): boolean;
}

const PREFIX = 'peerkey/';
/** Saved pair keys at most (flash slots `peerkey/0` … `peerkey/N-1`, overwritten in turn). */
export const FLASH_SLOTS = 16;
const HEX = '0123456789abcdef';

function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX.charAt(b[i] >> 4) + HEX.charAt(b[i] & 15);
  return s;
}

function fromHex(s: string): Uint8Array | null {
  if (s.length % 2 !== 0) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = HEX.indexOf(s.charAt(2 * i));
    const lo = HEX.indexOf(s.charAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function name(me: string, peer: string, suite: number, epoch: number): string {
  return suite + '/' + epoch + '/' + me + '/' + peer;
}

/**
 * Pair keys in a fixed ring of flash slots: a slot holds `<suite>/<epoch>/<me>/<peer> <hex PRK>`.
 * Bounded (issue #12 item 11): however many peers there are, at most `slots` settings records.
 * The opener caches a key only after a tag made with it verified (keys.ts rememberPairKey).
 */
export class FlashPeerKeyCache implements PeerKeyCache {
  private mem: MemoryPeerKeyCache;
  /** Keys that could not be saved (the store's settings reserve is full): still served from RAM. */
  unsaved = 0;
  /** Cache key → slot, read from flash on first use. */
  private index: { [k: string]: number } | null = null;
  private nextSlot = 0;

  constructor(readonly values: NamedValues, ramEntries: number, readonly slots: number = FLASH_SLOTS) {
    this.mem = new MemoryPeerKeyCache(ramEntries);
  }

  private load(): { [k: string]: number } {
    if (this.index) return this.index;
    const idx: { [k: string]: number } = {};
    let empty = -1;
    for (let i = 0; i < this.slots; i++) {
      const v = this.values.getSetting(PREFIX + i);
      const sp = v ? v.lastIndexOf(' ') : -1;
      if (v && sp > 0) idx['k' + v.substring(0, sp)] = i;
      else if (empty < 0) empty = i;
    }
    this.nextSlot = empty >= 0 ? empty : 0;
    this.index = idx;
    return idx;
  }

  get(me: string, peer: string, suite: number, epoch: number): Uint8Array | null {
    const hit = this.mem.get(me, peer, suite, epoch);
    if (hit) return hit;
    const key = name(me, peer, suite, epoch);
    const slot = this.load()['k' + key];
    if (slot === undefined) return null;
    const text = this.values.getSetting(PREFIX + slot);
    if (!text || text.substring(0, text.lastIndexOf(' ')) !== key) return null;
    const prk = fromHex(text.substring(text.lastIndexOf(' ') + 1));
    if (prk && prk.length === 32) {
      this.mem.put(me, peer, suite, epoch, prk);
      return prk;
    }
    return null;
  }

  put(me: string, peer: string, suite: number, epoch: number, prk: Uint8Array): void {
    this.mem.put(me, peer, suite, epoch, prk);
    const idx = this.load();
    const key = name(me, peer, suite, epoch);
    let slot = idx['k' + key];
    if (slot === undefined) {
      slot = this.nextSlot;
      this.nextSlot = (slot + 1) % this.slots;
      const names = Object.keys(idx);
      for (let i = 0; i < names.length; i++) if (idx[names[i]] === slot) delete idx[names[i]];
      idx['k' + key] = slot;
    }
    if (!this.values.setSetting(PREFIX + slot, key + ' ' + toHex(prk))) this.unsaved++;
  }
}
