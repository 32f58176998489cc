// Reading the appliance's mailbox as a module loaded on demand (firmware/app/modules.ts): the
// POP3 client, the MIME reader and the reading half of mail delivery (mail/mailbox-check.ts:
// requests, lists, acknowledgements, bounces, job mails), and the job code only they use. The
// mail gate (mail-gate.ts) loads it for a mailbox check, or to answer a mail sender whose job
// ended, and lets it go when that is done; answers go out through the sending side (the `mail`
// module, mail-module.ts), which the gate loads only when there is one to send.
import type { Active } from '../kernel/index.ts';
import type { JobView } from '../jobs/index.ts';
import type { MailService } from '../mail/service.ts';
import { Pop3Client, POP3_IDLE } from '../mail/pop3-client.ts';
import { MailboxCheck, CHECK_IDLE } from '../mail/mailbox-check.ts';
import { statusOf } from '../lan/job-service.ts';
import { MSG_JOB_RESULT } from '../lan/job-messages.ts';
import type { MailGateDeps } from './mail-gate.ts';

export interface MailReader {
  pop3: Pop3Client;
  check: MailboxCheck;
  /** No check under way, nothing waiting in a queue. */
  idle(): boolean;
  /** A mail sender's job ended: its result goes back sealed (docs/FAX-SERVER.md §5). */
  jobEnded(job: JobView): void;
  /** Leaves the kernel (the gate drops the reader after this). */
  stop(): void;
}

/**
 * Called only when mail delivery can run (a network, an address, a key: MailGateDeps.withService).
 * `sender` loads the sending side when an answer is to go out; `checked` is told when a check ends.
 */
export function createMailReader(d: MailGateDeps, sender: () => MailService | null, checked: () => void): MailReader {
  const pop3 = new Pop3Client(d.prio.pop3, d.board.net!);
  const check = new MailboxCheck(d.prio.mail, {
    store: d.store,
    mailbox: d.mailbox,
    crypto: d.delivery.crypto!,
    agent: d.delivery.agent,
    pop3: pop3,
    settings: d.mail,
    jobs: d.jobs,
    stats: d.stats,
    sender: sender,
    checked: checked,
  });
  const objects: Active[] = [pop3, check];
  for (let i = 0; i < objects.length; i++) d.kernel.join(objects[i]);
  return {
    pop3: pop3,
    check: check,
    idle: function () {
      for (let i = 0; i < objects.length; i++) if (objects[i].queue.length > 0) return false;
      return pop3.state === POP3_IDLE && check.state === CHECK_IDLE;
    },
    jobEnded: function (job: JobView) {
      check.reply(job.owner, MSG_JOB_RESULT, statusOf(job), 'job-result.fxv');
    },
    stop: function () {
      for (let i = 0; i < objects.length; i++) d.kernel.remove(objects[i]);
    },
  };
}
