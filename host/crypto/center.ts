// The key center (docs/FAXNIKS.md §6): a directory with
//   master.json    the master seeds per epoch and suite — mode 0600, never overwritten
//   registry.json  public bookkeeping: suites, t, current epoch, identities issued per epoch
// The registry is what enforces the POLY bound: at most t distinct identities per epoch (the
// (t+1)-th would let t+1 colluders rebuild the polynomial), and no identity twice.
//   registry.lock  held (O_EXCL lock file, host/files/lock.ts) by every command that changes the
//                  center, so concurrent `issue` commands run one after another and each sees
//                  the others' identities
// An identity is recorded in the registry (written durably: fsynced file, renamed, fsynced
// folder) before its key file is written, so a crash at any point leaves every share that may
// exist counted against t. If the key file cannot be written the entry is taken back.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { makeDirs } from '../files/dirs.ts';
import { dirname, join } from 'node:path';
import { writeDurably } from '../files/durable.ts';
import { describeFsError } from '../files/errors.ts';
import { LockBusyError, withLock } from '../files/lock.ts';
import { fromHex } from '../../firmware/crypto/bytes.ts';
import { canonicalIdentity } from '../../firmware/crypto/identity.ts';
import { POLY_MAX_T } from '../../firmware/crypto/poly.ts';
import { SUITE_POLY_GF128, SUITE_SOK_BLS12381 } from '../../firmware/crypto/suites.ts';
import { KEY_FORMAT, KeyFileError, writeKeyFile, writeSecretFile } from './keyfile.ts';
import type { KeyFile } from './keyfile.ts';
import { polyMaster, polyShare } from './poly-center.ts';
import { sokIssue, sokMasterScalar, sokPublic } from './sok.ts';

export type SuiteName = 'poly' | 'sok';
export const DEFAULT_T = 255;

export interface MasterFile {
  format: 'faxniks-master/1';
  center: string;
  /** epoch -> suite -> 32-byte seed (hex) */
  epochs: Record<string, Partial<Record<SuiteName, string>>>;
}

export interface Issued {
  identity: string;
  issued: string;
  file: string;
  /** Later copies of the same share (`issue --reissue`): when and where each was written. */
  reissued?: { issued: string; file: string }[];
}

export interface Registry {
  format: 'faxniks-registry/1';
  center: string;
  suites: SuiteName[];
  t: number;
  epoch: number;
  epochs: Record<string, { created: string; issued: Issued[] }>;
}

export class CenterError extends Error {}

export function parseSuites(s: string): SuiteName[] {
  const out: SuiteName[] = [];
  for (const part of s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean)) {
    const name = part === 'poly-gf128' ? 'poly' : part === 'sok-bls12381' ? 'sok' : part;
    if (name !== 'poly' && name !== 'sok') throw new CenterError(`unknown suite "${part}" (known: poly, sok)`);
    if (!out.includes(name)) out.push(name);
  }
  if (out.length === 0) throw new CenterError('no suite given (poly, sok or poly,sok)');
  return out;
}

const masterPath = (dir: string) => join(dir, 'master.json');
const registryPath = (dir: string) => join(dir, 'registry.json');

function newSeeds(suites: SuiteName[]): Partial<Record<SuiteName, string>> {
  const e: Partial<Record<SuiteName, string>> = {};
  for (const s of suites) e[s] = randomBytes(32).toString('hex');
  return e;
}

const lockPath = (dir: string) => join(dir, 'registry.lock');

