// The appliance's settings put together: every concern's section with its schema and checks,
// validated as one object (unknown fields and bad values are errors naming the field). The
// composition lives here, above every concern, so no concern imports another's settings to
// validate its own (docs/LAYERING.md).
import type { Schema } from '../config/schema.ts';
import { check } from '../config/schema.ts';
import type { Settings, SettingsCheck, SettingsResult } from '../config/settings.ts';
import { stationSchema } from '../config/settings.ts';
import { faxSchema, checkFax } from '../fax/settings.ts';
import { boxesSchema } from '../mailbox/schema.ts';
import { checkBoxes } from '../mailbox/check.ts';
import { jobsSchema } from '../jobs/schema.ts';
import { lanSchema } from '../lan/settings.ts';
import { httpSchema } from '../admin/settings.ts';
import { mailSchema, checkMail } from '../mail/settings.ts';
import type { MailSettings } from '../mail/settings.ts';
import { ordinarySchema, checkOrdinary } from '../faxmail/schema.ts';
import type { OrdinarySettings } from '../faxmail/schema.ts';
import { speedDialSchema } from '../panel/speed-dial.ts';
import { panelSchema } from '../panel/settings.ts';

export type { Settings, SettingsResult } from '../config/settings.ts';

/**
 * Every section's schema, built when settings are validated (boot, a change) and let go after:
 * as constants they held ~730 interpreter variables for the whole time the board runs.
 */
export function sections(): { [name: string]: Schema } {
  return {
    boxes: boxesSchema(),
    speedDial: speedDialSchema(),
    jobs: jobsSchema(),
    lan: lanSchema(),
    http: httpSchema(),
    mail: mailSchema(),
    ordinary: ordinarySchema(),
    station: stationSchema(),
    fax: faxSchema(),
    panel: panelSchema(),
  };
}

/** Checks across fields, each from its concern, run after the schema. */
const CHECKS: SettingsCheck[] = [
  checkFax,
  checkBoxes,
  function (s: Settings, errors: string[]) {
    checkMail(s.mail as MailSettings | undefined, errors);
  },
  function (s: Settings, errors: string[]) {
    checkOrdinary(s.ordinary as OrdinarySettings | undefined, s.mail ? (s.mail as MailSettings).address : '', errors);
  },
];

export function settingsSchema(): Schema {
  return { type: 'object', fields: sections() };
}

/** Validate parsed JSON settings; unknown fields and bad values are errors naming the field. */
export function validateSettings(json: unknown): SettingsResult {
  const errors: string[] = [];
  const s = check(settingsSchema(), json, '', errors) as Settings;
  if (s && typeof s === 'object') for (let i = 0; i < CHECKS.length; i++) CHECKS[i](s, errors);
  return { settings: errors.length ? null : s, errors: errors };
}

export function defaultSettings(): Settings {
  return validateSettings({}).settings as Settings;
}
