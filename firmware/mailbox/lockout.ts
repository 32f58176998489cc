// Lockout after wrong pass codes, per box: from the LOCK_AFTER-th wrong code in a row the box
// is locked, for LOCK_BASE_MS, doubling with each further wrong code (up to LOCK_MAX_MS). A right
// code clears it. The state is saved in the store (`lock.<box>`) so a power cycle does not reset
// it; the lock end is kept both in calendar time (survives a restart) and in monotonic time
// (setting the clock forward from the panel does not shorten a running lock).

export const LOCK_AFTER = 5;
export const LOCK_BASE_MS = 60000;
export const LOCK_MAX_MS = 24 * 3600000;

export interface LockState {
  /** Wrong codes in a row. */
  failures: number;
  /** Calendar time (Unix ms) until which the box is locked; 0 = not locked. */
  until: number;
}

/** How long the box locks after `failures` wrong codes in a row (0 = not yet). */
export function lockDuration(failures: number): number {
  if (failures < LOCK_AFTER) return 0;
  let d = LOCK_BASE_MS;
  for (let i = LOCK_AFTER; i < failures && d < LOCK_MAX_MS; i++) d *= 2;
  return d > LOCK_MAX_MS ? LOCK_MAX_MS : d;
}

export function parseLock(text: string | null): LockState {
  if (!text) return { failures: 0, until: 0 };
  try {
    const j = JSON.parse(text) as LockState;
    return { failures: j.failures | 0, until: +j.until || 0 };
  } catch (e) {
    return { failures: 0, until: 0 };
  }
}
