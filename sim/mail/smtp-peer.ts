// A small SMTP server for the simulated LAN (virtual time): enough of RFC 5321 to take a message,
// with every misbehaviour a test needs on demand — a chosen reply at a chosen stage, a dropped
// connection, a slow answer, no EHLO, no PIPELINING. What it received is kept for the test to read.
import type { Net, TcpSocket } from '../../hal/net.ts';
import type { Clock } from '../../hal/clock.ts';

export type SmtpStage = 'greeting' | 'ehlo' | 'starttls' | 'auth' | 'mail' | 'rcpt' | 'data' | 'dot' | 'body';

export interface SmtpPeerOptions {
  hostname?: string;
  /** EHLO extensions offered (default PIPELINING, SIZE 10000000, AUTH PLAIN LOGIN, 8BITMIME). */
  extensions?: string[];
  /** EHLO answered 502 (an old server: the client must fall back to HELO). */
  noEhlo?: boolean;
  user?: string;
  pass?: string;
  /** Reply `code text` instead of the normal one at a stage (rcpt: for every recipient, or those in `rcptOnly`). */
  fail?: { stage: SmtpStage; code: number; text?: string; rcptOnly?: string[]; times?: number };
  /** Close the connection without a word at a stage (body: after `dropAfterBytes` of data). */
  drop?: { stage: SmtpStage; afterBytes?: number; times?: number };
  /** Extra delay before every reply (a slow server), ms. */
  delayMs?: number;
  /** Never reply at this stage (a hung server). */
  hang?: SmtpStage;
  /** Each message taken (after the 250): e.g. put it into POP3 mailboxes. */
  onReceive?: (m: ReceivedMail) => void;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  data: Uint8Array;
  /** The MAIL FROM parameters (SIZE=…). */
  params: string;
}

export class SmtpPeer {
  readonly received: ReceivedMail[] = [];
  /** Every command line seen, in order (AUTH arguments included: tests check no plain secret leaks elsewhere). */
  readonly commands: string[] = [];
  connections = 0;
  private failsLeft: number;
  private dropsLeft: number;

  constructor(private net: Net, private clock: Clock, readonly port: number, readonly opts: SmtpPeerOptions) {
    this.failsLeft = opts.fail && opts.fail.times !== undefined ? opts.fail.times : Infinity;
    this.dropsLeft = opts.drop && opts.drop.times !== undefined ? opts.drop.times : Infinity;
    net.listen(port, (s) => this.session(s));
  }

  private failing(stage: SmtpStage): { code: number; text: string } | null {
    const f = this.opts.fail;
    if (!f || f.stage !== stage || this.failsLeft <= 0) return null;
    return { code: f.code, text: f.text || 'refused by the test' };
  }

  private dropping(stage: SmtpStage): boolean {
    const d = this.opts.drop;
    if (!d || d.stage !== stage || this.dropsLeft <= 0) return false;
    this.dropsLeft--;
    return true;
  }

