// The envelope: round trips for both AEADs and every refusal of docs/FAXNIKS.md §5.4.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { concat, toHex } from '../../../firmware/crypto/bytes.ts';
import { CONTENT_FILE, CONTENT_NOTICE, CONTENT_REQUEST, SealStream, sealMessage } from '../../../firmware/crypto/envelope.ts';
import { decodeHeader, EnvelopeOpener, MemoryReplayCache, openMessage } from '../../../firmware/crypto/envelope-open.ts';
import type { SealParams } from '../../../firmware/crypto/envelope.ts';
import type { OpenPolicy } from '../../../firmware/crypto/envelope-open.ts';
import { directionalKey, MemoryPeerKeyCache, pairKey } from '../../../firmware/crypto/keys.ts';
import type { KeyAgreement } from '../../../firmware/crypto/keys.ts';
import { PolyAgreement, PolyPairKeyJob } from '../../../firmware/crypto/poly.ts';
import { AEAD_AES256CTR_HMAC_SHA256, AEAD_CHACHA20_POLY1305, SUITE_SOK_BLS12381 } from '../../../firmware/crypto/suites.ts';
import { polyMaster, polyShare } from '../../../host/crypto/poly-center.ts';
import { nodeCryptoAccel } from '../../../host/crypto/node-accel.ts';

const DEVICE = 'host:fax.example';
const ALICE = 'mail:alice@example.com';
const EVE = 'mail:eve@example.com';
const NOW = 1_790_000_000_000;
const seed = new Uint8Array(randomBytes(32));
const m1 = polyMaster(seed, 1, 8);
const m2 = polyMaster(seed, 2, 8);
const ka = (id: string, m = m1, epoch = 1) => new PolyAgreement(id, epoch, polyShare(m, id));
const device = ka(DEVICE), alice = ka(ALICE), eve = ka(EVE), alice2 = ka(ALICE, m2, 2);

const entropy = { fill(out: Uint8Array) { out.set(randomBytes(out.length)); } };

function sealParams(over: Partial<SealParams> = {}): SealParams {
  return {
    agreement: alice, to: DEVICE, aead: AEAD_CHACHA20_POLY1305, contentType: CONTENT_FILE, timestamp: NOW,
    challenge: null, segmentSize: 64, entropy, cache: null, accel: nodeCryptoAccel, ...over,
  };
}

function policy(over: Partial<OpenPolicy> = {}): OpenPolicy {
  return {
    agreements: [device], cache: null, accel: nodeCryptoAccel, suitesFor: null, aeads: null,
    now: NOW, maxAgeMs: 0, maxFutureMs: 0, expectChallenge: null, replay: null, ...over,
  };
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code: ' + (e as Error).message;
  }
  return 'accepted';
}

const msg = new Uint8Array(randomBytes(300)); // 64-byte segments: 4 full + 1 of 44

test('round trip, both AEADs, every size around the segment boundaries, any chunking', () => {
  for (const aead of [AEAD_CHACHA20_POLY1305, AEAD_AES256CTR_HMAC_SHA256]) {
    for (const n of [0, 1, 63, 64, 65, 128, 300]) {
      const plain = msg.subarray(0, n);
      const env = sealMessage(sealParams({ aead }), plain);
      const tag = aead === AEAD_CHACHA20_POLY1305 ? 16 : 32;
      const segs = Math.max(1, Math.ceil(n / 64));
      assert.is(env.length, decodeHeader(env).bytes.length + n + segs * tag, 'layout');
      const r = openMessage(policy(), env);
      assert.equal(r.plain, plain);
      assert.is(r.header.sender, ALICE);
      for (const chunk of [1, 7, 100]) {
        const o = new EnvelopeOpener(policy());
        const parts: Uint8Array[] = [];
        for (let i = 0; i < env.length; i += chunk) parts.push(o.push(env.subarray(i, i + chunk)));
        parts.push(o.finish());
        assert.equal(concat(parts), plain, `chunk ${chunk}`);
      }
    }
  }
});

test('SealStream: any chunking gives the same layout as sealMessage and opens', () => {
  for (const n of [0, 1, 64, 65, 128, 300]) {
    for (const chunk of [1, 13, 64, 1000]) {
      const fixed = { fill(out: Uint8Array) { out.forEach((_, i) => (out[i] = i * 7 + 3)); } };
      const s = new SealStream(sealParams({ entropy: fixed }));
      const parts: Uint8Array[] = [];
      for (let i = 0; i < n; i += chunk) parts.push(s.push(msg.subarray(i, Math.min(n, i + chunk))));
      parts.push(s.finish());
      const env = concat(parts);
      assert.equal(env, sealMessage(sealParams({ entropy: fixed }), msg.subarray(0, n)), `n ${n} chunk ${chunk}`);
      assert.equal(openMessage(policy(), env).plain, msg.subarray(0, n));
    }
  }
});

