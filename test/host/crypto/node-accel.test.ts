// The host's crypto engine (host/crypto/node-accel.ts): OpenSSL's ChaCha20-Poly1305 behind the
// HAL interface gives byte for byte what the firmware's JavaScript AEAD gives (RFC 8439 §2.8.2
// vector and random cases), refuses what that refuses, and envelopes sealed by one open with the other.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { nodeCryptoAccel } from '../../../host/crypto/node-accel.ts';
import { chachaPolyOpen, chachaPolySeal } from '../../../firmware/crypto/aead.ts';
import { sealMessage } from '../../../firmware/crypto/envelope.ts';
import { openMessage } from '../../../firmware/crypto/envelope-open.ts';
import { MemoryPeerKeyCache } from '../../../firmware/crypto/keys.ts';
import { PolyAgreement } from '../../../firmware/crypto/poly.ts';
import { AEAD_CHACHA20_POLY1305 } from '../../../firmware/crypto/suites.ts';
import { polyMaster, polyShare } from '../../../host/crypto/poly-center.ts';
import { SeededEntropy } from '../../../sim/board/entropy.ts';

const native = nodeCryptoAccel.chachaPoly!;
const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s/g, ''), 'hex'));

test('RFC 8439 §2.8.2: the native AEAD gives the standard\'s ciphertext and tag', () => {
  const key = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
  const nonce = hex('070000004041424344454647');
  const aad = hex('50515253c0c1c2c3c4c5c6c7');
  const plain = new TextEncoder().encode("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
  const out = native.seal(key, nonce, aad, plain);
  assert.is(Buffer.from(out.subarray(out.length - 16)).toString('hex'), '1ae10b594f09e26a7e902ecbd0600691');
  assert.equal([...out], [...chachaPolySeal(key, nonce, aad, plain)]);
});

test('random cases: native and JavaScript agree both ways; a flipped bit is refused by both', () => {
  for (let i = 0; i < 50; i++) {
    const key = new Uint8Array(randomBytes(32));
    const nonce = new Uint8Array(randomBytes(12));
    const aad = new Uint8Array(randomBytes(i % 7 === 0 ? 0 : i * 3));
    const plain = new Uint8Array(randomBytes(i * 37));
    const a = native.seal(key, nonce, aad, plain);
    assert.equal([...a], [...chachaPolySeal(key, nonce, aad, plain)]);
    assert.equal([...native.open(key, nonce, aad, a)!], [...plain]);
    const bad = a.slice();
    bad[i % bad.length] ^= 1;
    assert.is(native.open(key, nonce, aad, bad), null);
    assert.is(chachaPolyOpen(key, nonce, aad, bad), null);
  }
  assert.is(native.open(new Uint8Array(32), new Uint8Array(12), new Uint8Array(0), new Uint8Array(5)), null);
});

test('an envelope sealed through the native engine opens in JavaScript, and the other way', () => {
  const m = polyMaster(new Uint8Array(32).fill(3), 1, 3);
  const a = new PolyAgreement('host:a.lan', 1, polyShare(m, 'host:a.lan'));
  const b = new PolyAgreement('host:b.lan', 1, polyShare(m, 'host:b.lan'));
  const plain = new Uint8Array(randomBytes(10000));
  for (const [sealAccel, openAccel] of [[nodeCryptoAccel, null], [null, nodeCryptoAccel]] as const) {
    const env = sealMessage({ agreement: a, to: b.identity, aead: AEAD_CHACHA20_POLY1305, contentType: 3, timestamp: 1, challenge: null, segmentSize: 4096, entropy: new SeededEntropy('x'), cache: new MemoryPeerKeyCache(2), accel: sealAccel }, plain);
    const got = openMessage({ agreements: [b], cache: null, accel: openAccel, suitesFor: null, aeads: null, now: 0, maxAgeMs: 0, maxFutureMs: 0, expectChallenge: null, replay: null }, env);
    assert.equal(Buffer.compare(Buffer.from(got.plain), Buffer.from(plain)), 0);
  }
});

test.run();
