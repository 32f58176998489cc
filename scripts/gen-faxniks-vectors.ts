// Writes the FAXNIKS test vectors: test/vectors/faxniks/{poly,sok,envelope}.json and the small
// subset the device self-test carries, firmware/crypto/selftest-vectors.ts. Deterministic: every
// seed, salt and timestamp comes from fixed labels, so a re-run must reproduce the files exactly
// (test/firmware/crypto/vectors.test.ts checks that).
//   node --import tsx scripts/gen-faxniks-vectors.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ascii, toHex } from '../firmware/crypto/bytes.ts';
import { sealMessage, CONTENT_DOCUMENT, CONTENT_NOTICE, CONTENT_REQUEST } from '../firmware/crypto/envelope.ts';
import { decodeHeader } from '../firmware/crypto/envelope-open.ts';
import type { SealParams } from '../firmware/crypto/envelope.ts';
import { directionalKey, pairPrk } from '../firmware/crypto/keys.ts';
import type { KeyAgreement } from '../firmware/crypto/keys.ts';
import { PolyAgreement, polyPoint, polyRawKey } from '../firmware/crypto/poly.ts';
import { sha256 } from '../firmware/crypto/sha256.ts';
import { AEAD_AES256CTR_HMAC_SHA256, AEAD_CHACHA20_POLY1305, SUITE_POLY_GF128, SUITE_SOK_BLS12381 } from '../firmware/crypto/suites.ts';
import { nodeCryptoAccel } from '../host/crypto/node-accel.ts';
import { polyMaster, polyShare } from '../host/crypto/poly-center.ts';
import { SokAgreement, sokIssue, sokMasterScalar, sokPublic } from '../host/crypto/sok.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const A = 'host:fax.example';
export const B = 'mail:alice@example.com';
export const C = 'mail:eve@example.com';
export const TIMESTAMP = 1796000000000; // 2026-11-30T…Z, fixed
const label = (s: string) => sha256(ascii('faxniks test vectors: ' + s));
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

function fixedEntropy(name: string) {
  return { fill(out: Uint8Array) { out.set(label('salt ' + name).subarray(0, out.length)); } };
}

function pairVector(a: KeyAgreement, b: KeyAgreement) {
  const raw = a.rawKey(b.identity);
  const prk = pairPrk(raw, a.suite, a.epoch);
  return {
    K_raw: toHex(raw),
    K_raw_from_other_side: toHex(b.rawKey(a.identity)),
    PRK: toHex(prk),
    directional: [AEAD_CHACHA20_POLY1305, AEAD_AES256CTR_HMAC_SHA256].map((aead) => ({
      aead,
      [`K(${a.identity}->${b.identity})`]: toHex(directionalKey(prk, aead, a.identity, b.identity)),
      [`K(${b.identity}->${a.identity})`]: toHex(directionalKey(prk, aead, b.identity, a.identity)),
    })),
  };
}

export function polyVectors() {
  const out: unknown[] = [];
  for (const t of [3, 255]) {
    const seed = label('poly seed t=' + t);
    const m = polyMaster(seed, 1, t);
    const sa = polyShare(m, A), sb = polyShare(m, B);
    out.push({
      suite: SUITE_POLY_GF128, t, epoch: 1, master_seed: toHex(seed),
      ids: [A, B], x: { [A]: toHex(polyPoint(A)), [B]: toHex(polyPoint(B)) },
      coefficients_a00_a01_att: [toHex(m.coef(0, 0)), toHex(m.coef(0, 1)), toHex(m.coef(t, t))],
      shares: t === 3 ? { [A]: toHex(sa), [B]: toHex(sb) } : { [A]: b64(sa), [B]: b64(sb) },
      share_encoding: t === 3 ? 'hex' : 'base64',
      ...pairVector(new PolyAgreement(A, 1, sa), new PolyAgreement(B, 1, sb)),
    });
  }
  return { note: 'POLY-GF128 (docs/FAXNIKS.md §3.1); regenerate with scripts/gen-faxniks-vectors.ts', vectors: out };
}

export function sokVectors() {
  const seed = label('sok seed');
  const s = sokMasterScalar(seed, 1);
  const sa = sokIssue(s, A), sb = sokIssue(s, B);
  return {
    note: 'SOK-BLS12381 (docs/FAXNIKS.md §3.2); K_raw is noble Fp12.toBytes of the GT element',
    suite: SUITE_SOK_BLS12381, epoch: 1, master_seed: toHex(seed), public: sokPublic(s),
    shares: { [A]: sa, [B]: sb },
    ...pairVector(new SokAgreement(A, 1, sa), new SokAgreement(B, 1, sb)),
  };
}

function sealFixed(name: string, over: Partial<SealParams>, plain: Uint8Array): Uint8Array {
  const m = polyMaster(label('poly seed t=3'), 1, 3);
  const p: SealParams = {
    agreement: new PolyAgreement(B, 1, polyShare(m, B)), to: A, aead: AEAD_CHACHA20_POLY1305, contentType: CONTENT_DOCUMENT,
    timestamp: TIMESTAMP, challenge: null, segmentSize: 64, entropy: fixedEntropy(name), cache: null, accel: nodeCryptoAccel, ...over,
  };
  return sealMessage(p, plain);
}

