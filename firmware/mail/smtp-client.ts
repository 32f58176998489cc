// The SMTP client (RFC 5321), one active object, one message per connection: greeting, EHLO (HELO
// when EHLO is refused, §3.2), STARTTLS when offered (RFC 3207), AUTH PLAIN or LOGIN (RFC 4954),
// MAIL/RCPT/DATA — pipelined when the server offers PIPELINING (RFC 2920), with SIZE when it
// offers SIZE (RFC 1870) — the body streamed from a ByteSource with dot-stuffing (§4.5.2), QUIT.
//
// Every reply is judged by its first digit (§4.2.1): 2xx/3xx go on as the state expects, 4xx is a
// temporary failure (the caller retries later), 5xx a permanent one (journaled, not retried as
// is). A dropped connection or a timeout before the final 250 after DATA is temporary: the message
// is not delivered and nothing was lost (the caller still has it). Timeouts follow §4.5.3.2.
import { Active, TimeEvt } from '../kernel/index.ts';
import type { Evt, State } from '../kernel/index.ts';
import type { Net } from '../../hal/net.ts';
import type { ByteSource } from './source.ts';
import type { ServerUrl } from './url.ts';
import { describeServer } from './url.ts';
import { MailConn } from './conn.ts';
import { base64Encode, utf8Encode } from './text.ts';

export interface SmtpJob {
  from: string;
  to: string[];
  body: ByteSource;
  /** Size estimate for SIZE= (RFC 1870 §5: not below the real size); 0 when unknown. */
  size: number;
  done: (r: SmtpResult) => void;
}

export interface SmtpResult {
  ok: boolean;
  /** A 4xx, a timeout or a lost connection: try again later. */
  temporary: boolean;
  /** The reply code that decided (0 for a local or network failure). */
  code: number;
  /** Where it happened: CONNECT, GREETING, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, BODY, DOT. */
  stage: string;
  text: string;
  accepted: string[];
  rejected: { address: string; code: number; text: string }[];
}

export interface SmtpTimeouts {
  /** §4.5.3.2.1: initial 220 message, 5 minutes. */
  greeting: number;
  /** §4.5.3.2.2/3: MAIL and RCPT, 5 minutes (used for EHLO, AUTH, STARTTLS too). */
  command: number;
  /** §4.5.3.2.4: DATA initiation, 2 minutes. */
  dataStart: number;
  /** §4.5.3.2.5: each block of data written, 3 minutes. */
  dataBlock: number;
  /** §4.5.3.2.6: the reply after the final dot, 10 minutes. */
  dataEnd: number;
}

export const RFC5321_TIMEOUTS: SmtpTimeouts = {
  greeting: 300000,
  command: 300000,
  dataStart: 120000,
  dataBlock: 180000,
  dataEnd: 600000,
};

/** A reply line is at most 512 octets, CRLF included (RFC 5321 §4.5.3.1.5). */
const MAX_REPLY_LINE = 512;
/** Lines of one multi-line reply accepted (EHLO lists a dozen). */
const MAX_REPLY_LINES = 64;
/** Messages that may wait for the connection in use. */
const MAX_WAITING = 4;
/** Body bytes read from the source per event. */
const BODY_SLICE = 1024;

interface Reply {
  code: number;
  lines: string[];
}

export class SmtpClient extends Active {
  readonly conn: MailConn;
  readonly timer: TimeEvt;
  job: SmtpJob | null = null;
  server: ServerUrl | null = null;
  timeouts: SmtpTimeouts;
  /** Extensions from EHLO, upper case keyword -> parameters. */
  ext: { [kw: string]: string } = {};
  private replyLines: string[] = [];
  /** Pipelined replies still expected, in order ('MAIL', 'RCPT:i', 'DATA'). */
  expect: string[] = [];
  accepted: string[] = [];
  rejected: { address: string; code: number; text: string }[] = [];
  stage = '';
  /** Dot-stuffing state: at the start of a line of the body (§4.5.2). */
  atLineStart = true;
  lastCR = false;
  bodyEnded = false;
  authStep = 0;
  usedEhlo = true;
  /** Set when the current job's failure is decided; the connection is then closed politely. */
  result: SmtpResult | null = null;
  /** Messages accepted by a server since boot (status screen, bench). */
  sent = 0;

