// Kernel checks small enough to run on the board: priority order, run to completion, timers in
// virtual time, overflow recorded as a fault, a faulting object restarted.
import type { SelfCheck } from '../selftest/selftest.ts';
import { Kernel } from './kernel.ts';
import { Active } from './active.ts';
import type { State } from './active.ts';
import { TimeEvt } from './timer.ts';
import type { Evt } from './event.ts';
import { VirtualClock } from './virtual-clock.ts';

class Recorder extends Active {
  log: string[];
  timer: TimeEvt | null = null;
  constructor(name: string, prio: number, depth: number, log: string[]) {
    super(name, prio, depth, RECORDING);
    this.log = log;
  }
}

const RECORDING: State<Recorder> = {
  name: 'RECORDING',
  on: function (me: Recorder, e: Evt) {
    if (e.sig === 'ENTRY' || e.sig === 'EXIT') return;
    if (e.sig === 'BOOM') throw new Error('boom');
    me.log.push(me.name + ':' + e.sig + '@' + me.kernel!.now());
  },
};

function setup(depth: number): { k: Kernel; c: VirtualClock; lo: Recorder; hi: Recorder; log: string[] } {
  const c = new VirtualClock(0);
  const k = new Kernel(c);
  const log: string[] = [];
  const lo = new Recorder('lo', 1, depth, log);
  const hi = new Recorder('hi', 2, depth, log);
  k.add(lo);
  k.add(hi);
  k.start();
  c.runUntilIdle();
  return { k: k, c: c, lo: lo, hi: hi, log: log };
}

export function kernelChecks(): SelfCheck[] {
  return [
    {
      name: 'kernel: higher priority first, FIFO within an object',
      run: function () {
        const s = setup(4);
        s.lo.post({ sig: 'A' });
        s.lo.post({ sig: 'B' });
        s.hi.post({ sig: 'C' });
        s.c.runUntilIdle();
        const got = s.log.join(',');
        return got === 'hi:C@0,lo:A@0,lo:B@0' ? null : 'order ' + got;
      },
    },
    {
      name: 'kernel: one-shot and periodic time events in virtual time',
      run: function () {
        const s = setup(4);
        const once = new TimeEvt(s.lo, 'ONCE');
        const tick = new TimeEvt(s.hi, 'TICK');
        once.arm(250);
        tick.arm(100, 100);
        s.c.runUntil(300);
        tick.disarm();
        s.c.runUntilIdle();
        const got = s.log.join(',');
        return got === 'hi:TICK@100,hi:TICK@200,lo:ONCE@250,hi:TICK@300' ? null : 'got ' + got;
      },
    },
    {
      name: 'kernel: queue overflow is a recorded fault',
      run: function () {
        const s = setup(2);
        const ok = [s.lo.post({ sig: 'A' }), s.lo.post({ sig: 'B' }), s.lo.post({ sig: 'C' })];
        if (ok[0] !== true || ok[1] !== true || ok[2] !== false) return 'post results ' + ok.join(',');
        if (s.k.faults.length !== 1) return s.k.faults.length + ' faults recorded';
        return s.k.faults[0].what.indexOf('queue overflow') === 0 ? null : 'fault ' + s.k.faults[0].what;
      },
    },
    {
      name: 'kernel: a throwing handler is a fault; the object restarts and runs on',
      run: function () {
        const s = setup(4);
        s.lo.post({ sig: 'BOOM' });
        s.lo.post({ sig: 'AFTER' });
        s.c.runUntilIdle();
        if (s.k.faults.length !== 1 || s.k.faults[0].what !== 'boom') return 'faults ' + s.k.faults.length;
        s.lo.post({ sig: 'LATER' });
        s.c.runUntilIdle();
        // The restart drops what was queued at the fault (AFTER), then the object works again.
        return s.log.join(',') === 'lo:LATER@0' ? null : 'log ' + s.log.join(',');
      },
    },
  ];
}
