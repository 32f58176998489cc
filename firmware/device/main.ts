// Entry of the device bundle (dist/faxvault.device.js). The bundle defines the global `faxvault`:
//   faxvault.selftest()  runs every known-answer check (kernel, codec, crypto…) and prints
//                        `N passed, N failed`; returns the report.
//   faxvault.version     the firmware version.
// On an Espruino board, hal/espruino's boot code calls start() from onInit.
import { allChecks } from '../selftest/registry.ts';
import { runSelfTest } from '../selftest/selftest.ts';
import type { SelfTestReport } from '../selftest/selftest.ts';

declare const print: ((s: string) => void) | undefined;
declare const console: { log: (s: string) => void } | undefined;

function out(line: string): void {
  if (typeof print === 'function') print(line);
  else if (typeof console !== 'undefined') console.log(line);
}

export const version = '0.1.0';

export function selftest(): SelfTestReport {
  return runSelfTest(allChecks(), out);
}
