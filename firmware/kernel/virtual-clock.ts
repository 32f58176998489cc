// A deterministic clock (hal/clock.ts): time only moves when the next scheduled callback runs.
// The simulator drives whole calls with it (minutes of line time in milliseconds) and the
// self-test uses it to check the kernel. Callbacks at the same time run in the order they were
// scheduled. Any number of kernels and simulated devices share one: each keeps its own handles.
import type { Clock, ClockTimer } from '../../hal/clock.ts';

interface Job {
  at: number;
  seq: number;
  cb: () => void;
}

export class VirtualClock implements Clock {
  private t = 0;
  private wallBase: number;
  private heap: Job[] = [];
  private seq = 0;
  private cancelled: { [seq: number]: boolean } = {};
  /** Real-time counter for dispatch accounting; supplied by the host (0 when none). */
  cpu: () => number;

  constructor(wallStartUnixMs: number, cpu?: () => number) {
    this.wallBase = wallStartUnixMs;
    this.cpu = cpu || function () {
      return 0;
    };
  }

  now(): number {
    return this.t;
  }

  wall(): number {
    return this.wallBase + this.t;
  }

  setWall(unixMs: number): void {
    this.wallBase = unixMs - this.t;
  }

  /** Schedule `cb` at virtual time `at` (not before now); returns a handle for cancel(). */
  at(at: number, cb: () => void): number {
    const job: Job = { at: at < this.t ? this.t : at, seq: this.seq++, cb: cb };
    this.push(job);
    return job.seq;
  }

  after(ms: number, cb: () => void): number {
    return this.at(this.t + ms, cb);
  }

  cancel(handle: ClockTimer): void {
    if (typeof handle === 'number') this.cancelled[handle] = true;
  }

  defer(cb: () => void): void {
    this.at(this.t, cb);
  }

  /** Time of the next job, or -1 when nothing is scheduled. */
  next(): number {
    this.dropCancelled();
    return this.heap.length ? this.heap[0].at : -1;
  }

  /** Run the earliest job (advancing time to it). False when nothing is scheduled. */
  step(): boolean {
    this.dropCancelled();
    const job = this.pop();
    if (!job) return false;
    // a job whose time went by while a callback spent time (spend()) runs late, never back in time
    if (job.at > this.t) this.t = job.at;
    job.cb();
    return true;
  }

  /**
   * Model CPU time: the callback running now takes `ms` of virtual time. What falls due
   * meanwhile runs after it, late, in order (a slow board that cannot serve its UART while it
   * decodes, in a test).
   */
  spend(ms: number): void {
    if (ms > 0) this.t += ms;
  }

  /** Run jobs until none is left or `maxSteps` ran; returns the number run. */
  runUntilIdle(maxSteps?: number): number {
    const limit = maxSteps || 10000000;
    let n = 0;
    while (n < limit && this.step()) n++;
    return n;
  }

  /** Run every job scheduled up to and including time `t`, then set the time to `t`. */
  runUntil(t: number): void {
    for (;;) {
      const n = this.next();
      if (n < 0 || n > t) break;
      this.step();
    }
    if (t > this.t) this.t = t;
  }

  runFor(ms: number): void {
    this.runUntil(this.t + ms);
  }

  private dropCancelled(): void {
    while (this.heap.length && this.cancelled[this.heap[0].seq]) {
      delete this.cancelled[this.heap[0].seq];
      this.pop();
    }
  }

  private less(a: Job, b: Job): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(job: Job): void {
    const h = this.heap;
    h.push(job);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      const tmp = h[i];
      h[i] = h[p];
      h[p] = tmp;
      i = p;
    }
  }

  private pop(): Job | null {
    const h = this.heap;
    if (h.length === 0) return null;
    const top = h[0];
    const last = h.pop() as Job;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        const tmp = h[i];
        h[i] = h[m];
        h[m] = tmp;
        i = m;
      }
    }
    return top;
  }
}
