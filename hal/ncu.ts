// Network control unit: the line relay (on/off hook) and the ring detector.

export interface Ncu {
  /** Take the line (true) or release it (false). */
  setOffHook(off: boolean): void;
  isOffHook(): boolean;
  /** Loop current present (a line is connected). */
  lineCurrent(): boolean;
  /** Called once per ring burst detected while on hook. */
  onRing: (() => void) | null;
}
