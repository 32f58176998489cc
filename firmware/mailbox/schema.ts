// The `boxes` section of the settings: one entry per confidential box. Pass codes and T.30
// passwords are kept salted and hashed (passcode.ts); a settings file written by hand may give
// them in clear as `code` / `pwd`, which prepareBoxes() hashes at load and drops.
import type { Schema } from '../config/schema.ts';

export interface DeliveryPolicy {
  /** request: the owner asks for it; each: after every reception; count: after `count`
   *  receptions; time: every day at `time` (HH:MM local). */
  mode: 'request' | 'each' | 'count' | 'time';
  count: number;
  time: string;
  /** After the owner acknowledged a delivered document: keep it (marked delivered) or delete it. */
  after: 'keep' | 'delete';
}

export interface BoxSettings {
  /** Box number = the T.30 subaddress (SUB) senders dial after the fax number. */
  number: string;
  /** Who gets the document: an e-mail address or a LAN host (used by delivery). */
  owner: string;
  /** Where the owner's computer listens for notices (LAN delivery): host:port; '' = the owner's
   *  host:/ip4: identity at the client's default port (docs/LAN-PROTOCOL.md §5). */
  address: string;
  /** PBKDF2-HMAC-SHA256 of the pass code, hex ('' = no code set: the box cannot be opened). */
  codeHash: string;
  codeSalt: string;
  codeIter: number;
  /** Hash of the T.30 password (PWD) senders must give, with codeSalt; '' = none required. */
  pwdHash: string;
  /** all: the whole document is encrypted for delivery; text: only its text part (sender, time). */
  protection: 'all' | 'text';
  delivery: DeliveryPolicy;
  /** In a settings file only: the pass code / password in clear, hashed at load. */
  code?: string;
  pwd?: string;
}

const DIGITS = /^[0-9]+$/;
const HEX = /^([0-9a-f][0-9a-f])*$/;

export const BOX_SCHEMA: Schema = {
  type: 'object',
  optional: ['code', 'pwd'],
  fields: {
    number: { type: 'string', min: 1, max: 20, pattern: DIGITS, patternText: 'digits only (the T.30 subaddress)' },
    owner: { type: 'string', max: 80, def: '' },
    address: { type: 'string', max: 80, pattern: /^([^ :]+:[0-9]+)?$/, patternText: 'host:port', def: '' },
    codeHash: { type: 'string', max: 64, pattern: HEX, patternText: 'hex', def: '' },
    codeSalt: { type: 'string', max: 64, pattern: HEX, patternText: 'hex', def: '' },
    codeIter: { type: 'int', min: 1, max: 100000, def: 16 },
    pwdHash: { type: 'string', max: 64, pattern: HEX, patternText: 'hex', def: '' },
    protection: { type: 'enum', values: ['all', 'text'], def: 'all' },
    delivery: {
      type: 'object',
      fields: {
        mode: { type: 'enum', values: ['request', 'each', 'count', 'time'], def: 'request' },
        count: { type: 'int', min: 1, max: 99, def: 1 },
        time: { type: 'string', pattern: /^([01][0-9]|2[0-3]):[0-5][0-9]$/, patternText: 'HH:MM', def: '08:00' },
        after: { type: 'enum', values: ['keep', 'delete'], def: 'keep' },
      },
    },
    code: { type: 'string', min: 4, max: 8, pattern: DIGITS, patternText: '4 to 8 digits' },
    pwd: { type: 'string', max: 20 },
  },
};

/** The settings section: at most 50 boxes. */
export const BOXES_SCHEMA: Schema = { type: 'array', of: BOX_SCHEMA, max: 50 };
