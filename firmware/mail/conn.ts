// The connection under the SMTP and POP3 clients: a TcpSocket from hal/net (plain, implicit TLS,
// or upgraded by STARTTLS/STLS), its callbacks turned into events for the owning active object,
// and its input cut into lines of bounded length. Each socket gets a generation number so an
// event from a socket already given up (after a timeout, or replaced by TLS) is ignored.
import type { Net, TcpSocket } from '../../hal/net.ts';
import type { Active, Evt } from '../kernel/index.ts';

export interface NetEvt extends Evt {
  gen: number;
  error?: string | null;
}

/** Bytes read from the socket per event: long input is sliced so other objects get their turn. */
const READ_SLICE = 512;

export class MailConn {
  sock: TcpSocket | null = null;
  gen = 0;
  tls = false;
  private line: Uint8Array;
  private lineLen = 0;
  private sawCR = false;
  private tooLong = false;
  /** Bytes the socket did not take yet (it said it was full). */
  private pending: Uint8Array | null = null;

  constructor(private owner: Active, readonly maxLine: number) {
    this.line = new Uint8Array(maxLine);
  }

  /** Connect; the owner gets NET_UP, NET_READ, NET_WRITABLE, NET_CLOSED (each with `gen`). */
  open(net: Net, host: string, port: number, implicitTls: boolean): string | null {
    this.drop();
    if (implicitTls && !net.connectTls) return 'this network stack has no TLS (needed for ' + host + ':' + port + ')';
    const sock = implicitTls && net.connectTls ? net.connectTls(host, port) : net.connect(host, port);
    this.tls = implicitTls;
    this.attach(sock);
    return null;
  }

  /** STARTTLS / STLS: the same connection continues encrypted (RFC 3207 §4, RFC 2595 §4). */
  upgrade(net: Net, host: string): string | null {
    if (!net.startTls || !this.sock) return 'this network stack cannot start TLS on a connection';
    const old = this.sock;
    this.gen++; // events of the plain socket are stale from now on
    const sock = net.startTls(old, host);
    this.tls = true;
    this.lineLen = 0;
    this.sawCR = false;
    this.attach(sock);
    return null;
  }

  private attach(sock: TcpSocket): void {
    const gen = ++this.gen;
    const owner = this.owner;
    this.sock = sock;
    this.lineLen = 0;
    this.sawCR = false;
    this.tooLong = false;
    this.pending = null;
    // Plain bytes received after the STARTTLS reply are not trusted into the TLS session (the
    // command-injection attack of RFC 3207 §6 / CVE-2011-0411): what is buffered is dropped.
    this.chunk = null;
    sock.onConnect = function () {
      owner.post({ sig: 'NET_UP', gen: gen } as NetEvt);
    };
    sock.onReadable = function () {
      owner.post({ sig: 'NET_READ', gen: gen } as NetEvt);
    };
    sock.onWritable = function () {
      owner.post({ sig: 'NET_WRITABLE', gen: gen } as NetEvt);
    };
    sock.onClose = function (error: string | null) {
      owner.post({ sig: 'NET_CLOSED', gen: gen, error: error } as NetEvt);
    };
  }

  /** True when `e` comes from the current socket. */
  current(e: Evt): boolean {
    return (e as NetEvt).gen === this.gen && this.sock !== null;
  }

  /**
   * Read a slice and hand each complete line (without CRLF) to `onLine`, which returns false to
   * stop early (the rest stays buffered for the next call). Returns 'more' when input is waiting
   * (the owner posts NET_READ to itself), 'long' when a line passed maxLine, else 'ok'.
   */
  pull(onLine: (b: Uint8Array, len: number) => boolean): string {
    const sock = this.sock;
    if (!sock) return 'ok';
    let budget = READ_SLICE;
    for (;;) {
      if (!this.chunk || this.chunkPos >= this.chunk.length) {
        if (budget <= 0 || sock.readable() === 0) break;
        this.chunk = sock.read(Math.min(budget, 256));
        this.chunkPos = 0;
        budget -= this.chunk.length;
        if (this.chunk.length === 0) break;
      }
      const chunk = this.chunk;
      while (this.chunkPos < chunk.length) {
        const c = chunk[this.chunkPos++];
        if (c === 10) {
          const len = this.lineLen;
          const long = this.tooLong;
          this.lineLen = 0;
          this.sawCR = false;
          this.tooLong = false;
          if (long) return 'long';
          if (!onLine(this.line, len)) return 'more';
          if (this.sock !== sock) return 'ok'; // the handler gave the connection up
          continue;
        }
        if (this.sawCR) this.put(13);
        this.sawCR = c === 13;
        if (!this.sawCR) this.put(c);
      }
    }
    return sock.readable() > 0 || (this.chunk !== null && this.chunkPos < this.chunk.length) ? 'more' : 'ok';
  }

  /** Input read from the socket but not yet cut into lines. */
  private chunk: Uint8Array | null = null;
  private chunkPos = 0;

  private put(c: number): void {
    if (this.lineLen >= this.line.length) {
      this.tooLong = true;
      return;
    }
    this.line[this.lineLen++] = c;
  }

  /** Send bytes (copied: the socket may keep a reference). False when some had to wait. */
  write(b: Uint8Array): boolean {
    const sock = this.sock;
    if (!sock) return false;
    if (this.pending) {
      const all = new Uint8Array(this.pending.length + b.length);
      all.set(this.pending);
      all.set(b, this.pending.length);
      this.pending = all;
      return false;
    }
    const copy = new Uint8Array(b.length);
    copy.set(b);
    const n = sock.write(copy);
    if (n < copy.length) {
      this.pending = copy.subarray(n);
      return false;
    }
    return true;
  }

  /** Called on NET_WRITABLE: push what waited. True when nothing waits any more. */
  flush(): boolean {
    const sock = this.sock;
    if (!sock || !this.pending) return true;
    const p = this.pending;
    const n = sock.write(p);
    this.pending = n < p.length ? p.subarray(n) : null;
    return this.pending === null;
  }

  /** Input already read from the socket or waiting in it (no NET_READ will announce it). */
  buffered(): boolean {
    const sock = this.sock;
    if (!sock) return false;
    return (this.chunk !== null && this.chunkPos < this.chunk.length) || sock.readable() > 0;
  }

  waiting(): boolean {
    return this.pending !== null;
  }

  writeText(s: string): boolean {
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
    return this.write(b);
  }

  /** Give the socket up (its later events are ignored). */
  drop(): void {
    this.gen++;
    const s = this.sock;
    this.sock = null;
    this.pending = null;
    this.chunk = null;
    if (s) {
      s.onConnect = null;
      s.onReadable = null;
      s.onWritable = null;
      s.onClose = null;
      s.close();
    }
  }
}
