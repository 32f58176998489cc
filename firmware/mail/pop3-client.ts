// The POP3 client (RFC 1939), one active object, one mailbox check per connection: greeting,
// STLS when offered (RFC 2595), USER/PASS, STAT, LIST, UIDL, then for each message the handler
// wants: RETR (lines streamed to the handler, dot-unstuffed, §3), a wait until the handler has
// processed the message and committed its result, DELE only if it asks, and QUIT — the server
// removes DELE'd messages only on QUIT (§6 UPDATE state), so a connection lost on the way deletes
// nothing and the same message comes again next time (the handler's seen-cache makes that safe).
import { Active, TimeEvt } from '../kernel/index.ts';
import type { Evt, State } from '../kernel/index.ts';
import type { Net } from '../../hal/net.ts';
import type { ServerUrl } from './url.ts';
import { describeServer } from './url.ts';
import { MailConn } from './conn.ts';

export interface Pop3Handler {
  /** A message on the server: fetch it now? (Messages not for the caller are left alone.) */
  want(uid: string, size: number): boolean;
  begin(uid: string, size: number): void;
  /** One line of the message without its CRLF (`b` is reused after the call). */
  line(b: Uint8Array, len: number): void;
  /**
   * The message is complete (error null) or broken off (error says why). The handler processes
   * it, commits what it must, then calls `decide(uid, remove)` — the session waits for that.
   */
  end(uid: string, error: string | null): void;
  /** The check is over (called exactly once). */
  done(r: Pop3Result): void;
}

export interface Pop3Result {
  ok: boolean;
  temporary: boolean;
  text: string;
  /** Messages in the mailbox, fetched, deleted in this session. */
  listed: number;
  fetched: number;
  deleted: number;
}

export interface Pop3Timeouts {
  /** A reply line (RFC 1939 §3: the server's own inactivity timer is at least 10 minutes). */
  reply: number;
  /** The handler's decision after a message (its processing and commit). */
  decide: number;
}

export const POP3_TIMEOUTS: Pop3Timeouts = { reply: 120000, decide: 300000 };

/** Longest line accepted: RFC 5322's 998 plus CRLF and a leading dot. */
const MAX_LINE = 1002;
/** Messages considered in one session (the rest wait for the next check). */
const MAX_LIST = 64;

export class Pop3Client extends Active {
  readonly conn: MailConn;
  readonly timer: TimeEvt;
  server: ServerUrl | null = null;
  handler: Pop3Handler | null = null;
  timeouts: Pop3Timeouts;
  nums: number[] = [];
  sizes: number[] = [];
  uids: string[] = [];
  /** Index into nums of the message being handled. */
  cur = -1;
  stage = '';
  stls = false;
  listed = 0;
  fetched = 0;
  deleted = 0;
  /** A multi-line response is being read (after +OK of LIST/UIDL/RETR/CAPA). */
  multi = false;
  tranAsked = false;
  /** Outcome decided; reported when the connection is closed. */
  result: Pop3Result | null = null;
  waiting: Evt[] = [];

  constructor(prio: number, readonly net: Net, timeouts?: Pop3Timeouts) {
    super('pop3', prio, 16, POP3_IDLE);
    this.conn = new MailConn(this, MAX_LINE);
    this.timer = new TimeEvt(this, 'TIMEOUT');
    this.timeouts = timeouts || POP3_TIMEOUTS;
  }

  /** Read the mailbox once; the handler is told of each message and of the end. */
  check(server: ServerUrl, handler: Pop3Handler): void {
    this.post({ sig: 'CHECK', server: server, handler: handler } as CheckEvt);
  }

  /** The handler's answer after end(): delete the message on the server, or leave it. */
  decide(uid: string, remove: boolean): void {
    this.post({ sig: 'DECIDED', uid: uid, remove: remove } as DecideEvt);
  }

  override tran(target: State<any>): void {
    this.tranAsked = true;
    super.tran(target);
  }

  cmd(text: string, traceText?: string): void {
    this.trace('> ' + (traceText || text));
    this.conn.writeText(text + '\r\n');
    this.timer.arm(this.timeouts.reply);
    // Input that came early (no NET_READ announces it again) is read by the next state.
    if (this.conn.buffered()) this.post({ sig: 'NET_READ', gen: this.conn.gen } as Evt);
  }

