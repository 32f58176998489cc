// FAXNIKS envelopes from outside (the LAN, mail, a file) into firmware/crypto's opener: random
// bytes, and sealed messages with bytes changed, cut or grown, opened whole or streamed in any
// pieces. The opener returns the plaintext or throws its EnvelopeError (with a code) — nothing
// else; a changed envelope never opens (the AEAD and the header binding refuse it), and an
// unchanged one opens to exactly what was sealed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { concat } from '../../firmware/crypto/bytes.ts';
import { CONTENT_FILE, sealMessage } from '../../firmware/crypto/envelope.ts';
import { EnvelopeOpener, openMessage } from '../../firmware/crypto/envelope-open.ts';
import type { SealParams } from '../../firmware/crypto/envelope.ts';
import type { OpenPolicy } from '../../firmware/crypto/envelope-open.ts';
import { MemoryPeerKeyCache } from '../../firmware/crypto/keys.ts';
import { PolyAgreement } from '../../firmware/crypto/poly.ts';
import { AEAD_AES256CTR_HMAC_SHA256, AEAD_CHACHA20_POLY1305 } from '../../firmware/crypto/suites.ts';
import { polyMaster, polyShare } from '../../host/crypto/poly-center.ts';
import { nodeCryptoAccel } from '../../host/crypto/node-accel.ts';
import { bytes, check, fc, mutated, pieces } from './budget.ts';

const DEVICE = 'host:fax.example';
const ALICE = 'mail:alice@example.com';
const NOW = 1_790_000_000_000;
const master = polyMaster(new Uint8Array(randomBytes(32)), 1, 8);
const device = new PolyAgreement(DEVICE, 1, polyShare(master, DEVICE));
const alice = new PolyAgreement(ALICE, 1, polyShare(master, ALICE));
const entropy = { fill(out: Uint8Array) { out.set(randomBytes(out.length)); } };
// One cache for the run: the pairing for alice is computed once (as the device caches peers).
const cache = new MemoryPeerKeyCache(8);

function policy(): OpenPolicy {
  return { agreements: [device], cache, accel: nodeCryptoAccel, suitesFor: null, aeads: null, now: NOW, maxAgeMs: 0, maxFutureMs: 0, expectChallenge: null, replay: null };
}

function seal(plain: Uint8Array, aead: number, segmentSize: number): Uint8Array {
  const p: SealParams = { agreement: alice, to: DEVICE, aead, contentType: CONTENT_FILE, timestamp: NOW, challenge: null, segmentSize, entropy, cache, accel: nodeCryptoAccel };
  return sealMessage(p, plain);
}

/** Opens streamed in pieces; the plaintext, or the EnvelopeError's code. Anything else thrown fails. */
function open(b: Uint8Array, cuts: number[]): Uint8Array | string {
  try {
    const o = new EnvelopeOpener(policy());
    const out: Uint8Array[] = [];
    for (const p of pieces(b, cuts)) out.push(o.push(p));
    out.push(o.finish());
    return concat(out);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    throw e;
  }
}

test('random bytes: plaintext or an EnvelopeError with a code', () => {
  check(
    'envelope random bytes',
    fc.property(fc.oneof(bytes(200), bytes(200).map((b) => concat([Uint8Array.from([0x46, 0x58, 0x4e, 0x4b, 1]), b]))), fc.array(fc.nat(), { maxLength: 4 }), (b, cuts) => {
      const r = open(b, cuts);
      assert.type(r, 'string', 'random bytes never open');
    }),
  );
});

test('sealed messages changed, cut or grown: never open; unchanged ones open to what was sealed', () => {
  check(
    'envelope mutated',
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.constantFrom(AEAD_CHACHA20_POLY1305, AEAD_AES256CTR_HMAC_SHA256),
      fc.constantFrom(64, 100, 4096),
      fc.array(fc.nat(), { maxLength: 9 }),
      fc.array(fc.nat(), { maxLength: 4 }),
      (plain, aead, seg, edits, cuts) => {
        const sealed = seal(plain, aead, seg);
        const b = mutated(sealed, edits);
        const r = open(b, cuts);
        const same = b.length === sealed.length && b.every((x, i) => x === sealed[i]);
        if (same) assert.equal(r, plain, 'an unchanged envelope opens');
        else assert.type(r, 'string', 'a changed envelope opened: ' + JSON.stringify(Array.from(b)));
        if (same) assert.equal(openMessage(policy(), b).plain, plain);
      },
    ),
    0.3,
  );
});

test.run();
