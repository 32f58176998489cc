// FAXNIKS key files (docs/FAXNIKS.md §6): one entity's secrets for one epoch, as JSON.
//   { "format": "faxniks-key/1", "identity": "mail:…", "epoch": 1, "center": "<16 hex>",
//     "issued": "<ISO 8601>",
//     "poly": { "suite": 1, "t": 255, "share": "<base64, 16(t+1) bytes>" },          optional
//     "sok":  { "suite": 2, "s1": "<hex G1>", "s2": "<hex G2>",
//               "public": { "sP1": "<hex G1>", "sP2": "<hex G2>" } } }             optional
// A key file is as secret as the master for its holder's keys: written 0600, never overwritten
// unless the caller says so.
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { writeDurably } from '../files/durable.ts';
import { describeFsError } from '../files/errors.ts';
import { canonicalIdentity } from '../../firmware/crypto/identity.ts';
import type { KeyAgreement } from '../../firmware/crypto/keys.ts';
import { PolyAgreement, polyShareDegree } from '../../firmware/crypto/poly.ts';
import { SUITE_POLY_GF128, SUITE_SOK_BLS12381 } from '../../firmware/crypto/suites.ts';
import { SokAgreement } from './sok.ts';
import type { SokPublic, SokShare } from './sok.ts';

export const KEY_FORMAT = 'faxniks-key/1';

export interface KeyFile {
  format: string;
  identity: string;
  epoch: number;
  center: string;
  issued: string;
  poly?: { suite: number; t: number; share: string };
  sok?: { suite: number; s1: string; s2: string; public: SokPublic };
}

export class KeyFileError extends Error {}

/**
 * Writes a secret file with mode 0600, atomically and durably (host/files/durable.ts). Refuses an
 * existing path unless `force`, and a missing folder, with a KeyFileError naming the problem.
 */
export function writeSecretFile(path: string, text: string, force: boolean): void {
  const exists = () => new KeyFileError(`${path} already exists; not overwriting it (move it away, or pass --force)`);
  if (existsSync(path) && !force) throw exists();
  try {
    writeDurably(path, text, { mode: 0o600, replace: force });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw exists();
    if (code) throw new KeyFileError(`cannot write ${path}: ${describeFsError(e)}`);
    throw e;
  }
  chmodSync(path, 0o600); // the umask cannot widen it, but an old file's mode must not survive --force
}

export function writeKeyFile(path: string, kf: KeyFile, force: boolean): void {
  writeSecretFile(path, JSON.stringify(kf, null, 2) + '\n', force);
}

function need(cond: unknown, path: string, what: string): asserts cond {
  if (!cond) throw new KeyFileError(`${path}: ${what}`);
}

export function parseKeyFile(text: string, path: string): KeyFile {
  let kf: KeyFile;
  try {
    kf = JSON.parse(text);
  } catch (e) {
    throw new KeyFileError(`${path}: not a key file (JSON: ${(e as Error).message})`);
  }
  need(kf && typeof kf === 'object', path, 'not a key file');
  need(kf.format === KEY_FORMAT, path, `format is ${JSON.stringify(kf.format)}, expected "${KEY_FORMAT}"`);
  need(typeof kf.identity === 'string', path, 'identity missing');
  try {
    need(canonicalIdentity(kf.identity) === kf.identity, path, `identity ${kf.identity} is not canonical`);
  } catch (e) {
    if (e instanceof KeyFileError) throw e;
    throw new KeyFileError(`${path}: ${(e as Error).message}`);
  }
  need(Number.isInteger(kf.epoch) && kf.epoch >= 1 && kf.epoch <= 0xffffffff, path, 'epoch must be an integer 1..2^32-1');
  need(kf.poly || kf.sok, path, 'holds no suite (poly or sok)');
  if (kf.poly) {
    need(kf.poly.suite === SUITE_POLY_GF128, path, 'poly.suite must be 1');
    const share = Buffer.from(String(kf.poly.share), 'base64');
    need(share.length === 16 * (kf.poly.t + 1), path, `poly.share is ${share.length} bytes, expected 16(t+1) = ${16 * (kf.poly.t + 1)}`);
    polyShareDegree(new Uint8Array(share));
  }
  if (kf.sok) {
    need(kf.sok.suite === SUITE_SOK_BLS12381, path, 'sok.suite must be 2');
    need(/^[0-9a-f]{96}$/.test(kf.sok.s1) && /^[0-9a-f]{192}$/.test(kf.sok.s2), path, 'sok.s1/s2 must be compressed G1 (96 hex) and G2 (192 hex) points');
  }
  return kf;
}

export function readKeyFile(path: string): KeyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new KeyFileError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const kf = parseKeyFile(text, path);
  const mode = statSync(path).mode & 0o077;
  if (mode) throw new KeyFileError(`${path}: readable by others (mode ${(statSync(path).mode & 0o777).toString(8)}); chmod 600 it`);
  return kf;
}

/** The KeyAgreements a key file provides (POLY first: it is the cheaper one). */
export function agreementsOf(kf: KeyFile): KeyAgreement[] {
  const out: KeyAgreement[] = [];
  if (kf.poly) out.push(new PolyAgreement(kf.identity, kf.epoch, new Uint8Array(Buffer.from(kf.poly.share, 'base64'))));
  if (kf.sok) out.push(new SokAgreement(kf.identity, kf.epoch, { s1: kf.sok.s1, s2: kf.sok.s2 } as SokShare));
  return out;
}
