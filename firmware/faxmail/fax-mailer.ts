// Fax-to-mail for ordinary receptions (settings `ordinary`, schema.ts): each one marked for mail
// goes out as T.37 fax mail (t37.ts) with its pages streamed from flash as TIFF-F, one message at
// a time through the appliance's SMTP client. Power-safe: "mail pending" is a state record of
// the document, written before anything is sent, so a restart or a power cut mid-SMTP sends it
// again (a duplicate at worst, never a loss). A 4xx, a timeout or a lost connection is retried
// with a growing pause (30 s doubling to an hour); a 5xx is journaled as failed and not retried.
// The document is deleted once it is mailed and, if it is also to be printed, printed.
//
//   IDLE     nothing due: a time event for the next retry
//   SENDING  one message with the SMTP client; its result decides
import { Active, TimeEvt } from '../kernel/index.ts';
import type { State, Evt } from '../kernel/index.ts';
import type { Clock } from '../../hal/clock.ts';
import type { Entropy } from '../../hal/entropy.ts';
import type { Store, DocInfo } from '../store/index.ts';
import { journalAdd } from '../store/index.ts';
import type { SmtpClient, SmtpResult } from '../mail/smtp-client.ts';
import { MimeWriter, base64Size } from '../mail/mime-writer.ts';
import type { ServerUrl } from '../mail/url.ts';
import { toHex } from '../crypto/bytes.ts';
import { TiffSource } from '../print/tiff-source.ts';
import { t37Message } from './t37.ts';

export const MAIL_RETRY_FIRST_MS = 30000;
export const MAIL_RETRY_MAX_MS = 3600000;
/** How often a pending mail is looked at while nothing else wakes the mailer (ms). */
const MAX_WAIT_MS = 60000;

export interface FaxMailerConfig {
  from: string;
  to: string[];
  server: ServerUrl | null;
  station: string;
  utcOffsetMinutes: number;
  /** Print ordinary receptions too (then the document waits for both). */
  print: boolean;
}

type SentEvt = Evt & { result: SmtpResult; doc: number };

function merged(d: DocInfo, more: { [k: string]: unknown }): { [k: string]: unknown } {
  const st: { [k: string]: unknown } = {};
  const a = Object.keys(d.state);
  for (let i = 0; i < a.length; i++) st[a[i]] = d.state[a[i]];
  const b = Object.keys(more);
  for (let i = 0; i < b.length; i++) st[b[i]] = more[b[i]];
  return st;
}

export class FaxMailer extends Active {
  readonly wake: TimeEvt;
  /** The document whose message is with the SMTP client (-1 none). */
  current = -1;
  /** Messages accepted by the server since boot. */
  sent = 0;

  constructor(
    prio: number,
    readonly store: Store,
    readonly clock: Clock,
    readonly entropy: Entropy,
    readonly smtp: SmtpClient | null,
    readonly config: () => FaxMailerConfig,
  ) {
    super('faxmail', prio, 8, FM_IDLE);
    this.wake = new TimeEvt(this, 'WAKE');
  }

  /** An ordinary reception was stored: mark it for mail (before anything is sent), and go. */
  add(id: number): boolean {
    const d = this.store.document(id);
    if (!d) return false;
    const c = this.config();
    const ok = this.store.setDocState(id, merged(d, { mail: 'pending', mailTries: 0, mailNext: 0, noPrint: !c.print }));
    this.post({ sig: 'KICK' });
    return ok;
  }

