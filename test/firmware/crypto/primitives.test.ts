// Known answers for the firmware's primitives: SHA-256 and HMAC against node:crypto, HKDF against
// RFC 5869 Appendix A, expand_message_xmd against RFC 9380 Appendix K.1, ChaCha20-Poly1305
// against RFC 8439 §2.8.2 and node:crypto, the AES+HMAC stream AEAD against node:crypto.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { poly1305 as noblePoly1305 } from '@noble/ciphers/_poly1305.js';
import { chacha20, chachaBlock } from '../../../firmware/crypto/chacha20.ts';
import { poly1305, Poly1305 } from '../../../firmware/crypto/poly1305.ts';
import { fromHex, toHex, ascii } from '../../../firmware/crypto/bytes.ts';
import { Sha256, sha256 } from '../../../firmware/crypto/sha256.ts';
import { hkdf, hkdfExpand, hkdfExtract, hmacSha256 } from '../../../firmware/crypto/hkdf.ts';
import { expandMessageXmd } from '../../../firmware/crypto/xmd.ts';
import { chachaPolyOpen, chachaPolySeal, segmentAead } from '../../../firmware/crypto/aead.ts';
import { AEAD_AES256CTR_HMAC_SHA256 } from '../../../firmware/crypto/suites.ts';
import { nodeCryptoAccel } from '../../../host/crypto/node-accel.ts';

const hex = (b: Uint8Array) => toHex(b);

