// Confidential delivery by e-mail (the patent's Embodiment 2, ¶0068–0107; docs/MAIL.md §Delivery):
// the sending half — the mail transport of the delivery agent for boxes whose owner is a `mail:`
// identity, and the sealed or plain answers the reading half (mailbox-check.ts) sends back.
// This file is the whole of the `mail` module's service (firmware/app/mail-module.ts): a delivery
// loads nothing that reads mail (no POP3, no MIME reader, no job mails), so on the board a
// delivery holds only what sends (docs/ESPRUINO.md, "Modules loaded on demand").
//
//  - notice mail (S40–S56): neutral subject and text, the sealed notice (LAN protocol message
//    0x01) as an `application/x-faxvault-sealed` attachment — sender, time and pages only inside;
//  - document mail (S90–S107): the sealed document (0x03) streamed from flash; or, for a box with
//    `protection: text`, the image as an ordinary TIFF-F attachment (`image/tiff;
//    application=faxbw`) and the sealed text part (0x04) carrying the TIFF's SHA-256.
// An SMTP 250 after the data is the commit point of a mail (RFC 5321 §6.1); a 4xx, 5xx, lost
// connection or timeout is journaled and the outbox retries with its back-off. A notice is done
// at that 250; a document is not delivered until the owner's client mails back its sealed
// acknowledgement (0x08 `{doc, of: "document"}`), which the reading half reads like a request.
// Until then it stays in the outbox, sent again after its back-off a bounded number of times
// (firmware/delivery/outbox.ts ackWait).
import type { Kernel } from '../kernel/index.ts';
import type { Store } from '../store/index.ts';
import { journalAdd } from '../store/index.ts';
import type { CryptoContext } from '../delivery/keys.ts';
import { sealParams } from '../delivery/keys.ts';
import type { DeliveryJob } from '../delivery/agent.ts';
import { DocumentSource, docSummary } from '../lan/document-source.ts';
import { sealMessage } from '../crypto/envelope.ts';
import { Sha256 } from '../crypto/sha256.ts';
import { toHex } from '../crypto/bytes.ts';
import { MSG_DOCUMENT, MSG_NOTICE, MSG_TEXT_PART, jsonBytes } from '../lan/messages.ts';
import type { DocSummary } from '../lan/messages.ts';
import type { TiffSource } from '../print/tiff-source.ts';
import type { SmtpClient, SmtpResult } from './smtp-client.ts';
import { MimeWriter } from './mime-writer.ts';
import type { MimePart } from './mime-writer.ts';
import type { ByteSource } from './source.ts';
import { bytesSource } from './source.ts';
import { SealedSource } from './sealed-source.ts';
import type { MailSettings } from './settings.ts';
import { smtpServer } from './settings.ts';
import { SEALED_TYPE, SENT_MAX, SENT_SETTING, sentList } from './sealed-mail.ts';

export { SEALED_TYPE };
/** The TIFF-F attachment of a text-only box (RFC 3949 §4: image/tiff; application=faxbw). */
export const TIFF_TYPE = 'image/tiff';
/** One subject for every kind of mail: it tells a mail server nothing. */
export const MAIL_SUBJECT = 'faxvault message';
export const MAIL_TEXT =
  'This mail carries a sealed faxvault message (' + SEALED_TYPE + ').\n' +
  'Only the box owner can open it: faxvault client mail --key KEY ...\n';

/**
 * Plaintext bytes per envelope segment of a mailed document. The SMTP client pulls the mail 1 KB
 * of base64 per event, so between events the board holds a segment being sealed and the sealed
 * one being encoded: at 512 bytes that is ~75 ESP32 variables less than the LAN's 1,024, for 3 %
 * more mail (a 32-byte tag per segment). Nothing is set by the owner: the envelope says its size.
 */
const MAIL_SEGMENT = 512;

/** Figures for the status screen and the bench: both halves count here (the gate keeps them). */
export interface MailStats {
  noticesSent: number;
  documentsSent: number;
  requests: number;
  refused: number;
  bounces: number;
  failures: number;
  checks: number;
}

export interface MailDeps {
  /** Its trace lines (as `mail`); the service has no events of its own: each mail is the SMTP client's. */
  kernel: Kernel;
  store: Store;
  crypto: CryptoContext;
  smtp: SmtpClient;
  settings: () => MailSettings;
  /** Shared with the reading half; the gate keeps them from one load to the next. */
  stats: MailStats;
  /**
   * The TIFF-F code (firmware/app/tiff-module.ts, with the decoder that counts rows), loaded by
   * the engine the first time a text-only box's document goes out: no other mail needs it.
   */
  tiff: () => { TiffSource: typeof TiffSource };
}

