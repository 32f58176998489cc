// Clock on the interpreter: getTime() is seconds (float) since 1970 as set by setTime(); the
// monotonic time is taken from it at boot and shifted when the user sets the date.
import type { Clock, ClockTimer } from '../clock.ts';

export class EspruinoClock implements Clock {
  private base = getTime();
  private shift = 0;

  now(): number {
    return (getTime() - this.base) * 1000 - this.shift;
  }
  wall(): number {
    return getTime() * 1000;
  }
  setWall(unixMs: number): void {
    const before = this.now();
    setTime(unixMs / 1000);
    // Keep now() continuous across the jump of getTime().
    this.shift = (getTime() - this.base) * 1000 - before;
  }
  at(t: number, cb: () => void): ClockTimer {
    // A timeout, not an interval on getTime(): setting the date does not move it.
    return setTimeout(cb, Math.max(0, t - this.now()));
  }
  cancel(timer: ClockTimer): void {
    // clearTimeout(undefined) would clear every timer of the interpreter.
    if (typeof timer === 'number') clearTimeout(timer);
  }
  defer(cb: () => void): void {
    setTimeout(cb, 0);
  }
  cpu(): number {
    // The monotonic time, not getTime(): a dispatch that sets the date would otherwise measure
    // as long as the jump (the kernel's longest-dispatch figure).
    return this.now();
  }
}
