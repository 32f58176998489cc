// The `http` section of the settings: the appliance's plain-HTTP status page (status-http.ts).
import type { Schema } from '../config/schema.ts';

export interface HttpSettings {
  /** TCP port of the status page on the LAN; 0 = off (the default: it costs device memory). */
  port: number;
}

export function httpSchema(): Schema {
  return {
    type: 'object',
    fields: {
      port: { type: 'int', min: 0, max: 65535, def: 0 },
    },
  };
}

export function httpSettings(s: { [section: string]: unknown }): HttpSettings {
  return s.http as HttpSettings;
}
