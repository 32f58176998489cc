// The T.37 fax mailer of ordinary receptions (faxmail/fax-mailer.ts, settings `ordinary`) as a
// module loaded on demand (firmware/app/modules.ts): the mail gate (mail-gate.ts) loads it when
// an ordinary reception is to be mailed or tidied, or after boot when one was left pending, and
// lets it go when nothing is under way or due; it sends through the SMTP client of the `mail`
// module, which the gate holds meanwhile.
import { FaxMailer, FM_IDLE } from '../faxmail/fax-mailer.ts';
import type { SmtpClient } from '../mail/smtp-client.ts';
import type { MailGateDeps } from './mail-gate.ts';

export interface FaxMail {
  faxmail: FaxMailer;
  /** Nothing under way, nothing waiting in its queue or on its timer. */
  idle(): boolean;
  /** Leaves the kernel (the gate drops it after this). */
  stop(): void;
}

export function createFaxMail(d: MailGateDeps, smtp: SmtpClient): FaxMail {
  const faxmail = new FaxMailer(d.prio.faxmail, d.store, d.board.clock, d.board.entropy, smtp, d.faxmail);
  d.kernel.join(faxmail);
  return {
    faxmail: faxmail,
    idle: function () {
      return faxmail.queue.length === 0 && faxmail.state === FM_IDLE && !faxmail.wake.isArmed() && faxmail.current < 0;
    },
    stop: function () {
      d.kernel.remove(faxmail);
    },
  };
}
