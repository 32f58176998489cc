// Peer keys kept across restarts: on the board a POLY pair key costs seconds (DEVICE.md), so the
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
  return PREFIX + suite + '/' + epoch + '/' + me + '/' + peer;
}

export class FlashPeerKeyCache implements PeerKeyCache {
  private mem: MemoryPeerKeyCache;
  /** Keys that could not be saved (the store's settings reserve is full): still served from RAM. */
  unsaved = 0;

  constructor(readonly values: NamedValues, ramEntries: number) {
    this.mem = new MemoryPeerKeyCache(ramEntries);
  }

  get(me: string, peer: string, suite: number, epoch: number): Uint8Array | null {
    const hit = this.mem.get(me, peer, suite, epoch);
    if (hit) return hit;
    const text = this.values.getSetting(name(me, peer, suite, epoch));
    const prk = text === null ? null : fromHex(text);
    if (prk && prk.length === 32) {
      this.mem.put(me, peer, suite, epoch, prk);
      return prk;
    }
    return null;
  }

  put(me: string, peer: string, suite: number, epoch: number, prk: Uint8Array): void {
    this.mem.put(me, peer, suite, epoch, prk);
    if (!this.values.setSetting(name(me, peer, suite, epoch), toHex(prk))) this.unsaved++;
  }
}
