// The self-test as a module loaded on demand (firmware/app/modules.ts): every known-answer
// check, evaluated when faxvault.selftest() runs and freed after it. Kept resident, its functions
// would cost ~1,300 of an ESP32's 16,383 variables for as long as the appliance runs
// (docs/ESPRUINO.md, "Modules loaded on demand").
import { allChecks } from './all-checks.ts';
import { runSelfTest } from '../selftest/selftest.ts';
import type { SelfTestReport } from '../selftest/selftest.ts';

/** Runs the checks whose name starts with `prefix` (all without one), printing through `out`. */
export function run(prefix: string | undefined, out: (line: string) => void): SelfTestReport {
  const all = allChecks();
  const chosen = [];
  for (let i = 0; i < all.length; i++) if (!prefix || all[i].name.indexOf(prefix) === 0) chosen.push(all[i]);
  return runSelfTest(chosen, out);
}
