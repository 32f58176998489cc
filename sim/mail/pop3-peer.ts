// A small POP3 server for the simulated LAN (virtual time): RFC 1939's USER/PASS, STAT, LIST,
// UIDL, RETR (byte-stuffed), DELE, RSET, NOOP, QUIT (deletions applied only there, §6), CAPA —
// with failures on demand: a connection dropped in the middle of RETR, a truncated reply, no UIDL,
// a wrong password, a QUIT that fails. The mailbox is a list the test fills and reads.
import type { Net, TcpSocket } from '../../hal/net.ts';
import type { Clock } from '../../hal/clock.ts';

export interface Pop3PeerOptions {
  user: string;
  pass: string;
  noUidl?: boolean;
  /** Close the connection after this many bytes of a RETR's data (then behave again). */
  dropInRetrAfter?: number;
  dropTimes?: number;
  /** Send the RETR data without the terminating line and stop answering. */
  truncateRetr?: boolean;
  /** QUIT answered -ERR: deletions are not applied. */
  failQuit?: boolean;
  /** Reply lines this long instead of +OK to STAT (a garbage server). */
  garbageStat?: boolean;
  delayMs?: number;
}

export interface StoredMessage {
  uid: string;
  data: Uint8Array;
}

export class Pop3Peer {
  readonly mailbox: StoredMessage[] = [];
  readonly commands: string[] = [];
  sessions = 0;
  private uidSeq = 0;
  private dropsLeft: number;

  constructor(private net: Net, private clock: Clock, readonly port: number, readonly opts: Pop3PeerOptions) {
    this.dropsLeft = opts.dropTimes === undefined ? 1 : opts.dropTimes;
    net.listen(port, (s) => this.session(s));
  }

  /** Put a message (CRLF or LF lines) into the mailbox. */
  deliver(data: Uint8Array | string): string {
    const b = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'latin1')) : data;
    const uid = 'U' + ++this.uidSeq + '-' + b.length;
    this.mailbox.push({ uid, data: b });
    return uid;
  }

  private session(sock: TcpSocket): void {
    this.sessions++;
    const o = this.opts;
    let buf = '';
    let user = '';
    let authed = false;
    let closed = false;
    const marked = new Set<string>();
    // A snapshot numbering for the session (messages delivered meanwhile are not listed, §5).
    const list = this.mailbox.slice();
    const write = (text: string) => {
      if (closed) return;
      const send = () => {
        if (!closed) sock.write(new Uint8Array(Buffer.from(text, 'latin1')));
      };
      if (o.delayMs) this.clock.at(this.clock.now() + o.delayMs, send);
      else send();
    };
    const close = () => {
      closed = true;
      sock.close();
    };
    sock.onClose = () => {
      closed = true;
    };
    write('+OK sim POP3 ready\r\n');
    const msg = (arg: string): StoredMessage | null => {
      const n = parseInt(arg, 10);
      const m = list[n - 1];
      return m && !marked.has(m.uid) ? m : null;
    };
    const onLine = (line: string) => {
      this.commands.push(line);
      const [verb, arg = ''] = line.split(' ');
      const v = verb.toUpperCase();
      if (v === 'CAPA') return write('+OK\r\nUSER\r\n' + (o.noUidl ? '' : 'UIDL\r\n') + '.\r\n');
      if (v === 'USER') {
        user = arg;
        return write('+OK\r\n');
      }
      if (v === 'PASS') {
        if (user === o.user && line.substring(5) === o.pass) {
          authed = true;
          return write('+OK logged in\r\n');
        }
        return write('-ERR [AUTH] authentication failed\r\n');
      }
      if (v === 'QUIT') {
        if (authed && o.failQuit) write('-ERR could not remove messages\r\n');
        else {
          if (authed) {
            for (const uid of marked) {
              const i = this.mailbox.findIndex((m) => m.uid === uid);
              if (i >= 0) this.mailbox.splice(i, 1);
            }
          }
          write('+OK bye\r\n');
        }
        this.clock.at(this.clock.now() + 1, close);
        return;
      }
      if (!authed) return write('-ERR not logged in\r\n');
      const live = list.map((m, i) => ({ m, n: i + 1 })).filter((x) => !marked.has(x.m.uid));
      if (v === 'STAT') {
        if (o.garbageStat) return write('HELLO THIS IS NOT POP3\r\n');
        return write('+OK ' + live.length + ' ' + live.reduce((s, x) => s + x.m.data.length, 0) + '\r\n');
      }
      if (v === 'LIST') return write('+OK\r\n' + live.map((x) => x.n + ' ' + x.m.data.length + '\r\n').join('') + '.\r\n');
      if (v === 'UIDL') {
        if (o.noUidl) return write('-ERR unknown command\r\n');
        return write('+OK\r\n' + live.map((x) => x.n + ' ' + x.m.uid + '\r\n').join('') + '.\r\n');
      }
      if (v === 'RETR') {
        const m = msg(arg);
        if (!m) return write('-ERR no such message\r\n');
        let text = Buffer.from(m.data).toString('latin1').replace(/\r?\n/g, '\r\n');
        if (!text.endsWith('\r\n')) text += '\r\n';
        const stuffed = text.split('\r\n').map((l) => (l.startsWith('.') ? '.' + l : l)).join('\r\n');
        const all = '+OK ' + m.data.length + ' octets\r\n' + stuffed + '.\r\n';
        if (o.dropInRetrAfter !== undefined && this.dropsLeft > 0) {
          this.dropsLeft--;
          write(all.substring(0, o.dropInRetrAfter));
          this.clock.at(this.clock.now() + 2, close);
          return;
        }
        if (o.truncateRetr) {
          write('+OK ' + m.data.length + ' octets\r\n' + stuffed);
          return;
        }
        return write(all);
      }
      if (v === 'DELE') {
        const m = msg(arg);
        if (!m) return write('-ERR no such message\r\n');
        marked.add(m.uid);
        return write('+OK marked\r\n');
      }
      if (v === 'RSET') {
        marked.clear();
        return write('+OK\r\n');
      }
      if (v === 'NOOP') return write('+OK\r\n');
      write('-ERR unknown command\r\n');
    };
    sock.onReadable = () => {
      while (sock.readable() > 0 && !closed) {
        buf += Buffer.from(sock.read(4096)).toString('latin1');
        let nl: number;
        while ((nl = buf.indexOf('\r\n')) >= 0 && !closed) {
          const line = buf.substring(0, nl);
          buf = buf.substring(nl + 2);
          onLine(line);
        }
      }
    };
  }
}
