// A bounded FIFO of events (ring buffer). Full means full: the caller records the overflow.
import type { Evt } from './event.ts';

export class EventQueue {
  // The waiting events, oldest first. Not allocated ahead as a ring: on the interpreter every
  // array slot is a variable, null or not, and most queues are empty most of the time
  // (docs/ESPRUINO.md: ~160 slots over the resident active objects).
  private buf: Evt[] = [];
  /** Most events ever waiting at once (sizing aid, printed by the bench). */
  highWater = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.buf.length;
  }

  push(e: Evt): boolean {
    if (this.buf.length >= this.capacity) return false;
    this.buf.push(e);
    if (this.buf.length > this.highWater) this.highWater = this.buf.length;
    return true;
  }

  shift(): Evt | null {
    const e = this.buf.shift();
    return e === undefined ? null : e;
  }

  /** Remove every queued occurrence of `e` (a disarmed timer's stale event). */
  remove(e: Evt): void {
    const b = this.buf;
    if (b.indexOf(e) < 0) return;
    const kept: Evt[] = [];
    for (let i = 0; i < b.length; i++) if (b[i] !== e) kept.push(b[i]);
    this.buf = kept;
  }

  clear(): void {
    this.buf = [];
  }
}
