// SOK-BLS12381: the RFC 9380 hash-to-curve answers of the library it stands on, symmetry, share
// verification, and the center's ability to compute any key (said plainly in docs/FAXNIKS.md).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { ascii, toHex } from '../../../firmware/crypto/bytes.ts';
import { SokAgreement, sokH1, sokH2, sokIssue, sokMasterScalar, sokPublic, sokVerify } from '../../../host/crypto/sok.ts';

test('RFC 9380 J.9.1 / J.10.1: hash_to_curve into G1 and G2 (msg "" and "abc")', () => {
  const g1 = (m: string) => bls12_381.G1.hashToCurve(ascii(m), { DST: 'QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_' }).toAffine();
  const e = g1('');
  assert.is(e.x.toString(16).padStart(96, '0'), '052926add2207b76ca4fa57a8734416c8dc95e24501772c814278700eed6d1e4e8cf62d9c09db0fac349612b759e79a1');
  assert.is(e.y.toString(16).padStart(96, '0'), '08ba738453bfed09cb546dbb0783dbb3a5f1f566ed67bb6be0e8c67e2e81a4cc68ee29813bb7994998f3eae0c9c6a265');
  const abc = g1('abc');
  assert.is(abc.x.toString(16).padStart(96, '0'), '03567bc5ef9c690c2ab2ecdf6a96ef1c139cc0b2f284dca0a9a7943388a49a3aee664ba5379a7655d3c68900be2f6903');
  assert.is(abc.y.toString(16).padStart(96, '0'), '0b9c15f3fe6e5cf4211f346271d7b01c8f3b28be689c8429c85b67af215533311f0b8dfaaa154fa6b88176c229f2885d');
  const g2 = bls12_381.G2.hashToCurve(new Uint8Array(0), { DST: 'QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_' }).toAffine();
  assert.is(g2.x.c0.toString(16).padStart(96, '0'), '0141ebfbdca40eb85b87142e130ab689c673cf60f1a3e98d69335266f30d9b8d4ac44c1038e9dcdd5393faf5c41fb78a');
  assert.is(g2.x.c1.toString(16).padStart(96, '0'), '05cb8437535e20ecffaef7752baddf98034139c38452458baeefab379ba13dff5bf5dd71b72418717047f5b0f37da03d');
  assert.is(g2.y.c0.toString(16).padStart(96, '0'), '0503921d7f6a12805e72940b963c0cf3471c7b2a524950ca195d11062ee75ec076daf2d4bc358c4b190c0c98064fdd92');
  assert.is(g2.y.c1.toString(16).padStart(96, '0'), '12424ac32561493f3fe3c260708a12b7c620e7be00099a974e259ddc7d1f6395c3c811cdd19f1e8dbf3e9ecfdcbab8d6');
});

const s = sokMasterScalar(new Uint8Array(randomBytes(32)), 1);
const pub = sokPublic(s);
const ids = ['mail:alice@example.com', 'host:fax.example', 'mail:bob@example.org', 'ip4:192.0.2.7', 'mac:001a2b3c4d5e'];
const ag = ids.map((id) => new SokAgreement(id, 1, sokIssue(s, id)));

test('K_XY = K_YX for every pair; pairs differ; no key with myself', () => {
  const seen = new Set<string>();
  for (let a = 0; a < ids.length; a++) {
    for (let b = a + 1; b < ids.length; b++) {
      const k = toHex(ag[a].rawKey(ids[b]));
      assert.is(k, toHex(ag[b].rawKey(ids[a])), `${ids[a]} / ${ids[b]}`);
      assert.not.ok(seen.has(k));
      seen.add(k);
    }
  }
  assert.throws(() => ag[0].rawKey(ids[0]), /myself/);
});

test('shares verify against the public info; a share of another identity or center does not', () => {
  assert.ok(sokVerify(ids[0], sokIssue(s, ids[0]), pub));
  assert.not.ok(sokVerify(ids[1], sokIssue(s, ids[0]), pub));
  const other = sokMasterScalar(new Uint8Array(randomBytes(32)), 1);
  assert.not.ok(sokVerify(ids[0], sokIssue(other, ids[0]), pub));
});

test('the center (who knows s) computes any pair key without any share', () => {
  const [lo, hi] = [ids[1], ids[0]].sort(); // host:… < mail:…
  const k = bls12_381.fields.Fp12.toBytes(bls12_381.pairing(sokH1(lo).multiply(s), sokH2(hi)));
  assert.is(toHex(k), toHex(ag[0].rawKey(ids[1])));
});

test('the master scalar depends on seed and epoch', () => {
  const seed = new Uint8Array(randomBytes(32));
  assert.is.not(sokMasterScalar(seed, 1), sokMasterScalar(seed, 2));
  assert.throws(() => sokMasterScalar(new Uint8Array(16), 1), /32 bytes/);
});

test.run();
