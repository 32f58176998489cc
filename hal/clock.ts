// The only source of time for the firmware. The kernel reads `now()` and asks for one wake-up
// alarm at a time; the simulator backs this with a virtual clock, a board with its RTC/timers.

export interface Clock {
  /** Monotonic milliseconds since boot. Never goes backwards. */
  now(): number;
  /** Calendar time (Unix milliseconds) corresponding to `now()`; may be set by the user. */
  wall(): number;
  /** Set the calendar time (front panel "set date/time"). */
  setWall(unixMs: number): void;
  /** Request a single call of `cb` at monotonic time `at` (or soon after). Replaces the previous alarm. */
  setAlarm(at: number, cb: () => void): void;
  cancelAlarm(): void;
  /** Run `cb` as soon as possible, after the current call stack (like setImmediate). */
  defer(cb: () => void): void;
  /** A real-time counter in milliseconds for measuring work (dispatch accounting), not for logic. */
  cpu(): number;
}