  constructor(prio: number, readonly net: Net, readonly hostname: string, timeouts?: SmtpTimeouts) {
    super('smtp', prio, 16, SMTP_IDLE);
    this.conn = new MailConn(this, MAX_REPLY_LINE);
    this.timer = new TimeEvt(this, 'TIMEOUT');
    this.timeouts = timeouts || RFC5321_TIMEOUTS;
  }

  /** Send one message; `job.done` is called exactly once with the outcome. */
  send(server: ServerUrl, job: SmtpJob): void {
    this.post({ sig: 'SEND', server: server, job: job } as SendEvt);
  }

  busy(): boolean {
    return this.state !== SMTP_IDLE;
  }

  cmd(text: string, traceText?: string): void {
    this.trace('> ' + (traceText || text));
    this.conn.writeText(text + '\r\n');
    if (this.conn.buffered()) this.post({ sig: 'NET_READ', gen: this.conn.gen } as Evt);
  }

  /**
   * Collect reply lines; returns a complete reply or null. A line `250-…` continues, `250 …`
   * (or a bare `250`) ends the reply (§4.2.1).
   */
  replyFrom(b: Uint8Array, len: number): Reply | null | 'bad' {
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(b[i]);
    const code = len >= 3 ? parseInt(s.substring(0, 3), 10) : NaN;
    const sep = s.charAt(3);
    if (code !== code || code < 200 || code > 599 || (len > 3 && sep !== ' ' && sep !== '-')) return 'bad';
    if (this.replyLines.length >= MAX_REPLY_LINES) return 'bad';
    this.replyLines.push(s.substring(4));
    if (sep === '-') return null;
    const r: Reply = { code: code, lines: this.replyLines };
    this.replyLines = [];
    this.trace('< ' + code + (r.lines[0] ? ' ' + r.lines[0].substring(0, 60) : '') + (r.lines.length > 1 ? ' (+' + (r.lines.length - 1) + ' lines)' : ''));
    return r;
  }

  /** End the job with a failure decided by `code` (0: network/local) and close the connection. */
  fail(code: number, text: string, temporary?: boolean): void {
    const temp = temporary !== undefined ? temporary : code === 0 || (code >= 400 && code < 500);
    this.result = {
      ok: false,
      temporary: temp,
      code: code,
      stage: this.stage,
      text: text,
      accepted: this.accepted,
      rejected: this.rejected,
    };
    this.trace((temp ? 'temporary' : 'permanent') + ' failure at ' + this.stage + ': ' + (code ? code + ' ' : '') + text.substring(0, 80));
    this.tran(SMTP_QUIT);
  }

  finish(): void {
    const job = this.job;
    const r = this.result;
    this.job = null;
    this.result = null;
    this.conn.drop();
    this.timer.disarm();
    if (job && r) {
      const cb = job.done;
      cb(r);
    }
  }

  /** Read replies on NET_READ and hand each to the state; handles line/format errors. */
  readReplies(e: Evt, onReply: (r: Reply) => void): void {
    if (!this.conn.current(e)) return;
    const self = this;
    const st = this.state;
    this.tranAsked = false;
    const res = this.conn.pull(function (b: Uint8Array, len: number): boolean {
      const r = self.replyFrom(b, len);
      if (r === 'bad') {
        self.fail(0, 'the server sent something that is not an SMTP reply');
        return false;
      }
      if (r) onReply(r);
      // Stop when the state changed: the rest belongs to the next state's handler.
      return self.state === st && !self.pendingTran();
    });
    if (res === 'long') this.fail(0, 'a reply line longer than ' + MAX_REPLY_LINE + ' bytes');
    else if (res === 'more' && this.conn.sock) this.post({ sig: 'NET_READ', gen: this.conn.gen } as Evt);
  }

  /** A transition was asked for since the flag was cleared (replies after it wait for the next state). */
  tranAsked = false;
  /** SEND events that came while a message was under way; taken in order when IDLE again. */
  waiting: Evt[] = [];

  override tran(target: State<any>): void {
    this.tranAsked = true;
    super.tran(target);
  }

  pendingTran(): boolean {
    return this.tranAsked;
  }

