// Checking a secret against the lock book: the order that makes the lockout hold (lockout.ts):
// locked? → count the failure in flash → verify → clear or start the lock. Used for box pass
// codes, the administrator code and (per box and per caller) the T.30 SID password.
import type { LockBook, Charge } from './lockout.ts';
import type { SecretRecord, SecretKeys } from './passcode.ts';
import { secretMatches } from './passcode.ts';

export interface CodeResult {
  /** unavailable: the failure count could not be written (store full): nothing was checked. */
  result: 'ok' | 'wrong' | 'locked' | 'no box' | 'no code' | 'unavailable';
  /** While locked: how much longer (ms of powered-on time). */
  lockedMs: number;
  /** Failures in a row so far. */
  failures: number;
  /** This attempt was wrong and started the lock (the journal says 'wrong, locked'). */
  started?: boolean;
}

/** The journal's word for a result. */
export function journalResult(r: CodeResult): string {
  return r.started ? 'wrong, locked' : r.result;
}

/** Check `code` against `rec` under lock key(s) `keys` (all must be open; each is counted). */
export function attempt(book: LockBook, lockKeys: string[], rec: SecretRecord, code: string, keys: SecretKeys): CodeResult {
  let failures = 0;
  for (let i = 0; i < lockKeys.length; i++) {
    const left = book.remaining(lockKeys[i]);
    const f = book.failuresOf(lockKeys[i]);
    if (f > failures) failures = f;
    if (left > 0) return { result: 'locked', lockedMs: left, failures: f };
  }
  if (!rec.hash) return { result: 'no code', lockedMs: 0, failures: failures };
  const charges: Charge[] = [];
  for (let i = 0; i < lockKeys.length; i++) {
    const c = book.charge(lockKeys[i]);
    if (!c.recorded) return { result: 'unavailable', lockedMs: 0, failures: failures };
    charges.push(c);
  }
  if (secretMatches(code, rec, keys)) {
    for (let i = 0; i < lockKeys.length; i++) book.clear(lockKeys[i]);
    return { result: 'ok', lockedMs: 0, failures: 0 };
  }
  let lockMs = 0;
  failures = 0;
  for (let i = 0; i < lockKeys.length; i++) {
    book.fail(lockKeys[i], charges[i]);
    if (charges[i].lockMs > lockMs) lockMs = charges[i].lockMs;
    if (charges[i].failures > failures) failures = charges[i].failures;
  }
  return { result: lockMs ? 'locked' : 'wrong', lockedMs: lockMs, failures: failures, started: lockMs > 0 };
}