  /** End the session: failure (or success), QUIT unless the connection is gone. */
  finish(ok: boolean, temporary: boolean, text: string): void {
    this.result = { ok: ok, temporary: temporary, text: text, listed: this.listed, fetched: this.fetched, deleted: this.deleted };
    if (!ok) this.trace((temporary ? 'temporary' : 'permanent') + ' failure at ' + this.stage + ': ' + text.substring(0, 80));
    this.tran(POP3_QUIT);
  }

  /**
   * Read lines; `onLine(text, b, len)` sees each (text is the line as Latin-1, '' for body lines
   * where only b/len matter). Stops at a transition so later lines go to the next state.
   */
  readLines(e: Evt, onLine: (b: Uint8Array, len: number) => void): void {
    if (!this.conn.current(e)) return;
    const self = this;
    this.tranAsked = false;
    const res = this.conn.pull(function (b: Uint8Array, len: number): boolean {
      onLine(b, len);
      return !self.tranAsked && self.conn.sock !== null;
    });
    if (res === 'long') {
      if (this.stage === 'RETR' && this.handler) {
        const h = this.handler;
        h.end(this.uids[this.cur], 'a line of the message is longer than ' + MAX_LINE + ' bytes');
      }
      this.conn.drop();
      this.finish(false, true, 'a line longer than ' + MAX_LINE + ' bytes from the server');
    } else if (res === 'more' && this.conn.sock) this.post({ sig: 'NET_READ', gen: this.conn.gen } as Evt);
  }

  /** The next message the handler wants, or QUIT. */
  nextMessage(): void {
    const h = this.handler as Pop3Handler;
    for (this.cur++; this.cur < this.nums.length; this.cur++) {
      if (h.want(this.uids[this.cur], this.sizes[this.cur])) {
        this.stage = 'RETR';
        this.cmd('RETR ' + this.nums[this.cur]);
        this.tran(POP3_RETR);
        return;
      }
    }
    this.finish(true, false, 'checked ' + this.listed + ' message(s)');
  }
}

interface CheckEvt extends Evt {
  server: ServerUrl;
  handler: Pop3Handler;
}

interface DecideEvt extends Evt {
  uid: string;
  remove: boolean;
}

function text(b: Uint8Array, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(b[i]);
  return s;
}

function ok(s: string): boolean {
  return s.substring(0, 3) === '+OK';
}

/** A status line that is neither +OK nor -ERR: the server is not speaking POP3. */
function bad(s: string): boolean {
  return !ok(s) && s.substring(0, 4) !== '-ERR';
}

function common(me: Pop3Client, e: Evt): void {
  switch (e.sig) {
    case 'NET_CLOSED':
      if (!me.conn.current(e)) return;
      me.conn.sock = null;
      if (me.stage === 'RETR' && me.handler) {
        const h = me.handler;
        h.end(me.uids[me.cur], 'the connection was lost in the middle of the message');
      }
      me.finish(false, true, 'the connection was closed by the server during ' + me.stage + ((e as any).error ? ' (' + (e as any).error + ')' : ''));
      return;
    case 'TIMEOUT':
      if (me.stage === 'RETR' && me.handler) {
        const h = me.handler;
        h.end(me.uids[me.cur], 'the message stopped arriving');
      }
      me.finish(false, true, 'no answer from the server in time during ' + me.stage);
      return;
    case 'NET_WRITABLE':
      if (me.conn.current(e)) me.conn.flush();
      return;
    case 'CHECK':
      // One check at a time; a second request while one runs is taken afterwards.
      if (me.waiting.length === 0) me.waiting.push(e);
      return;
  }
}

