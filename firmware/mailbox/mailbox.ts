// Confidential boxes: routing of incoming calls by their T.30 subaddress and password, pass
// code checks with lockout, and what is waiting in each box. Every pass code attempt and every
// refused call is journaled. The box list lives in the settings (`boxes`), lock state and
// documents in the store.
import type { Clock } from '../../hal/clock.ts';
import type { Entropy } from '../../hal/entropy.ts';
import type { Settings } from '../config/settings.ts';
import type { Store, DocInfo } from '../store/index.ts';
import { journalAdd } from '../store/index.ts';
import type { BoxSettings } from './schema.ts';
import { LockBook, attempt, journalResult, makeSecretOrNone, readSecret, writeSecret, upgradeSecret, MIN_CODE_DIGITS } from '../auth/index.ts';
import type { CodeResult, SecretKeys } from '../auth/index.ts';
import type { HashFn } from '../crypto/sha256.ts';

export type { CodeResult } from '../auth/index.ts';

export interface Route {
  /** ordinary: print it; confidential: keep it in `box`; refuse: end the call (T.30 DCN). */
  action: 'ordinary' | 'confidential' | 'refuse';
  box: string;
  reason: string;
}

/** T.30 SUB/SID are digits, space, # and * (T.30 §5.3.6.2.8); spaces are not significant. */
function normalize(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) if (s.charAt(i) !== ' ') out += s.charAt(i);
  return out;
}

export function boxesOf(settings: Settings): BoxSettings[] {
  const b = settings.boxes as BoxSettings[] | undefined;
  return b || [];
}

/** Secret keys from either form callers give: the full SecretKeys, or an entropy source (no device secret). */
export function secretKeysOf(k: SecretKeys | Entropy, hash?: HashFn): SecretKeys {
  if ((k as SecretKeys).entropy) return k as SecretKeys;
  return { entropy: k as Entropy, pepper: null, hash: hash };
}

/**
 * Hash pass codes and SID passwords given in clear (a settings file) and drop the clear text;
 * move an older record (pwdHash, salted with the code's salt) to its own sid* record; bind every
 * record to the device secret when there is one.
 */
export function prepareBoxes(settings: Settings, keysOrEntropy: SecretKeys | Entropy, hash?: HashFn): void {
  const keys = secretKeysOf(keysOrEntropy, hash);
  const boxes = boxesOf(settings);
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    if (b.pwdHash !== undefined) {
      if (b.pwdHash && !b.sidHash) writeSecret(b, 'sid', { hash: b.pwdHash, salt: b.codeSalt, iter: b.codeIter, v: b.codeV });
      delete b.pwdHash;
    }
    if (b.sid === undefined && b.pwd !== undefined) b.sid = b.pwd;
    if (b.code !== undefined) {
      writeSecret(b, 'code', makeSecretOrNone(b.code, keys, b.codeIter));
      b.codeShort = b.code.length < MIN_CODE_DIGITS;
    }
    if (b.sid !== undefined) writeSecret(b, 'sid', b.sid ? makeSecretOrNone(normalize(b.sid), keys, b.sidIter) : { hash: '', salt: '', iter: b.sidIter, v: 0 });
    delete b.code;
    delete b.sid;
    delete b.pwd;
    const c = readSecret(b, 'code');
    if (upgradeSecret(c, keys)) writeSecret(b, 'code', c);
    const p = readSecret(b, 'sid');
    if (upgradeSecret(p, keys)) writeSecret(b, 'sid', p);
  }
}

/** Set a box's pass code (the panel's settings menu): its own new salt; the SID record is untouched. */
export function setBoxCode(box: BoxSettings, code: string, keys: SecretKeys | Entropy, hash?: HashFn): void {
  writeSecret(box, 'code', makeSecretOrNone(code, secretKeysOf(keys, hash), box.codeIter));
  box.codeShort = code.length < MIN_CODE_DIGITS;
}

/** Set (or with '' clear) a box's T.30 SID password: its own record and salt. */
export function setBoxSid(box: BoxSettings, sid: string, keys: SecretKeys | Entropy, hash?: HashFn): void {
  const n = normalize(sid);
  writeSecret(box, 'sid', n ? makeSecretOrNone(n, secretKeysOf(keys, hash), box.sidIter) : { hash: '', salt: '', iter: box.sidIter, v: 0 });
}

