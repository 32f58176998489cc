// The periodic look of a module's gate (mail-gate.ts, lan-gate.ts) at the engine it loaded: an
// engine idle at two looks in a row is let go (one idle moment between two pieces of work, such
// as a notice and the document that follows it, does not unload and reload the module).
export interface Gate {
  engine: { idle(): boolean } | null;
  idleOnce: boolean;
  drop(): void;
}

/** True when the engine is gone (dropped now, or not there): the gate goes dormant. */
export function lookAtEngine(g: Gate): boolean {
  const eng = g.engine;
  if (!eng) return true;
  if (!eng.idle()) {
    g.idleOnce = false;
    return false;
  }
  if (!g.idleOnce) {
    g.idleOnce = true;
    return false;
  }
  g.drop();
  return true;
}
