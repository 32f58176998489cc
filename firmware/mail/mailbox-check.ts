// Confidential delivery by e-mail (the patent's Embodiment 2, ¶0068–0107; docs/MAIL.md §Delivery):
// the reading half — the appliance's own mailbox, read by POP3 every `mail.checkSeconds`, where
// owners' requests, lists and acknowledgements, senders' job mails and bounces arrive. This file is
// the `mailcheck` module's service (firmware/app/mailcheck-module.ts): the mail gate loads it for
// a check and lets it go when the check is done; the answers it sends go out through the sending
// half (service.ts, the `mail` module), loaded only when there is an answer to send.
//
//  - requests (0x02) and lists (0x05): the envelope must come from the box's owner identity (a
//    stranger's key is never computed), be recent (a timestamp window) and new (a persisted cache
//    of seen envelopes), and the pass code passes the panel's hashing and lockout (every attempt
//    journaled). A good request queues the document in the power-safe outbox; only then is the
//    request mail deleted on the server (RFC 1939 §5 DELE, carried out at QUIT: §6). Refusals go back
//    sealed;
//  - acknowledgements (0x08 `{doc, of: "document"}`): the owner's client has the document; it is
//    marked delivered (firmware/delivery/outbox.ts ackWait);
//  - bounces (RFC 3464 delivery status notifications) of our own mails are journaled and the item
//    queued again;
//  - job mails (docs/FAX-SERVER.md §5): job-mail.ts.
//
//   IDLE      no check under way (the gate's timer says when the next one is)
//   CHECKING  the POP3 client reads the mailbox; each mail is acted on when it is complete
import { Active } from '../kernel/index.ts';
import type { Evt, State } from '../kernel/index.ts';
import type { Store } from '../store/index.ts';
import { journalAdd } from '../store/index.ts';
import type { Mailbox, BoxSettings } from '../mailbox/index.ts';
import { LOCK_AFTER } from '../mailbox/index.ts';
import type { CryptoContext } from '../delivery/keys.ts';
import type { DeliveryAgent } from '../delivery/agent.ts';
import { docSummary } from '../lan/document-source.ts';
import { decodeHeader, openMessage } from '../crypto/envelope-open.ts';
import type { EnvelopeError } from '../crypto/envelope.ts';
import type { OpenPolicy, ReplayCache } from '../crypto/envelope-open.ts';
import { concat, toHex } from '../crypto/bytes.ts';
import { MSG_ACK, MSG_LIST, MSG_LISTING, MSG_REFUSAL, MSG_REQUEST } from '../lan/messages.ts';
import { messageName, parseAck, parseList, parseRequest } from '../lan/messages-parse.ts';
import type { DocSummary, Refusal } from '../lan/messages.ts';
import type { Pop3Client, Pop3Handler, Pop3Result } from './pop3-client.ts';
import { MimeReader } from './mime-reader.ts';
import type { MimePartInfo } from './mime-reader.ts';
import type { MailSettings } from './settings.ts';
import { pop3Server } from './settings.ts';
import { addressOf } from './header-read.ts';
import { SEALED_TYPE, sentList } from './sealed-mail.ts';
import type { MailService, MailStats } from './service.ts';
import type { LanJobsDeps } from '../lan/job-service.ts';
import { finishJobMail, isAutomatic, jobFromFirstPart, jobPagesData, refusePlain } from './job-mail.ts';
import type { JobMail, JobMailHost } from './job-mail.ts';

/** Requests older than this, or further in the future, are refused (with the seen-cache: no replay). */
export const REQUEST_MAX_AGE_MS = 24 * 3600 * 1000;
export const REQUEST_MAX_FUTURE_MS = 10 * 60 * 1000;
/** A sealed request, list or acknowledgement is small; more is not read. */
const MAX_SEALED_IN = 16384;
const REPLAY_SETTING = 'mail.replay';
const REPLAY_MAX = 64;