export class MailService {
  constructor(readonly deps: MailDeps) {}

  trace(what: string): void {
    this.deps.kernel.trace('mail', what);
  }

  // ---- the delivery transport (the gate's transport calls this) -----------------------------

  deliver(job: DeliveryJob, done: (ok: boolean, reason: string, awaitAck?: boolean) => void): boolean {
    const server = smtpServer(this.deps.settings());
    if (!server) return false;
    const to = job.box.owner.substring(5);
    const kind = job.item.kind;
    const self = this;
    let parts: MimePart[];
    try {
      parts = kind === 'notice' ? this.noticeParts(job) : job.box.protection === 'text' ? this.textParts(job) : this.documentParts(job);
    } catch (e) {
      // Nothing could be sealed (no entropy, a foreign identity): journaled, retried later.
      const why = String((e as Error).message || e);
      journalAdd(this.deps.store, { t: this.deps.crypto.clock.wall(), kind: 'mail', doc: job.info.id, of: kind, result: 'not sealed', why: why });
      done(false, why);
      return true;
    }
    const id = this.messageId();
    this.rememberSent(id, job.info.id, kind);
    const writer = new MimeWriter({
      from: this.deps.settings().address,
      to: [to],
      subject: MAIL_SUBJECT,
      date: this.deps.crypto.clock.wall(),
      messageId: '<' + id + '>',
      boundary: 'fv-' + this.random(12),
      headers: [['X-Faxvault', '1']],
      parts: parts,
    });
    this.trace(kind + ' of document ' + job.info.id + ' by mail');
    this.deps.smtp.send(server, {
      from: this.deps.settings().address,
      to: [to],
      body: writer,
      size: 0,
      done: function (r: SmtpResult) {
        self.mailed(job, r, done);
      },
    });
    return true;
  }

  mailed(job: DeliveryJob, r: SmtpResult, done: (ok: boolean, reason: string, awaitAck?: boolean) => void): void {
    const kind = job.item.kind;
    const st = this.deps.store;
    if (r.ok) {
      if (kind === 'notice') this.deps.stats.noticesSent++;
      else this.deps.stats.documentsSent++;
      journalAdd(st, { t: this.deps.crypto.clock.wall(), kind: 'mail', doc: job.info.id, of: kind, result: 'sent' });
      this.trace(kind + ' mail of document ' + job.info.id + ' accepted' + (kind === 'document' ? ': awaiting the owner\'s acknowledgement' : ''));
      // A notice is done here; a document only when the owner's acknowledgement mail came.
      done(true, '', kind === 'document');
      return;
    }
    this.deps.stats.failures++;
    const why = (r.temporary ? 'temporary' : 'permanent') + ' SMTP failure at ' + r.stage + ': ' + (r.code ? r.code + ' ' : '') + r.text.substring(0, 100);
    journalAdd(st, { t: this.deps.crypto.clock.wall(), kind: 'mail', doc: job.info.id, of: kind, result: r.temporary ? 'deferred' : 'failed', code: r.code, stage: r.stage });
    this.trace(kind + ' mail of document ' + job.info.id + ': ' + why);
    done(false, why);
  }

  noticeParts(job: DeliveryJob): MimePart[] {
    const s = docSummary(job.info, job.box.protection) as DocSummary & { kind: string };
    s.kind = 'notice';
    const sealed = sealMessage(sealParams(this.deps.crypto, job.box.owner, MSG_NOTICE, null), jsonBytes(s));
    return [
      { type: 'text/plain', text: MAIL_TEXT },
      { type: SEALED_TYPE, filename: 'notice.fxv', body: bytesSource(sealed) },
    ];
  }

  documentParts(job: DeliveryJob): MimePart[] {
    const src = new DocumentSource(this.deps.store, job.info, job.box.protection);
    const seal = sealParams(this.deps.crypto, job.box.owner, MSG_DOCUMENT, null);
    seal.segmentSize = MAIL_SEGMENT;
    return [
      { type: 'text/plain', text: MAIL_TEXT },
      { type: SEALED_TYPE, filename: 'document.fxv', body: new SealedSource(seal, src) },
    ];
  }

