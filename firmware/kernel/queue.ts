// A bounded FIFO of events (ring buffer). Full means full: the caller records the overflow.
import type { Evt } from './event.ts';

export class EventQueue {
  private buf: (Evt | null)[];
  private head = 0;
  private count = 0;
  /** Most events ever waiting at once (sizing aid, printed by the bench). */
  highWater = 0;

  constructor(readonly capacity: number) {
    this.buf = [];
    for (let i = 0; i < capacity; i++) this.buf.push(null);
  }

  get length(): number {
    return this.count;
  }

  push(e: Evt): boolean {
    if (this.count >= this.capacity) return false;
    this.buf[(this.head + this.count) % this.capacity] = e;
    this.count++;
    if (this.count > this.highWater) this.highWater = this.count;
    return true;
  }

  shift(): Evt | null {
    if (this.count === 0) return null;
    const e = this.buf[this.head];
    this.buf[this.head] = null;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return e;
  }

  /** Remove every queued occurrence of `e` (a disarmed timer's stale event). */
  remove(e: Evt): void {
    let kept = 0;
    const n = this.count;
    for (let i = 0; i < n; i++) {
      const x = this.buf[(this.head + i) % this.capacity];
      if (x !== e) {
        this.buf[(this.head + kept) % this.capacity] = x;
        kept++;
      }
    }
    for (let i = kept; i < n; i++) this.buf[(this.head + i) % this.capacity] = null;
    this.count = kept;
  }

  clear(): void {
    while (this.count > 0) this.shift();
  }
}
