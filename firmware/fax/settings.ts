// The fax section of the settings: how the line side answers and what it offers (T.30 DIS).
// Composed with the other sections in firmware/app/settings.ts.
import type { Schema } from '../config/schema.ts';
import { describe } from '../config/schema.ts';
import type { Settings } from '../config/settings.ts';

export function faxSchema(): Schema {
  return {
    type: 'object',
    fields: {
      ringsBeforeAnswer: { type: 'int', min: 1, max: 9, def: 2 },
      ecm: { type: 'bool', def: true },
      maxRate: { type: 'int', min: 2400, max: 14400, def: 14400 },
      unknownSub: { type: 'enum', values: ['ordinary', 'refuse'], def: 'ordinary' },
      // A transmission report after a send, as office machines print one: always, only when the
      // send failed (the default), or never.
      txReport: { type: 'enum', values: ['always', 'error', 'never'], def: 'error' },
    },
  };
}

/** The signalling rates a T.30 DCS can name (V.27ter 2400/4800, V.29 7200/9600, V.17 up to 14400). */
const RATES = [2400, 4800, 7200, 9600, 12000, 14400];

export function checkFax(s: Settings, errors: string[]): void {
  // Any JSON value can reach here (the schema's errors are collected beside it): described as
  // the schema does, never converted to text (an object need not convert).
  if (s.fax && RATES.indexOf(s.fax.maxRate) < 0) errors.push('fax.maxRate: must be one of ' + RATES.join(', ') + ' (got ' + describe(s.fax.maxRate) + ')');
}