function writeRegistry(dir: string, r: Registry): void {
  try {
    writeDurably(registryPath(dir), JSON.stringify(r, null, 2) + '\n', { mode: 0o644, replace: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw new CenterError(`cannot write ${registryPath(dir)}: ${describeFsError(e)}`);
    throw e;
  }
}

/** Runs `fn` holding the center's lock: one changing command at a time. */
function locked<T>(dir: string, fn: () => T): T {
  try {
    return withLock(lockPath(dir), `the key center ${dir}`, fn);
  } catch (e) {
    if (e instanceof LockBusyError) throw new CenterError(e.message);
    if ((e as NodeJS.ErrnoException).code && (e as NodeJS.ErrnoException).syscall) throw new CenterError(`${lockPath(dir)}: ${describeFsError(e)}`);
    throw e;
  }
}

function writeMaster(dir: string, m: MasterFile, replace: boolean): void {
  writeSecretFile(masterPath(dir), JSON.stringify(m, null, 2) + '\n', replace);
}

function parseJson(path: string): { format?: unknown } {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8'));
    if (v && typeof v === 'object') return v;
  } catch (e) {
    throw new CenterError(`${path}: unreadable (${(e as Error).message})`);
  }
  throw new CenterError(`${path}: not a JSON object`);
}

export function loadRegistry(dir: string): Registry {
  if (!existsSync(registryPath(dir))) throw new CenterError(`${dir} is not a key center (no registry.json); run 'faxvault center init' first`);
  const r = parseJson(registryPath(dir)) as Registry;
  if (r.format !== 'faxniks-registry/1') throw new CenterError(`${registryPath(dir)}: not a FAXNIKS registry (format ${JSON.stringify(r.format)})`);
  return r;
}

export function loadMaster(dir: string): MasterFile {
  const p = masterPath(dir);
  if (!existsSync(p)) throw new CenterError(`${p} missing: the master secret is gone`);
  const mode = statSync(p).mode & 0o777;
  if (mode & 0o077) throw new CenterError(`${p} is readable by others (mode ${mode.toString(8)}); chmod 600 it before using the center`);
  const m = parseJson(p) as MasterFile;
  if (m.format !== 'faxniks-master/1') throw new CenterError(`${p}: not a FAXNIKS master file (format ${JSON.stringify(m.format)})`);
  return m;
}

export interface InitOptions {
  suites: SuiteName[];
  t: number;
  epoch: number;
}

export function initCenter(dir: string, o: InitOptions): Registry {
  if (!Number.isInteger(o.t) || o.t < 1 || o.t > POLY_MAX_T) throw new CenterError(`threshold t must be an integer 1..${POLY_MAX_T}, got ${o.t}`);
  if (!Number.isInteger(o.epoch) || o.epoch < 1 || o.epoch > 0xffffffff) throw new CenterError(`epoch must be an integer 1..4294967295, got ${o.epoch}`);
  if (existsSync(masterPath(dir)) || existsSync(registryPath(dir))) {
    throw new CenterError(`${dir} already holds a key center; refusing to replace its master secret`);
  }
  try {
    makeDirs(dir, 0o700);
  } catch (e) {
    throw new CenterError(`cannot create ${dir}: ${describeFsError(e)}`);
  }
  return locked(dir, () => {
    if (existsSync(masterPath(dir)) || existsSync(registryPath(dir))) throw new CenterError(`${dir} already holds a key center; refusing to replace its master secret`);
    const center = randomBytes(8).toString('hex');
    writeMaster(dir, { format: 'faxniks-master/1', center, epochs: { [o.epoch]: newSeeds(o.suites) } }, false);
    const r: Registry = {
      format: 'faxniks-registry/1', center, suites: o.suites, t: o.t, epoch: o.epoch,
      epochs: { [o.epoch]: { created: new Date().toISOString(), issued: [] } },
    };
    writeRegistry(dir, r);
    return r;
  });
}

export interface IssueOptions {
  out: string;
  force: boolean;
  /** Write the identity's share again although it was issued in this epoch (a lost key file). */
  reissue?: boolean;
}

/** Issues IDENTITY's key file for the current epoch; returns the key file written. */
export function issueKey(dir: string, identity: string, o: IssueOptions): KeyFile {
  let id: string;
  try {
    id = canonicalIdentity(identity);
  } catch (e) {
    throw new CenterError((e as Error).message);
  }
  // Checks that need no lock first, so a mistyped --out costs nothing.
  if (existsSync(o.out) && !o.force) throw new KeyFileError(`${o.out} already exists; not overwriting it (move it away, or pass --force)`);
  if (!existsSync(dirname(o.out) || '.')) throw new KeyFileError(`cannot write ${o.out}: no such folder ${dirname(o.out)}`);
  loadRegistry(dir);
  return locked(dir, () => {
    const r = loadRegistry(dir); // read again under the lock: it is the one that counts
    const m = loadMaster(dir);
    const ep = r.epochs[r.epoch];
    const seeds = m.epochs[r.epoch];
    if (!ep || !seeds) throw new CenterError(`epoch ${r.epoch} has no master secret: registry and master.json disagree`);
    const dup = ep.issued.find((x) => x.identity === id);
    if (dup && !o.reissue) {
      throw new CenterError(`${id} was already issued in epoch ${r.epoch} (${dup.issued}, ${dup.file}); a second copy of the same share needs --reissue`);
    }
    // POLY: t+1 shares of one epoch determine the polynomial. Refuse the (t+1)-th identity;
    // retired identities still count (their shares still exist). A re-issue is the same share.
    if (!dup && r.suites.includes('poly') && ep.issued.length >= r.t) {
      throw new CenterError(`epoch ${r.epoch} already has t = ${r.t} identities; a (t+1)-th POLY share would let t+1 colluders compute every key. Run 'faxvault center rekey'`);
    }
    const issued = new Date().toISOString();
    const kf: KeyFile = { format: KEY_FORMAT, identity: id, epoch: r.epoch, center: r.center, issued: dup ? dup.issued : issued };
    if (seeds.poly) {
      const share = polyShare(polyMaster(fromHex(seeds.poly), r.epoch, r.t), id);
      kf.poly = { suite: SUITE_POLY_GF128, t: r.t, share: Buffer.from(share).toString('base64') };
    }
    if (seeds.sok) {
      const s = sokMasterScalar(fromHex(seeds.sok), r.epoch);
      const share = sokIssue(s, id);
      kf.sok = { suite: SUITE_SOK_BLS12381, s1: share.s1, s2: share.s2, public: sokPublic(s) };
    }
    // Counted first, durably; only then may the share reach a file.
    const undo = dup ? recordReissue(dup, issued, o.out) : recordIssue(ep.issued, { identity: id, issued, file: o.out });
    writeRegistry(dir, r);
    try {
      writeKeyFile(o.out, kf, o.force);
    } catch (e) {
      undo(); // nothing of the share was written (the temporary file is gone): take the entry back
      writeRegistry(dir, r);
      throw e;
    }
    return kf;
  });
}

function recordIssue(list: Issued[], entry: Issued): () => void {
  list.push(entry);
  return () => void list.splice(list.indexOf(entry), 1);
}

function recordReissue(dup: Issued, issued: string, file: string): () => void {
  const again = { issued, file };
  (dup.reissued ??= []).push(again);
  return () => {
    dup.reissued!.splice(dup.reissued!.indexOf(again), 1);
    if (dup.reissued!.length === 0) delete dup.reissued;
  };
}

/** Starts a new epoch with fresh master seeds; returns its number. */
export function rekeyCenter(dir: string, epoch?: number): number {
  loadRegistry(dir);
  return locked(dir, () => rekeyLocked(dir, epoch));
}

function rekeyLocked(dir: string, epoch?: number): number {
  const r = loadRegistry(dir);
  const m = loadMaster(dir);
  const next = epoch ?? r.epoch + 1;
  if (!Number.isInteger(next) || next <= r.epoch || next > 0xffffffff) {
    throw new CenterError(`new epoch must be an integer above the current ${r.epoch}, got ${epoch}`);
  }
  m.epochs[next] = newSeeds(r.suites);
  writeMaster(dir, m, true);
  r.epoch = next;
  r.epochs[next] = { created: new Date().toISOString(), issued: [] };
  writeRegistry(dir, r);
  return next;
}

export function describeCenter(dir: string): string[] {
  const r = loadRegistry(dir);
  const lines = [`center ${r.center}: suites ${r.suites.join(',')}, t = ${r.t}, current epoch ${r.epoch}`];
  for (const e of Object.keys(r.epochs).map(Number).sort((a, b) => a - b)) {
    const ep = r.epochs[e];
    const limit = r.suites.includes('poly') ? `/${r.t}` : '';
    lines.push(`epoch ${e} (created ${ep.created}): ${ep.issued.length}${limit} identities`);
    for (const i of ep.issued) {
      lines.push(`  ${i.identity}  ${i.issued}  ${i.file}`);
      for (const again of i.reissued ?? []) lines.push(`    reissued ${again.issued}  ${again.file}`);
    }
  }
  return lines;
}

