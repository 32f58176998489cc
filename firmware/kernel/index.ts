// The kernel's public face: import from here.
export { Kernel } from './kernel.ts';
export type { Fault, FaultPolicy, KernelOptions } from './kernel.ts';
export { Active, SUPER } from './active.ts';
export type { State, Handled } from './active.ts';
export { TimeEvt } from './timer.ts';
export { ENTRY, EXIT } from './event.ts';
export type { Evt } from './event.ts';
export { TraceRing, fmtTime } from './trace.ts';
