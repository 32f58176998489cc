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
import { codeMatches, hashCode, newSalt } from './passcode.ts';
import { lockDuration, parseLock } from './lockout.ts';
import type { LockState } from './lockout.ts';
import type { HashFn } from '../crypto/sha256.ts';

export interface Route {
  /** ordinary: print it; confidential: keep it in `box`; refuse: end the call (T.30 DCN). */
  action: 'ordinary' | 'confidential' | 'refuse';
  box: string;
  reason: string;
}

export interface CodeResult {
  result: 'ok' | 'wrong' | 'locked' | 'no box' | 'no code';
  /** While locked: how much longer (ms). */
  lockedMs: number;
  /** Wrong codes in a row so far. */
  failures: number;
}

/** T.30 SUB/PWD are digits, space, # and * (T.30 §5.3.6.2.8); spaces are not significant. */
function normalize(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) if (s.charAt(i) !== ' ') out += s.charAt(i);
  return out;
}

export function boxesOf(settings: Settings): BoxSettings[] {
  const b = settings.boxes as BoxSettings[] | undefined;
  return b || [];
}

/** Hash pass codes and passwords given in clear (a settings file) and drop the clear text. */
export function prepareBoxes(settings: Settings, entropy: Entropy, hash?: HashFn): void {
  const boxes = boxesOf(settings);
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    if (b.code === undefined && b.pwd === undefined) continue;
    if (!b.codeSalt) b.codeSalt = newSalt(entropy);
    if (b.code !== undefined) b.codeHash = hashCode(b.code, b.codeSalt, b.codeIter, hash);
    if (b.pwd !== undefined) b.pwdHash = b.pwd ? hashCode(normalize(b.pwd), b.codeSalt, b.codeIter, hash) : '';
    delete b.code;
    delete b.pwd;
  }
}

/** The factory administrator code when a settings file gives none (the manual says to change it). */
export const DEFAULT_ADMIN_CODE = '0000';
/** PBKDF2 rounds for the administrator code (as for box codes: the board hashes slowly). */
const ADMIN_ITER = 16;

/** Hash the administrator code of a settings file (or the factory default) and drop the clear one. */
export function prepareAdminCode(settings: Settings, entropy: Entropy, hash?: HashFn): void {
  const p = settings.panel;
  if (p.adminCode === undefined && p.adminHash) return;
  setAdminCode(settings, p.adminCode === undefined ? DEFAULT_ADMIN_CODE : p.adminCode, entropy, hash);
}

export function setAdminCode(settings: Settings, code: string, entropy: Entropy, hash?: HashFn): void {
  const p = settings.panel;
  p.adminSalt = newSalt(entropy);
  p.adminHash = hashCode(code, p.adminSalt, ADMIN_ITER, hash);
  delete p.adminCode;
}

export function adminCodeMatches(settings: Settings, code: string, hash?: HashFn): boolean {
  return codeMatches(code, settings.panel.adminSalt, ADMIN_ITER, settings.panel.adminHash, hash);
}

/** Set a box's pass code (the panel's settings menu): a new salt each time. */
export function setBoxCode(box: BoxSettings, code: string, entropy: Entropy, hash?: HashFn): void {
  box.codeSalt = newSalt(entropy);
  box.codeHash = hashCode(code, box.codeSalt, box.codeIter, hash);
  box.pwdHash = ''; // the password hash used the old salt: set it again
}

export class Mailbox {
  /** Monotonic lock ends (clock.now()), so a clock set forward does not end a lock early. */
  private monoUntil: { [box: string]: number } = {};

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly settings: () => Settings,
    /** The board's SHA-256 engine (hal/crypto.ts) when it has one: pass code checks in native speed. */
    readonly hash?: HashFn,
  ) {}

  boxes(): BoxSettings[] {
    return boxesOf(this.settings());
  }

  box(number: string): BoxSettings | null {
    const n = normalize(number);
    const list = this.boxes();
    for (let i = 0; i < list.length; i++) if (list[i].number === n) return list[i];
    return null;
  }

  /** Decide what to do with a call from its SUB and PWD (empty strings when absent). */
  route(sub: string, pwd: string, remote: string): Route {
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
    if (b.pwdHash && !codeMatches(normalize(pwd), b.codeSalt, b.codeIter, b.pwdHash, this.hash)) {
      this.journal({ kind: 'refused', sub: s, remote: remote, reason: pwd ? 'wrong password' : 'password missing' });
      return { action: 'refuse', box: b.number, reason: pwd ? 'wrong password' : 'password missing' };
    }
    return { action: 'confidential', box: b.number, reason: 'box ' + b.number };
  }

  lockState(number: string): LockState {
    return parseLock(this.store.getSetting('lock.' + number));
  }

  /** Milliseconds the box stays locked (0 when open). */
  lockRemaining(number: string): number {
    const st = this.lockState(number);
    let left = st.until - this.clock.wall();
    const mono = this.monoUntil[number];
    if (mono !== undefined && mono - this.clock.now() > left) left = mono - this.clock.now();
    return left > 0 ? left : 0;
  }

  /** Check a pass code typed at the panel or sent over the LAN; journaled whatever the result. */
  tryCode(number: string, code: string, source: string): CodeResult {
    const b = this.box(number);
    if (!b) {
      this.journal({ kind: 'code', box: number, src: source, result: 'no box' });
      return { result: 'no box', lockedMs: 0, failures: 0 };
    }
    const st = this.lockState(b.number);
    const left = this.lockRemaining(b.number);
    if (left > 0) {
      this.journal({ kind: 'code', box: b.number, src: source, result: 'locked' });
      return { result: 'locked', lockedMs: left, failures: st.failures };
    }
    if (!b.codeHash) {
      this.journal({ kind: 'code', box: b.number, src: source, result: 'no code' });
      return { result: 'no code', lockedMs: 0, failures: st.failures };
    }
    if (codeMatches(code, b.codeSalt, b.codeIter, b.codeHash, this.hash)) {
      if (st.failures || st.until) this.store.setSetting('lock.' + b.number, JSON.stringify({ failures: 0, until: 0 }));
      delete this.monoUntil[b.number];
      this.journal({ kind: 'code', box: b.number, src: source, result: 'ok' });
      return { result: 'ok', lockedMs: 0, failures: 0 };
    }
    const failures = st.failures + 1;
    const d = lockDuration(failures);
    const until = d ? this.clock.wall() + d : 0;
    if (d) this.monoUntil[b.number] = this.clock.now() + d;
    this.store.setSetting('lock.' + b.number, JSON.stringify({ failures: failures, until: until }));
    this.journal({ kind: 'code', box: b.number, src: source, result: d ? 'wrong, locked' : 'wrong' });
    return { result: d ? 'locked' : 'wrong', lockedMs: d, failures: failures };
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
