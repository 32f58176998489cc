// Settings the panel changed, kept in the store: at boot, stored settings that still validate
// replace the given ones section by section, in place (every holder of the object sees them); a
// stored copy that no longer validates (older firmware) is ignored and the given settings stay.
import type { Settings } from '../config/settings.ts';
import { validateSettings } from './settings.ts';
import type { Store } from '../store/index.ts';
import { readStoredSettings } from '../store/index.ts';

export { saveStoredSettings } from '../store/index.ts';

/** Apply the stored settings to `settings`; true when there were valid ones. */
export function loadStoredSettings(store: Store, settings: Settings): boolean {
  const json = readStoredSettings(store);
  if (json === null) return false;
  const r = validateSettings(json);
  if (!r.settings) return false;
  const s = r.settings as Settings;
  const names = Object.keys(s);
  for (let i = 0; i < names.length; i++) settings[names[i]] = s[names[i]];
  return true;
}
