// Real-time clock for a laptop (real modem, --realtime simulator runs, interop tests).
import type { Clock, ClockTimer } from '../clock.ts';
import { performance } from 'node:perf_hooks';

export class RealClock implements Clock {
  private t0 = performance.now();
  private wallOffset = 0;

  now(): number {
    return performance.now() - this.t0;
  }
  wall(): number {
    return Date.now() + this.wallOffset;
  }
  setWall(unixMs: number): void {
    this.wallOffset = unixMs - Date.now();
  }
  at(t: number, cb: () => void): NodeJS.Timeout {
    return setTimeout(cb, Math.max(0, t - this.now()));
  }
  cancel(timer: ClockTimer): void {
    clearTimeout(timer as NodeJS.Timeout);
  }
  defer(cb: () => void): void {
    setImmediate(cb);
  }
  cpu(): number {
    return performance.now();
  }
}