  afterGreetingOrTls(): void {
    this.ext = {};
    this.stage = 'EHLO';
    this.usedEhlo = true;
    this.cmd('EHLO ' + this.hostname);
    this.timer.arm(this.timeouts.command);
    this.tran(SMTP_EHLO);
  }

  /** After EHLO/HELO (and TLS): STARTTLS, AUTH or the envelope. */
  next(): void {
    const srv = this.server as ServerUrl;
    if (!this.conn.tls && srv.starttls !== 'no') {
      const offered = 'STARTTLS' in this.ext;
      if (offered && this.net.startTls) {
        this.stage = 'STARTTLS';
        this.cmd('STARTTLS');
        this.timer.arm(this.timeouts.command);
        this.tran(SMTP_STARTTLS);
        return;
      }
      if (srv.starttls === 'yes') {
        this.fail(0, offered ? 'STARTTLS required but this network stack cannot start TLS' : 'STARTTLS required but the server does not offer it', false);
        return;
      }
    }
    if (srv.user) {
      const mechs = ' ' + (this.ext.AUTH || '').toUpperCase() + ' ';
      this.stage = 'AUTH';
      this.authStep = 0;
      if (mechs.indexOf(' PLAIN ') >= 0) {
        // RFC 4616: authzid NUL authcid NUL password, in base64 (the trace shows no credentials).
        const p = utf8Encode('\u0000' + srv.user + '\u0000' + srv.pass);
        this.cmd('AUTH PLAIN ' + base64Encode(p), 'AUTH PLAIN (credentials)');
      } else if (mechs.indexOf(' LOGIN ') >= 0) {
        this.cmd('AUTH LOGIN');
      } else {
        this.fail(0, 'a user is set but the server offers neither AUTH PLAIN nor AUTH LOGIN' + (this.conn.tls ? '' : ' (some servers offer AUTH only under TLS)'), false);
        return;
      }
      this.timer.arm(this.timeouts.command);
      this.tran(SMTP_AUTH);
      return;
    }
    this.envelope();
  }

  /** MAIL FROM, RCPT TO… and DATA: all at once with PIPELINING (RFC 2920 §3.1), else in turn. */
  envelope(): void {
    const job = this.job as SmtpJob;
    this.stage = 'MAIL';
    const limit = this.ext.SIZE !== undefined ? parseInt(this.ext.SIZE, 10) : 0;
    if (limit > 0 && job.size > limit) {
      this.fail(552, 'the message (' + job.size + ' bytes) is larger than the server takes (' + limit + ')', false);
      return;
    }
    const size = this.ext.SIZE !== undefined && job.size > 0 ? ' SIZE=' + job.size : '';
    this.accepted = [];
    this.rejected = [];
    this.expect = ['MAIL'];
    this.cmd('MAIL FROM:<' + job.from + '>' + size);
    if ('PIPELINING' in this.ext) {
      for (let i = 0; i < job.to.length; i++) {
        this.expect.push('RCPT:' + i);
        this.cmd('RCPT TO:<' + job.to[i] + '>');
      }
      this.expect.push('DATA');
      this.cmd('DATA');
    }
    this.timer.arm(this.timeouts.command);
    this.tran(SMTP_ENVELOPE);
  }

  /** One slice of the body: dot-stuffed, bare line ends made CRLF (§2.3.8). */
  pump(): void {
    if (this.conn.waiting()) return; // NET_WRITABLE resumes
    const job = this.job as SmtpJob;
    let b: Uint8Array | null;
    try {
      b = job.body.read(BODY_SLICE);
    } catch (err) {
      // The source failed (flash error): the message must not be ended with a dot, or the
      // server would deliver a truncated document. Dropping the connection aborts it (§4.1.1.4).
      this.fail(0, 'the message could not be read: ' + String((err as Error).message || err), true);
      return;
    }
    if (b === null) {
      this.bodyEnded = true;
      const end = this.atLineStart ? '.\r\n' : '\r\n.\r\n';
      this.trace('> (body) .');
      this.conn.writeText(end);
      this.stage = 'DOT';
      this.timer.arm(this.timeouts.dataEnd);
      this.tran(SMTP_DOT);
      return;
    }
    const out = new Uint8Array(b.length * 2 + 2);
    let o = 0;
    for (let i = 0; i < b.length; i++) {
      const c = b[i];
      if (c === 10 && !this.lastCR) out[o++] = 13;
      if (this.atLineStart && c === 46) out[o++] = 46;
      out[o++] = c;
      this.lastCR = c === 13;
      this.atLineStart = c === 10;
    }
    this.timer.arm(this.timeouts.dataBlock);
    if (this.conn.write(out.subarray(0, o))) this.post({ sig: 'PUMP' });
  }
}