export const POP3_IDLE: State<Pop3Client> = {
  name: 'IDLE',
  on: function (me: Pop3Client, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.timer.disarm();
      const w = me.waiting.shift();
      if (w) me.post(w);
      return;
    }
    if (e.sig !== 'CHECK') return;
    const c = e as CheckEvt;
    me.server = c.server;
    me.handler = c.handler;
    me.nums = [];
    me.sizes = [];
    me.uids = [];
    me.cur = -1;
    me.listed = 0;
    me.fetched = 0;
    me.deleted = 0;
    me.stls = false;
    me.stage = 'CONNECT';
    me.trace('connect ' + describeServer(c.server));
    const err = me.conn.open(me.net, c.server.host, c.server.port, c.server.tls);
    if (err) {
      me.result = { ok: false, temporary: false, text: err, listed: 0, fetched: 0, deleted: 0 };
      me.tran(POP3_QUIT);
      return;
    }
    me.timer.arm(me.timeouts.reply);
    me.tran(POP3_GREETING);
  },
};

export const POP3_GREETING: State<Pop3Client> = {
  name: 'GREETING',
  on: function (me: Pop3Client, e: Evt) {
    if (e.sig === 'NET_UP') return;
    if (e.sig !== 'NET_READ') {
      common(me, e);
      return;
    }
    me.readLines(e, function (b: Uint8Array, len: number) {
      const s = text(b, len);
      me.trace('< ' + s.substring(0, 60));
      if (!ok(s)) {
        me.finish(false, !bad(s), 'greeting: ' + s.substring(0, 100));
        return;
      }
      const srv = me.server as ServerUrl;
      if (!me.conn.tls && srv.starttls !== 'no' && me.net.startTls) {
        // CAPA tells whether STLS is offered (RFC 2449 §5); an old server answers -ERR.
        me.stage = 'CAPA';
        me.cmd('CAPA');
        me.tran(POP3_CAPA);
        return;
      }
      if (!me.conn.tls && srv.starttls === 'yes') {
        me.finish(false, false, 'STLS required but this network stack cannot start TLS');
        return;
      }
      me.stage = 'USER';
      me.cmd('USER ' + srv.user);
      me.tran(POP3_USER);
    });
  },
};

export const POP3_CAPA: State<Pop3Client> = {
  name: 'CAPA',
  on: function (me: Pop3Client, e: Evt) {
    if (e.sig !== 'NET_READ') {
      common(me, e);
      return;
    }
    me.readLines(e, function (b: Uint8Array, len: number) {
      const s = text(b, len);
      const srv = me.server as ServerUrl;
      if (!me.multi) {
        if (ok(s)) {
          me.multi = true;
          return;
        }
        if (bad(s)) {
          me.finish(false, false, 'CAPA: not a POP3 reply');
          return;
        }
      } else if (s !== '.') {
        if (s.toUpperCase() === 'STLS') me.stls = true;
        return;
      }
      me.multi = false;
      if (me.stls) {
        me.stage = 'STLS';
        me.cmd('STLS');
        me.tran(POP3_STLS);
        return;
      }
      if (srv.starttls === 'yes') {
        me.finish(false, false, 'STLS required but the server does not offer it');
        return;
      }
      me.stage = 'USER';
      me.cmd('USER ' + srv.user);
      me.tran(POP3_USER);
    });
  },
};

export const POP3_STLS: State<Pop3Client> = {
  name: 'STLS',
  on: function (me: Pop3Client, e: Evt) {
    if (e.sig === 'NET_UP') {
      // The TLS handshake is done (RFC 2595 §4): authenticate under it.
      if (!me.conn.current(e)) return;
      me.trace('TLS started');
      me.stage = 'USER';
      me.cmd('USER ' + (me.server as ServerUrl).user);
      me.tran(POP3_USER);
      return;
    }
    if (e.sig !== 'NET_READ') {
      common(me, e);
      return;
    }
    me.readLines(e, function (b: Uint8Array, len: number) {
      const s = text(b, len);
      if (!ok(s)) {
        me.finish(false, false, 'STLS: ' + s.substring(0, 100));
        return;
      }
      const err = me.conn.upgrade(me.net, (me.server as ServerUrl).host);
      if (err) me.finish(false, false, err);
      else me.timer.arm(me.timeouts.reply);
    });
  },
};

