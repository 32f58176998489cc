// The administrator code (Settings, Reports, Date/time at the panel): a secret record in the
// panel settings (adminHash, adminSalt, adminIter, adminV). Without a code in the settings file
// the factory code 0000 is set and flagged (adminFactory): the panel then lets it do one thing
// only, choose a new code (issue #12 item 3). Every change is journaled by the panel.
import type { Settings } from '../config/settings.ts';
import type { SecretKeys, SecretRecord } from './passcode.ts';
import { makeSecretOrNone, readSecret, secretMatches, upgradeSecret, writeSecret } from './passcode.ts';

/** The factory administrator code when a settings file gives none. */
export const DEFAULT_ADMIN_CODE = '0000';

export function adminSecret(settings: Settings): SecretRecord {
  return readSecret(settings.panel, 'admin');
}

/** Hash the administrator code of a settings file (or the factory default) and drop the clear one. */
export function prepareAdminCode(settings: Settings, keys: SecretKeys): void {
  const p = settings.panel;
  if (p.adminCode === undefined && p.adminHash) {
    const rec = adminSecret(settings);
    if (upgradeSecret(rec, keys)) writeSecret(p, 'admin', rec);
    return;
  }
  const factory = p.adminCode === undefined;
  setAdminCode(settings, factory ? DEFAULT_ADMIN_CODE : (p.adminCode as string), keys);
  p.adminFactory = factory;
}

export function setAdminCode(settings: Settings, code: string, keys: SecretKeys): void {
  const p = settings.panel;
  writeSecret(p, 'admin', makeSecretOrNone(code, keys));
  p.adminFactory = false;
  delete p.adminCode;
}

export function adminCodeMatches(settings: Settings, code: string, keys: SecretKeys): boolean {
  return secretMatches(code, adminSecret(settings), keys);
}

/** Still the factory code: the panel asks for a new one before anything else. */
export function adminIsFactory(settings: Settings): boolean {
  return !!settings.panel.adminFactory;
}
