// The box owner's side of delivery by e-mail (docs/MAIL.md §Delivery): reads the owner's mailbox
// with the firmware's own POP3 client and MIME reader, opens the appliance's sealed mails (notices,
// documents, text parts with their TIFF, refusals, listings), and mails sealed requests with the
// firmware's SMTP client, and mails the sealed acknowledgement of each document once the program
// has written it (the appliance marks the document delivered only then). It runs on any hal/net (node:net for `faxvault client mail`, the
// simulated LAN in virtual-time tests) with a kernel on that side's clock. Mails that are not a
// sealed message from the appliance to this identity are left on the server untouched.
import type { Net } from '../../hal/net.ts';
import type { Kernel } from '../../firmware/kernel/index.ts';
import { SmtpClient } from '../../firmware/mail/smtp-client.ts';
import type { SmtpResult } from '../../firmware/mail/smtp-client.ts';
import { Pop3Client } from '../../firmware/mail/pop3-client.ts';
import type { Pop3Handler, Pop3Result } from '../../firmware/mail/pop3-client.ts';
import { MimeReader } from '../../firmware/mail/mime-reader.ts';
import type { MimePartInfo } from '../../firmware/mail/mime-reader.ts';
import { MimeWriter } from '../../firmware/mail/mime-writer.ts';
import { bytesSource } from '../../firmware/mail/source.ts';
import type { ServerUrl } from '../../firmware/mail/url.ts';
import { MAIL_SUBJECT, MAIL_TEXT, SEALED_TYPE, TIFF_TYPE } from '../../firmware/mail/service.ts';
import { sealMessage } from '../../firmware/crypto/envelope.ts';
import { decodeHeader, openMessage } from '../../firmware/crypto/envelope-open.ts';
import { MemoryPeerKeyCache } from '../../firmware/crypto/keys.ts';
import { AEAD_CHACHA20_POLY1305 } from '../../firmware/crypto/suites.ts';
import { Sha256 } from '../../firmware/crypto/sha256.ts';
import { toHex } from '../../firmware/crypto/bytes.ts';
import { MSG_ACK, MSG_DOCUMENT, MSG_LIST, MSG_LISTING, MSG_NOTICE, MSG_REFUSAL, MSG_REQUEST, MSG_TEXT_PART, jsonBytes } from '../../firmware/lan/messages.ts';
import { DocStreamParser, parseListing, parseNotice, parseRefusal, parseTextPart } from '../../firmware/lan/messages-parse.ts';
import type { Listing, Notice, PageHead, Refusal, TextPart } from '../../firmware/lan/messages.ts';
import type { ClientKeys, ReceivedDocument, ReceivedPage } from './session.ts';
import { MSG_JOB, MSG_JOB_ACCEPTED, MSG_JOB_PAGES, MSG_JOB_RESULT } from '../../firmware/lan/job-messages.ts';

export interface OwnerMailOptions {
  keys: ClientKeys;
  /** The appliance's identity, `mail:fax@example.com`. */
  appliance: string;
  pop3: ServerUrl;
  smtp: ServerUrl;
  /** The owner's own address (the From of requests); default: the identity's address. */
  address?: string;
}

/** A text-only box's delivery: the sealed text part and the TIFF whose SHA-256 it carries. */
export interface TextDelivery {
  part: TextPart;
  tiff: Uint8Array;
  /** The POP3 UIDL of the mail it came in. */
  uid: string;
}

/** A sealed document and the POP3 UIDL of the mail it came in. */
export interface MailedDocument extends ReceivedDocument {
  uid: string;
}

export interface MailboxResult {
  notices: Notice[];
  documents: MailedDocument[];
  texts: TextDelivery[];
  refusals: Refusal[];
  listings: Listing[];
  /** The fax server's answers (job accepted 0x23, job result 0x29: docs/FAX-SERVER.md), opened. */
  jobReplies: { type: number; plain: Uint8Array }[];
  /** Mails addressed to us that could not be opened (why), deleted or not. */
  problems: string[];
  /** Mails not for this client, left on the server. */
  leftAlone: number;
  pop3: Pop3Result;
}

interface Collected {
  parts: { info: MimePartInfo; data: Uint8Array[] }[];
  error: string | null;
}

