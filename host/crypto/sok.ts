// Suite SOK-BLS12381 (Sakai–Ohgishi–Kasahara 2000 over the BLS12-381 pairing; docs/FAXNIKS.md
// §3.2). Host only: @noble/curves (BigInt) must never reach the device bundle, so nothing under
// firmware/ imports this file.
//   H1, H2 = RFC 9380 hash_to_curve into G1 / G2 with FAXNIKS DSTs
//   S_X    = (s·H1(ID_X), s·H2(ID_X));  public info (s·P1, s·P2)
//   K_raw  = e(H1(lo), H2(hi))^s with lo < hi byte-wise: lo computes e(S_lo,1, H2(hi)),
//            hi computes e(H1(lo), S_hi,2).
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { ascii, concat, toHex, u32be } from '../../firmware/crypto/bytes.ts';
import { hkdf } from '../../firmware/crypto/hkdf.ts';
import { canonicalIdentity, compareIdentities } from '../../firmware/crypto/identity.ts';
import type { KeyAgreement } from '../../firmware/crypto/keys.ts';
import { sha256 } from '../../firmware/crypto/sha256.ts';
import { LABEL, SUITE_SOK_BLS12381 } from '../../firmware/crypto/suites.ts';

export const SOK_DST_G1 = 'FAXNIKS-V1-SOK-BLS12381G1_XMD:SHA-256_SSWU_RO_';
export const SOK_DST_G2 = 'FAXNIKS-V1-SOK-BLS12381G2_XMD:SHA-256_SSWU_RO_';

const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
type P1 = InstanceType<typeof G1>;
type P2 = InstanceType<typeof G2>;
const R = bls12_381.fields.Fr.ORDER;

export function sokH1(identity: string): P1 {
  return bls12_381.G1.hashToCurve(ascii(identity), { DST: SOK_DST_G1 }) as P1;
}

export function sokH2(identity: string): P2 {
  return bls12_381.G2.hashToCurve(ascii(identity), { DST: SOK_DST_G2 }) as P2;
}

/** The master scalar s of an epoch: 48 HKDF bytes reduced mod r (bias < 2^-128), never 0. */
export function sokMasterScalar(seed: Uint8Array, epoch: number): bigint {
  if (seed.length !== 32) throw new Error('sok: master seed must be 32 bytes');
  const okm = hkdf(sha256, seed, ascii(LABEL + ' sok'), concat([ascii('scalar'), u32be(epoch)]), 48);
  const s = BigInt('0x' + toHex(okm)) % R;
  if (s === 0n) throw new Error('sok: master scalar is zero; choose another seed');
  return s;
}

export interface SokPublic {
  sP1: string; // compressed G1, hex
  sP2: string; // compressed G2, hex
}

export interface SokShare {
  s1: string; // s·H1(ID), compressed G1, hex
  s2: string; // s·H2(ID), compressed G2, hex
}

export function sokPublic(s: bigint): SokPublic {
  return { sP1: G1.BASE.multiply(s).toHex(true), sP2: G2.BASE.multiply(s).toHex(true) };
}

export function sokIssue(s: bigint, identity: string): SokShare {
  const id = canonicalIdentity(identity);
  return { s1: sokH1(id).multiply(s).toHex(true), s2: sokH2(id).multiply(s).toHex(true) };
}

/** Checks a share against the public info: e(S1, P2) = e(H1(ID), sP2) and e(P1, S2) = e(sP1, H2(ID)). */
export function sokVerify(identity: string, share: SokShare, pub: SokPublic): boolean {
  const id = canonicalIdentity(identity);
  const Fp12 = bls12_381.fields.Fp12;
  const s1 = G1.fromHex(share.s1), s2 = G2.fromHex(share.s2);
  const sp1 = G1.fromHex(pub.sP1), sp2 = G2.fromHex(pub.sP2);
  const a = Fp12.eql(bls12_381.pairing(s1, G2.BASE), bls12_381.pairing(sokH1(id), sp2));
  const b = Fp12.eql(bls12_381.pairing(G1.BASE, s2), bls12_381.pairing(sp1, sokH2(id)));
  return a && b;
}

/** My SOK-BLS12381 secret for one epoch. */
export class SokAgreement implements KeyAgreement {
  suite = SUITE_SOK_BLS12381;
  epoch: number;
  identity: string;
  s1: P1;
  s2: P2;

  constructor(identity: string, epoch: number, share: SokShare) {
    this.identity = canonicalIdentity(identity);
    this.epoch = epoch;
    this.s1 = G1.fromHex(share.s1);
    this.s2 = G2.fromHex(share.s2);
    if (this.s1.is0() || this.s2.is0()) throw new Error('sok: share is the point at infinity');
  }

  /** The GT element e(H1(lo), H2(hi))^s, serialized by noble's Fp12.toBytes (576 bytes). */
  rawKey(peer: string): Uint8Array {
    const p = canonicalIdentity(peer);
    const c = compareIdentities(this.identity, p);
    if (c === 0) throw new Error('sok: no key with myself');
    const gt = c < 0 ? bls12_381.pairing(this.s1, sokH2(p)) : bls12_381.pairing(sokH1(p), this.s2);
    return bls12_381.fields.Fp12.toBytes(gt);
  }
}