export interface MailboxCheckDeps {
  store: Store;
  mailbox: Mailbox;
  crypto: CryptoContext;
  agent: DeliveryAgent;
  pop3: Pop3Client;
  settings: () => MailSettings;
  /** The fax server: send jobs by mail (job-mail.ts); null or absent: none. */
  jobs?: LanJobsDeps | null;
  /** Shared with the sending half; the gate keeps them from one load to the next. */
  stats: MailStats;
  /** The sending half, loaded when an answer is to go out (null: mail cannot be sent). */
  sender: () => MailService | null;
  /** A check ended (the gate times the next one from here). */
  checked: () => void;
}

/**
 * Seen envelopes (sender, salt), kept in the store so a request mail replayed after a reboot is
 * still refused; entries past the timestamp window can go (the window refuses those anyway).
 */
export class StoredReplayCache implements ReplayCache {
  entries: { k: string; t: number }[] = [];

  constructor(private store: Store, private now: () => number) {
    const text = store.getSetting(REPLAY_SETTING);
    if (!text) return;
    try {
      const list = JSON.parse(text) as { k: string; t: number }[];
      if (Array.isArray(list)) for (let i = 0; i < list.length; i++) if (list[i] && typeof list[i].k === 'string') this.entries.push({ k: list[i].k, t: +list[i].t || 0 });
    } catch (e) {
      this.entries = [];
    }
  }

  private key(sender: string, salt: Uint8Array): string {
    return toHex(salt) + ' ' + sender;
  }

  seen(sender: string, salt: Uint8Array): boolean {
    const k = this.key(sender, salt);
    for (let i = 0; i < this.entries.length; i++) if (this.entries[i].k === k) return true;
    return false;
  }

  remember(sender: string, salt: Uint8Array, timestamp: number): void {
    const old = this.now() - REQUEST_MAX_AGE_MS - REQUEST_MAX_FUTURE_MS;
    const kept: { k: string; t: number }[] = [];
    for (let i = 0; i < this.entries.length; i++) if (this.entries[i].t >= old) kept.push(this.entries[i]);
    kept.push({ k: this.key(sender, salt), t: timestamp });
    while (kept.length > REPLAY_MAX) kept.shift();
    this.entries = kept;
    this.store.setSetting(REPLAY_SETTING, JSON.stringify(kept));
  }
}

/** What one fetched mail turned out to be, collected while it streams through the MIME reader. */
interface Incoming {
  uid: string;
  reader: MimeReader;
  contentType: string;
  from: string;
  sealed: Uint8Array[];
  sealedBytes: number;
  sealedParts: number;
  tooBig: boolean;
  /** The Message-ID of our mail a bounce returns (from its message/rfc822 or headers part). */
  bounced: string;
  bounceStatus: string;
  part: MimePartInfo | null;
  partText: string;
  /** A send job (its first sealed attachment was a job): job-mail.ts. */
  job: JobMail | null;
  /** The header fields RFC 3834 looks at before any automatic answer. */
  auto: { [name: string]: string };
}

interface CheckedEvt extends Evt {
  r: Pop3Result;
}

export class MailboxCheck extends Active {
  replay: StoredReplayCache;
  cur: Incoming | null = null;

  constructor(prio: number, readonly deps: MailboxCheckDeps) {
    super('mailcheck', prio, 16, CHECK_IDLE);
    this.replay = new StoredReplayCache(deps.store, function () {
      return deps.crypto.clock.wall();
    });
  }

  /** Read the mailbox now (tests, the panel). */
  checkNow(): void {
    this.post({ sig: 'CHECK_TIME' });
  }

  startCheck(): boolean {
    const server = pop3Server(this.deps.settings());
    if (!server) return false;
    this.deps.stats.checks++;
    const self = this;
    const h: Pop3Handler = {
      want: function (): boolean {
        return true;
      },
      begin: function (uid: string): void {
        self.begin(uid);
      },
      line: function (b: Uint8Array, len: number): void {
        if (self.cur) self.cur.reader.line(b, 0, len);
      },
      end: function (uid: string, error: string | null): void {
        self.post({ sig: 'MAIL_END', uid: uid, error: error } as Evt);
      },
      done: function (r: Pop3Result): void {
        self.post({ sig: 'CHECKED', r: r } as CheckedEvt);
      },
    };
    this.deps.pop3.check(server, h);
    return true;
  }

