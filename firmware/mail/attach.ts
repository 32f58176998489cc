// Composition of mail delivery on a board: when the settings name the appliance's address and an
// SMTP server, the board has a network and a key is provisioned, the POP3 client and the mail
// service join the kernel and the service becomes the delivery agent's transport for `mail:`
// owners. Mail goes out through the appliance's one SMTP client (app.smtp, shared with the T.37
// fax mail of ordinary receptions). firmware/app/appliance.ts calls attachMail() after
// attachDelivery().
import type { Board } from '../../hal/board.ts';
import type { Kernel } from '../kernel/index.ts';
import type { Settings } from '../config/settings.ts';
import type { Store } from '../store/index.ts';
import type { Mailbox } from '../mailbox/index.ts';
import type { DeliveryAgent } from '../delivery/agent.ts';
import type { CryptoContext } from '../delivery/keys.ts';
import type { LanJobsDeps } from '../lan/job-service.ts';
import type { SmtpClient } from './smtp-client.ts';
import { Pop3Client } from './pop3-client.ts';
import { MailService } from './service.ts';
import type { MailSettings } from './settings.ts';

export interface MailParts {
  smtp: SmtpClient;
  pop3: Pop3Client;
  service: MailService;
}

export function mailSettings(settings: Settings): MailSettings {
  return settings.mail as MailSettings;
}

/** Null (and a trace line saying why) when mail delivery cannot run. */
export function attachMail(
  kernel: Kernel,
  board: Board,
  settings: Settings,
  store: Store,
  mailbox: Mailbox,
  prio: { mail: number; pop3: number },
  delivery: { agent: DeliveryAgent; crypto: CryptoContext | null },
  smtp: SmtpClient | null,
  jobs?: LanJobsDeps | null,
): MailParts | null {
  const m = mailSettings(settings);
  if (!m || !m.address || !m.smtp) return null;
  if (!board.net || !delivery.crypto || !smtp) {
    kernel.trace('mail', 'mail delivery is set up but ' + (!board.net || !smtp ? 'the board has no network' : 'no key is provisioned') + ': off');
    return null;
  }
  const pop3 = new Pop3Client(prio.pop3, board.net);
  const service = new MailService(prio.mail, {
    store: store,
    mailbox: mailbox,
    crypto: delivery.crypto,
    agent: delivery.agent,
    smtp: smtp,
    pop3: pop3,
    settings: function () {
      return mailSettings(settings);
    },
    jobs: jobs || null,
  });
  kernel.add(pop3);
  kernel.add(service);
  delivery.agent.addTransport(service);
  return { smtp: smtp, pop3: pop3, service: service };
}