interface SendEvt extends Evt {
  server: ServerUrl;
  job: SmtpJob;
}

/** Common to every connected state: lost connection, timeouts, output drained. */
function connected(me: SmtpClient, e: Evt): boolean {
  if (e.sig === 'NET_CLOSED') {
    if (!me.conn.current(e)) return true;
    const err = (e as any).error as string | null;
    me.conn.sock = null;
    me.fail(0, 'the connection was closed by the server' + (err ? ' (' + err + ')' : '') + ' during ' + me.stage);
    return true;
  }
  if (e.sig === 'TIMEOUT') {
    me.fail(0, 'no answer from the server in time during ' + me.stage + ' (RFC 5321 §4.5.3.2)');
    return true;
  }
  if (e.sig === 'NET_WRITABLE') {
    if (me.conn.current(e) && me.conn.flush() && me.state === SMTP_BODY) me.post({ sig: 'PUMP' });
    return true;
  }
  if (e.sig === 'SEND') {
    if (me.waiting.length < MAX_WAITING) {
      me.waiting.push(e);
      return true;
    }
    const s = e as SendEvt;
    const cb = s.job.done;
    cb({ ok: false, temporary: true, code: 0, stage: 'CONNECT', text: 'the SMTP client has too many messages waiting', accepted: [], rejected: [] });
    return true;
  }
  return false;
}

export const SMTP_IDLE: State<SmtpClient> = {
  name: 'IDLE',
  on: function (me: SmtpClient, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.timer.disarm();
      const w = me.waiting.shift();
      if (w) me.post(w);
      return;
    }
    if (e.sig !== 'SEND') return;
    const s = e as SendEvt;
    me.job = s.job;
    me.server = s.server;
    me.stage = 'CONNECT';
    me.atLineStart = true;
    me.lastCR = false;
    me.bodyEnded = false;
    me.accepted = [];
    me.rejected = [];
    me.trace('connect ' + describeServer(s.server));
    const err = me.conn.open(me.net, s.server.host, s.server.port, s.server.tls);
    if (err) {
      me.result = { ok: false, temporary: false, code: 0, stage: 'CONNECT', text: err, accepted: [], rejected: [] };
      me.finish();
      const w = me.waiting.shift();
      if (w) me.post(w);
      return;
    }
    me.timer.arm(me.timeouts.greeting);
    me.tran(SMTP_GREETING);
  },
};

export const SMTP_GREETING: State<SmtpClient> = {
  name: 'GREETING',
  on: function (me: SmtpClient, e: Evt) {
    if (e.sig === 'NET_UP') {
      if (me.conn.current(e)) me.stage = 'GREETING';
      return;
    }
    if (e.sig === 'NET_READ') {
      me.readReplies(e, function (r: Reply) {
        if (r.code === 220) me.afterGreetingOrTls();
        else me.fail(r.code, 'greeting: ' + r.lines.join(' '));
      });
      return;
    }
    connected(me, e);
  },
};

export const SMTP_EHLO: State<SmtpClient> = {
  name: 'EHLO',
  on: function (me: SmtpClient, e: Evt) {
    if (e.sig !== 'NET_READ') {
      connected(me, e);
      return;
    }
    me.readReplies(e, function (r: Reply) {
      if (r.code === 250) {
        // The first line is the server's name; each further line an extension (§4.1.1.1).
        for (let i = 1; i < r.lines.length && me.usedEhlo; i++) {
          const l = r.lines[i];
          const sp = l.indexOf(' ');
          const kw = (sp < 0 ? l : l.substring(0, sp)).toUpperCase();
          me.ext[kw] = sp < 0 ? '' : l.substring(sp + 1);
        }
        me.next();
        return;
      }
      if (me.usedEhlo && (r.code === 500 || r.code === 502 || r.code === 504 || r.code === 550)) {
        // An old server without EHLO: HELO, no extensions (§3.2).
        me.usedEhlo = false;
        me.cmd('HELO ' + me.hostname);
        me.timer.arm(me.timeouts.command);
        return;
      }
      me.fail(r.code, (me.usedEhlo ? 'EHLO' : 'HELO') + ': ' + r.lines.join(' '));
    });
  },
};

