// Lockout after wrong secrets, per key ('box.12' a box's pass code, 'admin' the settings menu,
// 'sid.12' a box's T.30 password, 'caller.<TSI>' one calling machine): from the LOCK_AFTER-th
// failure in a row the key is locked for LOCK_BASE_MS, doubling with each further failure (up
// to LOCK_MAX_MS). A right secret clears it.
//
// Against the attacks of issue #12 item 4:
//   - a failure is counted (and written to flash) BEFORE the secret is verified, so cutting the
//     power while a guess is checked does not give a free guess; when the count cannot be
//     written (store full) the attempt is refused, never checked;
//   - lock time is powered-on time (the kernel clock's now()), never the calendar: setting the
//     date, or a restart with a wrong clock, does not shorten a lock. The record keeps the lock
//     time still to run; after a restart the lock resumes from the value last written (it is
//     refreshed at most every REFRESH_MS while the lock is asked about), so a power cycle can
//     lengthen a lock a little but never end it.
// Records: store setting `lock.<key>` = {"failures":N,"left":ms}; the per-caller counts share one
// bounded record `lock.callers` (CALLERS_MAX entries) so calls with invented idents cannot fill
// the store. Older records {failures, until: calendar ms} are read as locked for what was left.
import type { Clock } from '../../hal/clock.ts';

export const LOCK_AFTER = 5;
export const LOCK_BASE_MS = 60000;
export const LOCK_MAX_MS = 24 * 3600000;
/** A running lock's record is rewritten with the time left at most this often. */
export const REFRESH_MS = 60000;
/** Calling machines counted at once (the oldest unlocked one is forgotten first). */
export const CALLERS_MAX = 16;
const CALLERS = 'lock.callers';
const CALLER = 'caller.';

export interface LockState {
  /** Failures in a row. */
  failures: number;
  /** Lock time still to run (ms of powered-on time) when the record was written; 0 = open. */
  left: number;
}

/** The store calls the lock book needs (a Store satisfies it). */
export interface LockRecords {
  getSetting(name: string): string | null;
  setSetting(name: string, value: string): boolean;
}

/** How long the key locks after `failures` failures in a row (0 = not yet). */
export function lockDuration(failures: number): number {
  if (failures < LOCK_AFTER) return 0;
  let d = LOCK_BASE_MS;
  for (let i = LOCK_AFTER; i < failures && d < LOCK_MAX_MS; i++) d *= 2;
  return d > LOCK_MAX_MS ? LOCK_MAX_MS : d;
}

function num(v: unknown): number {
  const n = +(v as number);
  return n > 0 ? Math.floor(n) : 0;
}

/** Parse a record; `wall` converts an old calendar-time record. */
export function parseLock(text: string | null, wall: number): LockState {
  if (!text) return { failures: 0, left: 0 };
  try {
    const j = JSON.parse(text) as { failures?: number; left?: number; until?: number };
    let left = num(j.left);
    if (j.left === undefined && j.until) left = Math.min(Math.max(num(j.until) - wall, 0), LOCK_MAX_MS);
    return { failures: num(j.failures), left: Math.min(left, LOCK_MAX_MS) };
  } catch (e) {
    // An unreadable record: treated as locked for the longest time rather than as open.
    return { failures: LOCK_AFTER, left: LOCK_MAX_MS };
  }
}

export interface Charge {
  /** False: the failure could not be recorded; refuse the attempt without checking it. */
  recorded: boolean;
  failures: number;
  /** The lock this failure would start if the secret proves wrong (0 none). */
  lockMs: number;
}

export class LockBook {
  /** Lock ends in clock.now() time for the keys seen since boot. */
  private ends: { [key: string]: number } = {};
  private failures: { [key: string]: number } = {};
  private written: { [key: string]: number } = {};

  constructor(readonly records: LockRecords, readonly clock: Clock) {}

  private callers(): { [ident: string]: LockState } {
    const t = this.records.getSetting(CALLERS);
    if (!t) return {};
    try {
      const j = JSON.parse(t) as { [ident: string]: LockState };
      return j && typeof j === 'object' ? j : {};
    } catch (e) {
      return {};
    }
  }

  private read(key: string): LockState {
    if (key.indexOf(CALLER) === 0) {
      const c = this.callers()[key.substring(CALLER.length)];
      return c ? { failures: num(c.failures), left: Math.min(num(c.left), LOCK_MAX_MS) } : { failures: 0, left: 0 };
    }
    return parseLock(this.records.getSetting('lock.' + key), this.clock.wall());
  }

  private write(key: string, st: LockState): boolean {
    this.written[key] = this.clock.now();
    if (key.indexOf(CALLER) !== 0) return this.records.setSetting('lock.' + key, JSON.stringify(st));
    const all = this.callers();
    const ident = key.substring(CALLER.length);
    if (st.failures === 0) delete all[ident];
    else all[ident] = st;
    // Bounded: forget the callers whose lock has run out first, then the oldest entries.
    let names = Object.keys(all);
    for (let i = 0; i < names.length && names.length > CALLERS_MAX; i++) {
      const end = this.ends[CALLER + names[i]];
      const open = end !== undefined ? end <= this.clock.now() : num(all[names[i]].left) === 0;
      if (names[i] !== ident && open) {
        delete all[names[i]];
        names = Object.keys(all);
        i = -1;
      }
    }
    while (names.length > CALLERS_MAX) {
      delete all[names[0] === ident ? names[1] : names[0]];
      names = Object.keys(all);
    }
    return this.records.setSetting(CALLERS, JSON.stringify(all));
  }

  private load(key: string): void {
    if (this.ends[key] !== undefined) return;
    const st = this.read(key);
    this.ends[key] = this.clock.now() + st.left;
    this.failures[key] = st.failures;
    this.written[key] = this.clock.now();
  }

  /** Failures in a row so far. */
  failuresOf(key: string): number {
    this.load(key);
    return this.failures[key];
  }

  /** Powered-on milliseconds the key stays locked (0 when open). */
  remaining(key: string): number {
    this.load(key);
    const now = this.clock.now();
    const left = this.ends[key] - now;
    if (left <= 0) return 0;
    if (now - this.written[key] >= REFRESH_MS) this.write(key, { failures: this.failures[key], left: left });
    return left;
  }

  /**
   * Count one failure before the secret is checked. The caller verifies only when `recorded`;
   * a right secret then calls clear(), a wrong one fail() (which starts the lock).
   */
  charge(key: string): Charge {
    this.load(key);
    const failures = this.failures[key] + 1;
    const d = lockDuration(failures);
    const ok = this.write(key, { failures: failures, left: d });
    // Counted in RAM too: a check that never returns (a fault while hashing) still counts.
    if (ok) this.failures[key] = failures;
    return { recorded: ok, failures: failures, lockMs: d };
  }

  /** The secret charged was wrong: the count stands and the lock (if any) starts now. */
  fail(key: string, c: Charge): void {
    this.failures[key] = c.failures;
    this.ends[key] = this.clock.now() + c.lockMs;
  }

  /** The secret was right: clear the count. */
  clear(key: string): void {
    this.load(key);
    this.failures[key] = 0;
    this.ends[key] = this.clock.now();
    this.write(key, { failures: 0, left: 0 });
  }
}
