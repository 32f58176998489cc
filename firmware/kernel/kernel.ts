// The cooperative run-to-completion scheduler (QP's "QV" model): one event at a time, to
// completion, highest-priority non-empty queue first. No threads, no Promises: long work is
// sliced by its owner into events. Time comes only from the HAL clock (hal/clock.ts): its
// defer() and one pending at() call of the kernel's own drive `run()`, on a board from its
// timers, in the simulator from a virtual clock, deterministically.
import type { Clock, ClockTimer } from '../../hal/clock.ts';
import type { Evt } from './event.ts';
import type { Active } from './active.ts';
import type { TimeEvt } from './timer.ts';
import { TraceRing } from './trace.ts';

export interface Fault {
  time: number;
  who: string;
  state: string;
  sig: string;
  what: string;
}

/** What the kernel does after a fault in a dispatch (overflows are recorded only). */
export type FaultPolicy = 'restart-object' | 'reboot' | 'halt';

export interface KernelOptions {
  traceSize?: number;
  /** Most events handled in one run() before yielding back to the platform (I/O callbacks). */
  sliceEvents?: number;
  /**
   * Yield back to the platform once one run() has taken this many ms of `clock.cpu()` (default
   * 20): on a slow board a long event (a slice of page decoding) must not keep the UART's input
   * from its driver for a whole slice of events.
   */
  sliceMs?: number;
  faultPolicy?: FaultPolicy;
  /** More faults than this in `faultWindowMs` escalate restart-object to reboot. */
  maxFaults?: number;
  faultWindowMs?: number;
  reboot?: () => void;
}

export class Kernel {
  readonly objects: Active[] = [];
  readonly timers: TimeEvt[] = [];
  readonly tracer: TraceRing;
  readonly faults: Fault[] = [];
  /** Events dispatched since start. */
  dispatches = 0;
  longestDispatch = 0;
  longestWhat = '';
  halted = false;
  /** start() has run: objects joining later enter their initial state at once. */
  private started = false;
  private scheduled = false;
  private running = false;
  private current: Active | null = null;
  private alarmAt = -1;
  private alarm: ClockTimer = null;
  private sliceEvents: number;
  private sliceMs: number;
  private policy: FaultPolicy;
  private maxFaults: number;
  private faultWindowMs: number;
  private rebootFn: (() => void) | null;
  private runBound: () => void;
  private alarmBound: () => void;

  constructor(readonly clock: Clock, opts?: KernelOptions) {
    const o = opts || {};
    this.tracer = new TraceRing(o.traceSize || 256);
    this.sliceEvents = o.sliceEvents || 32;
    this.sliceMs = o.sliceMs || 20;
    this.policy = o.faultPolicy || 'restart-object';
    this.maxFaults = o.maxFaults || 5;
    this.faultWindowMs = o.faultWindowMs || 60000;
    this.rebootFn = o.reboot || null;
    const self = this;
    this.runBound = function () {
      self.scheduled = false;
      self.run();
    };
    this.alarmBound = function () {
      self.alarm = null;
      self.alarmAt = -1;
      self.run();
    };
  }

  now(): number {
    return this.clock.now();
  }

  trace(who: string, text: string): void {
    this.tracer.add(this.clock.now(), who, text);
  }

  /** Register an active object; kept sorted by priority (highest first). */
  add(ao: Active): void {
    for (let i = 0; i < this.objects.length; i++) {
      if (this.objects[i].prio === ao.prio) throw new Error('two active objects with priority ' + ao.prio);
    }
    ao.kernel = this;
    let i = 0;
    while (i < this.objects.length && this.objects[i].prio > ao.prio) i++;
    this.objects.splice(i, 0, ao);
  }

  /**
   * Register an object while the kernel runs (an object of a module loaded on demand: see
   * firmware/app/modules.ts) and enter its initial state; before start() this is add().
   */
  join(ao: Active): void {
    this.add(ao);
    if (!this.started) return;
    this.guarded(ao, 'start', function () {
      ao.enterInitial();
    });
    this.schedule();
  }

  /**
   * Let go of an object (its owner drops it, e.g. to free a module's code): it leaves the
   * dispatch list, its waiting events are dropped and its time events disarmed.
   */
  remove(ao: Active): void {
    const i = this.objects.indexOf(ao);
    if (i >= 0) this.objects.splice(i, 1);
    for (let j = this.timers.length - 1; j >= 0; j--) {
      if (this.timers[j].owner === ao) {
        this.timers[j].deadline = -1;
        this.timers.splice(j, 1);
      }
    }
    ao.queue.clear();
    ao.kernel = null;
  }

  /** Enter every object's initial state (highest priority first), then process what that posted. */
  start(): void {
    this.started = true;
    for (let i = 0; i < this.objects.length; i++) {
      const ao = this.objects[i];
      this.guarded(ao, 'start', function () {
        ao.enterInitial();
      });
    }
    this.schedule();
  }

  post(ao: Active, e: Evt): boolean {
    if (!ao.queue.push(e)) {
      this.recordFault(ao, e.sig, 'queue overflow (' + ao.queue.capacity + ' events): ' + e.sig + ' not delivered');
      return false;
    }
    this.schedule();
    return true;
  }

