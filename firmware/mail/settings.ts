// The `mail` section of the settings: the appliance's own mailbox and servers. Empty strings mean
// "no mail" (the default): mail delivery stays off until an address and an SMTP server are set.
import type { Schema } from '../config/schema.ts';
import type { ServerUrl } from './url.ts';
import { parseServerUrl } from './url.ts';

export interface MailSettings {
  /** The appliance's own address: the From of its mails and the mailbox POP3 reads. */
  address: string;
  /** `smtp://user:pass@host:port` or `smtps://…` ('' = no sending). */
  smtp: string;
  /** `pop3://user:pass@host:port` or `pop3s://…` ('' = no reading). */
  pop3: string;
  /** How often the POP3 mailbox is read for requests. */
  checkSeconds: number;
}

export function mailSchema(): Schema {
  return {
    type: 'object',
    fields: {
      address: { type: 'string', max: 80, def: '' },
      smtp: { type: 'string', max: 200, def: '' },
      pop3: { type: 'string', max: 200, def: '' },
      checkSeconds: { type: 'int', min: 10, max: 86400, def: 300 },
    },
  };
}

/** Checks beyond the schema: the URLs parse, the address looks like one. */
export function checkMail(m: MailSettings | undefined, errors: string[]): void {
  if (!m || typeof m !== 'object') return;
  if (typeof m.smtp === 'string' && m.smtp) {
    const r = parseServerUrl(m.smtp, ['smtp', 'smtps']);
    if (!r.url) errors.push('mail.smtp: ' + r.error);
  }
  if (typeof m.pop3 === 'string' && m.pop3) {
    const r = parseServerUrl(m.pop3, ['pop3', 'pop3s']);
    if (!r.url) errors.push('mail.pop3: ' + r.error);
  }
  if (typeof m.address === 'string' && m.address) {
    const at = m.address.indexOf('@');
    if (at <= 0 || at === m.address.length - 1 || m.address.indexOf(' ') >= 0 || m.address.indexOf('<') >= 0) {
      errors.push('mail.address: must be an e-mail address like fax@example.com');
    }
  }
  if (m.address && !m.smtp) errors.push('mail.smtp: missing (an address is set, so mail needs a server to send through)');
}

export function smtpServer(m: MailSettings): ServerUrl | null {
  return m.smtp ? parseServerUrl(m.smtp, ['smtp', 'smtps']).url : null;
}

export function pop3Server(m: MailSettings): ServerUrl | null {
  return m.pop3 ? parseServerUrl(m.pop3, ['pop3', 'pop3s']).url : null;
}