  begin(uid: string): void {
    const self = this;
    const inc: Incoming = {
      uid: uid,
      reader: null as unknown as MimeReader,
      contentType: '',
      from: '',
      sealed: [],
      sealedBytes: 0,
      sealedParts: 0,
      tooBig: false,
      bounced: '',
      bounceStatus: '',
      part: null,
      partText: '',
      job: null,
      auto: {},
    };
    inc.reader = new MimeReader(
      {
        header: function (name: string, value: string): void {
          if (name === 'content-type') inc.contentType = value.toLowerCase();
          else if (name === 'from') inc.from = addressOf(value);
          else if (name === 'auto-submitted' || name === 'precedence' || name === 'list-id' || name === 'list-unsubscribe') inc.auto[name] = value;
        },
        partStart: function (p: MimePartInfo): void {
          inc.part = p;
          inc.partText = '';
          if (p.type === SEALED_TYPE) inc.sealedParts++;
        },
        partData: function (b: Uint8Array): void {
          const p = inc.part as MimePartInfo;
          if (p.type === SEALED_TYPE && inc.job && inc.sealedParts === 2) {
            jobPagesData(inc.job, b); // a job's pages stream into the store, never into RAM
            return;
          }
          if (p.type === SEALED_TYPE) {
            inc.sealedBytes += b.length;
            if (inc.sealedBytes > MAX_SEALED_IN) inc.tooBig = true;
            else {
              const copy = new Uint8Array(b.length);
              copy.set(b);
              inc.sealed.push(copy);
            }
          } else if (p.type === 'message/delivery-status' || p.type === 'message/rfc822' || p.type === 'text/rfc822-headers') {
            // A bounce: only the first 4 KB of these parts are looked at (the status, our Message-ID).
            if (inc.partText.length < 4096) for (let i = 0; i < b.length && inc.partText.length < 4096; i++) inc.partText += String.fromCharCode(b[i]);
          }
        },
        partEnd: function (): void {
          const p = inc.part as MimePartInfo;
          if (p.type === SEALED_TYPE && inc.sealedParts === 1 && self.deps.jobs && !inc.tooBig) inc.job = jobFromFirstPart(self.jobHost(), concat(inc.sealed));
          if (p.type === 'message/delivery-status') {
            const s = findField(inc.partText, 'status');
            if (s) inc.bounceStatus = s;
          } else if (p.type === 'message/rfc822' || p.type === 'text/rfc822-headers') {
            const id = findField(inc.partText, 'message-id');
            if (id) inc.bounced = id;
          }
        },
      },
      { maxPartBytes: 256 * 1024, maxParts: 16 },
    );
    self.cur = inc;
  }

  /** A fetched mail is complete: act on it, commit, then let POP3 delete it. */
  processMail(uid: string, error: string | null): void {
    const inc = this.cur;
    this.cur = null;
    if (!inc || inc.uid !== uid) return;
    if (error) return; // broken off: nothing decided, the mail stays for the next check
    const r = inc.reader;
    r.end();
    const now = this.deps.crypto.clock.wall();
    const st = this.deps.store;
    if (inc.contentType.indexOf('report-type=delivery-status') >= 0 || inc.contentType.indexOf('report-type="delivery-status"') >= 0) {
      this.bounce(inc);
    } else if (r.error) {
      journalAdd(st, { t: now, kind: 'mail', result: 'malformed', why: r.error.substring(0, 80) });
      this.trace('mail ' + uid + ' malformed: ' + r.error);
    } else if (inc.job) {
      finishJobMail(this.jobHost(), inc.job, inc.from, inc.sealedParts);
    } else if (inc.sealedParts === 0 && this.deps.jobs && !isAutomatic(inc.auto, inc.from)) {
      // Somebody mailed the appliance without a sealed request (a document to fax, perhaps):
      // a plain answer saying how, never a call (docs/FAX-SERVER.md §5).
      journalAdd(st, { t: now, kind: 'mail', result: 'not sealed: answered' });
      refusePlain(this.jobHost(), inc.from, 'Your fax was not sent',
        'This fax appliance sends faxes only from sealed requests of its registered senders\r\n(faxvault client send --mail ...). Nothing was dialled.\r\n');
    } else if (inc.sealedParts !== 1 || inc.tooBig) {
      journalAdd(st, { t: now, kind: 'mail', result: 'not a request', parts: inc.sealedParts });
      this.trace('mail ' + uid + ' is not a faxvault request (' + inc.sealedParts + ' sealed parts' + (inc.tooBig ? ', too big' : '') + ')');
    } else this.request(inc);
    // Everything above is committed (journal, outbox, seen-cache in the store): delete it.
    this.deps.pop3.decide(uid, true);
  }