  /** Dispatch the highest-priority waiting event. False when every queue is empty. */
  dispatchOne(): boolean {
    for (let i = 0; i < this.objects.length; i++) {
      const ao = this.objects[i];
      if (ao.queue.length === 0) continue;
      const e = ao.queue.shift() as Evt;
      const t0 = this.clock.cpu();
      this.dispatches++;
      this.guarded(ao, e.sig, function () {
        ao.dispatch(e);
      });
      const dt = this.clock.cpu() - t0;
      if (dt > ao.longestDispatch) ao.longestDispatch = dt;
      if (dt > this.longestDispatch) {
        this.longestDispatch = dt;
        this.longestWhat = ao.name + ' ' + e.sig;
      }
      return true;
    }
    return false;
  }

  /** Post expired time events, dispatch up to a slice of events, re-arm the clock's alarm. */
  run(): void {
    if (this.running || this.halted) return;
    this.running = true;
    try {
      this.fireTimers();
      let n = 0;
      const t0 = this.clock.cpu();
      while (n < this.sliceEvents && this.dispatchOne()) {
        n++;
        if (this.clock.cpu() - t0 >= this.sliceMs) break;
      }
      this.armAlarm();
    } finally {
      this.running = false;
    }
    // Work left over after a full slice: yield to the platform (I/O callbacks), then go on.
    if (this.pendingEvents() > 0) this.schedule();
  }

  pendingEvents(): number {
    let n = 0;
    for (let i = 0; i < this.objects.length; i++) n += this.objects[i].queue.length;
    return n;
  }

  armTimer(t: TimeEvt): void {
    if (this.timers.indexOf(t) < 0) this.timers.push(t);
    if (!this.running) this.armAlarm();
  }

  disarmTimer(t: TimeEvt): void {
    const i = this.timers.indexOf(t);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Earliest armed deadline, or -1. */
  nextDeadline(): number {
    let best = -1;
    for (let i = 0; i < this.timers.length; i++) {
      const d = this.timers[i].deadline;
      if (d >= 0 && (best < 0 || d < best)) best = d;
    }
    return best;
  }

  /**
   * Stop for good: nothing more is dispatched and the clock holds no wake-up of this kernel (a
   * host ending a real-time run, so its process can exit).
   */
  halt(): void {
    this.halted = true;
    this.cancelAlarm();
    this.alarmAt = -1;
  }

  /** Assertion for firmware code: a failed one becomes a recorded fault of the running object. */
  assert(cond: boolean, what: string): void {
    if (!cond) throw new Error('assertion failed: ' + what);
  }

  private fireTimers(): void {
    const now = this.clock.now();
    // Copy: posting can re-arm or disarm timers.
    const list = this.timers.slice(0);
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      if (t.deadline < 0 || t.deadline > now) continue;
      if (t.period > 0) {
        t.deadline += t.period;
        if (t.deadline <= now) t.deadline = now + t.period; // missed ticks are not queued up
      } else {
        t.deadline = -1;
        this.disarmTimer(t);
      }
      this.post(t.owner, t.evt);
    }
  }

  /** One pending wake-up of the clock at the earliest deadline, moved when that changes. */
  private armAlarm(): void {
    const d = this.nextDeadline();
    if (d === this.alarmAt) return;
    this.alarmAt = d;
    this.cancelAlarm();
    if (d >= 0) this.alarm = this.clock.at(d, this.alarmBound);
  }

  private cancelAlarm(): void {
    if (this.alarm !== null) this.clock.cancel(this.alarm);
    this.alarm = null;
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    this.clock.defer(this.runBound);
  }

  private guarded(ao: Active, sig: string, fn: () => void): void {
    this.current = ao;
    try {
      fn();
    } catch (err) {
      const msg = err && (err as Error).message ? (err as Error).message : String(err);
      this.recordFault(ao, sig, msg);
      this.applyPolicy(ao);
    } finally {
      this.current = null;
    }
  }

  private recordFault(ao: Active, sig: string, what: string): void {
    const f: Fault = { time: this.clock.now(), who: ao.name, state: ao.state.name, sig: sig, what: what };
    this.faults.push(f);
    if (this.faults.length > 16) this.faults.shift();
    this.trace(ao.name, 'FAULT in ' + f.state + ' on ' + sig + ': ' + what);
  }

  private applyPolicy(ao: Active): void {
    let policy = this.policy;
    const since = this.clock.now() - this.faultWindowMs;
    let recent = 0;
    for (let i = 0; i < this.faults.length; i++) if (this.faults[i].time >= since) recent++;
    if (policy === 'restart-object' && recent > this.maxFaults) policy = 'reboot';
    if (policy === 'halt' || (policy === 'reboot' && !this.rebootFn)) {
      this.halted = true;
      this.trace('kernel', 'halted after fault');
      return;
    }
    if (policy === 'reboot') {
      this.trace('kernel', 'reboot after ' + recent + ' faults');
      this.halted = true;
      (this.rebootFn as () => void)();
      return;
    }
    // restart-object: drop its queue and timers, let it release hardware, enter its initial state.
    ao.queue.clear();
    for (let i = this.timers.length - 1; i >= 0; i--) {
      if (this.timers[i].owner === ao) {
        this.timers[i].deadline = -1;
        this.timers.splice(i, 1);
      }
    }
    this.trace('kernel', 'restart ' + ao.name);
    try {
      ao.onRestart();
      ao.enterInitial();
    } catch (err) {
      this.halted = true;
      this.trace('kernel', 'halted: ' + ao.name + ' failed to restart');
    }
  }
}