  /** The earliest pending mail that is due now; `soonest.at` gets the next due time (-1 none). */
  due(soonest: { at: number }): DocInfo | null {
    const docs = this.store.documents();
    const now = this.clock.wall();
    soonest.at = -1;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      if (d.state.mail !== 'pending' || d.open || d.pages === 0) continue;
      const next = (d.state.mailNext as number) || 0;
      if (next <= now) return d;
      if (soonest.at < 0 || next < soonest.at) soonest.at = next;
    }
    return null;
  }

  /** Hand the message to the SMTP client; false when there is nothing to send it with. */
  start(d: DocInfo): boolean {
    const c = this.config();
    if (!this.smtp || !c.server || !c.to.length) return false;
    const u = new Uint8Array(8);
    this.entropy.fill(u);
    const tiff = new TiffSource(this.store, d);
    const at = c.from.indexOf('@');
    const msg = t37Message(d, {
      from: c.from, to: c.to, now: Math.floor(this.clock.wall()), utcOffsetMinutes: c.utcOffsetMinutes, station: c.station,
      unique: toHex(u), domain: at > 0 ? c.from.substring(at + 1) : 'faxvault.invalid',
    }, tiff);
    const me = this;
    const id = d.id;
    this.current = id;
    this.smtp.send(c.server, {
      from: c.from,
      to: c.to,
      body: new MimeWriter(msg),
      // RFC 1870: an estimate not below the real size — base64 of the TIFF plus headers and text.
      size: base64Size(tiff.size) + 2048,
      done: function (r: SmtpResult) {
        me.post({ sig: 'SENT', result: r, doc: id } as SentEvt);
      },
    });
    this.trace('document ' + id + ': fax mail to ' + c.to.join(', '));
    return true;
  }

  /** The SMTP client's verdict on the current message. */
  finished(r: SmtpResult, id: number): void {
    this.current = -1;
    const d = this.store.document(id);
    if (!d) return;
    const c = this.config();
    const t = this.clock.wall();
    if (r.ok) {
      this.sent++;
      this.store.setDocState(id, merged(d, { mail: 'sent' }));
      journalAdd(this.store, { t: t, kind: 'faxmail', doc: id, to: c.to.join(', '), result: 'sent' + (r.rejected.length ? ' (' + r.rejected.length + ' address(es) refused)' : '') });
      this.tidy(id);
      return;
    }
    const tries = ((d.state.mailTries as number) || 0) + 1;
    if (r.temporary) {
      let pause = MAIL_RETRY_FIRST_MS;
      for (let i = 1; i < tries && pause < MAIL_RETRY_MAX_MS; i++) pause *= 2;
      if (pause > MAIL_RETRY_MAX_MS) pause = MAIL_RETRY_MAX_MS;
      this.store.setDocState(id, merged(d, { mailTries: tries, mailNext: Math.floor(t) + pause }));
      journalAdd(this.store, { t: t, kind: 'faxmail', doc: id, result: 'retry in ' + Math.round(pause / 1000) + ' s', why: r.stage + ' ' + (r.code || '') + ' ' + r.text });
      return;
    }
    this.store.setDocState(id, merged(d, { mail: 'failed', mailTries: tries }));
    journalAdd(this.store, { t: t, kind: 'faxmail', doc: id, result: 'failed', why: r.stage + ' ' + r.code + ' ' + r.text });
  }

  /** tidy() every mailed document; true when one still waits for the printer. */
  tidyAll(): boolean {
    const docs = this.store.documents();
    let waiting = false;
    for (let i = 0; i < docs.length; i++) {
      if (docs[i].state.mail !== 'sent') continue;
      this.tidy(docs[i].id);
      if (this.store.document(docs[i].id)) waiting = true;
    }
    return waiting;
  }

  /** Delete a document that needs nothing more: mailed, and printed or not to be printed. */
  tidy(id: number): void {
    const d = this.store.document(id);
    if (d && d.state.mail === 'sent' && (d.state.printed || d.state.noPrint)) this.store.deleteDocument(id);
  }
}

export const FM_IDLE: State<FaxMailer> = {
  name: 'IDLE',
  on: function (me: FaxMailer, e: Evt) {
    if (e.sig !== 'ENTRY' && e.sig !== 'KICK' && e.sig !== 'WAKE') return;
    me.wake.disarm();
    const soonest = { at: -1 };
    const d = me.due(soonest);
    // Mailed documents still waiting for the printer (after a restart) are looked at again.
    if (me.tidyAll() && soonest.at < 0) soonest.at = me.clock.wall() + MAX_WAIT_MS;
    if (d && me.start(d)) return me.tran(FM_SENDING);
    if (soonest.at >= 0) {
      let wait = soonest.at - me.clock.wall();
      if (wait > MAX_WAIT_MS) wait = MAX_WAIT_MS;
      me.wake.arm(wait < 1 ? 1 : wait);
    }
  },
};

export const FM_SENDING: State<FaxMailer> = {
  name: 'SENDING',
  on: function (me: FaxMailer, e: Evt) {
    if (e.sig === 'SENT') {
      me.finished((e as SentEvt).result, (e as SentEvt).doc);
      me.tran(FM_IDLE);
    }
  },
};
