// TCP through Espruino's `net` module (ESP32 Wi-Fi/Ethernet builds).
import type { Net, TcpListener, TcpSocket } from '../net.ts';

function wrap(sock: any, remote: string): TcpSocket {
  let buf: number[] = [];
  const s: TcpSocket = {
    onConnect: null,
    onReadable: null,
    onWritable: null,
    onClose: null,
    write: function (bytes: Uint8Array): number {
      let str = '';
      for (let i = 0; i < bytes.length; i++) str += String.fromCharCode(bytes[i]);
      sock.write(str);
      return bytes.length;
    },
    read: function (max: number): Uint8Array {
      const n = max < buf.length ? max : buf.length;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = buf[i];
      buf = buf.slice(n);
      return out;
    },
    readable: function (): number {
      return buf.length;
    },
    close: function (): void {
      sock.end();
    },
    remote: function (): string {
      return remote;
    },
  };
  sock.on('data', function (d: string) {
    const was = buf.length;
    for (let i = 0; i < d.length; i++) buf.push(d.charCodeAt(i));
    if (was === 0 && s.onReadable) s.onReadable();
  });
  sock.on('close', function () {
    if (s.onClose) s.onClose(null);
  });
  sock.on('error', function (e: any) {
    if (s.onClose) s.onClose(String(e && e.message ? e.message : e));
  });
  return s;
}

export function espruinoNet(): Net | null {
  let net: any;
  try {
    net = require('net');
  } catch (e) {
    return null;
  }
  return {
    connect: function (host: string, port: number): TcpSocket {
      let s: TcpSocket | null = null;
      const sock = net.connect({ host: host, port: port }, function () {
        if (s && s.onConnect) s.onConnect();
      });
      s = wrap(sock, host + ':' + port);
      return s;
    },
    listen: function (port: number, onAccept: (s: TcpSocket) => void): TcpListener {
      const server = net.createServer(function (sock: any) {
        onAccept(wrap(sock, 'client'));
      });
      server.listen(port);
      return { close: function () { server.close(); } };
    },
    localAddress: function (): string {
      try {
        const w = require('Wifi').getIP();
        return w && w.ip ? w.ip : '0.0.0.0';
      } catch (e) {
        return '0.0.0.0';
      }
    },
  };
}