export const POP3_USER: State<Pop3Client> = {
  name: 'USER',
  on: function (me: Pop3Client, e: Evt) {
    if (e.sig !== 'NET_READ') {
      common(me, e);
      return;
    }
    me.readLines(e, function (b: Uint8Array, len: number) {
      const s = text(b, len);
      me.trace('< ' + s.substring(0, 60));
      if (me.stage === 'USER') {
        if (!ok(s)) {
          me.finish(false, false, 'USER: ' + s.substring(0, 100));
          return;
        }
        me.stage = 'PASS';
        me.cmd('PASS ' + (me.server as ServerUrl).pass, 'PASS (password)');
        return;
      }
      if (!ok(s)) {
        // RFC 2449 §8.1.1: [IN-USE] and [SYS/TEMP] are temporary; a wrong password is not.
        const temp = s.indexOf('[IN-USE]') >= 0 || s.indexOf('[SYS/TEMP]') >= 0;
        me.finish(false, temp, 'PASS: ' + s.substring(0, 100));
        return;
      }
      me.stage = 'STAT';
      me.cmd('STAT');
      me.tran(POP3_LISTING);
    });
  },
};

/** STAT, LIST and UIDL: which messages there are, their sizes and unique ids (§5, §7). */
export const POP3_LISTING: State<Pop3Client> = {
  name: 'LISTING',
  on: function (me: Pop3Client, e: Evt) {
    if (e.sig !== 'NET_READ') {
      common(me, e);
      return;
    }
    me.readLines(e, function (b: Uint8Array, len: number) {
      const s = text(b, len);
      if (me.stage === 'STAT') {
        me.trace('< ' + s.substring(0, 60));
        if (!ok(s)) {
          me.finish(false, !bad(s), 'STAT: ' + s.substring(0, 100));
          return;
        }
        me.listed = parseInt(s.substring(4), 10) || 0;
        if (me.listed === 0) {
          me.finish(true, false, 'no messages');
          return;
        }
        me.stage = 'LIST';
        me.cmd('LIST');
        return;
      }
      if (!me.multi) {
        if (!ok(s)) {
          if (me.stage === 'UIDL' && !bad(s)) {
            // UIDL is optional (§7): without it, number and size stand in for the id.
            for (let i = 0; i < me.nums.length; i++) me.uids[i] = 'n' + me.nums[i] + 's' + me.sizes[i];
            me.nextMessage();
            return;
          }
          me.finish(false, !bad(s), me.stage + ': ' + s.substring(0, 100));
          return;
        }
        me.multi = true;
        return;
      }
      if (s !== '.') {
        const sp = s.indexOf(' ');
        const n = parseInt(s.substring(0, sp), 10);
        const v = s.substring(sp + 1);
        if (sp <= 0 || !(n > 0)) {
          me.finish(false, false, me.stage + ': a malformed line in the listing');
          return;
        }
        if (me.stage === 'LIST') {
          if (me.nums.length < MAX_LIST) {
            me.nums.push(n);
            me.sizes.push(parseInt(v, 10) || 0);
            me.uids.push('');
          }
        } else {
          const i = me.nums.indexOf(n);
          if (i >= 0) me.uids[i] = v.substring(0, 70);
        }
        return;
      }
      me.multi = false;
      me.trace('< ' + me.stage + ': ' + me.nums.length + ' message(s)');
      if (me.stage === 'LIST') {
        me.stage = 'UIDL';
        me.cmd('UIDL');
        return;
      }
      for (let i = 0; i < me.nums.length; i++) if (!me.uids[i]) me.uids[i] = 'n' + me.nums[i] + 's' + me.sizes[i];
      me.nextMessage();
    });
  },
};

export const POP3_RETR: State<Pop3Client> = {
  name: 'RETR',
  on: function (me: Pop3Client, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.multi = false;
      return;
    }
    if (e.sig !== 'NET_READ') {
      common(me, e);
      return;
    }
    me.readLines(e, function (b: Uint8Array, len: number) {
      const h = me.handler as Pop3Handler;
      const uid = me.uids[me.cur];
      if (!me.multi) {
        const s = text(b, len);
        me.trace('< ' + s.substring(0, 60));
        if (!ok(s)) {
          // The message may have been removed by another session: skip it.
          if (bad(s)) me.finish(false, false, 'RETR: not a POP3 reply');
          else me.nextMessage();
          return;
        }
        me.multi = true;
        h.begin(uid, me.sizes[me.cur]);
        return;
      }
      me.timer.arm(me.timeouts.reply);
      if (len === 1 && b[0] === 46) {
        me.multi = false;
        me.fetched++;
        me.trace('message ' + me.nums[me.cur] + ' received');
        me.tran(POP3_DECIDE);
        h.end(uid, null);
        return;
      }
      // Byte-stuffing (§3): a line that begins with '.' had one more added by the server.
      if (len > 0 && b[0] === 46) h.line(b.subarray(1), len - 1);
      else h.line(b, len);
    });
  },
};

