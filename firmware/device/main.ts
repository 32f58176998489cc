// Entry of the device bundle (dist/faxvault.device.js). The bundle defines the global `faxvault`:
//   faxvault.selftest()  runs every known-answer check (selftest('t4'): only those named t4…) (kernel, codec, crypto…) and prints
//                        `N passed, N failed`; returns the report. The checks are a module of
//                        their own in Storage (faxvault-st.js), loaded for the run only.
//   faxvault.version     the firmware version.
//   faxvault.start()     boots the appliance on the board (called from onInit after flashing).
//   faxvault.provisionKey(identity, epoch, shareHex)  stores the appliance's FAXNIKS key in the
//                        flash store (`faxvault flash --key FILE` sends this call); it takes
//                        effect at the next boot (the LAN service starts only with a key).
import type { SelfTestReport } from '../selftest/selftest.ts';

declare const print: ((s: string) => void) | undefined;
declare const console: { log: (s: string) => void } | undefined;
declare const require: ((name: string) => { read(file: string): string | undefined }) | undefined;

function out(line: string): void {
  if (typeof print === 'function') print(line);
  else if (typeof console !== 'undefined') console.log(line);
}

export const version = '0.1.0';

/** Storage file of the self-test module (firmware/device/selftest-module.ts; faxvault flash writes it). */
export const SELFTEST_FILE = 'faxvault-st.js';

interface SelfTestModule {
  run(prefix: string | undefined, out: (line: string) => void): SelfTestReport;
}

/**
 * Runs the checks (only those whose name starts with `prefix`, e.g. 't4', when given): the
 * self-test module is read from Storage, evaluated, run, and dropped (its variables are freed
 * when this returns).
 */
export function selftest(prefix?: string): SelfTestReport {
  const text = typeof require === 'function' ? require('Storage').read(SELFTEST_FILE) : undefined;
  if (typeof text !== 'string') {
    const why = 'no self-test module in Storage (' + SELFTEST_FILE + '; faxvault flash writes it)';
    out(why);
    return { passed: 0, failed: 1, lines: [why] };
  }
  // Indirect eval: the module is one expression whose value is its exports, and it sees only
  // globals (a direct eval would also stop the minifier renaming anything in this scope).
  const mod = (0, eval)(text) as SelfTestModule;
  return mod.run(prefix, out);
}

// The board drivers live in hal/espruino; only start() reaches them, so the self-test runs in
// any JavaScript engine.
import { createEspruinoBoard } from '../../hal/espruino/board.ts';
import { ESP32_APPLIANCE } from '../../hal/espruino/pins.ts';
import { createAppliance, startAppliance } from '../app/appliance.ts';
import type { Appliance } from '../app/appliance.ts';
import { defaultSettings } from '../app/settings.ts';
import { provisionKey as storeKey } from '../delivery/keys.ts';
import { fromHex } from '../crypto/bytes.ts';

let running: Appliance | null = null;

export function start(): Appliance {
  if (running) return running;
  running = createAppliance(createEspruinoBoard(ESP32_APPLIANCE), defaultSettings());
  startAppliance(running);
  return running;
}

/** Stores the appliance's POLY key in the flash store (never printed, never sent anywhere). */
export function provisionKey(identity: string, epoch: number, shareHex: string): boolean {
  const app = start();
  const ok = storeKey(app.store, identity, epoch, fromHex(shareHex));
  out(ok ? 'key for ' + identity + ' (epoch ' + epoch + ') stored; restart the board to start the LAN service' : 'the store refused the key (full?)');
  return ok;
}
