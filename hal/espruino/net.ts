// TCP through Espruino's `net` module (ESP32 Wi-Fi/Ethernet builds).
import type { Net, TcpListener, TcpSocket } from '../net.ts';

/** A connection that failed before it began: closed with the reason once the caller listens. */
function refused(remote: string, why: string): TcpSocket {
  const s: TcpSocket = {
    onConnect: null,
    onReadable: null,
    onWritable: null,
    onClose: null,
    write: function (bytes: Uint8Array): number {
      return bytes.length;
    },
    read: function (): Uint8Array {
      return new Uint8Array(0);
    },
    readable: function (): number {
      return 0;
    },
    close: function (): void {},
    remote: function (): string {
      return remote;
    },
  };
  setTimeout(function () {
    if (s.onClose) s.onClose(why);
  }, 0);
  return s;
}

/**
 * Bytes handed to a socket since it last drained beyond which write() takes nothing until the
 * next 'drain': the interpreter keeps what is not yet sent in a string of variables, so a caller
 * streaming a document must wait for the network, not fill memory ahead of it.
 */
export const SEND_MARK = 1024;

function wrap(sock: any, remote: string): TcpSocket {
  // Received bytes as a string: the interpreter packs a string's characters into its variables
  // (about 12 a variable), where an array takes a variable per byte.
  let buf = '';
  let closed = false;
  let unsent = 0;
  let refused = false;
  let owed = false;
  const s: TcpSocket = {
    onConnect: null,
    onReadable: null,
    onWritable: null,
    onClose: null,
    write: function (bytes: Uint8Array): number {
      if (unsent >= SEND_MARK) {
        refused = true;
        return 0;
      }
      let str = '';
      for (let i = 0; i < bytes.length; i++) str += String.fromCharCode(bytes[i]);
      sock.write(str);
      unsent += bytes.length;
      return bytes.length;
    },
    pending: function (): number {
      if (unsent > 0) owed = true;
      return unsent;
    },
    read: function (max: number): Uint8Array {
      const n = max < buf.length ? max : buf.length;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = buf.charCodeAt(i);
      buf = buf.substring(n);
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
    buf += d;
    if (was === 0 && buf.length > 0 && s.onReadable) s.onReadable();
  });
  // The interpreter emits 'drain' each time everything written went out (and once on connecting
  // with nothing to send: libs/network/socketserver.c).
  sock.on('drain', function () {
    unsent = 0;
    if (!refused && !owed) return;
    refused = false;
    owed = false;
    if (s.onWritable) s.onWritable();
  });
  // The interpreter emits 'error' and then 'close': the client hears of the end once.
  function done(why: string | null): void {
    if (closed) return;
    closed = true;
    if (s.onClose) s.onClose(why);
  }
  sock.on('close', function () {
    done(null);
  });
  sock.on('error', function (e: any) {
    done(String(e && e.message ? e.message : e));
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
  // Implicit TLS for SMTPS/POP3S (the mail clients) where the firmware build has the `tls`
  // module (ESP32 builds with mbedTLS). Without a `ca` option Espruino does not check the server's
  // certificate: the link is encrypted against listeners, not authenticated (docs/MAIL.md).
  let tls: any = null;
  try {
    tls = require('tls');
  } catch (e) {
    tls = null;
  }
  return {
    connect: function (host: string, port: number): TcpSocket {
      let s: TcpSocket | null = null;
      let sock: any;
      try {
        sock = net.connect({ host: host, port: port }, function () {
          if (s && s.onConnect) s.onConnect();
        });
      } catch (e) {
        // The interpreter throws at once where nothing listens ("Unable to create socket"): the
        // caller hears of it as of any failed connection, not as a fault of its object.
        return refused(host + ':' + port, String((e as Error).message || e));
      }
      s = wrap(sock, host + ':' + port);
      return s;
    },
    connectTls: tls
      ? function (host: string, port: number): TcpSocket {
          let s: TcpSocket | null = null;
          const sock = tls.connect({ host: host, port: port }, function () {
            if (s && s.onConnect) s.onConnect();
          });
          s = wrap(sock, host + ':' + port);
          return s;
        }
      : undefined,
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
