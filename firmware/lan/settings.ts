// The `lan` section of the settings (docs/LAN-PROTOCOL.md §7).
import type { Schema } from '../config/schema.ts';

export interface LanSettings {
  /** TCP port the appliance listens on for owners' requests; 0 = no LAN service. */
  listen: number;
  /** Port of an owner's computer when its box gives no `address` (`faxvault client listen`'s default). */
  clientPort: number;
  /** Connections served at once; one more is refused with ERROR busy. */
  maxConnections: number;
  /** A connection must complete its HELLO within this many seconds (slow-loris bound). */
  helloSeconds: number;
  /** A connection with no complete request for this long is closed (¶0062: the server returns). */
  idleSeconds: number;
  /** Plaintext bytes per envelope segment; one segment is sealed per kernel dispatch. */
  segmentBytes: number;
  /** FAXNIKS identities that may queue faxes (docs/FAX-SERVER.md §3); empty: the box owners. */
  senders: string[];
  /** Identities that may read the journal and every job over the LAN; empty: nobody. */
  admins: string[];
}

/**
 * The store setting that holds job results waiting for their LAN senders (result-push.ts). Here,
 * in the resident part, because the LAN gate reads it at boot without loading the LAN module.
 */
export const RESULTS_SETTING = 'lan.results';

export function lanSchema(): Schema {
  return {
    type: 'object',
    fields: {
      listen: { type: 'int', min: 0, max: 65535, def: 7760 },
      clientPort: { type: 'int', min: 1, max: 65535, def: 7761 },
      maxConnections: { type: 'int', min: 1, max: 16, def: 4 },
      helloSeconds: { type: 'int', min: 1, max: 120, def: 10 },
      idleSeconds: { type: 'int', min: 5, max: 3600, def: 120 },
      segmentBytes: { type: 'int', min: 64, max: 16384, def: 1024 },
      senders: { type: 'array', of: { type: 'string', max: 255 }, max: 64 },
      admins: { type: 'array', of: { type: 'string', max: 255 }, max: 16 },
    },
  };
}

export function lanSettings(s: { [section: string]: unknown }): LanSettings {
  return s.lan as LanSettings;
}
