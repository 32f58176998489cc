// The mail stack's sending side as a module loaded on demand (firmware/app/modules.ts): the SMTP
// client and the sending half of the mail delivery service (mail/service.ts: notices, documents,
// sealed and plain answers), and everything only they use (the MIME writer, the sealed source).
// The appliance keeps a small gate resident (mail-gate.ts) that creates this engine when there is
// mail to send and lets it go when the work is done. Reading the appliance's mailbox (POP3, the
// MIME reader, job mails: mailcheck-module.ts) and the T.37 fax mailer (faxmail-module.ts) are
// modules of their own, so a delivery holds only this one (docs/ESPRUINO.md).
import { SmtpClient } from '../mail/smtp-client.ts';
import { MailService } from '../mail/service.ts';
import type { MailGateDeps } from './mail-gate.ts';
import type { TiffSource } from '../print/tiff-source.ts';

export interface MailEngine {
  smtp: SmtpClient;
  /** The sending half of mail delivery (an address and a key: MailGateDeps.withService). */
  service: MailService | null;
  /** Nothing under way or waiting in a queue. */
  idle(): boolean;
  /** Leaves the kernel (the gate drops the engine after this). */
  stop(): void;
}

/** Called only with a network (the gate exists only then: appliance.ts attachMailGate). */
export function createMailEngine(d: MailGateDeps): MailEngine {
  const m = d.mail();
  const smtp = new SmtpClient(d.prio.smtp, d.board.net!, m.address.substring(m.address.indexOf('@') + 1) || 'faxvault');
  const crypto = d.delivery.crypto;
  // A text-only box's TIFF-F file is a module of its own, held from its first use to the stop.
  let tiff: { TiffSource: typeof TiffSource } | null = null;
  const service = d.withService && crypto
    ? new MailService({
        kernel: d.kernel, store: d.store, crypto: crypto, smtp: smtp, settings: d.mail, stats: d.stats,
        tiff: function () {
          if (!tiff) tiff = d.tiff.load();
          return tiff;
        },
      })
    : null;
  d.kernel.join(smtp);
  return {
    smtp: smtp,
    service: service,
    idle: function () {
      return smtp.queue.length === 0 && !smtp.busy();
    },
    stop: function () {
      d.kernel.remove(smtp);
      if (tiff) {
        tiff = null;
        d.tiff.release();
      }
    },
  };
}
