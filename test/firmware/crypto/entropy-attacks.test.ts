// Issue #12 items 7 and 11 as an attacker meets them: a random generator stuck at 0xff sealed two
// messages under the same key and nonce (their XOR gave the plaintext); unauthenticated
// envelopes naming invented senders made the opener compute and cache (in flash) a pair key each.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { CONTENT_FILE, sealMessage } from '../../../firmware/crypto/envelope.ts';
import { EnvelopeOpener, openMessage } from '../../../firmware/crypto/envelope-open.ts';
import type { SealParams } from '../../../firmware/crypto/envelope.ts';
import type { OpenPolicy } from '../../../firmware/crypto/envelope-open.ts';
import { PolyAgreement } from '../../../firmware/crypto/poly.ts';
import { AEAD_CHACHA20_POLY1305 } from '../../../firmware/crypto/suites.ts';
import { FlashPeerKeyCache, FLASH_SLOTS } from '../../../firmware/crypto/flash-key-cache.ts';
import { HealthTestedEntropy, FreshBytes, RCT_CUTOFF, APT_WINDOW } from '../../../firmware/crypto/entropy-health.ts';
import { polyMaster, polyShare } from '../../../host/crypto/poly-center.ts';
import { nodeCryptoAccel } from '../../../host/crypto/node-accel.ts';
import { Store } from '../../../firmware/store/index.ts';
import { CutFlash } from '../store/cut-flash.ts';

const DEVICE = 'host:fax.example';
const ALICE = 'mail:alice@example.com';
const NOW = 1_790_000_000_000;
const m = polyMaster(new Uint8Array(randomBytes(32)), 1, 8);
const ka = (id: string) => new PolyAgreement(id, 1, polyShare(m, id));
const device = ka(DEVICE);
const alice = ka(ALICE);

function sealParams(entropy: { fill(b: Uint8Array): void }): SealParams {
  return { agreement: alice, to: DEVICE, aead: AEAD_CHACHA20_POLY1305, contentType: CONTENT_FILE, timestamp: NOW, challenge: null, segmentSize: 64, entropy, cache: null, accel: nodeCryptoAccel };
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code: ' + (e as Error).message;
  }
  return 'accepted';
}

const stuck = (v: number) => ({ fill: (b: Uint8Array) => b.fill(v) });

test('item 7: a generator stuck at 0xff (or any value) is refused; the messages are not sealed', () => {
  const msg = new Uint8Array(100).fill(0x41);
  for (const v of [0x00, 0xff, 0x5a]) assert.is(codeOf(() => sealMessage(sealParams(stuck(v)), msg)), 'entropy', 'stuck at ' + v);
});

test('item 7: the health tests catch a stuck source at once and a biased one within a window', () => {
  const dead = new HealthTestedEntropy(stuck(0xff));
  assert.not.ok(dead.healthy());
  assert.throws(() => dead.fill(new Uint8Array(16)), /entropy/);
  // Stuck later on: the repetition count test trips within RCT_CUTOFF bytes of it.
  let n = 0;
  const dies = new HealthTestedEntropy({ fill: (b) => { for (let i = 0; i < b.length; i++) b[i] = n++ < 5000 ? randomBytes(1)[0] : 7; } });
  assert.ok(dies.healthy());
  dies.fill(new Uint8Array(3000));
  assert.throws(() => dies.fill(new Uint8Array(2000 + RCT_CUTOFF)), /repetition count/);
  assert.throws(() => dies.fill(new Uint8Array(1)), /entropy/, 'failed for good');
  // Half the bytes zero, the rest random: the proportion test trips in any window that starts
  // with a zero (half of them; the repetition test may see a long zero run first).
  const biased = new HealthTestedEntropy({ fill: (b) => { const r = randomBytes(b.length * 2); for (let i = 0; i < b.length; i++) b[i] = r[2 * i] & 1 ? 0 : r[2 * i + 1]; } });
  assert.throws(() => { for (let i = 0; i < 64; i++) biased.fill(new Uint8Array(APT_WINDOW)); }, /adaptive proportion|repetition count/);
  // Bias alone, no runs: every other byte zero, the rest random and never zero.
  let t = 0;
  const alternating = new HealthTestedEntropy({ fill: (b) => { for (let i = 0; i < b.length; i++) b[i] = t++ & 1 ? 1 + (randomBytes(1)[0] % 255) : 0; } });
  assert.throws(() => alternating.fill(new Uint8Array(2 * APT_WINDOW)), /adaptive proportion/);
  // A good source passes a long run (the cutoffs have a false alarm rate of 2^-20 per window).
  const good = new HealthTestedEntropy({ fill: (b) => b.set(randomBytes(b.length)) });
  for (let i = 0; i < 200; i++) good.fill(new Uint8Array(APT_WINDOW));
  assert.ok(good.healthy());
});

