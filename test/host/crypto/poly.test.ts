// POLY-GF128 end to end: shares from the center, keys computed by the holders, symmetry on many
// random pairs, the sliced evaluator, and the collusion bound that the threshold t is about.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { toHex } from '../../../firmware/crypto/bytes.ts';
import { gfAdd, gfMul } from '../../../firmware/crypto/gf128.ts';
import { PolyKeyJob, polyPoint, polyRawKey, polyShareDegree } from '../../../firmware/crypto/poly.ts';
import { PolyMaster, polyMaster, polyShare, polyShareAt } from '../../../host/crypto/poly-center.ts';

const ONE = (() => { const b = new Uint8Array(16); b[0] = 0x80; return b; })();
const rndId = (i: number) => `mail:user${i}-${randomBytes(4).toString('hex')}@example.com`;

function gfInv(a: Uint8Array): Uint8Array {
  // a^(2^128 - 2): square-and-multiply over the exponent's 127 one bits followed by a zero.
  let r: Uint8Array = ONE, p: Uint8Array = a;
  for (let i = 1; i < 128; i++) { p = gfMul(p, p); r = gfMul(r, p); }
  return r;
}

test('K_XY = K_YX on many random pairs (t = 8 and t = 255), distinct pairs differ', () => {
  for (const t of [8, 255]) {
    const m = polyMaster(new Uint8Array(randomBytes(32)), 1, t);
    const ids = Array.from({ length: t === 8 ? 40 : 12 }, (_, i) => rndId(i)); // 780 and 66 pairs
    const shares = ids.map((id) => polyShare(m, id));
    assert.is(polyShareDegree(shares[0]), t);
    const seen = new Set<string>();
    for (let a = 0; a < ids.length; a++) {
      for (let b = a + 1; b < ids.length; b++) {
        const kab = toHex(polyRawKey(shares[a], ids[b]));
        assert.is(kab, toHex(polyRawKey(shares[b], ids[a])), `${ids[a]} / ${ids[b]}`);
        assert.not.ok(seen.has(kab));
        seen.add(kab);
      }
    }
  }
});

test('another epoch or seed gives unrelated keys', () => {
  const seed = new Uint8Array(randomBytes(32));
  const a = 'host:fax.example', b = 'mail:owner@example.com';
  const k1 = toHex(polyRawKey(polyShare(polyMaster(seed, 1, 4), a), b));
  const k2 = toHex(polyRawKey(polyShare(polyMaster(seed, 2, 4), a), b));
  const k3 = toHex(polyRawKey(polyShare(polyMaster(new Uint8Array(randomBytes(32)), 1, 4), a), b));
  assert.is.not(k1, k2);
  assert.is.not(k1, k3);
});

test('sliced evaluation (PolyKeyJob) equals the one-shot key', () => {
  const m = polyMaster(new Uint8Array(randomBytes(32)), 7, 255);
  const share = polyShare(m, 'host:fax.example');
  const job = new PolyKeyJob(share, 'mail:owner@example.com');
  let steps = 0;
  while (!job.step(10)) steps++;
  assert.is(steps, 25); // 256 blocks, 10 per step
  assert.equal(job.result(), polyRawKey(share, 'mail:owner@example.com'));
});

// P(x) = Π_k (x + x_k): vanishes at every colluder's point (characteristic 2: minus is plus).
function vanishing(points: Uint8Array[]): Uint8Array[] {
  let p: Uint8Array[] = [ONE];
  for (const xk of points) {
    const next = Array.from({ length: p.length + 1 }, (): Uint8Array => new Uint8Array(16));
    for (let i = 0; i < p.length; i++) {
      next[i + 1] = gfAdd(next[i + 1], p[i]);
      next[i] = gfAdd(next[i], gfMul(p[i], xk));
    }
    p = next;
  }
  return p;
}

function evalPoly(c: Uint8Array[], x: Uint8Array): Uint8Array {
  let acc: Uint8Array = new Uint8Array(16);
  for (let i = c.length - 1; i >= 0; i--) acc = gfAdd(gfMul(acc, x), c[i]);
  return acc;
}

