// A one-shot timer of a simulated device on the clock (hal/clock.ts): the modem emulator's,
// the line's and the remote machines' timeouts. One pending callback at most.
import type { Clock, ClockTimer } from '../../hal/clock.ts';

export class LineTimer {
  private handle: ClockTimer = null;
  private armed = false;
  constructor(private readonly clock: Clock) {}

  /** (Re-)arm: `cb` runs `ms` from now unless stopped or re-armed first. */
  start(ms: number, cb: () => void): void {
    this.stop();
    this.armed = true;
    this.handle = this.clock.at(this.clock.now() + ms, () => {
      this.armed = false;
      this.handle = null;
      cb();
    });
  }
  /** Arm at an absolute time. */
  startAt(t: number, cb: () => void): void {
    this.start(t - this.clock.now(), cb);
  }
  stop(): void {
    if (this.armed) this.clock.cancel(this.handle);
    this.armed = false;
    this.handle = null;
  }
  get pending(): boolean {
    return this.armed;
  }
}
