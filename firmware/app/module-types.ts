// The modules loaded on demand and their exports (types only: importing this file loads nothing).
// Each name is an entry of the device build (rollup.config.mjs, DEVICE_MODULES).
import type * as SelfTestModule from './selftest-module.ts';
import type * as MailModule from './mail-module.ts';
import type * as MailCheckModule from './mailcheck-module.ts';
import type * as FaxMailModule from './faxmail-module.ts';
import type * as LanModule from './lan-module.ts';
import type * as LanJobsModule from './lan-jobs-module.ts';
import type * as TiffModule from './tiff-module.ts';
import type * as PanelModule from './panel-module.ts';
import type * as PrintModule from './print-module.ts';
import type * as SendModule from './send-module.ts';

export interface Modules {
  selftest: typeof SelfTestModule;
  mail: typeof MailModule;
  mailcheck: typeof MailCheckModule;
  faxmail: typeof FaxMailModule;
  lan: typeof LanModule;
  lanjobs: typeof LanJobsModule;
  tiff: typeof TiffModule;
  panel: typeof PanelModule;
  print: typeof PrintModule;
  send: typeof SendModule;
}

export type ModuleName = keyof Modules;
