import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventQueue } from '../../../firmware/kernel/queue.ts';
import { Kernel, Active, TimeEvt, SUPER } from '../../../firmware/kernel/index.ts';
import type { State, Evt, Handled } from '../../../firmware/kernel/index.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { RealClock } from '../../../hal/node/clock.ts';
import { kernelChecks } from '../../../firmware/kernel/selftest.ts';
import { runSelfTest } from '../../../firmware/selftest/selftest.ts';

class Probe extends Active {
  log: string[] = [];
  onEvent: ((me: Probe, e: Evt) => void) | null = null;
  constructor(name: string, prio: number, depth = 8, initial: State<Probe> = IDLE) {
    super(name, prio, depth, initial);
  }
}
const IDLE: State<Probe> = {
  name: 'IDLE',
  on(me, e) {
    me.log.push(`${me.state.name}:${e.sig}@${me.kernel!.now()}`);
    if (me.onEvent) me.onEvent(me, e);
    if (e.sig === 'GO') me.tran(BUSY);
  },
};
const BUSY: State<Probe> = {
  name: 'BUSY',
  on(me, e) {
    me.log.push(`${me.state.name}:${e.sig}@${me.kernel!.now()}`);
    if (e.sig === 'DONE') me.tran(IDLE);
  },
};

function rig(depth = 8) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const k = new Kernel(clock);
  const a = new Probe('a', 1, depth);
  const b = new Probe('b', 2, depth);
  k.add(a);
  k.add(b);
  k.start();
  clock.runUntilIdle();
  a.log.length = 0;
  b.log.length = 0;
  return { clock, k, a, b };
}

test('start enters each initial state with ENTRY', () => {
  const clock = new VirtualClock(0);
  const k = new Kernel(clock);
  const a = new Probe('a', 1);
  k.add(a);
  k.start();
  assert.equal(a.log, ['IDLE:ENTRY@0']);
});

test('two objects with one priority are refused', () => {
  const k = new Kernel(new VirtualClock(0));
  k.add(new Probe('a', 1));
  assert.throws(() => k.add(new Probe('b', 1)), /priority 1/);
});

test('the highest-priority queue is served first, FIFO within a queue', () => {
  const { clock, a, b } = rig();
  a.post({ sig: 'A1' });
  a.post({ sig: 'A2' });
  b.post({ sig: 'B1' });
  const order: string[] = [];
  a.onEvent = (_m, e) => order.push(e.sig);
  b.onEvent = (_m, e) => order.push(e.sig);
  clock.runUntilIdle();
  assert.equal(order, ['B1', 'A1', 'A2']);
});

test('run to completion: an event posted inside a handler waits until the handler returns', () => {
  const { clock, a, b } = rig();
  const order: string[] = [];
  a.onEvent = (_m, e) => {
    order.push('a-begin ' + e.sig);
    if (e.sig === 'X') b.post({ sig: 'Y' }); // higher priority, yet must not preempt
    order.push('a-end ' + e.sig);
  };
  b.onEvent = (_m, e) => order.push('b ' + e.sig);
  a.post({ sig: 'X' });
  clock.runUntilIdle();
  assert.equal(order, ['a-begin X', 'a-end X', 'b Y']);
});

test('transitions run EXIT then ENTRY and leave a named trace line', () => {
  const { clock, k, a } = rig();
  a.post({ sig: 'GO' });
  clock.runUntilIdle();
  assert.equal(a.log, ['IDLE:GO@0', 'IDLE:EXIT@0', 'BUSY:ENTRY@0']);
  assert.ok(k.tracer.snapshot().some((l) => /a: IDLE -> BUSY on GO$/.test(l)), k.tracer.snapshot().join('\n'));
});

test('one-shot and periodic timers fire at their virtual times', () => {
  const { clock, a } = rig();
  const t = new TimeEvt(a, 'T');
  const p = new TimeEvt(a, 'P');
  t.arm(1500);
  p.arm(1000, 1000);
  clock.runUntil(3000);
  assert.equal(a.log, ['IDLE:P@1000', 'IDLE:T@1500', 'IDLE:P@2000', 'IDLE:P@3000']);
  assert.is(clock.now(), 3000);
});

