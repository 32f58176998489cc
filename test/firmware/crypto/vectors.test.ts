// The committed FAXNIKS vectors (test/vectors/faxniks/, firmware/crypto/selftest-vectors.ts):
// reproduced exactly by scripts/gen-faxniks-vectors.ts, and checked against the library from the
// files alone (both sides of every key, every envelope opened or refused with its code).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, toHex } from '../../../firmware/crypto/bytes.ts';
import { openMessage } from '../../../firmware/crypto/envelope-open.ts';
import type { OpenPolicy } from '../../../firmware/crypto/envelope-open.ts';
import { directionalKey, pairPrk } from '../../../firmware/crypto/keys.ts';
import { PolyAgreement, polyPoint, polyRawKey } from '../../../firmware/crypto/poly.ts';
import { nodeCryptoAccel } from '../../../host/crypto/node-accel.ts';
import { SokAgreement, sokVerify } from '../../../host/crypto/sok.ts';
import { A, B, envelopeVectors, polyVectors, selftestModule, sokVectors } from '../../../scripts/gen-faxniks-vectors.ts';

const dir = join(process.cwd(), 'test/vectors/faxniks');
const load = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
const poly = load('poly.json'), sok = load('sok.json'), env = load('envelope.json');

test('the generator reproduces the committed files byte for byte', () => {
  assert.is(JSON.stringify(polyVectors(), null, 2) + '\n', readFileSync(join(dir, 'poly.json'), 'utf8'));
  assert.is(JSON.stringify(envelopeVectors(), null, 2) + '\n', readFileSync(join(dir, 'envelope.json'), 'utf8'));
  assert.is(JSON.stringify(sokVectors(), null, 2) + '\n', readFileSync(join(dir, 'sok.json'), 'utf8'));
  assert.is(selftestModule(), readFileSync(join(process.cwd(), 'firmware/crypto/selftest-vectors.ts'), 'utf8'));
});

test('POLY vectors (t = 3 full shares, t = 255): points, both sides, PRK, both directions', () => {
  for (const v of poly.vectors) {
    const dec = (s: string) => (v.share_encoding === 'hex' ? fromHex(s) : new Uint8Array(Buffer.from(s, 'base64')));
    const sa = dec(v.shares[A]), sb = dec(v.shares[B]);
    assert.is(sa.length, 16 * (v.t + 1));
    assert.is(toHex(polyPoint(A)), v.x[A]);
    assert.is(toHex(polyRawKey(sa, B)), v.K_raw);
    assert.is(toHex(polyRawKey(sb, A)), v.K_raw);
    const prk = pairPrk(fromHex(v.K_raw), 1, v.epoch);
    assert.is(toHex(prk), v.PRK);
    for (const d of v.directional) {
      assert.is(toHex(directionalKey(prk, d.aead, A, B)), d[`K(${A}->${B})`]);
      assert.is(toHex(directionalKey(prk, d.aead, B, A)), d[`K(${B}->${A})`]);
      assert.is.not(d[`K(${A}->${B})`], d[`K(${B}->${A})`]);
    }
  }
});

test('SOK vector: shares verify, both sides agree', () => {
  assert.ok(sokVerify(A, sok.shares[A], sok.public));
  const ka = new SokAgreement(A, 1, sok.shares[A]).rawKey(B);
  assert.is(toHex(ka), sok.K_raw);
  assert.is(toHex(new SokAgreement(B, 1, sok.shares[B]).rawKey(A)), sok.K_raw);
  assert.is(toHex(pairPrk(ka, 2, 1)), sok.PRK);
});

function policyFor(id: string, over: Partial<OpenPolicy> = {}): OpenPolicy {
  const t3 = poly.vectors[0];
  return {
    agreements: [new PolyAgreement(id, 1, fromHex(t3.shares[id]))], cache: null, accel: nodeCryptoAccel, suitesFor: null, aeads: null,
    now: env.timestamp, maxAgeMs: 0, maxFutureMs: 0, expectChallenge: null, replay: null, ...over,
  };
}

test('envelope vectors: positives open, negatives are refused with their code', () => {
  for (const p of env.positive) {
    const r = openMessage(policyFor(A, { expectChallenge: p.challenge ? fromHex(p.challenge) : null }), fromHex(p.envelope));
    assert.is(toHex(r.plain), p.plaintext ?? env.plaintext, p.name);
    assert.is(r.header.sender, B);
  }
  for (const n of env.negative) {
    let code = 'accepted';
    try {
      openMessage(policyFor(n.opener ?? A, { expectChallenge: n.expect_challenge ? fromHex(n.expect_challenge) : null }), fromHex(n.envelope));
    } catch (e) {
      code = (e as { code: string }).code;
    }
    assert.is(code, n.code, n.name + " (got " + code + ")");
  }
});

test.run();
