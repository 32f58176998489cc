// The panel section of the settings: the clock shown, the administrator code's record (its
// checks are auth's: auth/admin.ts) and what the confidential reception list prints. Composed
// with the other sections in firmware/app/settings.ts.
import type { Schema } from '../config/schema.ts';

const DIGITS = /^[0-9]+$/;

export function panelSchema(): Schema {
  return {
    type: 'object',
    optional: ['adminCode'],
    fields: {
      utcOffsetMinutes: { type: 'int', min: -720, max: 840, def: 0 },
      adminCode: { type: 'string', min: 4, max: 12, pattern: DIGITS, patternText: 'digits only' },
      adminHash: { type: 'string', max: 64, pattern: /^[0-9a-f]*$/, patternText: 'hex', def: '' },
      adminSalt: { type: 'string', max: 64, pattern: /^[0-9a-f]*$/, patternText: 'hex', def: '' },
      adminIter: { type: 'int', min: 1, max: 100000, def: 16 },
      adminV: { type: 'int', min: 0, max: 1, def: 0 },
      adminFactory: { type: 'bool', def: false },
      receptionList: { type: 'enum', values: ['count', 'senders'], def: 'count' },
    },
  };
}
