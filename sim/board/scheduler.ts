// What simulated devices need from time: the virtual clock in tests and scripted runs, the real
// clock with --realtime. Both VirtualClock and RealClock satisfy it.
export interface SimScheduler {
  now(): number;
  at(t: number, cb: () => void): unknown;
}