test('SHA-256 matches node:crypto on lengths 0..300 and in uneven slices', () => {
  for (let n = 0; n <= 300; n += 7) {
    const d = randomBytes(n);
    assert.is(hex(sha256(d)), createHash('sha256').update(d).digest('hex'), `length ${n}`);
  }
  const big = randomBytes(10000);
  const h = new Sha256();
  for (let o = 0; o < big.length; ) {
    const k = Math.min(big.length - o, 1 + ((o * 31) % 97));
    h.update(big.subarray(o, o + k));
    o += k;
  }
  assert.is(hex(h.digest()), createHash('sha256').update(big).digest('hex'));
  assert.is(hex(sha256(ascii('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'); // FIPS 180-4 example
});

test('HMAC-SHA-256 matches node:crypto, including keys longer than a block', () => {
  for (const klen of [0, 16, 32, 64, 65, 200]) {
    const k = randomBytes(klen);
    const m = randomBytes(100 + klen);
    assert.is(hex(hmacSha256(k, m)), createHmac('sha256', k).update(m).digest('hex'));
  }
});

test('HKDF: RFC 5869 A.1 and A.3, and node:crypto', () => {
  const ikm = new Uint8Array(22).fill(0x0b);
  const salt = fromHex('000102030405060708090a0b0c');
  const info = fromHex('f0f1f2f3f4f5f6f7f8f9');
  const prk = hkdfExtract(sha256, salt, ikm);
  assert.is(hex(prk), '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
  assert.is(hex(hkdfExpand(sha256, prk, info, 42)), '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  const prk3 = hkdfExtract(sha256, new Uint8Array(0), ikm);
  assert.is(hex(prk3), '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04');
  assert.is(hex(hkdfExpand(sha256, prk3, new Uint8Array(0), 42)), '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  for (const len of [1, 31, 32, 33, 100, 255]) {
    const k = randomBytes(40), s = randomBytes(16), i = randomBytes(10);
    assert.is(hex(hkdf(sha256, k, s, i, len)), Buffer.from(hkdfSync('sha256', k, s, i, len)).toString('hex'));
  }
  assert.throws(() => hkdfExpand(sha256, prk, info, 255 * 32 + 1), /out of range/);
});

test('expand_message_xmd(SHA-256): RFC 9380 K.1 and noble', () => {
  const dst = 'QUUX-V01-CS02-with-expander-SHA256-128';
  assert.is(hex(expandMessageXmd(new Uint8Array(0), dst, 0x20)), '68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235');
  assert.is(hex(expandMessageXmd(ascii('abc'), dst, 0x20)), 'd8ccab23b5985ccea865c6c97b6e5b8350e794e603b4b97902f53a8a0d605615');
  assert.is(hex(expandMessageXmd(ascii('abcdef0123456789'), dst, 0x20)), 'eff31487c770a893cfb36f912fbfcbff40d5661771ca4b2cb4eafe524333f5c1');
  assert.is(
    hex(expandMessageXmd(ascii('abc'), dst, 0x80)),
    'abba86a6129e366fc877aab32fc4ffc70120d8996c88aee2fe4b32d6c7b6437a647e6c3163d40b76a73cf6a5674ef1d890f95b664ee0afa5359a5c4e07985635bbecbac65d747d3d2da7ec2b8221b17b0ca9dc8a1ac1c07ea6a1e60583e2cb00058e77b7b72a298425cd1b941ad4ec65e8afc50303a22c0f99b0509b4c895f40',
  );
  for (const len of [16, 48, 96, 200]) {
    const m = randomBytes(len % 37);
    assert.is(hex(expandMessageXmd(m, 'FAXNIKS-TEST', len)), hex(expand_message_xmd(m, 'FAXNIKS-TEST', len, nobleSha256)));
  }
});

test('ChaCha20: RFC 8439 §2.3.2 block and node:crypto keystreams', () => {
  const key = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
  const out = new Uint8Array(64);
  chachaBlock(key, 1, fromHex('000000090000004a00000000'), out);
  assert.is(hex(out.subarray(0, 16)), '10f1e7e4d13b5915500fdd1fa32071c4');
  // The RFC prints the state as words d19c12b5 b94e16de …; serialized little-endian:
  assert.is(hex(out.subarray(48)), 'b5129cd1de164eb9cbd083e8a2503c4e');
  for (const n of [0, 1, 63, 64, 65, 200]) {
    const k = randomBytes(32), nonce = randomBytes(12), d = randomBytes(n), ctr = n * 1000;
    const iv = Buffer.concat([Buffer.from([ctr & 0xff, (ctr >> 8) & 0xff, (ctr >> 16) & 0xff, 0]), nonce]);
    assert.is(hex(chacha20(k, nonce, ctr, d)), createCipheriv('chacha20', k, iv).update(d).toString('hex'), `length ${n}`);
  }
  assert.throws(() => chacha20(key, new Uint8Array(12), 4294967295, new Uint8Array(65)), /wrap/);
});

test('Poly1305: RFC 8439 §2.5.2, and noble on carry edge cases and random input', () => {
  const key = fromHex('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b');
  assert.is(hex(poly1305(key, ascii('Cryptographic Forum Research Group'))), 'a8061dc1305136c6c22b8baf0c0127a9');
  const ff = (n: number) => new Uint8Array(n).fill(0xff);
  const keys = [ff(32), new Uint8Array(32), (() => { const k = new Uint8Array(32); k[0] = 2; return k; })(),
    (() => { const k = new Uint8Array(32); k[0] = 1; return k; })(), (() => { const k = ff(32); k[0] = 2; for (let i = 1; i < 16; i++) k[i] = 0; return k; })()];
  const msgs = [ff(16), ff(48), new Uint8Array(16), (() => { const m = new Uint8Array(16); m[0] = 2; return m; })(),
    (() => { const m = ff(16); m[0] = 0xfd; return m; })(), (() => { const m = ff(16); m[0] = 0xfb; return m; })(),
    new Uint8Array([...ff(16), 0xf0, ...ff(15), 0x11, ...new Uint8Array(15)]), new Uint8Array(0), ff(1), ff(17), ff(1000)];
  for (const k of keys) for (const m of msgs) assert.is(hex(poly1305(k, m)), hex(noblePoly1305(m, k)), `key ${hex(k)} msg ${hex(m).slice(0, 40)}`);
  for (let i = 0; i < 200; i++) {
    const k = randomBytes(32), m = randomBytes(i * 3);
    assert.is(hex(poly1305(k, m)), hex(noblePoly1305(m, k)));
  }
  const inc = new Poly1305(key);
  const m = randomBytes(333);
  for (let o = 0; o < m.length; o += 10) inc.update(m.subarray(o, o + 10));
  assert.is(hex(inc.digest()), hex(noblePoly1305(m, key)));
});

test('ChaCha20-Poly1305: RFC 8439 §2.8.2 and node:crypto, tampering refused', () => {
  const key = fromHex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
  const nonce = fromHex('070000004041424344454647');
  const aad = fromHex('50515253c0c1c2c3c4c5c6c7');
  const pt = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
  const sealed = chachaPolySeal(key, nonce, aad, pt);
  assert.is(hex(sealed.subarray(0, 16)), 'd31a8d34648e60db7b86afbc53ef7ec2');
  assert.is(hex(sealed.subarray(sealed.length - 16)), '1ae10b594f09e26a7e902ecbd0600691');
  assert.equal(chachaPolyOpen(key, nonce, aad, sealed), pt);
  for (const n of [0, 1, 15, 16, 17, 64, 1000]) {
    const k = randomBytes(32), iv = randomBytes(12), a = randomBytes(n % 23), p = randomBytes(n);
    const c = createCipheriv('chacha20-poly1305', k, iv, { authTagLength: 16 });
    c.setAAD(a, { plaintextLength: p.length });
    const ref = Buffer.concat([c.update(p), c.final(), c.getAuthTag()]);
    assert.is(hex(chachaPolySeal(k, iv, a, p)), ref.toString('hex'), `length ${n}`);
  }
  for (let i = 0; i < sealed.length; i += 13) {
    const bad = sealed.slice();
    bad[i] ^= 0x01;
    assert.is(chachaPolyOpen(key, nonce, aad, bad), null, `bit flip at ${i}`);
  }
  const badAad = aad.slice();
  badAad[0] ^= 0x80;
  assert.is(chachaPolyOpen(key, nonce, badAad, sealed), null);
});

test('AES-256-CTR + HMAC-SHA-256 segment: ciphertext is AES-CTR from node:crypto, tag checked', () => {
  const material = randomBytes(64), prefix = randomBytes(7);
  const a = segmentAead(AEAD_AES256CTR_HMAC_SHA256, material, prefix, nodeCryptoAccel);
  const p = new Uint8Array(randomBytes(100));
  const s = a.seal(5, true, ascii('hdr'), p);
  const iv = Buffer.alloc(16);
  prefix.copy(iv, 0);
  iv.writeUInt32BE(5, 7);
  iv[11] = 1;
  const ctr = createCipheriv('aes-256-ctr', material.subarray(0, 32), iv).update(p);
  assert.is(hex(s.subarray(0, 100)), ctr.toString('hex'));
  assert.equal(a.open(5, true, ascii('hdr'), s), p);
  assert.is(a.open(5, false, ascii('hdr'), s), null, 'last flag is bound');
  assert.is(a.open(6, true, ascii('hdr'), s), null, 'counter is bound');
  assert.is(a.open(5, true, ascii('hdx'), s), null, 'aad is bound');
  assert.throws(() => segmentAead(AEAD_AES256CTR_HMAC_SHA256, material, prefix, null), /crypto engine/);
  assert.throws(() => segmentAead(AEAD_AES256CTR_HMAC_SHA256, material, randomBytes(8), nodeCryptoAccel), /prefix/);
});

test.run();
