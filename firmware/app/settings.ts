// The appliance's settings put together: every concern's section with its schema and checks,
// validated as one object (unknown fields and bad values are errors naming the field). The
// composition lives here, above every concern, so no concern imports another's settings to
// validate its own (docs/LAYERING.md).
import type { Schema } from '../config/schema.ts';
import { check } from '../config/schema.ts';
import type { Settings, SettingsCheck, SettingsResult } from '../config/settings.ts';
import { STATION_SCHEMA } from '../config/settings.ts';
import { FAX_SCHEMA, checkFax } from '../fax/settings.ts';
import { BOXES_SCHEMA } from '../mailbox/schema.ts';
import { checkBoxes } from '../mailbox/check.ts';
import { JOBS_SCHEMA } from '../jobs/schema.ts';
import { LAN_SCHEMA } from '../lan/settings.ts';
import { HTTP_SCHEMA } from '../admin/settings.ts';
import { MAIL_SCHEMA, checkMail } from '../mail/settings.ts';
import type { MailSettings } from '../mail/settings.ts';
import { ORDINARY_SCHEMA, checkOrdinary } from '../faxmail/schema.ts';
import type { OrdinarySettings } from '../faxmail/schema.ts';
import { SPEED_DIAL_SCHEMA } from '../panel/speed-dial.ts';
import { PANEL_SCHEMA } from '../panel/settings.ts';

export type { Settings, SettingsResult } from '../config/settings.ts';

export const SECTIONS: { [name: string]: Schema } = {
  boxes: BOXES_SCHEMA,
  speedDial: SPEED_DIAL_SCHEMA,
  jobs: JOBS_SCHEMA,
  lan: LAN_SCHEMA,
  http: HTTP_SCHEMA,
  mail: MAIL_SCHEMA,
  ordinary: ORDINARY_SCHEMA,
  station: STATION_SCHEMA,
  fax: FAX_SCHEMA,
  panel: PANEL_SCHEMA,
};

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
  return { type: 'object', fields: SECTIONS };
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