  bounce(inc: Incoming): void {
    this.deps.stats.bounces++;
    const now = this.deps.crypto.clock.wall();
    const id = inc.bounced.replace('<', '').replace('>', '');
    const list = sentList(this.deps.store);
    let hit: [string, number, string] | null = null;
    for (let i = 0; i < list.length; i++) if (list[i][0] === id) hit = list[i];
    journalAdd(this.deps.store, { t: now, kind: 'mail', result: 'bounced', status: inc.bounceStatus.substring(0, 12), doc: hit ? hit[1] : -1 });
    if (!hit) {
      this.trace('a bounce of a mail not sent from here (or too old)');
      return;
    }
    const kind = hit[2] === 'n' ? 'notice' : 'document';
    const info = this.deps.store.document(hit[1]);
    if (!info) {
      this.trace('bounce of the ' + kind + ' of document ' + hit[1] + ', which is gone');
      return;
    }
    // Queued again, tried after the back-off (a full mailbox may empty; a bad address will not:
    // the journal says so, and the owner sees the document at the panel).
    const ob = this.deps.agent.outbox;
    if (ob.add(hit[1], kind)) ob.failed(hit[1], kind, now, 'bounced (' + inc.bounceStatus + ')');
    this.trace('bounce of the ' + kind + ' of document ' + hit[1] + ' (status ' + inc.bounceStatus + '): queued again');
  }

  /** A sealed message from an owner: a request for a document, or a list. */
  request(inc: Incoming): void {
    const ctx = this.deps.crypto;
    const st = this.deps.store;
    const now = ctx.clock.wall();
    let total = 0;
    for (let i = 0; i < inc.sealed.length; i++) total += inc.sealed[i].length;
    const env = new Uint8Array(total);
    let o = 0;
    for (let i = 0; i < inc.sealed.length; i++) {
      env.set(inc.sealed[i], o);
      o += inc.sealed[i].length;
    }
    let sender = '';
    try {
      sender = decodeHeader(env).sender;
    } catch (e) {
      journalAdd(st, { t: now, kind: 'mail', result: 'malformed envelope' });
      this.trace('a sealed attachment that is not an envelope');
      return;
    }
    // Only a box owner may ask; a stranger's pair key is never computed, and no mail goes back
    // to a stranger (that would make the appliance a source of backscatter).
    if (!this.isOwner(sender)) {
      this.deps.stats.refused++;
      journalAdd(st, { t: now, kind: 'mail', result: 'not owner', peer: sender.substring(0, 80) });
      this.trace('request from ' + sender + ', who owns no box here: refused');
      return;
    }
    let m: { type: number; body: Uint8Array };
    try {
      const opened = openMessage(this.openPolicy(now), env);
      m = { type: opened.header.contentType, body: opened.plain };
    } catch (e) {
      const code = (e as EnvelopeError).code || 'malformed';
      this.deps.stats.refused++;
      journalAdd(st, { t: now, kind: 'mail', result: 'refused ' + code, peer: sender });
      this.trace('request mail from ' + sender + ' refused: ' + code);
      return;
    }
    if (m.type === MSG_ACK) return this.acknowledged(sender, m.body, now);
    this.deps.stats.requests++;
    if (m.type !== MSG_REQUEST && m.type !== MSG_LIST) {
      journalAdd(st, { t: now, kind: 'mail', result: 'unexpected ' + messageName(m.type), peer: sender });
      return;
    }
    let req: { box: string; doc: number; code: string };
    try {
      req = m.type === MSG_LIST ? { box: parseList(m.body).box, doc: -1, code: '' } : parseRequest(m.body);
    } catch (e) {
      return this.refuse(sender, { code: 'malformed', text: String((e as Error).message) });
    }
    const mb = this.deps.mailbox;
    const box = mb.box(req.box);
    if (!box) return this.refuse(sender, { code: 'unknown-box', text: 'there is no box ' + req.box });
    if (box.owner !== sender) {
      journalAdd(st, { t: now, kind: 'mail', box: box.number, result: 'not owner', peer: sender });
      return this.refuse(sender, { code: 'not-owner', text: 'box ' + box.number + ' belongs to someone else' });
    }
    if (m.type === MSG_LIST) return this.listing(sender, box);
    // ¶0067 / S95: the pass code, checked with the panel's hashing and lockout, journaled.
    const r = mb.tryCode(box.number, req.code, 'mail');
    if (r.result === 'wrong') return this.refuse(sender, { code: 'wrong-code', text: 'wrong pass code', triesLeft: LOCK_AFTER - r.failures });
    if (r.result === 'locked') return this.refuse(sender, { code: 'locked', text: 'box locked after wrong pass codes', lockedMs: r.lockedMs });
    // The attempt could not be recorded before the check (docs/SECURITY.md, Lockout): refused unchecked.
    if (r.result === 'unavailable') return this.refuse(sender, { code: 'unavailable', text: 'the appliance cannot record the attempt (memory full?); the code was not checked: try later' });
    if (r.result !== 'ok') return this.refuse(sender, { code: 'no-code', text: 'box ' + box.number + ' has no pass code set; open it at the panel' });
    const info = this.deps.store.document(req.doc);
    if (!info || info.meta.box !== box.number || info.open || info.pages === 0) {
      return this.refuse(sender, { code: 'no-document', text: 'no document ' + req.doc + ' in box ' + box.number });
    }
    // The commit: the document is in the power-safe outbox; the agent mails it (and retries),
    // also when it was delivered before and kept (the owner asks again: asked).
    const ob = this.deps.agent.outbox;
    ob.drop(info.id);
    if (!ob.add(info.id, 'document', true)) return this.refuse(sender, { code: 'busy', text: 'the outbox is full; ask again later' });
    journalAdd(st, { t: now, kind: 'mail', box: box.number, doc: info.id, result: 'requested', peer: sender });
    this.trace('request for document ' + info.id + ' of box ' + box.number + ' accepted: document queued');
    this.deps.agent.kick();
  }