test('a disarmed timer leaves no stale event in the queue', () => {
  const { clock, k, a, b } = rig();
  const t = new TimeEvt(a, 'TIMEOUT');
  // b (higher priority) disarms a's timer in the same run that queued its expiry for a.
  b.onEvent = () => t.disarm();
  clock.at(100, () => b.post({ sig: 'CANCEL' }));
  t.arm(100);
  clock.runUntil(100);
  clock.runUntilIdle();
  assert.not.ok(a.log.includes('IDLE:TIMEOUT@100'), a.log.join());
  assert.is(k.nextDeadline(), -1);
});

test('re-arming restarts a timer', () => {
  const { clock, a } = rig();
  const t = new TimeEvt(a, 'T');
  t.arm(100);
  clock.runUntil(50);
  t.arm(100);
  clock.runUntilIdle();
  assert.equal(a.log, ['IDLE:T@150']);
});

test('the event queue: first in first out, bounded, a removed event gone wherever it waited, its high water kept', () => {
  const q = new EventQueue(3);
  const a = { sig: 'A' };
  const b = { sig: 'B' };
  const c = { sig: 'C' };
  assert.is(q.shift(), null);
  assert.ok(q.push(a) && q.push(b) && q.push(a));
  assert.not.ok(q.push(c), 'full at its capacity');
  assert.is(q.length, 3);
  q.remove(a);
  assert.is(q.length, 1);
  assert.ok(q.push(c));
  assert.is(q.shift(), b);
  assert.is(q.shift(), c);
  assert.is(q.shift(), null);
  q.remove(a); // nothing waiting: nothing to do
  assert.is(q.highWater, 3);
  assert.ok(q.push(a));
  q.clear();
  assert.is(q.length, 0);
});

test('queue overflow is a recorded fault and the post reports it', () => {
  const { clock, k, a } = rig(2);
  assert.ok(a.post({ sig: '1' }));
  assert.ok(a.post({ sig: '2' }));
  assert.not.ok(a.post({ sig: '3' }));
  assert.is(k.faults.length, 1);
  assert.match(k.faults[0].what, /queue overflow \(2 events\): 3 not delivered/);
  clock.runUntilIdle();
  assert.equal(a.log, ['IDLE:1@0', 'IDLE:2@0']);
});

test('a throwing handler is recorded with state and signal, the object restarts', () => {
  const { clock, k, a } = rig();
  a.post({ sig: 'GO' });
  clock.runUntilIdle();
  a.onEvent = null;
  (a as any).state = { name: 'BROKEN', on() { throw new Error('bad frame'); } };
  a.post({ sig: 'X' });
  clock.runUntilIdle();
  assert.is(k.faults.length, 1);
  assert.equal({ ...k.faults[0], time: 0 }, { time: 0, who: 'a', state: 'BROKEN', sig: 'X', what: 'bad frame' });
  assert.is(a.state.name, 'IDLE');
});

test('repeated faults escalate to reboot', () => {
  const clock = new VirtualClock(0);
  let reboots = 0;
  const k = new Kernel(clock, { maxFaults: 2, reboot: () => reboots++ });
  const a = new Probe('a', 1);
  a.onEvent = (_m, e) => {
    if (e.sig === 'BOOM') throw new Error('boom');
  };
  k.add(a);
  k.start();
  for (let i = 0; i < 3; i++) {
    a.post({ sig: 'BOOM' });
    clock.runUntilIdle();
  }
  assert.is(reboots, 1);
  assert.ok(k.halted);
});

test('the longest dispatch is accounted with its object and signal', () => {
  let fake = 0;
  const clock = new VirtualClock(0, () => fake);
  const k = new Kernel(clock);
  const a = new Probe('a', 1);
  a.onEvent = (_m, e) => {
    fake += e.sig === 'SLOW' ? 40 : 1;
  };
  k.add(a);
  k.start();
  a.post({ sig: 'FAST' });
  a.post({ sig: 'SLOW' });
  a.post({ sig: 'FAST' });
  clock.runUntilIdle();
  assert.is(k.longestDispatch, 40);
  assert.is(k.longestWhat, 'a SLOW');
});

test('a slice yields after sliceEvents dispatches and continues later', () => {
  const clock = new VirtualClock(0);
  const k = new Kernel(clock, { sliceEvents: 2 });
  const a = new Probe('a', 1, 16);
  k.add(a);
  k.start();
  clock.runUntilIdle();
  for (let i = 0; i < 5; i++) a.post({ sig: 'E' + i });
  assert.ok(clock.step()); // one run(): two events
  assert.is(a.log.filter((l) => /^IDLE:E\d/.test(l)).length, 2);
  clock.runUntilIdle();
  assert.is(a.log.filter((l) => /^IDLE:E\d/.test(l)).length, 5);
});