/** Waiting for the handler to process and commit the message, then DELE or not. */
export const POP3_DECIDE: State<Pop3Client> = {
  name: 'DECIDE',
  on: function (me: Pop3Client, e: Evt) {
    switch (e.sig) {
      case 'ENTRY':
        me.timer.arm(me.timeouts.decide);
        return;
      case 'DECIDED': {
        const d = e as DecideEvt;
        if (d.uid !== me.uids[me.cur]) return;
        if (d.remove) {
          me.stage = 'DELE';
          me.cmd('DELE ' + me.nums[me.cur]);
          me.tran(POP3_DELE);
        } else me.nextMessage();
        return;
      }
      case 'TIMEOUT':
        me.finish(false, true, 'the message was not processed in time; it stays on the server');
        return;
      case 'NET_READ':
        return; // nothing is expected now; it is read with the next reply
    }
    common(me, e);
  },
};

export const POP3_DELE: State<Pop3Client> = {
  name: 'DELE',
  on: function (me: Pop3Client, e: Evt) {
    if (e.sig !== 'NET_READ') {
      common(me, e);
      return;
    }
    me.readLines(e, function (b: Uint8Array, len: number) {
      const s = text(b, len);
      me.trace('< ' + s.substring(0, 60));
      if (ok(s)) me.deleted++;
      else if (bad(s)) {
        me.finish(false, false, 'DELE: not a POP3 reply');
        return;
      }
      me.nextMessage();
    });
  },
};

/** QUIT (the server applies the DELEs now, §6), then report the outcome. */
export const POP3_QUIT: State<Pop3Client> = {
  name: 'QUIT',
  on: function (me: Pop3Client, e: Evt) {
    switch (e.sig) {
      case 'ENTRY':
        me.multi = false;
        if (!me.conn.sock) {
          me.tran(POP3_DONE);
          return;
        }
        me.stage = 'QUIT';
        me.cmd('QUIT');
        me.timer.arm(10000);
        return;
      case 'NET_READ':
        me.readLines(e, function (b: Uint8Array, len: number) {
          const s = text(b, len);
          me.trace('< ' + s.substring(0, 60));
          if (!ok(s) && me.result && me.result.ok && me.deleted > 0) {
            // The UPDATE state failed: the deletions were not applied (§6).
            me.result = { ok: false, temporary: true, text: 'QUIT: ' + s.substring(0, 100), listed: me.listed, fetched: me.fetched, deleted: 0 };
          }
          me.tran(POP3_DONE);
        });
        return;
      case 'NET_CLOSED':
      case 'TIMEOUT':
        if (e.sig === 'NET_CLOSED' && !me.conn.current(e)) return;
        if (me.result && me.result.ok && me.deleted > 0) {
          // No +OK to QUIT: whether the server removed the messages is unknown.
          me.result = { ok: false, temporary: true, text: 'no reply to QUIT: deletions unconfirmed', listed: me.listed, fetched: me.fetched, deleted: 0 };
        }
        me.tran(POP3_DONE);
        return;
    }
    common(me, e);
  },
};

/** Close and tell the handler (a state of its own so the report comes after the connection is gone). */
export const POP3_DONE: State<Pop3Client> = {
  name: 'DONE',
  on: function (me: Pop3Client, e: Evt) {
    if (e.sig !== 'ENTRY') {
      if (e.sig === 'CHECK') common(me, e);
      return;
    }
    me.timer.disarm();
    me.conn.drop();
    const h = me.handler;
    const r = me.result || { ok: false, temporary: true, text: 'session ended', listed: 0, fetched: 0, deleted: 0 };
    me.handler = null;
    me.result = null;
    me.tran(POP3_IDLE);
    if (h) h.done(r);
  },
};