  /**
   * The owner's client has the document (it wrote it, then mailed this): marked delivered, kept
   * or deleted as the box says. Only for a document of the sender's own box whose mail went out
   * and is still waiting in the outbox; anything else is journaled and changes nothing (a forged
   * one did not open, a replayed one was in the seen-cache, a stranger's was refused before).
   */
  acknowledged(sender: string, body: Uint8Array, now: number): void {
    const st = this.deps.store;
    let a: { doc: number; of: string };
    try {
      a = parseAck(body);
    } catch (e) {
      journalAdd(st, { t: now, kind: 'mail', result: 'malformed acknowledgement', peer: sender });
      return;
    }
    const info = a.of === 'document' ? st.document(a.doc) : null;
    const box = info ? this.deps.mailbox.box(info.meta.box) : null;
    if (!info || !box || box.owner !== sender) {
      // Only documents are acknowledged by mail (a notice is done at its 250).
      const why = a.of !== 'document' ? 'not of a document' : info ? 'not the owner' : 'no such document';
      journalAdd(st, { t: now, kind: 'mail', doc: a.doc, result: 'acknowledgement ignored', why: why, peer: sender });
      this.trace('acknowledgement of ' + a.of + ' ' + a.doc + ' from ' + sender + ' ignored');
      return;
    }
    const it = this.deps.agent.outbox.find(a.doc, 'document');
    if (!it || it.sent === 0) {
      // Already acknowledged (an acknowledgement of a copy sent again), or not mailed yet.
      journalAdd(st, { t: now, kind: 'mail', doc: a.doc, result: 'acknowledgement ignored', why: it ? 'not sent yet' : 'not awaited', peer: sender });
      this.trace('acknowledgement of document ' + a.doc + ' not awaited: nothing to do');
      return;
    }
    journalAdd(st, { t: now, kind: 'mail', box: box.number, doc: a.doc, result: 'acknowledged', peer: sender });
    this.trace('document ' + a.doc + ' acknowledged by ' + sender);
    this.deps.agent.delivered(a.doc, 'mail');
  }