test('t colluders learn nothing about an outside pair: every key value fits their shares', () => {
  const t = 5;
  const m = polyMaster(new Uint8Array(randomBytes(32)), 1, t);
  const colluders = Array.from({ length: t }, (_, i) => rndId(i));
  const A = 'mail:alice@example.com', B = 'host:fax.example';
  const realKey = polyRawKey(polyShare(m, A), B);
  const xs = colluders.map(polyPoint);
  const p = vanishing(xs);
  const xa = polyPoint(A), xb = polyPoint(B);
  // F' = F + c·P(x)·P(y) keeps every colluder's share and shifts K_AB by c·x_A·x_B·P(x_A)·P(x_B).
  const shiftPerC = gfMul(gfMul(xa, xb), gfMul(evalPoly(p, xa), evalPoly(p, xb)));
  for (let trial = 0; trial < 3; trial++) {
    const target = new Uint8Array(randomBytes(16));
    const c = gfMul(gfAdd(target, realKey), gfInv(shiftPerC));
    const rows = m.rows.map((r, i) => {
      const nr = r.slice();
      for (let j = i; j <= t; j++) nr.set(gfAdd(m.coef(i, j), gfMul(c, gfMul(p[i], p[j]))), 16 * j);
      return nr;
    });
    const other = new PolyMaster(t, rows);
    for (const id of colluders) assert.equal(polyShare(other, id), polyShare(m, id), 'colluders see the same shares');
    assert.is(toHex(polyRawKey(polyShare(other, A), B)), toHex(target), 'yet A and B would share the chosen key');
  }
});

test('t+1 colluders compute an outside pair\'s key (Lagrange interpolation of the shares)', () => {
  const t = 5;
  const m = polyMaster(new Uint8Array(randomBytes(32)), 1, t);
  const colluders = Array.from({ length: t + 1 }, (_, i) => rndId(i));
  const shares = colluders.map((id) => polyShare(m, id));
  const xs = colluders.map(polyPoint);
  const A = 'mail:alice@example.com', B = 'host:fax.example';
  const xa = polyPoint(A);
  // Block k of a share is s_j = x·b_j(x) with j = t-k and b_j of degree t in x: t+1 values of
  // b_j determine it, so the colluders evaluate b_j at x_A and rebuild A's whole share.
  function interpolate(n: number): Uint8Array {
    const forged = new Uint8Array(16 * (t + 1));
    for (let k = 0; k <= t; k++) {
      let acc: Uint8Array = new Uint8Array(16);
      for (let i = 0; i < n; i++) {
        const bi = gfMul(shares[i].subarray(16 * k, 16 * k + 16), gfInv(xs[i]));
        let l: Uint8Array = ONE;
        for (let j = 0; j < n; j++) if (j !== i) l = gfMul(l, gfMul(gfAdd(xa, xs[j]), gfInv(gfAdd(xs[i], xs[j]))));
        acc = gfAdd(acc, gfMul(bi, l));
      }
      forged.set(gfMul(xa, acc), 16 * k);
    }
    return forged;
  }
  const forged = interpolate(t + 1);
  assert.equal(forged, polyShare(m, A), 'A\'s share rebuilt');
  assert.equal(polyRawKey(forged, B), polyRawKey(polyShare(m, A), B), 'the outside key K_AB computed');
  // The same attack with t shares yields a wrong share and a wrong key.
  const weak = interpolate(t);
  assert.not.equal(weak, polyShareAt(m, xa));
  assert.not.equal(polyRawKey(weak, B), polyRawKey(polyShare(m, A), B));
});

test('malformed shares and identities hashing are refused', () => {
  assert.throws(() => polyShareDegree(new Uint8Array(17)), /16\(t\+1\)/);
  assert.throws(() => polyShareDegree(new Uint8Array(16)), /16\(t\+1\)/);
  assert.throws(() => polyMaster(new Uint8Array(31), 1, 4), /32 bytes/);
  assert.throws(() => polyMaster(new Uint8Array(32), 1, 0), /threshold/);
});

test.run();