export class Mailbox {
  /** Lock state of pass codes (key: the box number), SID passwords ('sid.<box>', 'caller.<TSI>'). */
  readonly locks: LockBook;
  /** Hash engine and device secret for checking secrets (auth/passcode.ts). */
  readonly keys: SecretKeys;

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly settings: () => Settings,
    /** The board's hash engine and device secret; a bare HashFn (older callers): no device secret. */
    keys?: SecretKeys | HashFn,
  ) {
    this.locks = new LockBook(store, clock);
    const k = keys && typeof keys !== 'function' ? keys : null;
    this.keys = k || { hash: keys as HashFn | undefined, pepper: null, entropy: { fill: function (): void { throw new Error('mailbox: no entropy'); } } };
  }

  boxes(): BoxSettings[] {
    return boxesOf(this.settings());
  }

  box(number: string): BoxSettings | null {
    const n = normalize(number);
    const list = this.boxes();
    for (let i = 0; i < list.length; i++) if (list[i].number === n) return list[i];
    return null;
  }

  /** Decide what to do with a call from its SUB and SID password (empty strings when absent). */
  route(sub: string, sid: string, remote: string): Route {
    const s = normalize(sub);
    if (!s) return { action: 'ordinary', box: '', reason: 'no subaddress' };
    const b = this.box(s);
    if (!b) {
      const policy = this.settings().fax.unknownSub;
      if (policy === 'refuse') {
        this.journal({ kind: 'refused', sub: s, remote: remote, reason: 'unknown subaddress' });
        return { action: 'refuse', box: '', reason: 'unknown subaddress' };
      }
      return { action: 'ordinary', box: '', reason: 'unknown subaddress' };
    }
    if (b.sidHash) {
      // The SID password, counted per box and per calling machine before it is checked (issue
      // #12 item 9); the TSI is whatever the caller claims, so the box's count is what holds.
      const caller = 'caller.' + (normalize(remote) || '-');
      const r = attempt(this.locks, ['sid.' + b.number, caller], readSecret(b, 'sid'), normalize(sid), this.keys);
      this.journal({ kind: 'sid', box: b.number, remote: remote, result: journalResult(r) + (sid ? '' : ' (none given)') });
      if (r.result !== 'ok') {
        const reason = r.result === 'locked' ? 'password locked' : r.result === 'unavailable' ? 'memory full' : sid ? 'wrong password' : 'password missing';
        this.journal({ kind: 'refused', sub: s, remote: remote, reason: reason });
        return { action: 'refuse', box: b.number, reason: reason };
      }
    }
    return { action: 'confidential', box: b.number, reason: 'box ' + b.number };
  }

  /** Milliseconds (powered-on time) the box's pass code stays locked (0 when open). */
  lockRemaining(number: string): number {
    return this.locks.remaining(normalize(number));
  }

  /** Check a pass code typed at the panel or sent over the LAN; journaled whatever the result. */
  tryCode(number: string, code: string, source: string): CodeResult {
    const b = this.box(number);
    if (!b) {
      this.journal({ kind: 'code', box: number, src: source, result: 'no box' });
      return { result: 'no box', lockedMs: 0, failures: 0 };
    }
    const r = attempt(this.locks, [b.number], readSecret(b, 'code'), code, this.keys);
    this.journal({ kind: 'code', box: b.number, src: source, result: journalResult(r) });
    return r;
  }

  private waitingVersion = -1;
  private waitingAll = 0;

  /** How many confidential documents wait in all boxes (the idle screen asks every second). */
  waitingCount(): number {
    if (this.waitingVersion !== this.store.version) {
      this.waitingAll = this.waiting('').length;
      this.waitingVersion = this.store.version;
    }
    return this.waitingAll;
  }

  /** Confidential documents in a box (all boxes with ''), oldest first, not yet taken out. */
  waiting(number: string): DocInfo[] {
    const docs = this.store.documents();
    const out: DocInfo[] = [];
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      if (!d.meta.box || d.open || d.pages === 0) continue;
      if (number && d.meta.box !== number) continue;
      if (d.state.printed || d.state.delivered) continue;
      out.push(d);
    }
    return out;
  }

  /** Confidential documents kept in any box (printed or not), for the reception list. */
  kept(number: string): DocInfo[] {
    const docs = this.store.documents();
    const out: DocInfo[] = [];
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      if (d.meta.box && !d.open && (!number || d.meta.box === number)) out.push(d);
    }
    return out;
  }

  private journal(e: { kind: string; [k: string]: unknown }): void {
    const entry = { t: this.clock.wall(), kind: e.kind } as { t: number; kind: string; [k: string]: unknown };
    const keys = Object.keys(e);
    for (let i = 0; i < keys.length; i++) entry[keys[i]] = e[keys[i]];
    journalAdd(this.store, entry);
  }
}