test('virtual time: an hour of periodic timers runs without waiting for the wall clock', () => {
  const { clock, a } = rig(4);
  const p = new TimeEvt(a, 'SEC');
  p.arm(1000, 1000);
  clock.runUntil(3600 * 1000);
  assert.is(a.log.length, 3600);
  assert.is(a.log[3599], 'IDLE:SEC@3600000');
  // How fast is measured in bench/kernel.ts, not asserted here.
});

test('real time: a timer on the real clock fires after its delay, not before', async () => {
  const clock = new RealClock();
  const k = new Kernel(clock);
  const a = new Probe('a', 1);
  k.add(a);
  k.start();
  const fired = new Promise<number>((resolve) => {
    a.onEvent = (_m, e) => {
      if (e.sig === 'T') resolve(clock.now());
    };
  });
  const t0 = clock.now();
  new TimeEvt(a, 'T').arm(60);
  const at = await fired;
  assert.ok(at - t0 >= 59, `fired after ${at - t0} ms`);
});

test('two kernels on one clock keep their own alarms', () => {
  const clock = new VirtualClock(0);
  const k1 = new Kernel(clock);
  const k2 = new Kernel(clock);
  const a = new Probe('a', 1);
  const b = new Probe('b', 1);
  k1.add(a);
  k2.add(b);
  k1.start();
  k2.start();
  new TimeEvt(a, 'TA').arm(300);
  new TimeEvt(b, 'TB').arm(200); // with one shared alarm slot this would cancel a's alarm
  clock.runUntilIdle();
  assert.ok(a.log.includes('IDLE:TA@300'), a.log.join());
  assert.ok(b.log.includes('IDLE:TB@200'), b.log.join());
});

test('a kernel keeps one wake-up on the clock, moved to the earliest deadline; halt() takes it back', () => {
  const { clock, k, a } = rig();
  const late = new TimeEvt(a, 'LATE');
  late.arm(500);
  assert.is(clock.next(), 500);
  new TimeEvt(a, 'SOON').arm(200);
  assert.is(clock.next(), 200);
  clock.runUntil(200);
  assert.equal(a.log, ['IDLE:SOON@200']);
  assert.is(clock.next(), 500, 'the wake-up moves on to the next deadline');
  k.halt();
  assert.is(clock.next(), -1, 'a halted kernel leaves nothing on the clock');
  clock.runUntilIdle();
  assert.equal(a.log, ['IDLE:SOON@200']);
});

test('the device self-test checks of the kernel pass', () => {
  const lines: string[] = [];
  const r = runSelfTest(kernelChecks(), (l) => lines.push(l));
  assert.is(r.failed, 0, lines.join('\n'));
  assert.ok(r.passed >= 4);
});

// ---- superstates (a state names a parent that handles what it leaves) ----

class Nest extends Active {
  log: string[] = [];
  constructor(initial: State<Nest>) {
    super('n', 1, 8, initial);
  }
}
function logger(name: string, handle: (me: Nest, e: Evt) => Handled): State<Nest>['on'] {
  return (me, e) => {
    if (e.sig === 'ENTRY' || e.sig === 'EXIT') {
      me.log.push(`${name}:${e.sig}`);
      return;
    }
    const r = handle(me, e);
    if (r !== SUPER) me.log.push(`${name}:${e.sig}`);
    return r;
  };
}
// TOP ⊃ CALL ⊃ { A, B }, TOP ⊃ REST
const TOP: State<Nest> = { name: 'TOP', on: logger('TOP', (me, e) => { if (e.sig === 'RESET') me.tran(REST); }) };
const CALL: State<Nest> = { name: 'CALL', parent: TOP, on: logger('CALL', (me, e) => {
  if (e.sig === 'HANGUP') me.tran(REST);
  else if (e.sig === 'BOTH') me.log.push('CALL sees BOTH too');
  else return SUPER;
}) };
const A: State<Nest> = { name: 'A', parent: CALL, on: logger('A', (me, e) => {
  if (e.sig === 'NEXT') me.tran(B);
  else if (e.sig === 'AGAIN') me.tran(A);
  else return SUPER;
}) };
const B: State<Nest> = { name: 'B', parent: CALL, on: logger('B', (me, e) => {
  if (e.sig === 'HANGUP') me.log.push('B keeps the line'); // a child overrides its parent
  else if (e.sig === 'UP') me.tran(CALL_LEAF);
  else return SUPER;
}) };
const CALL_LEAF: State<Nest> = { name: 'C', parent: CALL, on: logger('C', () => SUPER) };
const REST: State<Nest> = { name: 'REST', parent: TOP, on: logger('REST', (me, e) => { if (e.sig === 'CALL') me.tran(A); else return SUPER; }) };

