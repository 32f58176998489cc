// GF(2^128) in GHASH order: the table multiplier against the bit-serial reference, field laws,
// and GHASH against AES-GCM tags computed by node:crypto (the GCM tag is E_K(J0) ⊕ GHASH_H(…)).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCipheriv, randomBytes } from 'node:crypto';
import { fromWords, gfAdd, gfMul, GfMulTable, ghash, Ghash, toWords } from '../../../firmware/crypto/gf128.ts';
import { toHex } from '../../../firmware/crypto/bytes.ts';

const rnd = (n: number) => new Uint8Array(randomBytes(n));
const ONE = (() => { const b = new Uint8Array(16); b[0] = 0x80; return b; })(); // x^0

function tableMul(a: Uint8Array, h: Uint8Array): Uint8Array {
  const w = new Int32Array(4);
  toWords(a, 0, w);
  new GfMulTable(h).mulInPlace(w);
  return fromWords(w);
}

test('table multiplication equals the bit-serial reference', () => {
  for (let i = 0; i < 300; i++) {
    const a = rnd(16), b = rnd(16);
    assert.is(toHex(tableMul(a, b)), toHex(gfMul(a, b)));
  }
  const allOnes = new Uint8Array(16).fill(0xff);
  assert.is(toHex(tableMul(allOnes, allOnes)), toHex(gfMul(allOnes, allOnes)));
});

test('field laws: 1 is neutral, product commutes, associates and distributes', () => {
  for (let i = 0; i < 50; i++) {
    const a = rnd(16), b = rnd(16), c = rnd(16);
    assert.equal(gfMul(a, ONE), a);
    assert.equal(gfMul(a, b), gfMul(b, a));
    assert.equal(gfMul(gfMul(a, b), c), gfMul(a, gfMul(b, c)));
    assert.equal(gfMul(a, gfAdd(b, c)), gfAdd(gfMul(a, b), gfMul(a, c)));
  }
  // x · x^127 = x^128 = 1 + x + x^2 + x^7 (SP 800-38D §6.3: R = 11100001 ‖ 0^120).
  const x = new Uint8Array(16); x[0] = 0x40;
  const x127 = new Uint8Array(16); x127[15] = 0x01;
  assert.is(toHex(gfMul(x, x127)), 'e1000000000000000000000000000000');
});

function gcmTagViaGhash(key: Buffer, iv: Buffer, aad: Buffer, ct: Buffer): string {
  const ecb = (b: Buffer) => { const c = createCipheriv('aes-256-ecb', key, null); c.setAutoPadding(false); return c.update(b); };
  const h = new Uint8Array(ecb(Buffer.alloc(16)));
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((16 - (b.length % 16)) % 16)]);
  const lens = Buffer.alloc(16);
  lens.writeUInt32BE(Math.floor(aad.length * 8 / 2 ** 32), 0); lens.writeUInt32BE((aad.length * 8) >>> 0, 4);
  lens.writeUInt32BE(Math.floor(ct.length * 8 / 2 ** 32), 8); lens.writeUInt32BE((ct.length * 8) >>> 0, 12);
  const s = ghash(h, new Uint8Array(Buffer.concat([pad(aad), pad(ct), lens])));
  const ej0 = ecb(Buffer.concat([iv, Buffer.from([0, 0, 0, 1])]));
  return toHex(gfAdd(s, new Uint8Array(ej0)));
}

test('GHASH reproduces AES-256-GCM tags from node:crypto', () => {
  for (const [na, np] of [[0, 0], [13, 0], [0, 16], [20, 33], [64, 100], [5, 1000]]) {
    const key = randomBytes(32), iv = randomBytes(12), aad = randomBytes(na), pt = randomBytes(np);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(aad);
    const ct = Buffer.concat([c.update(pt), c.final()]);
    assert.is(gcmTagViaGhash(key, iv, aad, ct), c.getAuthTag().toString('hex'), `aad ${na}, pt ${np}`);
  }
});

test('Ghash absorbs in slices with the same result', () => {
  const h = rnd(16), data = rnd(16 * 37);
  const g = new Ghash(h);
  g.absorb(data, 0, 5); g.absorb(data, 5, 30); g.absorb(data, 35, 2);
  assert.equal(g.result(), ghash(h, data));
  assert.throws(() => ghash(h, rnd(15)), /whole number/);
});

test.run();