export const SMTP_STARTTLS: State<SmtpClient> = {
  name: 'STARTTLS',
  on: function (me: SmtpClient, e: Evt) {
    if (e.sig !== 'NET_READ') {
      connected(me, e);
      return;
    }
    me.readReplies(e, function (r: Reply) {
      if (r.code !== 220) {
        me.fail(r.code, 'STARTTLS: ' + r.lines.join(' '));
        return;
      }
      const err = me.conn.upgrade(me.net, (me.server as ServerUrl).host);
      if (err) {
        me.fail(0, err, false);
        return;
      }
      me.trace('TLS started');
      // RFC 3207 §4.2: forget what the server said before, greet it again.
      me.tran(SMTP_TLS_WAIT);
    });
  },
};

/** The TLS handshake: the socket reports NET_UP when it is done. */
export const SMTP_TLS_WAIT: State<SmtpClient> = {
  name: 'TLS_HANDSHAKE',
  on: function (me: SmtpClient, e: Evt) {
    if (e.sig === 'NET_UP') {
      if (me.conn.current(e)) me.afterGreetingOrTls();
      return;
    }
    if (e.sig === 'NET_READ') return; // nothing is expected before EHLO
    connected(me, e);
  },
};

export const SMTP_AUTH: State<SmtpClient> = {
  name: 'AUTH',
  on: function (me: SmtpClient, e: Evt) {
    if (e.sig !== 'NET_READ') {
      connected(me, e);
      return;
    }
    me.readReplies(e, function (r: Reply) {
      const srv = me.server as ServerUrl;
      if (r.code === 235) {
        me.trace('authenticated');
        me.envelope();
        return;
      }
      if (r.code === 334 && me.authStep < 2) {
        // AUTH LOGIN's two challenges: user name, then password (base64, no trace of either).
        const v = me.authStep === 0 ? srv.user : srv.pass;
        me.authStep++;
        me.cmd(base64Encode(utf8Encode(v)), me.authStep === 1 ? '(user)' : '(password)');
        me.timer.arm(me.timeouts.command);
        return;
      }
      // 535 bad credentials, 534 mechanism too weak…: permanent; 454 temporary (RFC 4954 §6).
      me.fail(r.code === 334 ? 0 : r.code, 'AUTH: ' + r.lines.join(' '), r.code === 334 ? false : undefined);
    });
  },
};

export const SMTP_ENVELOPE: State<SmtpClient> = {
  name: 'ENVELOPE',
  on: function (me: SmtpClient, e: Evt) {
    if (e.sig !== 'NET_READ') {
      connected(me, e);
      return;
    }
    me.readReplies(e, function (r: Reply) {
      const job = me.job as SmtpJob;
      const what = me.expect.shift() || '';
      const text = r.lines.join(' ');
      const pipelined = 'PIPELINING' in me.ext;
      if (what === 'MAIL') {
        if (r.code !== 250) {
          me.fail(r.code, 'MAIL FROM: ' + text);
          return;
        }
        me.stage = 'RCPT';
        if (!pipelined) {
          me.expect.push('RCPT:0');
          me.cmd('RCPT TO:<' + job.to[0] + '>');
        }
        me.timer.arm(me.timeouts.command);
        return;
      }
      if (what.indexOf('RCPT:') === 0) {
        const i = parseInt(what.substring(5), 10);
        // 250 or 251 (will forward) accept; anything else rejects this recipient only (§3.3).
        if (r.code === 250 || r.code === 251) me.accepted.push(job.to[i]);
        else me.rejected.push({ address: job.to[i], code: r.code, text: text });
        if (!pipelined) {
          if (i + 1 < job.to.length) {
            me.expect.push('RCPT:' + (i + 1));
            me.cmd('RCPT TO:<' + job.to[i + 1] + '>');
            me.timer.arm(me.timeouts.command);
            return;
          }
          if (me.accepted.length === 0) {
            const first = me.rejected[0];
            me.stage = 'RCPT';
            me.fail(first.code, 'RCPT TO <' + first.address + '>: ' + first.text, allTemporary(me));
            return;
          }
          me.stage = 'DATA';
          me.expect.push('DATA');
          me.cmd('DATA');
          me.timer.arm(me.timeouts.dataStart);
        }
        return;
      }
      if (what === 'DATA') {
        me.stage = 'DATA';
        if (r.code === 354 && me.accepted.length > 0) {
          me.stage = 'BODY';
          me.tran(SMTP_BODY);
          return;
        }
        if (r.code === 354) {
          // Pipelined and every RCPT refused, yet DATA accepted: send an empty message's end
          // so the server discards it (RFC 2920 §3.1 leaves the client no other way).
          me.conn.writeText('.\r\n');
          const first = me.rejected[0];
          me.stage = 'RCPT';
          me.fail(first.code, 'RCPT TO <' + first.address + '>: ' + first.text, allTemporary(me));
          return;
        }
        if (me.accepted.length === 0 && me.rejected.length) {
          const first = me.rejected[0];
          me.stage = 'RCPT';
          me.fail(first.code, 'RCPT TO <' + first.address + '>: ' + first.text, allTemporary(me));
          return;
        }
        me.fail(r.code, 'DATA: ' + text);
      }
    });
  },
};

