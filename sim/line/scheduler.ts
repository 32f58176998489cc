// What the line and the modems need from time. VirtualClock (firmware/kernel/virtual-clock.ts)
// satisfies it as is: a call of minutes runs in milliseconds, deterministically. RealClock
// (hal/node/clock.ts) satisfies it too (its at() returns a timer, cancel() clears it), so the
// same emulator can serve a real DTE on a pty in real time.
export interface LineScheduler {
  /** Monotonic milliseconds. */
  now(): number;
  /** Run `cb` at time `t` (not before now); the handle goes to cancel(). */
  at(t: number, cb: () => void): unknown;
  cancel(handle: unknown): void;
}

/** What a clock offers: VirtualClock has cancel(); RealClock's at() returns a Node timer. */
export interface ClockLike {
  now(): number;
  at(t: number, cb: () => void): unknown;
  cancel?(handle: unknown): void;
}

/**
 * The scheduler of a clock: VirtualClock as it is, RealClock (no cancel of its own) with its
 * timers cleared by clearTimeout.
 */
export function lineScheduler(clock: ClockLike): LineScheduler {
  if (typeof clock.cancel === 'function') return clock as LineScheduler;
  return {
    now: () => clock.now(),
    at: (t, cb) => clock.at(t, cb),
    cancel: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

/** A one-shot timer on a scheduler that can be re-armed and stopped (one pending callback at most). */
export class LineTimer {
  private handle: unknown = null;
  private armed = false;
  constructor(private readonly sched: LineScheduler) {}

  /** (Re-)arm: `cb` runs `ms` from now unless stopped or re-armed first. */
  start(ms: number, cb: () => void): void {
    this.stop();
    this.armed = true;
    this.handle = this.sched.at(this.sched.now() + ms, () => {
      this.armed = false;
      this.handle = null;
      cb();
    });
  }
  /** Arm at an absolute time. */
  startAt(t: number, cb: () => void): void {
    this.start(t - this.sched.now(), cb);
  }
  stop(): void {
    if (this.armed) this.sched.cancel(this.handle);
    this.armed = false;
    this.handle = null;
  }
  get pending(): boolean {
    return this.armed;
  }
}