test('the pair key is cached: the second message to the same peer costs no POLY evaluation', () => {
  const cache = new MemoryPeerKeyCache(4);
  let evaluations = 0;
  const counting: KeyAgreement = { suite: alice.suite, epoch: 1, identity: ALICE, rawKey: (p) => { evaluations++; return alice.rawKey(p); } };
  sealMessage(sealParams({ agreement: counting, cache }), msg);
  sealMessage(sealParams({ agreement: counting, cache }), msg);
  assert.is(evaluations, 1);
  assert.is(cache.hits, 1);
});

test('a sliced pair-key job fills the cache; opening then needs no evaluation', () => {
  const cache = new MemoryPeerKeyCache(4);
  const job = new PolyPairKeyJob(device, 'MAIL:Alice@example.com', cache);
  let steps = 1;
  while (!job.step(2)) steps++;
  assert.is(steps, 5); // t = 8: 9 blocks, 2 per step
  const env = sealMessage(sealParams(), msg);
  const noEval: KeyAgreement = { suite: device.suite, epoch: 1, identity: DEVICE, rawKey: () => { throw new Error('evaluated'); } };
  assert.equal(openMessage(policy({ agreements: [noEval], cache }), env).plain, msg);
});

test('a third identity cannot open, even after rewriting the recipient', () => {
  const env = sealMessage(sealParams(), msg);
  assert.is(codeOf(() => openMessage(policy({ agreements: [eve] }), env)), 'recipient');
  const h = decodeHeader(env);
  const forged = concat([
    env.subarray(0, 58 + ALICE.length), new Uint8Array([EVE.length]), new TextEncoder().encode(EVE), env.subarray(h.bytes.length),
  ]);
  assert.is(codeOf(() => openMessage(policy({ agreements: [eve] }), forged)), 'tag');
});

test('a bit flip anywhere is refused', () => {
  for (const aead of [AEAD_CHACHA20_POLY1305, AEAD_AES256CTR_HMAC_SHA256]) {
    const env = sealMessage(sealParams({ aead }), msg.subarray(0, 150));
    for (let i = 0; i < env.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const bad = env.slice();
        bad[i] ^= bit;
        assert.is.not(codeOf(() => openMessage(policy(), bad)), 'accepted', `byte ${i} bit ${bit}`);
      }
    }
  }
});

test('truncation at every length, dropped last segment, trailing data, reordered segments', () => {
  const env = sealMessage(sealParams(), msg);
  const hl = decodeHeader(env).bytes.length;
  for (let n = 0; n < env.length; n++) assert.is.not(codeOf(() => openMessage(policy(), env.subarray(0, n))), 'accepted', `cut at ${n}`);
  assert.is(codeOf(() => openMessage(policy(), env.subarray(0, hl + 4 * 80))), 'tag', 'segment boundary');
  assert.is(codeOf(() => openMessage(policy(), concat([env, new Uint8Array(1)]))), 'tag');
  assert.is(codeOf(() => openMessage(policy(), concat([env, env.subarray(hl, hl + 80)]))), 'tag');
  const seg = (i: number) => env.subarray(hl + 80 * i, hl + 80 * (i + 1));
  const swapped = concat([env.subarray(0, hl), seg(0), seg(2), seg(1), env.subarray(hl + 240)]);
  assert.is(codeOf(() => openMessage(policy(), swapped)), 'tag');
  const o = new EnvelopeOpener(policy());
  o.push(env);
  o.finish();
  assert.is(codeOf(() => o.push(new Uint8Array(1))), 'trailing');
});

test('reflection and wrong direction', () => {
  const env = sealMessage(sealParams(), msg);
  // My own message sent back to me.
  assert.is(codeOf(() => openMessage(policy({ agreements: [alice] }), env)), 'reflection');
  // The same bytes presented as going the other way (identities swapped in the header).
  const h = decodeHeader(env);
  const swappedHeader = concat([
    env.subarray(0, 57), new Uint8Array([DEVICE.length]), new TextEncoder().encode(DEVICE),
    new Uint8Array([ALICE.length]), new TextEncoder().encode(ALICE),
  ]);
  const reversed = concat([swappedHeader, env.subarray(h.bytes.length)]);
  assert.is(codeOf(() => openMessage(policy({ agreements: [alice] }), reversed)), 'tag');
  const prk = pairKey(alice, DEVICE, null);
  assert.is.not(toHex(directionalKey(prk, 1, ALICE, DEVICE)), toHex(directionalKey(prk, 1, DEVICE, ALICE)));
  assert.is(codeOf(() => sealMessage(sealParams({ to: ALICE }), msg)), 'reflection');
});