function allTemporary(me: SmtpClient): boolean {
  for (let i = 0; i < me.rejected.length; i++) if (me.rejected[i].code >= 500) return false;
  return true;
}

export const SMTP_BODY: State<SmtpClient> = {
  name: 'BODY',
  on: function (me: SmtpClient, e: Evt) {
    switch (e.sig) {
      case 'ENTRY':
        me.trace('> (body)');
        me.post({ sig: 'PUMP' });
        return;
      case 'PUMP':
        me.pump();
        return;
      case 'NET_READ':
        // A server may refuse in the middle of the data (a 5xx and close): take it as the answer.
        me.readReplies(e, function (r: Reply) {
          me.fail(r.code, 'during the data: ' + r.lines.join(' '));
        });
        return;
    }
    connected(me, e);
  },
};

export const SMTP_DOT: State<SmtpClient> = {
  name: 'DOT',
  on: function (me: SmtpClient, e: Evt) {
    if (e.sig !== 'NET_READ') {
      connected(me, e);
      return;
    }
    me.readReplies(e, function (r: Reply) {
      const text = r.lines.join(' ');
      if (r.code !== 250) {
        me.fail(r.code, 'after the data: ' + text);
        return;
      }
      // The server took responsibility for the message (§6.1): this is the commit point.
      me.sent++;
      me.result = { ok: me.rejected.length === 0, temporary: allTemporary(me), code: 250, stage: 'DOT', text: text, accepted: me.accepted, rejected: me.rejected };
      me.trace('message accepted for ' + me.accepted.length + ' recipient(s)');
      me.tran(SMTP_QUIT);
    });
  },
};

/** QUIT and wait (briefly) for 221 or the close; the job's outcome is reported on entry. */
export const SMTP_QUIT: State<SmtpClient> = {
  name: 'QUIT',
  on: function (me: SmtpClient, e: Evt) {
    switch (e.sig) {
      case 'ENTRY': {
        const job = me.job;
        const r = me.result;
        me.job = null;
        me.result = null;
        if (job && r) {
          const cb = job.done;
          cb(r);
        }
        if (!me.conn.sock) {
          me.tran(SMTP_IDLE);
          return;
        }
        // During the data a QUIT would be read as body text: just drop the connection (§4.1.1.4:
        // the server discards a message whose data did not end).
        if (me.stage === 'BODY') {
          me.conn.drop();
          me.tran(SMTP_IDLE);
          return;
        }
        me.cmd('QUIT');
        me.timer.arm(10000);
        return;
      }
      case 'EXIT':
        me.timer.disarm();
        me.conn.drop();
        return;
      case 'NET_READ':
        if (!me.conn.current(e)) return;
        me.conn.pull(function () {
          return true;
        });
        if (me.conn.sock) {
          me.conn.drop();
          me.tran(SMTP_IDLE);
        }
        return;
      case 'NET_CLOSED':
      case 'TIMEOUT':
        me.tran(SMTP_IDLE);
        return;
      case 'SEND':
        connected(me, e);
        return;
    }
  },
};
