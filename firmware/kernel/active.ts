// Active objects: one per concern, each owning its state and a bounded event queue. States are
// named objects with one handler each (QP's state-handler style), and may be nested: a state
// names its `parent` (QP's superstate), and an event its handler leaves (`return SUPER`) goes to
// the parent, and on up. So what a group of states does alike (a call's line trouble, the wait
// for a response) is written once, in their parent. The handler may call `tran()`; the kernel
// then runs EXIT from the old state up to the nearest state the two share and ENTRY from there
// down to the new one, and writes a trace line `OLD -> NEW on SIG`. A transition to the state
// itself re-runs its ENTRY only (a state listens again that way); transitions go to leaf states.
import type { Evt } from './event.ts';
import { ENTRY, EXIT } from './event.ts';
import { EventQueue } from './queue.ts';
import type { Kernel } from './kernel.ts';

/** Returned by a handler for an event it leaves to its parent state (QP's Q_SUPER). */
export const SUPER = 'super';
export type Handled = void | typeof SUPER;

export interface State<A> {
  name: string;
  /** The state that handles what this one leaves to it (absent: the top). */
  parent?: State<A>;
  on: (me: A, e: Evt) => Handled;
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
    const path = ancestry(this.initial);
    for (let i = path.length - 1; i >= 0; i--) path[i].on(this, ENTRY);
    this.settle('start');
  }

  /** Deliver one event to the current state, then carry out any transitions it asked for. */
  dispatch(e: Evt): void {
    let s: State<any> | undefined = this.state;
    while (s && s.on(this, e) === SUPER) s = s.parent;
    this.settle(e.sig);
  }

  /** Is the current state `s` or inside it? */
  isIn(s: State<any>): boolean {
    for (let c: State<any> | undefined = this.state; c; c = c.parent) if (c === s) return true;
    return false;
  }

  /** Overridden by objects that must release hardware when the kernel restarts them after a fault. */
  onRestart(): void {}

  private settle(cause: string): void {
    // An ENTRY action may itself transition (an initial transition); bound it to catch loops.
    for (let guard = 0; this.pending; guard++) {
      if (guard > 16) throw new Error(this.name + ': transition loop in ' + this.state.name);
      const target = this.pending;
      this.pending = null;
      const source = this.state;
      if (target === source) {
        this.trace(source.name + ' -> ' + target.name + ' on ' + cause);
        target.on(this, ENTRY);
        cause = 'ENTRY';
        continue;
      }
      // leave the source and its parents up to the nearest one the target is also in
      const into = ancestry(target);
      let s: State<any> | undefined = source;
      while (s && into.indexOf(s) < 0) {
        s.on(this, EXIT);
        s = s.parent;
      }
      this.trace(source.name + ' -> ' + target.name + ' on ' + cause);
      this.state = target;
      // and enter from below that shared state down to the target
      const shared = s ? into.indexOf(s) : into.length;
      for (let i = shared - 1; i >= 0; i--) into[i].on(this, ENTRY);
      cause = 'ENTRY';
    }
  }
}

/** A state and its parents, innermost first. */
function ancestry(s: State<any>): State<any>[] {
  const out: State<any>[] = [];
  for (let c: State<any> | undefined = s; c; c = c.parent) out.push(c);
  return out;
}
