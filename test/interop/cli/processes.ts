// The CLI as separate processes, for the real-time tests of test/interop/cli: run `faxvault`, wait
// for a process, collect its output, and a TCP relay that records every byte both ways (what
// crossed the LAN, to search for anything in clear).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server } from 'node:net';

export const FV = ['bin/faxvault.js'];

/** `faxvault ARGS`, synchronously (setup steps: the key center). */
export function fv(args: string[]) {
  return spawnSync(process.execPath, [...FV, ...args], { encoding: 'utf8' });
}

/** A TCP relay to 127.0.0.1:`toPort` that records every byte in both directions. */
export function relay(toPort: number, capture: Buffer[]): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((a) => {
      const b = connect(toPort, '127.0.0.1');
      a.on('data', (d) => { capture.push(Buffer.from(d)); b.write(d); });
      b.on('data', (d) => { capture.push(Buffer.from(d)); a.write(d); });
      a.on('close', () => b.destroy());
      b.on('close', () => a.destroy());
      a.on('error', () => b.destroy());
      b.on('error', () => a.destroy());
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** Everything a process writes, stdout and stderr together. */
export function collect(p: ChildProcess): { text: () => string } {
  let out = '';
  p.stdout!.on('data', (d) => (out += d));
  p.stderr!.on('data', (d) => (out += d));
  return { text: () => out };
}

/** Its exit code, or null when it had to be killed after `ms`. */
export function exited(p: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const t = setTimeout(() => { p.kill(); }, ms);
    p.on('close', (c) => { clearTimeout(t); resolve(c); });
  });
}

/** `faxvault ARGS` without blocking this process (the relays live here). */
export async function run(args: string[], ms = 150000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const p = spawn(process.execPath, [...FV, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  const status = await exited(p, ms);
  return { status, stdout, stderr };
}

/** Resolves once something accepts connections on 127.0.0.1:`port` (a server process has started). */
export async function waitForPort(port: number, ms = 60000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listens on port ${port} after ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