test('wrong epoch, suite not allowed for the peer (downgrade), AEAD not accepted', () => {
  assert.is(codeOf(() => openMessage(policy(), sealMessage(sealParams({ agreement: alice2 }), msg))), 'epoch');
  const env = sealMessage(sealParams(), msg);
  const bumped = env.slice();
  bumped[12] ^= 0x02; // epoch 1 -> 3
  assert.is(codeOf(() => openMessage(policy(), bumped)), 'epoch');
  const fakeSok: KeyAgreement = { suite: SUITE_SOK_BLS12381, epoch: 1, identity: DEVICE, rawKey: () => new Uint8Array(32) };
  assert.is(codeOf(() => openMessage(policy({ agreements: [device, fakeSok], suitesFor: () => [SUITE_SOK_BLS12381] }), env)), 'suite');
  assert.is(codeOf(() => openMessage(policy({ agreements: [fakeSok] }), env)), 'suite');
  const aes = sealMessage(sealParams({ aead: AEAD_AES256CTR_HMAC_SHA256 }), msg);
  assert.is(codeOf(() => openMessage(policy({ aeads: [AEAD_CHACHA20_POLY1305] }), aes)), 'aead');
  assert.is(codeOf(() => openMessage(policy({ accel: null }), aes)), 'aead');
  assert.is(codeOf(() => sealMessage(sealParams({ aead: AEAD_AES256CTR_HMAC_SHA256, accel: null }), msg)), 'aead');
});

test('replay: a request must echo the current challenge; mail is refused twice and outside the window', () => {
  const c1 = new Uint8Array(randomBytes(16)), c2 = new Uint8Array(randomBytes(16));
  const req = sealMessage(sealParams({ contentType: CONTENT_REQUEST, challenge: c1 }), new Uint8Array([1, 2, 3]));
  assert.equal(openMessage(policy({ expectChallenge: c1 }), req).plain, new Uint8Array([1, 2, 3]));
  assert.is(codeOf(() => openMessage(policy({ expectChallenge: c2 }), req)), 'challenge', 'replayed into the next exchange');
  const noChallenge = sealMessage(sealParams({ contentType: CONTENT_REQUEST }), new Uint8Array([1, 2, 3]));
  assert.is(codeOf(() => openMessage(policy({ expectChallenge: c2 }), noChallenge)), 'challenge');
  const replay = new MemoryReplayCache(16);
  const mail = sealMessage(sealParams({ contentType: CONTENT_NOTICE }), msg);
  const p = policy({ replay, maxAgeMs: 600_000, maxFutureMs: 60_000 });
  openMessage(p, mail);
  assert.is(codeOf(() => openMessage(p, mail)), 'replay');
  assert.is(codeOf(() => openMessage(policy({ maxAgeMs: 600_000, maxFutureMs: 60_000, now: NOW + 600_001 }), mail)), 'stale');
  assert.is(codeOf(() => openMessage(policy({ maxAgeMs: 600_000, maxFutureMs: 60_000, now: NOW - 60_001 }), mail)), 'future');
  // A forged copy with a new salt does not authenticate, so it cannot get past the cache either.
  const fresh = mail.slice();
  fresh[40] ^= 1;
  assert.is(codeOf(() => openMessage(policy({ replay }), fresh)), 'tag');
});

test('header syntax: magic, version, reserved flags, challenge without flag, segment size, identities', () => {
  const env = sealMessage(sealParams(), msg);
  const mod = (i: number, v: number) => { const b = env.slice(); b[i] = v; return b; };
  assert.is(codeOf(() => openMessage(policy(), mod(0, 0x47))), 'magic');
  assert.is(codeOf(() => openMessage(policy(), mod(4, 2))), 'version');
  assert.is(codeOf(() => openMessage(policy(), mod(7, 0x02))), 'malformed');
  assert.is(codeOf(() => openMessage(policy(), mod(8, 0))), 'malformed');
  assert.is(codeOf(() => openMessage(policy(), mod(30, 1))), 'malformed');
  assert.is(codeOf(() => openMessage(policy(), mod(56, 1))), 'malformed'); // segment size 1
  assert.is(codeOf(() => openMessage(policy(), mod(59, 'A'.charCodeAt(0)))), 'malformed'); // 'mail:Alice' not canonical
  assert.is(codeOf(() => sealMessage(sealParams({ segmentSize: 10 }), msg)), 'malformed');
  assert.is(codeOf(() => sealMessage(sealParams({ timestamp: -1 }), msg)), 'malformed');
  assert.is(codeOf(() => sealMessage(sealParams({ entropy: { fill() {} } }), msg)), 'entropy');
  assert.is(codeOf(() => sealMessage(sealParams({ challenge: new Uint8Array(8) }), msg)), 'malformed');
  assert.is(codeOf(() => sealMessage(sealParams({ to: 'alice@example.com' }), msg)), 'no code: identity "alice@example.com": missing scheme: write mail:, host:, mac: or ip4: before it');
});

test.run();
