// The confidential reception notice (patent ¶0005: "prints a list notifying of the confidential
// reception"): printed after each confidential reception, and made durable — a flag in the
// store is set before the list is queued and cleared once it came out, so a list that a power
// cut or an empty tray kept from printing is printed at the next boot.
import type { Clock } from '../../hal/clock.ts';
import type { Settings } from '../config/settings.ts';
import type { Store } from '../store/index.ts';
import type { Mailbox } from '../mailbox/index.ts';
import type { Spooler } from './spooler.ts';
import { confidentialList } from './reports.ts';

export const NOTICE_PENDING = 'notice.pending';

export interface NoticeContext {
  store: Store;
  mailbox: Mailbox;
  spooler: Spooler;
  clock: Clock;
  settings: () => Settings;
}

/** Queue the confidential reception list now (after a confidential reception). */
export function printNotice(c: NoticeContext): void {
  c.store.setSetting(NOTICE_PENDING, '1');
  const s = c.settings();
  const offset = s.panel.utcOffsetMinutes * 60000;
  c.spooler.printReport('confidential reception list', confidentialList(c.mailbox.kept(''), s, c.clock.wall() + offset, offset), function (ok: boolean) {
    if (ok) c.store.setSetting(NOTICE_PENDING, '');
  });
}

/** At boot: print the list if the last one never came out. True when it queued one. */
export function resumeNotice(c: NoticeContext): boolean {
  if (c.store.getSetting(NOTICE_PENDING) !== '1') return false;
  printNotice(c);
  return true;
}