/** The owner's mail client: one kernel, its SMTP and POP3 clients. */
export class OwnerMail {
  readonly smtp: SmtpClient;
  readonly pop3: Pop3Client;
  readonly cache = new MemoryPeerKeyCache(8);
  private me: string;

  constructor(kernel: Kernel, net: Net, readonly o: OwnerMailOptions, prio = 1) {
    this.smtp = new SmtpClient(prio + 1, net, 'faxvault-client.invalid');
    this.pop3 = new Pop3Client(prio, net);
    kernel.add(this.smtp);
    kernel.add(this.pop3);
    this.me = o.keys.agreements[0].identity;
  }

  private address(): string {
    return this.o.address || this.me.replace(/^mail:/, '');
  }

  /** Mails a sealed request for document `doc` of `box` with the pass code. */
  request(box: string, doc: number, code: string, cb: (r: SmtpResult) => void): void {
    this.sendSealed(MSG_REQUEST, { box, doc, code }, 'request.fxv', cb);
  }

  /**
   * Mails the sealed acknowledgement of document `doc` (docs/MAIL.md §Acknowledgements): call it
   * only once the document is safely written; the appliance then marks it delivered (or deletes
   * it, as the box says) and stops sending it again.
   */
  ack(doc: number, cb: (r: SmtpResult) => void): void {
    this.sendSealed(MSG_ACK, { doc, of: 'document' }, 'ack.fxv', cb);
  }

  /** Mails a sealed list request (the appliance answers with a listing mail). */
  list(box: string, cb: (r: SmtpResult) => void): void {
    this.sendSealed(MSG_LIST, { box }, 'list.fxv', cb);
  }

  /**
   * Mails a send job (docs/FAX-SERVER.md §5): the job and its pages, two sealed attachments.
   * `pages` is the document record stream (host/client/jobs.ts jobPages).
   */
  job(body: unknown, pages: Uint8Array, cb: (r: SmtpResult) => void): void {
    this.sendSealedParts([
      { type: MSG_JOB, plain: jsonBytes(body), filename: 'job.fxv' },
      { type: MSG_JOB_PAGES, plain: pages, filename: 'pages.fxv' },
    ], cb);
  }

  private sendSealed(type: number, body: unknown, filename: string, cb: (r: SmtpResult) => void): void {
    this.sendSealedParts([{ type, plain: jsonBytes(body), filename }], cb);
  }

  private sendSealedParts(items: { type: number; plain: Uint8Array; filename: string }[], cb: (r: SmtpResult) => void): void {
    const k = this.o.keys;
    const sealedParts = items.map((it) => ({
      type: SEALED_TYPE, filename: it.filename, body: bytesSource(sealMessage({
        agreement: k.agreements[0], to: this.o.appliance, aead: AEAD_CHACHA20_POLY1305, contentType: it.type,
        timestamp: Math.floor(k.now()), challenge: null, segmentSize: 4096, entropy: k.entropy, cache: this.cache, accel: k.accel,
      }, it.plain)),
    }));
    const rnd = new Uint8Array(12);
    k.entropy.fill(rnd);
    const from = this.address();
    const writer = new MimeWriter({
      from, to: [this.o.appliance.replace(/^mail:/, '')], subject: MAIL_SUBJECT, date: k.now(),
      messageId: `<${toHex(rnd)}@${from.split('@')[1] || 'client.invalid'}>`, boundary: 'fv-' + toHex(rnd),
      headers: [['X-Faxvault', '1']],
      parts: [{ type: 'text/plain', text: MAIL_TEXT }, ...sealedParts],
    });
    this.smtp.send(this.o.smtp, { from, to: [this.o.appliance.replace(/^mail:/, '')], body: writer, size: 0, done: cb });
  }

