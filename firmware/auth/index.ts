// Who may do what: pass codes, the T.30 SID password and the administrator code as salted
// hashes bound to the device secret, and the lockout that makes short codes hold online.
//
//   const secret = deviceSecret(board.keyStore, store, entropy)   // 32 bytes, made at first boot
//   const keys = { hash, pepper: secret.bytes, entropy }          // SecretKeys
//   makeSecret(code, keys) / secretMatches(code, rec, keys) / upgradeSecret(rec, keys)
//   readSecret(obj, 'code') / writeSecret(obj, 'code', rec)      // codeHash, codeSalt, codeIter, codeV
//   const book = new LockBook(store, clock)                       // lock state in powered-on time
//   attempt(book, ['12'], rec, code, keys)   // → { result: ok|wrong|locked|no code|unavailable, lockedMs, failures }
//   prepareAdminCode(settings, keys), setAdminCode, adminCodeMatches, adminIsFactory
//   sealAtRest(store, atRestKeys(secret.bytes, accel, entropy))  // confidential pages sealed in flash (at-rest.ts)
// docs/SECURITY.md says what each of these protects against and what it does not.
export { pbkdf2Sha256, hashCode, codeMatches, newSalt, makeSecret, makeSecretOrNone, secretMatches, upgradeSecret, readSecret, writeSecret, newCodeProblem, DEFAULT_ITER, MIN_CODE_DIGITS, MAX_CODE_DIGITS } from './passcode.ts';
export type { SecretRecord, SecretKeys } from './passcode.ts';
export { LockBook, lockDuration, parseLock, LOCK_AFTER, LOCK_BASE_MS, LOCK_MAX_MS, CALLERS_MAX, REFRESH_MS } from './lockout.ts';
export type { LockState, LockRecords, Charge } from './lockout.ts';
export { attempt, journalResult } from './attempts.ts';
export type { CodeResult } from './attempts.ts';
export { deviceSecret, SECRET_NAME, SECRET_RECORD } from './device-secret.ts';
export type { DeviceSecret } from './device-secret.ts';
export { prepareAdminCode, setAdminCode, adminCodeMatches, adminIsFactory, adminSecret, DEFAULT_ADMIN_CODE } from './admin.ts';
export { sealAtRest, atRestKeys, PageCipher, sealsDocument } from './at-rest.ts';
export type { AtRestKeys } from './at-rest.ts';
