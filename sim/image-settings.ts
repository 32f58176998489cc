// Which settings a `faxvault sim --data DIR` run uses. The image keeps the settings of its first
// run (the appliance stores them at first boot, codes hashed) and every later run uses those,
// with or without --config. A --config whose content differs from the one the image was last
// run with is a change of the appliance's settings (box codes included), so it is never taken
// silently: without --replace-settings the run is refused, naming the difference; with it the
// stored settings are dropped before boot (the appliance then stores the new ones) and the
// change is reported. The record `sim.config` keeps the SHA-256 of the settings file last used.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { SimFlash } from './board/flash.ts';
import { flashFile } from './board/image.ts';
import { SETTINGS_RECORD, Store } from '../firmware/store/index.ts';

export const CONFIG_RECORD = 'sim.config';

export class SettingsChangeError extends Error {}

export function configDigest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Before boot: checks --config against the image. Returns a line to report when the stored
 * settings were dropped for the new file's; null when nothing changes. Throws
 * SettingsChangeError when the file differs and `replace` is false.
 */
export function settingsBeforeBoot(dir: string, configFile: string | null, replace: boolean): string | null {
  const file = flashFile(dir);
  if (!configFile || !existsSync(file)) return null;
  const flash = new SimFlash({ file });
  try {
    const store = new Store(flash);
    store.mount();
    if (!store.getSetting(SETTINGS_RECORD)) return null; // nothing kept yet: this run's settings will be
    const digest = configDigest(configFile);
    if (store.getSetting(CONFIG_RECORD) === digest) return null;
    if (!replace) {
      throw new SettingsChangeError(
        `${file} keeps the settings it was first run with (box codes included), and ${configFile} is not the file they came from ` +
          `(or was changed since). Leave out --config to run with the kept settings, or add --replace-settings to replace them with ${configFile}'s`,
      );
    }
    store.setSetting(SETTINGS_RECORD, '');
    return `settings of ${file} replaced by ${configFile} (box codes, administrator code and every section as in the file)`;
  } finally {
    flash.close();
  }
}

/** After boot: remember which settings file the image now runs with. */
export function recordConfig(store: Store, configFile: string | null): void {
  if (!configFile) return;
  const digest = configDigest(configFile);
  if (store.getSetting(CONFIG_RECORD) !== digest) store.setSetting(CONFIG_RECORD, digest);
}
