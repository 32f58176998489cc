// The one clock interface of the project: the firmware's only source of time, and what the
// simulator's devices (line, modems, LAN, mail peers) run on. Three implementations: the board's
// RTC/timers (hal/espruino/clock.ts), the laptop's real time (hal/node/clock.ts) and the virtual
// clock (firmware/kernel/virtual-clock.ts), on which time moves only from one scheduled call to
// the next, so whole calls run in milliseconds and replay exactly.

/**
 * What `at` returns, for `cancel`: a number on the board and on the virtual clock, a Node timer
 * on the laptop. Nothing else may be done with it.
 */
export type ClockTimer = unknown;

export interface Clock {
  /** Monotonic milliseconds since boot. Never goes backwards. */
  now(): number;
  /** Calendar time (Unix milliseconds) corresponding to `now()`; may be set by the user. */
  wall(): number;
  /** Set the calendar time (front panel "set date/time"). */
  setWall(unixMs: number): void;
  /**
   * Call `cb` once at monotonic time `t` (or soon after; at once when `t` has passed). Calls due
   * at the same time run in the order they were asked for. Any number may be pending: each user
   * (the kernel's alarm, a modem's timer on the simulated line) keeps its own handle.
   */
  at(t: number, cb: () => void): ClockTimer;
  /** Forget a pending call of `at` (only before it ran). */
  cancel(timer: ClockTimer): void;
  /** Run `cb` as soon as possible, after the current call stack (like setImmediate). */
  defer(cb: () => void): void;
  /** A real-time counter in milliseconds for measuring work (dispatch accounting), not for logic. */
  cpu(): number;
}
