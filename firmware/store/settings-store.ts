// The appliance's settings kept in the store (setting `settings`, JSON): what the panel's
// settings menu changed survives a restart. The store only keeps the text; what is valid is the
// settings' own business (firmware/app/stored-settings.ts loads and validates it at boot).
import type { Store } from './store.ts';
import { asciiJson } from './layout.ts';

export const SETTINGS_RECORD = 'settings';

/** Save the settings object as JSON (8-bit safe). False when the store has no room even for it. */
export function saveStoredSettings(store: Store, settings: object): boolean {
  return store.setSetting(SETTINGS_RECORD, asciiJson(settings));
}

/** The stored settings as parsed JSON, null when there are none or they do not parse. */
export function readStoredSettings(store: Store): unknown {
  const text = store.getSetting(SETTINGS_RECORD);
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
}
