// The appliance's status page over plain HTTP on the LAN (settings `http.port`, 0 = off): an
// active object on hal/net answering `GET /` with status-page.ts and closing (HTTP/1.0,
// RFC 1945 §6: the end of the body is the close). Read-only: it takes no input but the request
// head, and serves nothing confidential (docs/SECURITY.md, "The status page").
//
// Each connection is a small state machine (CONN_STATES: READ_HEAD, SEND, then gone), one
// handler per state, a trace line per transition. The page goes out a few lines per kernel
// dispatch (the PUMP event at this object's low priority): the modem and T.30 objects run in
// between, and the page is never whole in memory.
import type { Net, TcpListener, TcpSocket } from '../../hal/net.ts';
import { Active, TimeEvt, ENTRY } from '../kernel/index.ts';
import type { Evt, State } from '../kernel/index.ts';
import { StatusPage } from './status-page.ts';
import type { StatusPageSource } from './status-page.ts';

/** The request head may be this long at most (RFC 9110 §15.5.20: 431 beyond). */
const MAX_HEAD = 1024;
/** A request head must be complete within this time (a slow client holds a connection). */
const HEAD_MS = 10000;
/** Connections served at once; one more gets 503. */
const MAX_CONNS = 2;
/** Lines of the page written per dispatch. */
const LINES_PER_PUMP = 4;
const TICK_MS = 1000;

interface HttpConn {
  id: number;
  sock: TcpSocket;
  state: ConnState;
  head: string;
  deadline: number;
  page: StatusPage | null;
}

interface ConnState {
  name: string;
  /** New bytes of the request arrived. */
  readable: ((me: StatusHttp, c: HttpConn) => void) | null;
  /** Time to write more of the answer. */
  pump: ((me: StatusHttp, c: HttpConn) => void) | null;
}

interface ConnEvt extends Evt {
  conn: HttpConn;
}

function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function headEnd(head: string): number {
  const a = head.indexOf('\r\n\r\n');
  const b = head.indexOf('\n\n');
  return a >= 0 ? a : b;
}

/** Reading the request line and headers. */
const C_READ_HEAD: ConnState = {
  name: 'READ_HEAD',
  readable(me, c) {
    const n = c.sock.readable();
    if (n <= 0) return;
    const bytes = c.sock.read(MAX_HEAD + 1 - c.head.length > 0 ? MAX_HEAD + 1 - c.head.length : 1);
    for (let i = 0; i < bytes.length; i++) c.head += String.fromCharCode(bytes[i]);
    if (headEnd(c.head) < 0) {
      if (c.head.length > MAX_HEAD) me.answerShort(c, '431 Request Header Fields Too Large', 'request head too long');
      return;
    }
    const line = c.head.substring(0, c.head.indexOf('\n')).replace('\r', '');
    const parts = line.split(' ');
    const method = parts[0];
    const path = parts.length > 1 ? parts[1] : '';
    me.trace('conn ' + c.id + ': ' + method + ' ' + path.substring(0, 40));
    if (method !== 'GET' && method !== 'HEAD') me.answerShort(c, '405 Method Not Allowed', 'this page only answers GET');
    else if (path !== '/' && path !== '/index.html') me.answerShort(c, '404 Not Found', 'nothing here: the status page is /');
    else me.startPage(c, method === 'HEAD');
  },
  pump: null,
};

/** Writing the page. */
const C_SEND: ConnState = {
  name: 'SEND',
  readable(me, c) {
    // Anything more the client sends is read and dropped (HTTP/1.0: one request per connection).
    c.sock.read(MAX_HEAD);
  },
  pump(me, c) {
    const page = c.page as StatusPage;
    for (let k = 0; k < LINES_PER_PUMP; k++) {
      const line = page.next();
      if (line === null) {
        me.finish(c, 'page sent');
        return;
      }
      c.sock.write(asciiBytes(line + '\n'));
    }
    me.post({ sig: 'PUMP', conn: c } as ConnEvt);
  },
};

const RUNNING: State<StatusHttp> = {
  name: 'RUNNING',
  on(me, e) {
    if (e === ENTRY) {
      me.startListening();
      me.tick.arm(TICK_MS, TICK_MS);
    } else if (e.sig === 'ACCEPT') me.accepted((e as unknown as { sock: TcpSocket }).sock);
    else if (e.sig === 'READABLE') {
      const c = (e as ConnEvt).conn;
      if (me.conns.indexOf(c) < 0) return; // already gone
      const h = c.state.readable;
      if (h) h(me, c);
    } else if (e.sig === 'PUMP') {
      const c = (e as ConnEvt).conn;
      if (me.conns.indexOf(c) < 0) return;
      const p = c.state.pump;
      if (p) p(me, c);
    } else if (e.sig === 'SOCK_CLOSED') me.dropConn((e as ConnEvt).conn, 'closed by the client');
    else if (e.sig === 'TICK') me.checkDeadlines();
  },
};

