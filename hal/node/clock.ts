// Real-time clock for a laptop (real modem, --realtime simulator runs, interop tests).
import type { Clock } from '../clock.ts';
import { performance } from 'node:perf_hooks';

export class RealClock implements Clock {
  private t0 = performance.now();
  private wallOffset = 0;
  private alarm: NodeJS.Timeout | null = null;

  now(): number {
    return performance.now() - this.t0;
  }
  wall(): number {
    return Date.now() + this.wallOffset;
  }
  setWall(unixMs: number): void {
    this.wallOffset = unixMs - Date.now();
  }
  setAlarm(at: number, cb: () => void): void {
    this.cancelAlarm();
    this.alarm = setTimeout(() => {
      this.alarm = null;
      cb();
    }, Math.max(0, at - this.now()));
  }
  cancelAlarm(): void {
    if (this.alarm) clearTimeout(this.alarm);
    this.alarm = null;
  }
  defer(cb: () => void): void {
    setImmediate(cb);
  }
  cpu(): number {
    return performance.now();
  }
  /** Schedule host-side work at a monotonic time (sim devices in real-time mode). */
  at(at: number, cb: () => void): NodeJS.Timeout {
    return setTimeout(cb, Math.max(0, at - this.now()));
  }
}
