// The appliance's settings as every concern sees them: the Settings object and the sections
// below every concern (station, fax, panel). Each concern keeps its own section's schema and
// checks in its folder (station's is here); firmware/app/settings.ts puts them together and
// validates, so the layering stays one way (config below fax, mailbox, panel…; docs/LAYERING.md).
import type { Schema } from './schema.ts';

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
  /** Print a transmission report after a send: always, only on error, never. */
  txReport: 'always' | 'error' | 'never';
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
  /** Sections owned by other concerns (boxes, lan, mail…): composed in firmware/app/settings.ts. */
  [section: string]: unknown;
}

export interface SettingsResult {
  settings: Settings | null;
  errors: string[];
}

/** A concern's checks across fields, after its schema: push `path: message` for each problem. */
export type SettingsCheck = (settings: Settings, errors: string[]) => void;

/** The station section: who the appliance is. */
export function stationSchema(): Schema {
  return {
    type: 'object',
    fields: {
      ident: { type: 'string', max: 20, pattern: /^[0-9 +]*$/, patternText: 'digits, spaces and + only (T.30 identity)', def: '' },
      name: { type: 'string', max: 40, def: 'faxvault' },
      number: { type: 'string', max: 20, pattern: /^[0-9+]*$/, patternText: 'digits and + only', def: '' },
    },
  };
}
