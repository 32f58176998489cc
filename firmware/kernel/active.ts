// Active objects: one per concern, each owning its state and a bounded event queue. States are
// named objects with one handler each (QP's state-handler style, flat): the handler reacts to an
// event and may call `tran()`; the kernel then runs EXIT of the old state and ENTRY of the new
// one and writes a trace line `OLD -> NEW on SIG`.
import type { Evt } from './event.ts';
import { ENTRY, EXIT } from './event.ts';
import { EventQueue } from './queue.ts';
import type { Kernel } from './kernel.ts';

export interface State<A> {
  name: string;
  on: (me: A, e: Evt) => void;
}

export class Active {
  readonly queue: EventQueue;
  kernel: Kernel | null = null;
  // State handlers are typed against the subclass; here they are stored loosely.
  state: State<any>;
  private pending: State<any> | null = null;
  /** Longest time one of this object's events took (ms of `clock.cpu()`). */
  longestDispatch = 0;

  constructor(
    readonly name: string,
    /** Higher runs first. */
    readonly prio: number,
    queueDepth: number,
    readonly initial: State<any>,
  ) {
    this.queue = new EventQueue(queueDepth);
    this.state = initial;
  }

  /** Post an event to this object's queue (from anywhere: HAL callbacks, other objects). */
  post(e: Evt): boolean {
    if (!this.kernel) throw new Error(this.name + ': post before the kernel started it');
    return this.kernel.post(this, e);
  }

  /** Ask for a transition; it happens when the current handler returns. */
  tran(target: State<any>): void {
    this.pending = target;
  }

  trace(text: string): void {
    if (this.kernel) this.kernel.trace(this.name, text);
  }

  /** Called by the kernel at start and on a restart after a fault: enter the initial state. */
  enterInitial(): void {
    this.state = this.initial;
    this.pending = null;
    this.trace('start in ' + this.initial.name);
    this.state.on(this, ENTRY);
    this.settle('start');
  }

  /** Deliver one event to the current state, then carry out any transitions it asked for. */
  dispatch(e: Evt): void {
    this.state.on(this, e);
    this.settle(e.sig);
  }

  /** Overridden by objects that must release hardware when the kernel restarts them after a fault. */
  onRestart(): void {}

  private settle(cause: string): void {
    // An ENTRY action may itself transition (an initial transition); bound it to catch loops.
    for (let guard = 0; this.pending; guard++) {
      if (guard > 16) throw new Error(this.name + ': transition loop in ' + this.state.name);
      const target = this.pending;
      this.pending = null;
      if (target !== this.state) this.state.on(this, EXIT);
      this.trace(this.state.name + ' -> ' + target.name + ' on ' + cause);
      this.state = target;
      this.state.on(this, ENTRY);
      cause = 'ENTRY';
    }
  }
}
