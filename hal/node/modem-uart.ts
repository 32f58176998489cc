// Open the modem named on a command line: "tcp:HOST:PORT" (a software modem's loopback port,
// through TcpUart) or a device path / pty (through SerialUart and the serialport package).
import type { Uart } from '../uart.ts';
import { TcpUart } from './tcp-uart.ts';
import { SerialUart } from './serial-uart.ts';

export interface OpenedUart {
  uart: Uart;
  close(): Promise<void>;
}

/** "tcp:HOST:PORT" → { host, port }; null for anything else. */
export function parseTcpSpec(spec: string): { host: string; port: number } | null {
  const m = /^tcp:(\[[^\]]+\]|[^:]+):(\d+)$/.exec(spec);
  if (!m) return null;
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

export async function openModemUart(spec: string, baudRate = 115200): Promise<OpenedUart> {
  const tcp = parseTcpSpec(spec);
  if (tcp) {
    const u = await TcpUart.connect(tcp.port, tcp.host);
    return { uart: u, close: async () => u.close() };
  }
  if (spec.startsWith('tcp:')) throw new Error(`not a modem address: ${spec} (want tcp:HOST:PORT)`);
  const s = new SerialUart({ path: spec, baudRate });
  await s.ready;
  return { uart: s, close: () => s.close() };
}