  openPolicy(now: number): OpenPolicy {
    const ctx = this.deps.crypto;
    return {
      agreements: [ctx.agreement],
      cache: ctx.cache,
      accel: ctx.accel,
      suitesFor: null,
      aeads: null,
      now: now,
      // Mail has no challenge: a timestamp window and the persisted seen-cache stop replays.
      maxAgeMs: REQUEST_MAX_AGE_MS,
      maxFutureMs: REQUEST_MAX_FUTURE_MS,
      expectChallenge: null,
      replay: this.replay,
    };
  }

  isOwner(id: string): boolean {
    const boxes = this.deps.mailbox.boxes();
    for (let i = 0; i < boxes.length; i++) if (boxes[i].owner === id) return true;
    return false;
  }

  refuse(to: string, r: Refusal): void {
    this.deps.stats.refused++;
    this.trace('refused (' + r.code + ') to ' + to);
    this.reply(to, MSG_REFUSAL, r, 'refusal.fxv');
  }

  listing(to: string, box: BoxSettings): void {
    const docs: DocSummary[] = [];
    const waiting = this.deps.mailbox.waiting(box.number);
    for (let i = 0; i < waiting.length && docs.length < 100; i++) if (waiting[i].pages > 0) docs.push(docSummary(waiting[i], box.protection));
    this.trace('listing of box ' + box.number + ' (' + docs.length + ') to ' + to);
    this.reply(to, MSG_LISTING, { box: box.number, docs: docs }, 'listing.fxv');
  }

  /** The fax server's job mails as job-mail.ts sees this service. */
  jobHost(): JobMailHost {
    const self = this;
    return {
      store: this.deps.store,
      jobs: this.deps.jobs as LanJobsDeps,
      wall: function () {
        return self.deps.crypto.clock.wall();
      },
      policy: function () {
        return self.openPolicy(self.deps.crypto.clock.wall());
      },
      sealedReply: function (identity: string, type: number, body: unknown, filename: string) {
        self.reply(identity, type, body, filename);
      },
      plainReply: function (address: string, subject: string, text: string) {
        self.plainReply(address, subject, text);
      },
      say: function (what: string) {
        self.trace(what);
      },
    };
  }

  /** A sealed answer (refusal, listing, job result) through the sending half: best effort. */
  reply(owner: string, type: number, body: unknown, filename: string): void {
    const s = this.deps.sender();
    if (s) s.reply(owner, type, body, filename);
  }

  /** A plain answer with nothing confidential in it, through the sending half. */
  plainReply(to: string, subject: string, text: string): void {
    const s = this.deps.sender();
    if (s) s.plainReply(to, subject, text);
  }
}

/** `Name: value` in a block of header-like lines (a DSN's fields, returned headers). */
function findField(text: string, name: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const c = l.indexOf(':');
    if (c > 0 && l.substring(0, c).toLowerCase() === name) {
      let v = l.substring(c + 1);
      while (v.charAt(0) === ' ' || v.charAt(0) === '\t') v = v.substring(1);
      return v.replace('\r', '');
    }
  }
  return '';
}

export const CHECK_IDLE: State<MailboxCheck> = {
  name: 'IDLE',
  on: function (me: MailboxCheck, e: Evt) {
    if (e.sig !== 'CHECK_TIME') return;
    if (me.startCheck()) me.tran(CHECK_RUNNING);
    else me.deps.checked();
  },
};

export const CHECK_RUNNING: State<MailboxCheck> = {
  name: 'CHECKING',
  on: function (me: MailboxCheck, e: Evt) {
    switch (e.sig) {
      case 'MAIL_END': {
        const m = e as Evt & { uid: string; error: string | null };
        me.processMail(m.uid, m.error);
        return;
      }
      case 'CHECKED': {
        const r = (e as CheckedEvt).r;
        me.trace('mailbox checked: ' + r.text + (r.fetched ? ', ' + r.fetched + ' read, ' + r.deleted + ' deleted' : ''));
        me.deps.checked();
        me.tran(CHECK_IDLE);
        return;
      }
      case 'CHECK_TIME':
        return; // a check is under way
    }
  },
};
