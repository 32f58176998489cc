// The `boxes` section of the settings: one entry per confidential box. The pass code and the
// T.30 SID password are two secret records, each with its own salt (auth/passcode.ts); a
// settings file written by hand may give them in clear as `code` / `sid`, which prepareBoxes()
// hashes at load and drops. T.30 names: SID is the password a sender gives with DCS (what office
// machines call the confidential box password); PWD is the polling password (sent with DTC),
// which the appliance does not offer. `pwd` and `pwdHash` are read as the older names of
// `sid` and `sidHash`.
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
  /** The pass code's record (auth/passcode.ts); codeHash '' = no code set: the box cannot be opened. */
  codeHash: string;
  codeSalt: string;
  codeIter: number;
  codeV: number;
  /** Set from a settings file with fewer than 6 digits: accepted, flagged on the settings list. */
  codeShort: boolean;
  /** The T.30 SID password senders must give with DCS, its own record; sidHash '' = none required. */
  sidHash: string;
  sidSalt: string;
  sidIter: number;
  sidV: number;
  /** Older name of sidHash (salted with codeSalt); moved to sid* at load. */
  pwdHash?: string;
  /** all: the whole document is encrypted for delivery; text: only its text part (sender, time). */
  protection: 'all' | 'text';
  delivery: DeliveryPolicy;
  /** In a settings file only: the pass code / password in clear, hashed at load. */
  code?: string;
  sid?: string;
  /** Older name of `sid`. */
  pwd?: string;
}

const DIGITS = /^[0-9]+$/;
// No quantified groups: the interpreter's RegExp fails every string against them (docs/ESPRUINO.md).
const HEX = /^[0-9a-f]*$/;

export function boxSchema(): Schema {
  return {
    type: 'object',
    optional: ['code', 'sid', 'pwd', 'pwdHash'],
    fields: {
      number: { type: 'string', min: 1, max: 20, pattern: DIGITS, patternText: 'digits only (the T.30 subaddress)' },
      owner: { type: 'string', max: 80, def: '' },
      address: { type: 'string', max: 80, pattern: /^$|^[^ :]+:[0-9]+$/, patternText: 'host:port', def: '' },
      codeHash: { type: 'string', max: 64, pattern: HEX, patternText: 'hex', def: '' },
      codeSalt: { type: 'string', max: 64, pattern: HEX, patternText: 'hex', def: '' },
      codeIter: { type: 'int', min: 1, max: 100000, def: 16 },
      codeV: { type: 'int', min: 0, max: 1, def: 0 },
      codeShort: { type: 'bool', def: false },
      sidHash: { type: 'string', max: 64, pattern: HEX, patternText: 'hex', def: '' },
      sidSalt: { type: 'string', max: 64, pattern: HEX, patternText: 'hex', def: '' },
      sidIter: { type: 'int', min: 1, max: 100000, def: 16 },
      sidV: { type: 'int', min: 0, max: 1, def: 0 },
      pwdHash: { type: 'string', max: 64, pattern: HEX, patternText: 'hex' },
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
      code: { type: 'string', min: 4, max: 12, pattern: DIGITS, patternText: '4 to 12 digits (6 or more recommended)' },
      sid: { type: 'string', max: 20 },
      pwd: { type: 'string', max: 20 },
    },
  };
}

/** The settings section: at most 50 boxes. */
export function boxesSchema(): Schema {
  return { type: 'array', of: boxSchema(), max: 50 };
}
