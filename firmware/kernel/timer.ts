// Time events: one-shot or periodic, owned by an active object, posted on the kernel clock.
// Disarming also removes an already-queued expiry, so a state never sees a stale timeout.
import type { Evt } from './event.ts';
import type { Active } from './active.ts';

export class TimeEvt {
  readonly evt: Evt;
  deadline = -1;
  period = 0;

  constructor(readonly owner: Active, sig: string) {
    this.evt = { sig: sig };
  }

  /** Fire once after `ms` (and every `periodMs` after that if given). Re-arming restarts it. */
  arm(ms: number, periodMs?: number): void {
    const k = this.owner.kernel;
    if (!k) throw new Error(this.owner.name + ': timer armed before start');
    this.owner.queue.remove(this.evt);
    this.deadline = k.now() + ms;
    this.period = periodMs || 0;
    k.armTimer(this);
  }

  disarm(): void {
    this.deadline = -1;
    this.owner.queue.remove(this.evt);
    if (this.owner.kernel) this.owner.kernel.disarmTimer(this);
  }

  isArmed(): boolean {
    return this.deadline >= 0;
  }
}
