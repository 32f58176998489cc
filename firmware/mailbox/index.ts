// Confidential boxes (settings section `boxes`, schema.ts; check.ts: numbers unique, owners
// canonical FAXNIKS identities such as mail:ann@example.com or host:pc-ann.lan).
//
//   prepareBoxes(settings, keys)               // hash any clear `code`/`sid` of a settings file (auth/)
//   const mb = new Mailbox(store, board.clock, () => settings, keys);
//   mb.route(sub, sid, remoteIdent)            // → { action: ordinary|confidential|refuse, box, reason }
//       SUB of a box → confidential (its SID password must match when the box requires one,
//       counted per box and per caller and locked out like pass codes, else refuse);
//       unknown SUB → settings.fax.unknownSub (ordinary or refuse); no SUB → ordinary
//   mb.tryCode(box, code, 'panel'|'lan')       // → { result: ok|wrong|locked|no box|no code|unavailable, lockedMs, failures }
//       5 wrong codes in a row lock the box 1 min, doubling per further wrong code (max 24 h),
//       in powered-on time (auth/lockout.ts)
//   mb.lockRemaining(box), mb.waiting(box|'') (not yet printed or delivered), mb.kept(box|''),
//   mb.waitingCount() (all boxes, cached per store change: the idle screen asks every second)
// Every pass code and SID attempt and every refused call is a journal entry (store/journal.ts).
// Secrets and lockout themselves live in firmware/auth/.
export { Mailbox, prepareBoxes, setBoxCode, setBoxSid, boxesOf, secretKeysOf } from './mailbox.ts';
export type { Route, CodeResult } from './mailbox.ts';
export type { BoxSettings, DeliveryPolicy } from './schema.ts';
export { boxSchema, boxesSchema } from './schema.ts';
export { checkBoxes } from './check.ts';
// Reception: `const sink = new ReceptionSink(store, mb, clock)` is the T.30 session's `sink`;
// its `callEnded(record)` goes in the session's onCallEnd; `sink.onStored = (id, route) => …`.
export { ReceptionSink } from './reception.ts';
export type { StoredCallback } from './reception.ts';
// The lockout's figures, for the LAN service's refusals (defined in auth/lockout.ts).
export { LOCK_AFTER, LOCK_BASE_MS, LOCK_MAX_MS, lockDuration } from '../auth/index.ts';