  /** Reads the mailbox once: opens what the appliance sent us (and deletes it), leaves the rest. */
  check(cb: (r: MailboxResult) => void, keep = false): void {
    const out: MailboxResult = { notices: [], documents: [], texts: [], refusals: [], listings: [], jobReplies: [], problems: [], leftAlone: 0, pop3: null as unknown as Pop3Result };
    let cur: Collected | null = null;
    let reader: MimeReader | null = null;
    const self = this;
    const h: Pop3Handler = {
      want: () => true,
      begin() {
        const c: Collected = { parts: [], error: null };
        cur = c;
        reader = new MimeReader({
          header() {},
          partStart(info) {
            c.parts.push({ info, data: [] });
          },
          partData(b) {
            c.parts[c.parts.length - 1].data.push(new Uint8Array(b));
          },
          partEnd() {},
        }, { maxPartBytes: 64 * 1024 * 1024 });
      },
      line(b, len) {
        (reader as MimeReader).line(b, 0, len);
      },
      end(uid, error) {
        if (error || !cur || !reader) return;
        reader.end();
        cur.error = reader.error;
        const mine = self.take(cur, out, uid);
        if (!mine) out.leftAlone++;
        self.pop3.decide(uid, mine && !keep);
      },
      done(r) {
        out.pop3 = r;
        cb(out);
      },
    };
    this.pop3.check(this.o.pop3, h);
  }

  /** True when the mail is a sealed message from the appliance to us (then it was handled). */
  private take(c: Collected, out: MailboxResult, uid: string): boolean {
    const sealedParts = c.parts.filter((p) => p.info.type === SEALED_TYPE);
    if (sealedParts.length !== 1) return false;
    const env = concat(sealedParts[0].data);
    let sender = '';
    let recipient = '';
    try {
      const h = decodeHeader(env);
      sender = h.sender;
      recipient = h.recipient;
    } catch {
      return false;
    }
    if (sender !== this.o.appliance || recipient !== this.me) return false;
    if (c.error) {
      out.problems.push('a mail from the appliance could not be read: ' + c.error);
      return true;
    }
    let type = 0;
    let plain: Uint8Array;
    try {
      const m = openMessage({
        agreements: this.o.keys.agreements, cache: this.cache, accel: this.o.keys.accel, suitesFor: null, aeads: null,
        now: this.o.keys.now(), maxAgeMs: 0, maxFutureMs: 0, expectChallenge: null, replay: null,
      }, env);
      type = m.header.contentType;
      plain = m.plain;
    } catch (e) {
      out.problems.push('a sealed mail from the appliance did not open: ' + (e as Error).message);
      return true;
    }
    try {
      if (type === MSG_NOTICE) out.notices.push(parseNotice(plain));
      else if (type === MSG_REFUSAL) out.refusals.push(parseRefusal(plain));
      else if (type === MSG_LISTING) out.listings.push(parseListing(plain));
      else if (type === MSG_DOCUMENT) out.documents.push({ ...documentOf(plain, this.o.appliance), uid });
      else if (type === MSG_TEXT_PART) {
        const part = parseTextPart(plain);
        const img = c.parts.find((p) => p.info.type === TIFF_TYPE);
        if (!img) throw new Error('a text part without its image');
        const tiff = concat(img.data);
        const h = new Sha256();
        h.update(tiff);
        if (toHex(h.digest()) !== part.sha256) throw new Error('the image does not match the SHA-256 in the sealed text part (changed on the way?)');
        out.texts.push({ part, tiff, uid });
      } else if (type === MSG_JOB_ACCEPTED || type === MSG_JOB_RESULT) out.jobReplies.push({ type, plain });
      else out.problems.push('an unexpected sealed message (content ' + type + ')');
    } catch (e) {
      out.problems.push((e as Error).message);
    }
    return true;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The record stream of a sealed document (docs/LAN-PROTOCOL.md §4) as a ReceivedDocument. */
export function documentOf(plain: Uint8Array, appliance: string): ReceivedDocument {
  const pages: ReceivedPage[] = [];
  let head: PageHead | null = null;
  let chunks: Uint8Array[] = [];
  const d: ReceivedDocument = { summary: null as unknown as ReceivedDocument['summary'], pages, imageEncrypted: true, appliance };
  const flush = () => {
    if (head) pages.push({ head, data: concat(chunks) });
    head = null;
    chunks = [];
  };
  const p = new DocStreamParser({
    doc(s) {
      d.summary = s;
    },
    page(h) {
      flush();
      head = h;
    },
    data(b) {
      chunks.push(new Uint8Array(b));
    },
    end() {
      flush();
    },
  });
  p.push(plain);
  if (!p.ended) throw new Error('the document stream has no end record');
  return d;
}
