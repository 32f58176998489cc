// What the two halves of mail delivery agree on (docs/MAIL.md): the sending half (service.ts, in
// the `mail` module) writes the appliance's mails, the reading half (mailbox-check.ts, in the
// `mailcheck` module) reads what comes back. Kept apart from both so that neither module has to
// bring the other's code along on the device (docs/ESPRUINO.md, "Modules loaded on demand").
import type { Store } from '../store/index.ts';

/** The attachment type of every sealed faxvault message in a mail (docs/MAIL.md). */
export const SEALED_TYPE = 'application/x-faxvault-sealed';

/** Message-ID → (doc, kind) of the last mails sent: a store setting, so a bounce after a reboot is still placed. */
export const SENT_SETTING = 'mail.sent';
export const SENT_MAX = 16;

/** The remembered mails: [Message-ID without brackets, document, 'n' notice | 'd' document]. */
export function sentList(store: Store): [string, number, string][] {
  const text = store.getSetting(SENT_SETTING);
  if (!text) return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? (v as [string, number, string][]) : [];
  } catch (e) {
    return [];
  }
}
