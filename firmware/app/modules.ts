// Modules loaded on demand: code the appliance needs only now and then (the self-test, the mail
// stack's parts) is reached through here, never imported directly, so that the device build can keep it
// out of memory until it is used (docs/ESPRUINO.md, "Modules loaded on demand").
//
// This file is the host's registry (Node: the simulator, the tests): the modules are ordinary
// imports, and loading one only counts the hold, so that a test can see each hold released. The
// device build replaces this file by modules-device.ts (build/lazy-modules.mjs), where loading
// evaluates the module's code from flash and the last release frees it.
import * as selftest from './selftest-module.ts';
import * as mail from './mail-module.ts';
import * as mailcheck from './mailcheck-module.ts';
import * as faxmail from './faxmail-module.ts';
import * as lan from './lan-module.ts';
import * as lanjobs from './lan-jobs-module.ts';
import * as tiff from './tiff-module.ts';
import * as panel from './panel-module.ts';
import * as print from './print-module.ts';
import * as send from './send-module.ts';
import type { ModuleName, Modules } from './module-types.ts';

const REGISTRY: Modules = { selftest: selftest, mail: mail, mailcheck: mailcheck, faxmail: faxmail, lan: lan, lanjobs: lanjobs, tiff: tiff, panel: panel, print: print, send: send };
const held: { [name: string]: number } = {};

/** The module's exports; hold it until releaseModule(name). */
export function loadModule<K extends ModuleName>(name: K): Modules[K] {
  held[name] = (held[name] || 0) + 1;
  return REGISTRY[name];
}

/** Lets go of a module loaded with loadModule(); its code may be freed. */
export function releaseModule(name: ModuleName): void {
  if (!held[name]) throw new Error('module ' + name + ' released more often than loaded');
  held[name]--;
}

/** Holds not yet released (tests check a module is let go of when its work is done). */
export function moduleHolds(name: ModuleName): number {
  return held[name] || 0;
}