  /**
   * protection "text": the image in the clear as TIFF-F (hashed while it is sent), then the sealed
   * text part with that SHA-256 — sealed only once the image went by, so one pass over flash.
   */
  textParts(job: DeliveryJob): MimePart[] {
    const tiff = new (this.deps.tiff().TiffSource)(this.deps.store, job.info);
    const hash = new Sha256();
    let imageDone = false;
    const image: ByteSource = {
      read: function (max: number): Uint8Array | null {
        const b = tiff.read(max);
        if (b === null) imageDone = true;
        else hash.update(b);
        return b;
      },
    };
    const ctx = this.deps.crypto;
    const summary = docSummary(job.info, 'text') as DocSummary & { sha256: string };
    let sealedText: ByteSource | null = null;
    const text: ByteSource = {
      read: function (max: number): Uint8Array | null {
        if (!sealedText) {
          if (!imageDone) throw new Error('the text part was asked for before the image was sent');
          summary.sha256 = toHex(hash.digest());
          sealedText = bytesSource(sealMessage(sealParams(ctx, job.box.owner, MSG_TEXT_PART, null), jsonBytes(summary)));
        }
        return sealedText.read(max);
      },
    };
    return [
      { type: 'text/plain', text: MAIL_TEXT + 'The fax image is attached unencrypted (the box owner chose text-only protection).\n' },
      { type: TIFF_TYPE, params: { application: 'faxbw' }, filename: 'fax.tif', body: image },
      { type: SEALED_TYPE, filename: 'text.fxv', body: text },
    ];
  }

  random(n: number): string {
    const b = new Uint8Array(n);
    this.deps.crypto.entropy.fill(b);
    return toHex(b);
  }

  messageId(): string {
    const a = this.deps.settings().address;
    return this.random(12) + '@' + (a.indexOf('@') > 0 ? a.substring(a.indexOf('@') + 1) : 'faxvault.invalid');
  }

  /** Message-ID → (doc, kind) of the last mails, in the store: a bounce after a reboot is still placed (mailbox-check.ts). */
  rememberSent(id: string, doc: number, kind: string): void {
    const list = sentList(this.deps.store);
    list.push([id, doc, kind === 'notice' ? 'n' : 'd']);
    while (list.length > SENT_MAX) list.shift();
    this.deps.store.setSetting(SENT_SETTING, JSON.stringify(list));
  }


  // ---- answers to what the reading half read ------------------------------------------------

  /** A plain answer with nothing confidential in it (RFC 3834 §3.1.7: Auto-Submitted: auto-replied). */
  plainReply(to: string, subject: string, text: string): void {
    const server = smtpServer(this.deps.settings());
    if (!server) return;
    const self = this;
    const from = this.deps.settings().address;
    this.deps.smtp.send(server, {
      from: '',
      to: [to],
      size: 0,
      body: new MimeWriter({
        from: from, to: [to], subject: subject, date: this.deps.crypto.clock.wall(), messageId: '<' + this.messageId() + '>',
        boundary: 'fv-' + this.random(12), headers: [['Auto-Submitted', 'auto-replied']], parts: [{ type: 'text/plain', text: text }],
      }),
      done: function (r: SmtpResult) {
        if (!r.ok) self.trace('answer to ' + to + ' not sent: ' + r.text);
      },
    });
  }

  /** A sealed answer (refusal, listing): best effort, not kept in the outbox. */
  reply(owner: string, type: number, body: unknown, filename: string): void {
    const server = smtpServer(this.deps.settings());
    if (!server || owner.indexOf('mail:') !== 0) return;
    let sealed: Uint8Array;
    try {
      sealed = sealMessage(sealParams(this.deps.crypto, owner, type, null), jsonBytes(body));
    } catch (e) {
      return;
    }
    const to = owner.substring(5);
    const self = this;
    this.deps.smtp.send(server, {
      from: this.deps.settings().address,
      to: [to],
      size: 0,
      body: new MimeWriter({
        from: this.deps.settings().address,
        to: [to],
        subject: MAIL_SUBJECT,
        date: this.deps.crypto.clock.wall(),
        messageId: '<' + this.messageId() + '>',
        boundary: 'fv-' + this.random(12),
        headers: [['X-Faxvault', '1']],
        parts: [
          { type: 'text/plain', text: MAIL_TEXT },
          { type: SEALED_TYPE, filename: filename, body: bytesSource(sealed) },
        ],
      }),
      done: function (r: SmtpResult) {
        if (!r.ok) self.trace('answer to ' + to + ' not sent: ' + r.text);
      },
    });
  }
}

