// Clock on the interpreter: getTime() is seconds (float) since 1970 as set by setTime(); the
// monotonic time is taken from it at boot and shifted when the user sets the date.
import type { Clock } from '../clock.ts';

export class EspruinoClock implements Clock {
  private base = getTime();
  private shift = 0;
  private alarm: number | null = null;

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
  setAlarm(at: number, cb: () => void): void {
    this.cancelAlarm();
    const self = this;
    this.alarm = setTimeout(function () {
      self.alarm = null;
      cb();
    }, Math.max(0, at - this.now()));
  }
  cancelAlarm(): void {
    if (this.alarm !== null) clearTimeout(this.alarm);
    this.alarm = null;
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