export function envelopeVectors() {
  const m3 = polyMaster(label('poly seed t=3'), 1, 3);
  const m3e2 = polyMaster(label('poly seed t=3'), 2, 3);
  const plain = ascii('FAXNIKS envelope test vector, sealed on Node and opened by the device self-test: three segments ' +
    'of 64 bytes of plaintext each, then a short last one. Every segment carries a 16-byte Poly1305 tag.');
  if (plain.length <= 192 || plain.length >= 256) throw new Error('vector plaintext must make 3 full segments and a short one');
  const chacha = sealFixed('chacha', {}, plain);
  const aes = sealFixed('aes', { aead: AEAD_AES256CTR_HMAC_SHA256 }, plain);
  const challenge = label('challenge').subarray(0, 16);
  const request = sealFixed('request', { contentType: CONTENT_REQUEST, challenge }, ascii('send box 7, pass code 1234'));
  const hl = decodeHeader(chacha).bytes.length;
  const flip = (b: Uint8Array, i: number) => {
    if (i >= b.length) throw new Error('flip outside the envelope');
    const c = b.slice(); c[i] ^= 1; return c;
  };
  const cut = (b: Uint8Array, n: number) => {
    if (n >= b.length) throw new Error('cut outside the envelope');
    return b.subarray(0, n);
  };
  // A's own message, reflected back to A.
  const fromA = sealFixed('reflect', { agreement: new PolyAgreement(A, 1, polyShare(m3, A)), to: B, contentType: CONTENT_NOTICE }, ascii('notice'));
  // Header identities swapped: presented as A -> B although sealed B -> A.
  const swapped = (() => {
    const h = decodeHeader(chacha);
    const nh = new Uint8Array(h.bytes.length);
    nh.set(h.bytes.subarray(0, 57));
    nh[57] = A.length; nh.set(ascii(A), 58); nh[58 + A.length] = B.length; nh.set(ascii(B), 59 + A.length);
    const out = new Uint8Array(chacha.length); out.set(nh); out.set(chacha.subarray(hl), hl); return out;
  })();
  const epoch2 = sealFixed('epoch2', { agreement: new PolyAgreement(B, 2, polyShare(m3e2, B)) }, plain);
  return {
    note: 'Envelopes sealed by mail:alice@example.com for host:fax.example with the t=3 POLY vector keys (epoch 1); ' +
      'negative cases must be refused with the given code by an opener holding host:fax.example (or, for reflection, by the sender)',
    plaintext: toHex(plain),
    timestamp: TIMESTAMP,
    positive: [
      { name: 'chacha20-poly1305, segment 64', aead: AEAD_CHACHA20_POLY1305, envelope: toHex(chacha) },
      { name: 'aes256ctr-hmac-sha256, segment 64', aead: AEAD_AES256CTR_HMAC_SHA256, envelope: toHex(aes) },
      { name: 'request answering a challenge', challenge: toHex(challenge), plaintext: toHex(ascii('send box 7, pass code 1234')), envelope: toHex(request) },
    ],
    negative: [
      { name: 'header bit flip (content type)', code: 'tag', envelope: toHex(flip(chacha, 8)) },
      { name: 'header bit flip (salt)', code: 'tag', envelope: toHex(flip(chacha, 40)) },
      { name: 'ciphertext bit flip (segment 2)', code: 'tag', envelope: toHex(flip(chacha, hl + 80 * 2 + 3)) },
      { name: 'truncated at a segment boundary', code: 'tag', envelope: toHex(cut(chacha, hl + 80 * 2)) },
      { name: 'truncated inside the header', code: 'truncated', envelope: toHex(cut(chacha, 40)) },
      { name: 'reflection (my own message back to me)', code: 'reflection', opener: A, envelope: toHex(fromA) },
      { name: 'wrong direction (identities swapped)', code: 'tag', opener: B, envelope: toHex(swapped) },
      { name: 'wrong epoch', code: 'epoch', envelope: toHex(epoch2) },
      { name: 'replayed request (next challenge expected)', code: 'challenge', expect_challenge: toHex(label('challenge 2').subarray(0, 16)), envelope: toHex(request) },
    ],
  };
}

/** The TypeScript module the device self-test imports (t=3 POLY vector and one envelope). */
export function selftestModule(): string {
  const poly = polyVectors().vectors[0] as { shares: Record<string, string>; K_raw: string; PRK: string };
  const env = envelopeVectors();
  const dirKey = toHex(directionalKey(new Uint8Array(Buffer.from(poly.PRK, 'hex')), AEAD_CHACHA20_POLY1305, B, A));
  return `// Generated by scripts/gen-faxniks-vectors.ts — do not edit. The t = 3 POLY-GF128 vector and
// an envelope sealed on Node (test/vectors/faxniks/), carried by the device self-test.
export const ST_A = ${JSON.stringify(A)};
export const ST_B = ${JSON.stringify(B)};
export const ST_SHARE_A = '${poly.shares[A]}';
export const ST_SHARE_B = '${poly.shares[B]}';
export const ST_K_RAW = '${poly.K_raw}';
export const ST_PRK = '${poly.PRK}';
export const ST_K_B_TO_A_CHACHA = '${dirKey}';
export const ST_TIMESTAMP = ${TIMESTAMP};
export const ST_PLAINTEXT = '${env.plaintext}';
export const ST_ENVELOPE = '${env.positive[0].envelope}';
`;
}

export function writeAll(): string[] {
  const dir = join(root, 'test/vectors/faxniks');
  const files: [string, string][] = [
    [join(dir, 'poly.json'), JSON.stringify(polyVectors(), null, 2) + '\n'],
    [join(dir, 'sok.json'), JSON.stringify(sokVectors(), null, 2) + '\n'],
    [join(dir, 'envelope.json'), JSON.stringify(envelopeVectors(), null, 2) + '\n'],
    [join(root, 'firmware/crypto/selftest-vectors.ts'), selftestModule()],
  ];
  for (const [p, text] of files) writeFileSync(p, text);
  return files.map(([p]) => p);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const p of writeAll()) console.log('wrote ' + p);
}
