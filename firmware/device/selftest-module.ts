// Entry of the self-test module (dist/faxvault-selftest.js, Storage file faxvault-st.js): every
// known-answer check, built apart from the bundle so that a board carries it in flash only and
// evaluates it when faxvault.selftest() runs; the module is dropped when the run is over. Kept
// in the bundle, its functions cost ~1,300 of an ESP32's 16,383 variables for as long as the
// appliance runs (docs/ESPRUINO.md, "Memory budget"). The build wraps it as one expression: its
// value, when evaluated, is this module's exports.
import { allChecks } from '../app/all-checks.ts';
import { runSelfTest } from '../selftest/selftest.ts';
import type { SelfTestReport } from '../selftest/selftest.ts';

/** Runs the checks whose name starts with `prefix` (all without one), printing through `out`. */
export function run(prefix: string | undefined, out: (line: string) => void): SelfTestReport {
  const all = allChecks();
  const chosen = [];
  for (let i = 0; i < all.length; i++) if (!prefix || all[i].name.indexOf(prefix) === 0) chosen.push(all[i]);
  return runSelfTest(chosen, out);
}
