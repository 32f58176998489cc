// Kernel costs on this machine: event dispatch rate and how long an hour of virtual time with a
// 1-second ticker (the idle screen) takes in wall time — the speed-up of the virtual clock.
import { performance } from 'node:perf_hooks';
import { Kernel, Active, TimeEvt } from '../firmware/kernel/index.ts';
import type { State } from '../firmware/kernel/index.ts';
import { VirtualClock } from '../firmware/kernel/virtual-clock.ts';

class Counter extends Active {
  n = 0;
}
const COUNTING: State<Counter> = {
  name: 'COUNTING',
  on(me, e) {
    if (e.sig !== 'ENTRY' && e.sig !== 'EXIT') me.n++;
  },
};

export default async function run(): Promise<void> {
  const clock = new VirtualClock(0);
  const k = new Kernel(clock, { sliceEvents: 64 });
  const a = new Counter('a', 1, 64, COUNTING);
  k.add(a);
  k.start();
  const N = 200000;
  const t0 = performance.now();
  for (let i = 0; i < N; i += 32) {
    for (let j = 0; j < 32; j++) a.post({ sig: 'E' });
    clock.runUntilIdle();
  }
  const dt = performance.now() - t0;
  console.log(`kernel dispatch: ${Math.round((N / dt) * 1000)} events/s (${((dt * 1000) / N).toFixed(2)} µs per post+dispatch)`);
  const tick = new TimeEvt(a, 'TICK');
  tick.arm(1000, 1000);
  const t1 = performance.now();
  clock.runUntil(clock.now() + 3600 * 1000);
  const wall = performance.now() - t1;
  console.log(`virtual hour with a 1 s ticker: ${wall.toFixed(1)} ms of wall time (speed-up ×${Math.round(3600000 / wall)})`);
}
