// The center's half of POLY-GF128 (docs/FAXNIKS.md §3.1): the master polynomial
// F(x, y) = Σ a_ij x^i y^j, a_ij = a_ji, 0 ≤ i, j ≤ t, over GF(2^128), and the shares it issues.
// Host only (Node's ChaCha20 makes the (t+1)^2 coefficients cheap).
import { createCipheriv } from 'node:crypto';
import { ascii, concat, u32be } from '../../firmware/crypto/bytes.ts';
import { fromWords, GfMulTable, toWords } from '../../firmware/crypto/gf128.ts';
import { hkdf } from '../../firmware/crypto/hkdf.ts';
import { polyPoint, POLY_MAX_T } from '../../firmware/crypto/poly.ts';
import { sha256 } from '../../firmware/crypto/sha256.ts';
import { LABEL } from '../../firmware/crypto/suites.ts';

/** The coefficient matrix of one epoch: row i holds a_ij for j ≥ i (a_ij = a_ji below it). */
export class PolyMaster {
  t: number;
  rows: Uint8Array[];

  constructor(t: number, rows: Uint8Array[]) {
    this.t = t;
    this.rows = rows;
  }

  /** a_ij as a 16-byte block (a view into the row). */
  coef(i: number, j: number): Uint8Array {
    const lo = Math.min(i, j);
    const hi = Math.max(i, j);
    return this.rows[lo].subarray(16 * hi, 16 * hi + 16);
  }
}

/**
 * Coefficients from a 32-byte seed: K_coef = HKDF-SHA256(seed, salt = LABEL " poly",
 * info = "coefficients" ‖ epoch ‖ t, 32); row i is the ChaCha20 keystream (RFC 8439 §2.4, counter
 * from 0) under K_coef with nonce 0^8 ‖ u32be(i), and a_ij (i ≤ j) = bytes 16j..16j+15 of row i.
 */
export function polyMaster(seed: Uint8Array, epoch: number, t: number): PolyMaster {
  if (seed.length !== 32) throw new Error('poly: master seed must be 32 bytes');
  if (!Number.isInteger(t) || t < 1 || t > POLY_MAX_T) throw new Error(`poly: threshold t must be 1..${POLY_MAX_T}, got ${t}`);
  const info = concat([ascii('coefficients'), u32be(epoch), new Uint8Array([t >> 8, t & 0xff])]);
  const k = hkdf(sha256, seed, ascii(LABEL + ' poly'), info, 32);
  const rows: Uint8Array[] = [];
  const zeros = new Uint8Array(16 * (t + 1));
  for (let i = 0; i <= t; i++) {
    const iv = new Uint8Array(16); // Node's chacha20 IV: 32-bit LE block counter ‖ 96-bit nonce
    iv.set(u32be(i), 12);
    const c = createCipheriv('chacha20', k, iv);
    rows.push(new Uint8Array(c.update(zeros)));
  }
  return new PolyMaster(t, rows);
}

/** Share of identity X: blocks s_t ‖ … ‖ s_0 with s_j = x_X · Σ_i a_ij x_X^i. */
export function polyShare(m: PolyMaster, identity: string): Uint8Array {
  return polyShareAt(m, polyPoint(identity));
}

export function polyShareAt(m: PolyMaster, x: Uint8Array): Uint8Array {
  const t = m.t;
  const mulX = new GfMulTable(x);
  const out = new Uint8Array(16 * (t + 1));
  const acc = new Int32Array(4);
  const c = new Int32Array(4);
  for (let j = 0; j <= t; j++) {
    acc.fill(0);
    // Horner in i from t down to 0, then one more ·x for the x_X factor.
    for (let i = t; i >= 0; i--) {
      toWords(m.coef(i, j), 0, c);
      acc[0] ^= c[0];
      acc[1] ^= c[1];
      acc[2] ^= c[2];
      acc[3] ^= c[3];
      mulX.mulInPlace(acc);
    }
    out.set(fromWords(acc), 16 * (t - j));
  }
  return out;
}