function nest() {
  const clock = new VirtualClock(0);
  const k = new Kernel(clock, { faultPolicy: 'halt' });
  const n = new Nest(A);
  k.add(n);
  k.start();
  clock.runUntilIdle();
  const send = (sig: string) => {
    n.log.length = 0;
    n.post({ sig });
    clock.runUntilIdle();
    return n.log.slice();
  };
  return { k, n, send };
}

test('superstates: the initial state is entered from the top down', () => {
  const { n } = nest();
  assert.equal(n.log, ['TOP:ENTRY', 'CALL:ENTRY', 'A:ENTRY']);
  assert.ok(n.isIn(CALL) && n.isIn(TOP) && n.isIn(A) && !n.isIn(B));
});

test('superstates: an event a state leaves goes to its parent, and on up; one a state handles stops there', () => {
  const { n, send } = nest();
  // HANGUP: A leaves it, CALL handles it (leaves A and CALL, enters REST; TOP stays)
  assert.equal(send('HANGUP'), ['CALL:HANGUP', 'A:EXIT', 'CALL:EXIT', 'REST:ENTRY']);
  assert.is(n.state, REST);
  // RESET: REST leaves it, TOP handles it (REST -> REST is a self-transition: ENTRY only)
  assert.equal(send('RESET'), ['TOP:RESET', 'REST:ENTRY']);
  assert.equal(send('CALL'), ['REST:CALL', 'REST:EXIT', 'CALL:ENTRY', 'A:ENTRY']);
  // an event nobody handles is dropped quietly at the top
  assert.equal(send('NOBODY'), ['TOP:NOBODY']);
  assert.is(n.state, A);
});

test('superstates: a child overrides its parent; siblings share the parent without leaving it', () => {
  const { n, send } = nest();
  assert.equal(send('NEXT'), ['A:NEXT', 'A:EXIT', 'B:ENTRY']);
  assert.equal(send('HANGUP'), ['B keeps the line', 'B:HANGUP']);
  assert.is(n.state, B);
  assert.equal(send('BOTH'), ['CALL sees BOTH too', 'CALL:BOTH']);
  assert.equal(send('UP'), ['B:UP', 'B:EXIT', 'C:ENTRY']);
  assert.equal(send('HANGUP'), ['CALL:HANGUP', 'C:EXIT', 'CALL:EXIT', 'REST:ENTRY']);
});

test('superstates: a self-transition re-enters the leaf only, and every transition is one trace line', () => {
  const { k, send } = nest();
  assert.equal(send('AGAIN'), ['A:AGAIN', 'A:ENTRY']);
  send('HANGUP');
  const t = k.tracer.snapshot().join('\n');
  assert.match(t, /n: A -> A on AGAIN/);
  assert.match(t, /n: A -> REST on HANGUP/);
  assert.not.match(t, /CALL ->/);
});

test('a run yields to the platform once its events took sliceMs of CPU time (I/O waiting behind a long event gets in)', () => {
  const clock = new VirtualClock(0);
  clock.cpu = () => clock.now(); // CPU time is virtual time: spend() models a slow handler
  const k = new Kernel(clock, { sliceMs: 20 });
  const a = new Probe('a', 1, 16);
  k.add(a);
  k.start();
  clock.runUntilIdle();
  const order: string[] = [];
  a.onEvent = (me, e) => {
    if (e.sig !== 'WORK') return;
    order.push('work@' + clock.now());
    clock.spend(30); // a long slice of work
  };
  for (let i = 0; i < 3; i++) a.post({ sig: 'WORK' });
  clock.at(10, () => order.push('io@' + clock.now())); // the UART's input, due during the first slice
  clock.runUntilIdle();
  assert.equal(order, ['work@0', 'io@30', 'work@30', 'work@60']);
});

test.run();