const OFF: State<StatusHttp> = {
  name: 'OFF',
  on(me, e) {
    if (e === ENTRY) me.trace(me.why);
  },
};

export class StatusHttp extends Active {
  conns: HttpConn[] = [];
  listener: TcpListener | null = null;
  tick: TimeEvt;
  nextId = 1;
  why = '';
  /** Figures for tests. */
  stats = { accepted: 0, pages: 0, refused: 0 };

  constructor(prio: number, readonly net: Net | null, readonly port: number, readonly source: StatusPageSource) {
    super('http', prio, 16, net && port > 0 ? RUNNING : OFF);
    this.tick = new TimeEvt(this, 'TICK');
    this.why = !net ? 'no network on this board: status page off' : 'http.port is 0: status page off';
  }

  now(): number {
    return (this.kernel as NonNullable<typeof this.kernel>).now();
  }

  startListening(): void {
    const me = this;
    try {
      this.listener = (this.net as Net).listen(this.port, function (sock: TcpSocket) {
        me.post({ sig: 'ACCEPT', sock: sock } as unknown as Evt);
      });
      this.trace('status page on port ' + this.port);
    } catch (e) {
      this.trace('cannot listen on port ' + this.port + ': ' + (e as Error).message);
    }
  }

  accepted(sock: TcpSocket): void {
    this.stats.accepted++;
    if (this.conns.length >= MAX_CONNS) {
      this.stats.refused++;
      this.trace('connection from ' + sock.remote() + ' refused: ' + this.conns.length + ' open');
      sock.write(asciiBytes('HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 5\r\n\r\nbusy\n'));
      sock.close();
      return;
    }
    const c: HttpConn = { id: this.nextId++, sock: sock, state: C_READ_HEAD, head: '', deadline: this.now() + HEAD_MS, page: null };
    this.conns.push(c);
    const me = this;
    sock.onReadable = function () {
      me.post({ sig: 'READABLE', conn: c } as ConnEvt);
    };
    sock.onClose = function () {
      me.post({ sig: 'SOCK_CLOSED', conn: c } as ConnEvt);
    };
    this.trace('conn ' + c.id + ' from ' + sock.remote() + ' -> ' + C_READ_HEAD.name);
    if (sock.readable() > 0) this.post({ sig: 'READABLE', conn: c } as ConnEvt);
  }

  to(c: HttpConn, s: ConnState, why: string): void {
    this.trace('conn ' + c.id + ': ' + c.state.name + ' -> ' + s.name + ' (' + why + ')');
    c.state = s;
  }

  startPage(c: HttpConn, headOnly: boolean): void {
    c.head = '';
    c.sock.write(asciiBytes('HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n' +
      'X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n'));
    if (headOnly) {
      this.finish(c, 'HEAD answered');
      return;
    }
    c.page = new StatusPage(this.source);
    this.to(c, C_SEND, 'GET /');
    this.post({ sig: 'PUMP', conn: c } as ConnEvt);
  }

  answerShort(c: HttpConn, status: string, text: string): void {
    c.sock.write(asciiBytes('HTTP/1.0 ' + status + '\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n' + text + '\n'));
    this.finish(c, status);
  }

  finish(c: HttpConn, why: string): void {
    if (c.page) this.stats.pages++;
    c.sock.close();
    this.dropConn(c, why);
  }

  dropConn(c: HttpConn, why: string): void {
    const i = this.conns.indexOf(c);
    if (i < 0) return;
    this.conns.splice(i, 1);
    c.sock.onReadable = null;
    c.sock.onClose = null;
    c.page = null;
    this.trace('conn ' + c.id + ': ' + c.state.name + ' -> gone (' + why + ')');
  }

  checkDeadlines(): void {
    const now = this.now();
    for (let i = this.conns.length - 1; i >= 0; i--) {
      const c = this.conns[i];
      if (c.state === C_READ_HEAD && now > c.deadline) {
        c.sock.close();
        this.dropConn(c, 'no request within ' + HEAD_MS / 1000 + ' s');
      }
    }
  }
}
