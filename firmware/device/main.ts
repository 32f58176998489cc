// Entry of the device bundle (dist/faxvault.device.js). The bundle defines the global `faxvault`:
//   faxvault.selftest()  runs every known-answer check (selftest('t4'): only those named t4…) (kernel, codec, crypto…) and prints
//                        `N passed, N failed`; returns the report. The checks are a module
//                        loaded on demand, evaluated for the run only.
//   faxvault.version     the firmware version.
//   faxvault.start()     boots the appliance on the board (called from onInit after flashing).
//   faxvault.provisionKey(identity, epoch, shareHex)  stores the appliance's FAXNIKS key in the
//                        flash store (`faxvault flash --key FILE` sends this call); it takes
//                        effect at the next boot (the LAN service starts only with a key).
import type { SelfTestReport } from '../selftest/selftest.ts';
import { loadModule, releaseModule } from '../app/modules.ts';

declare const print: ((s: string) => void) | undefined;
declare const console: { log: (s: string) => void } | undefined;

function out(line: string): void {
  if (typeof print === 'function') print(line);
  else if (typeof console !== 'undefined') console.log(line);
}

export const version = '0.1.0';

/**
 * Runs the checks (only those whose name starts with `prefix`, e.g. 't4', when given). The checks
 * are a module loaded on demand (firmware/app/modules.ts): on the board their code is evaluated
 * from flash for the run and freed when it returns.
 */
export function selftest(prefix?: string): SelfTestReport {
  const mod = loadModule('selftest');
  try {
    return mod.run(prefix, out);
  } finally {
    releaseModule('selftest');
  }
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
