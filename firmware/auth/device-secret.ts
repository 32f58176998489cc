// The device secret: 32 random bytes made at first boot, kept in the board's key store
// (hal/keystore.ts) and never written to the data flash when there is one. Pass code hashes are
// bound to it (passcode.ts v1) and stored confidential pages are sealed under keys derived from it
// (crypto/at-rest.ts), so a copy of the data flash alone neither opens a box offline nor shows a
// page. A board without a key store keeps it as the store record `auth.secret`: then only the
// board's flash encryption protects it (docs/SECURITY.md).
import type { KeyStore } from '../../hal/keystore.ts';
import type { Entropy } from '../../hal/entropy.ts';
import { fromHex, toHex } from '../crypto/bytes.ts';
import type { LockRecords } from './lockout.ts';

export const SECRET_NAME = 'device-secret';
export const SECRET_RECORD = 'auth.secret';

export interface DeviceSecret {
  bytes: Uint8Array;
  /** Where it lives: 'key store' or 'flash record'. */
  where: string;
  /** Made during this boot (first boot). */
  fresh: boolean;
}

/**
 * The board's device secret, made on first use. Null when none exists and none can be made (the
 * entropy source failed its health tests, or nothing could be written): the caller then works
 * without it and says so.
 */
export function deviceSecret(keyStore: KeyStore | null | undefined, records: LockRecords, entropy: Entropy): DeviceSecret | null {
  if (keyStore) {
    const have = keyStore.read(SECRET_NAME);
    if (have && have.length === 32) return { bytes: have, where: 'key store', fresh: false };
  } else {
    const hex = records.getSetting(SECRET_RECORD);
    if (hex && hex.length === 64) return { bytes: fromHex(hex), where: 'flash record', fresh: false };
  }
  const b = new Uint8Array(32);
  try {
    entropy.fill(b);
  } catch (e) {
    return null;
  }
  if (keyStore) return keyStore.write(SECRET_NAME, b) ? { bytes: b, where: 'key store', fresh: true } : null;
  return records.setSetting(SECRET_RECORD, toHex(b)) ? { bytes: b, where: 'flash record', fresh: true } : null;
}
