// What happens to an ordinary reception (settings section `ordinary`): printed, mailed to
// addresses as T.37 fax mail (RFC 3965 simple mode), or both. Fax mail carries the page images
// in clear — fine for the office's ordinary faxes only if the administrator says so: mailing
// needs `mailInClear: true`, a documented choice (docs/SECURITY.md). A confidential reception
// never goes this way; it reaches its owner sealed (docs/LAN-PROTOCOL.md, docs/MAIL.md).
import type { Schema } from '../config/schema.ts';

export interface OrdinarySettings {
  /** Print ordinary receptions (default true). */
  print: boolean;
  /** Mail each ordinary reception to these addresses as T.37 fax mail (default none). */
  mailTo: string[];
  /** The administrator's consent that ordinary faxes go by mail unencrypted. */
  mailInClear: boolean;
}

export function ordinarySchema(): Schema {
  return {
    type: 'object',
    fields: {
      print: { type: 'bool', def: true },
      mailTo: { type: 'array', of: { type: 'string', max: 80 }, max: 8 },
      mailInClear: { type: 'bool', def: false },
    },
  };
}

/** Checks beyond the schema (the settings validation calls it). */
export function checkOrdinary(o: OrdinarySettings | undefined, mailAddress: string, errors: string[]): void {
  if (!o || typeof o !== 'object' || !Array.isArray(o.mailTo)) return;
  for (let i = 0; i < o.mailTo.length; i++) {
    const a = o.mailTo[i];
    const at = typeof a === 'string' ? a.indexOf('@') : -1;
    if (at <= 0 || at === a.length - 1 || a.indexOf(' ') >= 0 || a.indexOf('<') >= 0) errors.push('ordinary.mailTo[' + i + ']: must be an e-mail address like fax@example.com');
  }
  if (o.mailTo.length && !o.mailInClear) {
    errors.push('ordinary.mailTo: fax mail carries the pages unencrypted; set ordinary.mailInClear to true to allow it (docs/SECURITY.md)');
  }
  if (o.mailTo.length && !mailAddress) errors.push('ordinary.mailTo: the appliance needs mail.address and mail.smtp to send fax mail');
  if (!o.print && !o.mailTo.length) errors.push('ordinary: neither printed nor mailed — an ordinary fax would be lost (set print or mailTo)');
}
