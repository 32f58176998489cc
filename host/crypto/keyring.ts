// Loading one or more key files (comma-separated paths) as a keyring for sealing and opening.
import type { KeyAgreement } from '../../firmware/crypto/keys.ts';
import { agreementsOf, KeyFileError, readKeyFile } from './keyfile.ts';

export function loadKeyring(list: string | undefined): KeyAgreement[] {
  if (!list) throw new KeyFileError('--key FILE is required (a key file from faxvault center issue)');
  const out: KeyAgreement[] = [];
  for (const path of list.split(',').filter(Boolean)) out.push(...agreementsOf(readKeyFile(path)));
  return out;
}
