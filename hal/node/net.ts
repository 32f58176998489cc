// TCP on a laptop (node:net), shaped like the HAL's callback interface: the appliance's LAN
// service and mail clients run on it in real-time mode, and client programs talk to it.
import * as net from 'node:net';
import type { Net, TcpListener, TcpSocket } from '../net.ts';

function wrap(sock: net.Socket): TcpSocket {
  const chunks: Buffer[] = [];
  let size = 0;
  let connected = !sock.connecting;
  const s: TcpSocket = {
    onConnect: null,
    onReadable: null,
    onWritable: null,
    onClose: null,
    write(bytes: Uint8Array): number {
      if (sock.destroyed) return 0;
      const ok = sock.write(bytes);
      if (!ok) sock.once('drain', () => s.onWritable && s.onWritable());
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
  sock.on('connect', () => {
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
  return s;
}

export class NodeNet implements Net {
  /** `onListenError`: a listener that cannot bind (port in use, no permission); default: thrown. */
  constructor(private address = '127.0.0.1', private onListenError: ((message: string) => void) | null = null) {}
  connect(host: string, port: number): TcpSocket {
    return wrap(net.connect({ host, port }));
  }
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
