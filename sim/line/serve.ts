// An emulated modem on a loopback TCP port, for DTEs outside the process (efax through a pty
// bridge, the firmware's driver through hal/node TcpUart, another program): bytes from the
// socket go to the modem's DTE side, the modem's answers come back. XON/XOFF pass through
// untouched (the DTE honours them). Usually on a line built on RealClock (real time).
import * as net from 'node:net';
import type { AttachedModem } from './index.ts';

export interface ServedModem {
  port: number;
  close(): Promise<void>;
}

export function serveModem(m: AttachedModem, port = 0, host = '127.0.0.1'): Promise<ServedModem> {
  const uart = m.uart;
  let sock: net.Socket | null = null;
  let pending: Buffer[] = [];
  const flush = (): void => {
    while (pending.length) {
      const b = pending[0];
      const n = uart.write(b);
      if (n < b.length) {
        pending[0] = b.subarray(n);
        if (sock) sock.pause();
        return;
      }
      pending.shift();
    }
    if (sock) sock.resume();
  };
  uart.onWritable = flush;
  uart.onReadable = () => {
    const d = uart.read(1 << 20);
    if (sock && d.length) sock.write(d);
  };
  const server = net.createServer((s) => {
    if (sock) sock.destroy();
    sock = s;
    s.setNoDelay(true);
    s.on('data', (d: Buffer) => {
      pending.push(d);
      flush();
    });
    s.on('close', () => {
      if (sock === s) {
        sock = null;
        pending = [];
        // A DTE that goes away is like DTR dropping (as the SpanDSP peer treats it).
        uart.setDtr(false);
        uart.setDtr(true);
      }
    });
    s.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address() as net.AddressInfo;
      resolve({
        port: addr.port,
        close: () =>
          new Promise<void>((r) => {
            if (sock) sock.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
