// TCP on a laptop (node:net), shaped like the HAL's callback interface: the appliance's LAN
// service and mail clients run on it in real-time mode, and client programs talk to it.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Net, TcpListener, TcpSocket } from '../net.ts';

/** Certificates a TLS client connection trusts: Node's default CAs, or the given ones. */
export interface NodeTlsOptions {
  /** PEM certificate(s) to trust instead of the system's (a test server's self-signed one). */
  ca?: string | Buffer;
  /** false only for tests that exercise an untrusted server on purpose. */
  rejectUnauthorized?: boolean;
}

/** The node socket under each wrapper (STARTTLS continues on it). */
const raw = new WeakMap<TcpSocket, net.Socket>();

function wrap(sock: net.Socket, connectEvent = 'connect'): TcpSocket {
  const chunks: Buffer[] = [];
  let size = 0;
  let connected = !sock.connecting;
  let waitingDrain = false;
  const s: TcpSocket = {
    onConnect: null,
    onReadable: null,
    onWritable: null,
    onClose: null,
    write(bytes: Uint8Array): number {
      if (sock.destroyed) return 0;
      // Backpressure: while Node's buffer is over its mark, take nothing and say when it drained,
      // so a caller streaming a large message holds only its own small piece.
      if (sock.writableNeedDrain) {
        if (!waitingDrain) {
          waitingDrain = true;
          sock.once('drain', () => {
            waitingDrain = false;
            if (s.onWritable) s.onWritable();
          });
        }
        return 0;
      }
      sock.write(bytes);
      return bytes.length;
    },
    read(max: number): Uint8Array {
      const out = new Uint8Array(Math.min(max, size));
      let o = 0;
      while (o < out.length) {
        const c = chunks[0];
        const n = Math.min(c.length, out.length - o);
        out.set(c.subarray(0, n), o);
        o += n;
        if (n === c.length) chunks.shift();
        else chunks[0] = c.subarray(n);
      }
      size -= out.length;
      return out;
    },
    readable: () => size,
    close: () => sock.end(),
    remote: () => `${sock.remoteAddress}:${sock.remotePort}`,
  };
  sock.on(connectEvent, () => {
    connected = true;
    if (s.onConnect) s.onConnect();
  });
  sock.on('data', (d: Buffer) => {
    const was = size;
    chunks.push(d);
    size += d.length;
    if (was === 0 && s.onReadable) s.onReadable();
  });
  let closed = false;
  const done = (err: string | null) => {
    if (closed) return;
    closed = true;
    if (s.onClose) s.onClose(err);
  };
  sock.on('error', (e) => done(connected ? e.message : `connection failed: ${e.message}`));
  sock.on('close', () => done(null));
  raw.set(s, sock);
  return s;
}

export class NodeNet implements Net {
  /**
   * `onListenError`: a listener that cannot bind (port in use, no permission); default: thrown.
   * `tlsOptions`: what TLS client connections trust (default: the system's certificates).
   */
  constructor(
    private address = '127.0.0.1',
    private onListenError: ((message: string) => void) | null = null,
    private tlsOptions: NodeTlsOptions = {},
  ) {}
  connect(host: string, port: number): TcpSocket {
    return wrap(net.connect({ host, port }));
  }
  /** Implicit TLS (SMTPS, POP3S): onConnect after the handshake, the certificate checked. */
  connectTls = (host: string, port: number): TcpSocket => {
    const o = this.tlsOptions;
    const servername = net.isIP(host) ? undefined : host;
    return wrap(tls.connect({ host, port, servername, ca: o.ca, rejectUnauthorized: o.rejectUnauthorized !== false }), 'secureConnect');
  };
  /** STARTTLS: the same TCP connection continues under TLS; onConnect after the handshake. */
  startTls = (old: TcpSocket, host: string): TcpSocket => {
    const sock = raw.get(old);
    if (!sock) throw new Error('startTls: not a socket of this network');
    // The plain wrapper lets go of the socket: TLS reads it from now on.
    sock.removeAllListeners('data');
    sock.removeAllListeners('close');
    sock.removeAllListeners('error');
    sock.removeAllListeners('connect');
    const o = this.tlsOptions;
    const servername = net.isIP(host) ? undefined : host;
    return wrap(tls.connect({ socket: sock, servername, ca: o.ca, rejectUnauthorized: o.rejectUnauthorized !== false }), 'secureConnect');
  };
  listen(port: number, onAccept: (s: TcpSocket) => void): TcpListener {
    const server = net.createServer((sock) => onAccept(wrap(sock)));
    server.on('error', (e: NodeJS.ErrnoException) => {
      const text = `cannot listen on ${this.address}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`;
      if (this.onListenError) this.onListenError(text);
      else throw new Error(text);
    });
    server.listen(port, this.address);
    return { close: () => server.close() };
  }
  localAddress(): string {
    return this.address;
  }
}
