// The appliance's settings: what they are, their defaults, and their validation. Each concern
// owns its section's schema; this file puts them together.
import type { Schema } from './schema.ts';
import { check } from './schema.ts';
import { BOXES_SCHEMA } from '../mailbox/schema.ts';
import { checkBoxes } from '../mailbox/check.ts';
import { SPEED_DIAL_SCHEMA } from '../panel/speed-dial.ts';
import { JOBS_SCHEMA } from '../jobs/schema.ts';
import { LAN_SCHEMA } from '../lan/settings.ts';
import { HTTP_SCHEMA } from '../admin/settings.ts';
import { MAIL_SCHEMA, checkMail } from '../mail/settings.ts';
import type { MailSettings } from '../mail/settings.ts';

export interface StationSettings {
  /** T.30 identity (TSI/CSI): up to 20 characters of digits, space and '+' (T.30 §5.3.6.2.4). */
  ident: string;
  /** Name printed on reports and shown on the panel. */
  name: string;
  /** The appliance's own fax number. */
  number: string;
}

export interface FaxSettings {
  ringsBeforeAnswer: number;
  ecm: boolean;
  maxRate: number;
  /** Unknown SUB on an incoming call: treat as an ordinary reception, or refuse the call. */
  unknownSub: 'ordinary' | 'refuse';
}

export interface PanelSettings {
  /** Minutes east of UTC for the clock shown and printed. */
  utcOffsetMinutes: number;
  /**
   * Administrator pass code for the settings menu, as written in a settings file (digits). It is
   * hashed at boot (adminHash, adminSalt) and never kept in clear; '' afterwards.
   */
  adminCode?: string;
  /** The administrator code's secret record (auth/passcode.ts). */
  adminHash: string;
  adminSalt: string;
  adminIter: number;
  adminV: number;
  /** Still the factory code 0000: the panel only lets it choose a new one (auth/admin.ts). */
  adminFactory: boolean;
  /** What the confidential reception list prints: box and count only (default), or senders too. */
  receptionList: 'count' | 'senders';
}

export interface Settings {
  station: StationSettings;
  fax: FaxSettings;
  panel: PanelSettings;
  /** Sections owned by other concerns (boxes, lan, mail…) are added to SECTIONS. */
  [section: string]: unknown;
}

const DIGITS = /^[0-9]+$/;

export const SECTIONS: { [name: string]: Schema } = {
  boxes: BOXES_SCHEMA,
  speedDial: SPEED_DIAL_SCHEMA,
  jobs: JOBS_SCHEMA,
  lan: LAN_SCHEMA,
  http: HTTP_SCHEMA,
  mail: MAIL_SCHEMA,
  station: {
    type: 'object',
    fields: {
      ident: { type: 'string', max: 20, pattern: /^[0-9 +]*$/, patternText: 'digits, spaces and + only (T.30 identity)', def: '' },
      name: { type: 'string', max: 40, def: 'faxvault' },
      number: { type: 'string', max: 20, pattern: /^[0-9+]*$/, patternText: 'digits and + only', def: '' },
    },
  },
  fax: {
    type: 'object',
    fields: {
      ringsBeforeAnswer: { type: 'int', min: 1, max: 9, def: 2 },
      ecm: { type: 'bool', def: true },
      maxRate: { type: 'int', min: 2400, max: 14400, def: 14400 },
      unknownSub: { type: 'enum', values: ['ordinary', 'refuse'], def: 'ordinary' },
    },
  },
  panel: {
    type: 'object',
    optional: ['adminCode'],
    fields: {
      utcOffsetMinutes: { type: 'int', min: -720, max: 840, def: 0 },
      adminCode: { type: 'string', min: 4, max: 12, pattern: DIGITS, patternText: 'digits only' },
      adminHash: { type: 'string', max: 64, pattern: /^([0-9a-f][0-9a-f])*$/, patternText: 'hex', def: '' },
      adminSalt: { type: 'string', max: 64, pattern: /^([0-9a-f][0-9a-f])*$/, patternText: 'hex', def: '' },
      adminIter: { type: 'int', min: 1, max: 100000, def: 16 },
      adminV: { type: 'int', min: 0, max: 1, def: 0 },
      adminFactory: { type: 'bool', def: false },
      receptionList: { type: 'enum', values: ['count', 'senders'], def: 'count' },
    },
  },
};

export function settingsSchema(): Schema {
  return { type: 'object', fields: SECTIONS };
}

export interface SettingsResult {
  settings: Settings | null;
  errors: string[];
}

/** Validate parsed JSON settings; unknown fields and bad values are errors naming the field. */
export function validateSettings(json: unknown): SettingsResult {
  const errors: string[] = [];
  const s = check(settingsSchema(), json, '', errors) as Settings;
  if (s && typeof s === 'object' && s.fax && [2400, 4800, 7200, 9600, 12000, 14400].indexOf(s.fax.maxRate) < 0) {
    errors.push('fax.maxRate: must be one of 2400, 4800, 7200, 9600, 12000, 14400 (got ' + s.fax.maxRate + ')');
  }
  if (s && typeof s === 'object') checkBoxes(s, errors);
  if (s && typeof s === 'object') checkMail(s.mail as MailSettings | undefined, errors);
  return { settings: errors.length ? null : s, errors: errors };
}

export function defaultSettings(): Settings {
  return validateSettings({}).settings as Settings;
}