  private session(sock: TcpSocket): void {
    this.connections++;
    const o = this.opts;
    const host = o.hostname || 'mx.sim';
    let buf = '';
    let inData = false;
    let data: number[] = [];
    let dataBytes = 0;
    let from = '';
    let params = '';
    let to: string[] = [];
    let authStep = '';
    let authUser = '';
    let closed = false;
    let failedThisSession = false;
    const reply = (stage: SmtpStage, text: string) => {
      if (closed) return;
      if (o.hang === stage) return;
      const send = () => {
        if (!closed) sock.write(new Uint8Array(Buffer.from(text + '\r\n', 'latin1')));
      };
      if (o.delayMs) this.clock.at(this.clock.now() + o.delayMs, send);
      else send();
    };
    const drop = () => {
      closed = true;
      sock.close();
    };
    const judged = (stage: SmtpStage, normal: string): void => {
      if (this.dropping(stage)) {
        drop();
        return;
      }
      const f = this.failing(stage);
      if (f && !(stage === 'rcpt' && o.fail?.rcptOnly)) {
        if (!failedThisSession) {
          failedThisSession = true;
          this.failsLeft--;
        }
        reply(stage, f.code + ' ' + f.text);
        return;
      }
      reply(stage, normal);
    };
    sock.onClose = () => {
      closed = true;
    };
    if (this.dropping('greeting')) {
      this.clock.at(this.clock.now() + 1, drop);
      return;
    }
    const g = this.failing('greeting');
    if (g) this.failsLeft--;
    reply('greeting', g ? g.code + ' ' + g.text : '220 ' + host + ' ESMTP sim');
    const onLine = (line: string): void => {
      this.commands.push(line);
      const upper = line.toUpperCase();
      if (authStep) {
        if (authStep === 'user') {
          authUser = Buffer.from(line, 'base64').toString();
          authStep = 'pass';
          reply('auth', '334 UGFzc3dvcmQ6');
          return;
        }
        authStep = '';
        const pass = Buffer.from(line, 'base64').toString();
        if (authUser === o.user && pass === o.pass) judged('auth', '235 2.7.0 Authentication successful');
        else reply('auth', '535 5.7.8 Authentication credentials invalid');
        return;
      }
      if (upper.startsWith('EHLO')) {
        if (o.noEhlo) {
          reply('ehlo', '502 5.5.2 Command not recognized');
          return;
        }
        const ext = o.extensions || ['PIPELINING', 'SIZE 10000000', 'AUTH PLAIN LOGIN', '8BITMIME'];
        const lines = [host].concat(ext);
        judged('ehlo', lines.map((l, i) => '250' + (i < lines.length - 1 ? '-' : ' ') + l).join('\r\n'));
      } else if (upper.startsWith('HELO')) judged('ehlo', '250 ' + host);
      else if (upper.startsWith('AUTH PLAIN ')) {
        const parts = Buffer.from(line.substring(11), 'base64').toString().split('\u0000');
        if (parts[1] === o.user && parts[2] === o.pass) judged('auth', '235 2.7.0 Authentication successful');
        else reply('auth', '535 5.7.8 Authentication credentials invalid');
      } else if (upper === 'AUTH LOGIN') {
        authStep = 'user';
        reply('auth', '334 VXNlcm5hbWU6');
      } else if (upper.startsWith('MAIL FROM:')) {
        const m = /^MAIL FROM:<([^>]*)>(.*)$/i.exec(line);
        from = m ? m[1] : '';
        params = m ? m[2].trim() : '';
        to = [];
        judged('mail', '250 2.1.0 Ok');
      } else if (upper.startsWith('RCPT TO:')) {
        const m = /^RCPT TO:<([^>]*)>/i.exec(line);
        const addr = m ? m[1] : '';
        const f = this.failing('rcpt');
        if (f && (!o.fail?.rcptOnly || o.fail.rcptOnly.includes(addr))) {
          if (!failedThisSession) {
            failedThisSession = true;
            this.failsLeft--;
          }
          reply('rcpt', f.code + ' ' + f.text);
          return;
        }
        if (this.dropping('rcpt')) {
          drop();
          return;
        }
        to.push(addr);
        reply('rcpt', '250 2.1.5 Ok');
      } else if (upper === 'DATA') {
        if (to.length === 0) {
          reply('data', '554 5.5.1 Error: no valid recipients');
          return;
        }
        if (this.dropping('data')) {
          drop();
          return;
        }
        const f = this.failing('data');
        if (f) {
          this.failsLeft--;
          reply('data', f.code + ' ' + f.text);
          return;
        }
        inData = true;
        data = [];
        dataBytes = 0;
        reply('data', '354 End data with <CR><LF>.<CR><LF>');
      } else if (upper === 'QUIT') {
        reply('greeting', '221 2.0.0 Bye');
        this.clock.at(this.clock.now() + 2, drop);
      } else if (upper === 'RSET' || upper === 'NOOP') reply('mail', '250 2.0.0 Ok');
      else reply('mail', '502 5.5.2 Error: command not recognized');
    };
    const onDataLine = (line: string): void => {
      if (line === '.') {
        inData = false;
        if (this.dropping('dot')) {
          drop();
          return;
        }
        const f = this.failing('dot');
        if (f) {
          this.failsLeft--;
          reply('dot', f.code + ' ' + f.text);
          return;
        }
        // Undo the dot-stuffing (§4.5.2) and keep the message.
        const m = { from, to: to.slice(), data: Uint8Array.from(data), params };
        this.received.push(m);
        if (o.onReceive) o.onReceive(m);
        reply('dot', '250 2.0.0 Ok: queued as SIM' + this.received.length);
        return;
      }
      const text = line.startsWith('.') ? line.substring(1) : line;
      for (let i = 0; i < text.length; i++) data.push(text.charCodeAt(i));
      data.push(13, 10);
    };
    sock.onReadable = () => {
      while (sock.readable() > 0 && !closed) {
        const chunk = sock.read(4096);
        if (inData) {
          dataBytes += chunk.length;
          if (o.drop?.stage === 'body' && dataBytes >= (o.drop.afterBytes || 0) && this.dropping('body')) {
            drop();
            return;
          }
          const f = this.failing('body');
          if (f && dataBytes > 200) {
            this.failsLeft--;
            reply('body', f.code + ' ' + f.text);
            this.clock.at(this.clock.now() + 1, drop);
            return;
          }
        }
        buf += Buffer.from(chunk).toString('latin1');
        let nl: number;
        while ((nl = buf.indexOf('\r\n')) >= 0 && !closed) {
          const line = buf.substring(0, nl);
          buf = buf.substring(nl + 2);
          if (inData) onDataLine(line);
          else onLine(line);
        }
      }
    };
  }
}

/** The body of a received message as text (latin1, CRLF kept). */
export function mailText(m: ReceivedMail): string {
  return Buffer.from(m.data).toString('latin1');
}