test('item 7: salts never repeat, even from a generator that replays its output after every restart', () => {
  const flash = new CutFlash(1024, 16);
  const salts = new Set<string>();
  for (let boot = 0; boot < 3; boot++) {
    const store = new Store(flash);
    store.mount();
    let k = 0;
    const replaying = { fill: (b: Uint8Array) => { for (let i = 0; i < b.length; i++) b[i] = (k++ * 131 + 17) & 0xff; } };
    const fresh = new FreshBytes(new HealthTestedEntropy(replaying), store);
    for (let i = 0; i < 50; i++) {
      const s = new Uint8Array(16);
      fresh.fill(s);
      salts.add(Buffer.from(s).toString('hex'));
    }
  }
  assert.is(salts.size, 150);
});

test('item 7: no counter can be reserved (store full): refused, not a repeated salt', () => {
  const fresh = new FreshBytes(new HealthTestedEntropy({ fill: (b) => b.set(randomBytes(b.length)) }), { getSetting: () => null, setSetting: () => false });
  assert.throws(() => fresh.fill(new Uint8Array(16)), /counter/);
});

function policy(cache: FlashPeerKeyCache): OpenPolicy {
  return { agreements: [device], cache, accel: nodeCryptoAccel, suitesFor: null, aeads: null, now: NOW, maxAgeMs: 0, maxFutureMs: 0, expectChallenge: null, replay: null };
}

test('item 11: forged envelopes (valid header, bad tag) leave nothing in the peer key cache', () => {
  const flash = new CutFlash(4096, 16);
  const store = new Store(flash);
  store.mount();
  const cache = new FlashPeerKeyCache(store, 4);
  const good = sealMessage(sealParams({ fill: (b) => b.set(randomBytes(b.length)) }), new Uint8Array(10));
  for (let i = 0; i < 3; i++) {
    // The attacker takes a header naming some sender and appends garbage for the segment.
    const forged = good.slice();
    forged[forged.length - 1] ^= 1;
    assert.is(codeOf(() => openMessage(policy(cache), forged)), 'tag');
  }
  assert.equal(store.settingNames().filter((n) => n.startsWith('peerkey')), [], 'nothing cached before a tag verified');
  // The genuine message: its key is cached after its first tag verified.
  const o = new EnvelopeOpener(policy(cache));
  o.push(good);
  o.finish();
  assert.is(store.settingNames().filter((n) => n.startsWith('peerkey')).length, 1);
});

test('item 11: the flash cache is bounded however many peers there are', () => {
  const store = new Store(new CutFlash(4096, 32));
  store.mount();
  const cache = new FlashPeerKeyCache(store, 4);
  for (let i = 0; i < 3 * FLASH_SLOTS; i++) cache.put(DEVICE, 'mail:p' + i + '@example.com', 1, 1, new Uint8Array(32).fill(i));
  assert.is(store.settingNames().filter((n) => n.startsWith('peerkey')).length, FLASH_SLOTS);
  // The newest keys are found again after a restart (a new cache object on the same store).
  const again = new FlashPeerKeyCache(store, 4);
  assert.equal(again.get(DEVICE, 'mail:p' + (3 * FLASH_SLOTS - 1) + '@example.com', 1, 1), new Uint8Array(32).fill(3 * FLASH_SLOTS - 1));
  assert.is(again.get(DEVICE, 'mail:p0@example.com', 1, 1), null, 'the oldest was overwritten');
});

test.run();
