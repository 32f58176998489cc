// The mail stack as a module loaded on demand (firmware/app/modules.ts): the SMTP and POP3
// clients, the mail delivery service, the T.37 fax mailer, and everything only they use (MIME,
// the job mails). The appliance keeps a small gate resident (mail-gate.ts) that creates this
// engine when there is mail work and lets it go when the work is done, so on the board its code
// costs variables only while mail is being sent or read (docs/ESPRUINO.md).
import type { Board } from '../../hal/board.ts';
import type { Active, Kernel } from '../kernel/index.ts';
import type { Store } from '../store/index.ts';
import type { Mailbox } from '../mailbox/index.ts';
import type { DeliveryAgent } from '../delivery/agent.ts';
import type { CryptoContext } from '../delivery/keys.ts';
import type { LanJobsDeps } from '../lan/job-service.ts';
import type { MailSettings } from '../mail/settings.ts';
import { SmtpClient } from '../mail/smtp-client.ts';
import { Pop3Client, POP3_IDLE } from '../mail/pop3-client.ts';
import { MailService, MAIL_IDLE } from '../mail/service.ts';
import { FaxMailer, FM_IDLE } from '../faxmail/fax-mailer.ts';
import type { FaxMailerConfig } from '../faxmail/fax-mailer.ts';
import type { JobView } from '../jobs/index.ts';
import { statusOf } from '../lan/job-service.ts';
import { MSG_JOB_RESULT } from '../lan/job-messages.ts';

export interface MailEngineDeps {
  kernel: Kernel;
  board: Board;
  store: Store;
  mailbox: Mailbox;
  prio: { smtp: number; faxmail: number; mail: number; pop3: number };
  mail: () => MailSettings;
  faxmail: () => FaxMailerConfig;
  /** Mail delivery (and mailed jobs) run only with the agent and a key. */
  delivery: { agent: DeliveryAgent; crypto: CryptoContext | null };
  jobs: LanJobsDeps | null;
  /** The service's figures, kept by the gate from one engine to the next. */
  stats: MailService['stats'];
  /** The SMTP client exists (a network and mail.smtp); the service too (and an address and a key). */
  withSmtp: boolean;
  withService: boolean;
}

export interface MailEngine {
  smtp: SmtpClient | null;
  faxmail: FaxMailer;
  pop3: Pop3Client | null;
  service: MailService | null;
  /** Nothing under way, nothing waiting in a queue or on a timer of the fax mailer. */
  idle(): boolean;
  /** A mail sender's job ended: its result goes back sealed (docs/FAX-SERVER.md §5). */
  jobEnded(job: JobView): void;
  /** Leaves the kernel (the gate drops the engine after this). */
  stop(): void;
}

export function createMailEngine(d: MailEngineDeps): MailEngine {
  const m = d.mail();
  const net = d.board.net;
  const smtp = d.withSmtp && net ? new SmtpClient(d.prio.smtp, net, m.address.substring(m.address.indexOf('@') + 1) || 'faxvault') : null;
  const faxmail = new FaxMailer(d.prio.faxmail, d.store, d.board.clock, d.board.entropy, smtp, d.faxmail);
  let pop3: Pop3Client | null = null;
  let service: MailService | null = null;
  if (d.withService && smtp && net && d.delivery.crypto) {
    pop3 = new Pop3Client(d.prio.pop3, net);
    service = new MailService(d.prio.mail, {
      store: d.store,
      mailbox: d.mailbox,
      crypto: d.delivery.crypto,
      agent: d.delivery.agent,
      smtp: smtp,
      pop3: pop3,
      settings: d.mail,
      jobs: d.jobs,
    });
    service.stats = d.stats;
  }
  const objects: Active[] = [];
  if (smtp) objects.push(smtp);
  objects.push(faxmail);
  if (pop3) objects.push(pop3);
  if (service) objects.push(service);
  for (let i = 0; i < objects.length; i++) d.kernel.join(objects[i]);
  return {
    smtp: smtp,
    faxmail: faxmail,
    pop3: pop3,
    service: service,
    idle: function () {
      for (let i = 0; i < objects.length; i++) if (objects[i].queue.length > 0) return false;
      if (smtp && smtp.busy()) return false;
      if (pop3 && pop3.state !== POP3_IDLE) return false;
      if (service && service.state !== MAIL_IDLE) return false;
      return faxmail.state === FM_IDLE && !faxmail.wake.isArmed() && faxmail.current < 0;
    },
    jobEnded: function (job: JobView) {
      if (service) service.reply(job.owner, MSG_JOB_RESULT, statusOf(job), 'job-result.fxv');
    },
    stop: function () {
      for (let i = 0; i < objects.length; i++) d.kernel.remove(objects[i]);
    },
  };
}
