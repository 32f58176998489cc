// The settings kept in the store (record `settings`, JSON): what the panel's settings menu
// changed survives a restart. At boot, stored settings that still validate replace the given
// ones section by section, in place (every holder of the object sees them); a stored copy that
// no longer validates (older firmware) is ignored and the given settings stay.
import type { Settings } from '../config/settings.ts';
import { validateSettings } from '../config/settings.ts';
import type { Store } from './store.ts';
import { asciiJson } from './layout.ts';

export const SETTINGS_RECORD = 'settings';

/** Apply the stored settings to `settings`; true when there were valid ones. */
export function loadStoredSettings(store: Store, settings: Settings): boolean {
  const text = store.getSetting(SETTINGS_RECORD);
  if (!text) return false;
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return false;
  }
  const r = validateSettings(json);
  if (!r.settings) return false;
  const s = r.settings as Settings;
  const names = Object.keys(s);
  for (let i = 0; i < names.length; i++) settings[names[i]] = s[names[i]];
  return true;
}

export function saveStoredSettings(store: Store, settings: Settings): boolean {
  return store.setSetting(SETTINGS_RECORD, asciiJson(settings));
}
