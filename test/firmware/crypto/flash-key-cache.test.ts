// The peer-key cache on the flash store: a pair key computed once survives a restart.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FlashPeerKeyCache } from '../../../firmware/crypto/flash-key-cache.ts';
import { pairKey } from '../../../firmware/crypto/keys.ts';
import type { KeyAgreement } from '../../../firmware/crypto/keys.ts';
import { Store } from '../../../firmware/store/index.ts';
import { SimFlash } from '../../../sim/board/flash.ts';

function countingAgreement(): KeyAgreement & { computed: number } {
  const ka = {
    suite: 1,
    epoch: 7,
    identity: 'host:fax.example',
    computed: 0,
    rawKey(peer: string): Uint8Array {
      ka.computed++;
      const k = new Uint8Array(16);
      for (let i = 0; i < 16; i++) k[i] = (peer.charCodeAt(i % peer.length) + i) & 0xff;
      return k;
    },
  };
  return ka;
}

test('a pair key is computed once and found again after a remount of the store', () => {
  const flash = new SimFlash({ sectorSize: 4096, sectorCount: 16 });
  const s1 = new Store(flash);
  s1.mount();
  const ka = countingAgreement();
  const k1 = pairKey(ka, 'mail:alice@example.org', new FlashPeerKeyCache(s1, 4));
  const again = pairKey(ka, 'mail:alice@example.org', new FlashPeerKeyCache(s1, 4));
  assert.is(ka.computed, 1);
  assert.equal(again, k1);
  // A restart: a new store object mounts the same flash.
  const s2 = new Store(flash);
  s2.mount();
  const k2 = pairKey(ka, 'mail:alice@example.org', new FlashPeerKeyCache(s2, 4));
  assert.is(ka.computed, 1);
  assert.equal(k2, k1);
  // Another peer, or another epoch, is another key.
  pairKey(ka, 'mail:bob@example.org', new FlashPeerKeyCache(s2, 4));
  assert.is(ka.computed, 2);
  ka.epoch = 8;
  pairKey(ka, 'mail:alice@example.org', new FlashPeerKeyCache(s2, 4));
  assert.is(ka.computed, 3);
});

test('a damaged saved key is recomputed, and a full store still serves from RAM', () => {
  const saved: { [k: string]: string } = {};
  let refuse = false;
  const values = {
    getSetting: (n: string) => (n in saved ? saved[n] : null),
    setSetting: (n: string, v: string) => {
      if (refuse) return false;
      saved[n] = v;
      return true;
    },
  };
  const ka = countingAgreement();
  pairKey(ka, 'host:pc1', new FlashPeerKeyCache(values, 4));
  const name = Object.keys(saved)[0];
  assert.is(name, 'peerkey/0');
  assert.match(saved[name], /^1\/7\/host:fax\.example\/host:pc1 [0-9a-f]{64}$/);
  saved[name] = saved[name].slice(0, -12) + 'zz' + saved[name].slice(-10);
  pairKey(ka, 'host:pc1', new FlashPeerKeyCache(values, 4));
  assert.is(ka.computed, 2);
  refuse = true;
  const cache = new FlashPeerKeyCache(values, 4);
  pairKey(ka, 'host:pc2', cache);
  pairKey(ka, 'host:pc2', cache);
  assert.is(ka.computed, 3);
  assert.is(cache.unsaved, 1);
});

test.run();
