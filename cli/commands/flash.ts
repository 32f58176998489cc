// `faxvault flash`: writes the device build to an Espruino board's Storage through its console
// (serial or TCP), in pieces the board can take (host/device/upload-plan.ts), and restarts it
// into the boot code, which loads the bundle from Storage as at every power-on.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseArgs } from '../args.ts';
import { readKeyFile } from '../../host/crypto/keyfile.ts';
import { deviceFilesOf, uploadPlan, PIECE, BUILD_OUTPUTS } from '../../host/device/upload-plan.ts';
import type { UploadStep } from '../../host/device/upload-plan.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const help = `usage: faxvault flash --port PORT [--baud N] [--no-restart] [--key FILE] [--dry-run]

Writes the device build (dist/faxvault.device.js, built by npm run build if missing) to the
board's Storage through its JavaScript console, then restarts the board into it:
  faxvault.js   the bundle, written in pieces of ${PIECE} bytes: a board cannot hold the whole
                file as one string (require("Storage").write(name, piece, offset, size))
                (its rarely used parts, such as the self-test, are modules inside it whose
                code runs only while the firmware uses them)
  .bootcde      the boot code the board runs at power-on: it evaluates faxvault.js from Storage
                (so the code stays in flash) and calls faxvault.start()
Each piece is one console line; the next is sent when the board has answered the last.

  --port PORT     /dev/ttyUSB0 (serial) or tcp://HOST[:PORT] (a board's console on the network,
                  e.g. an ESP32's telnet console, port 23)
  --baud N        serial speed (default 115200)
  --no-restart    leave the board running as it is after writing (no load())
  --key FILE      then provision the appliance's FAXNIKS key file (its POLY share) into the
                  board's flash store, where it stays: faxvault.provisionKey(…) on the console
                  once the board has booted (the LAN service starts at the next boot). The
                  dry run shows that line with the share left out
  --dry-run       print the console lines that would be sent, exactly, and nothing else on
                  standard output (a summary goes to standard error); no board needed

Then on the board's console: faxvault.selftest() prints 'N passed, N failed'.`;

/** The console lines of a whole upload: echo off, the Storage writes, then the restart. */
export function consoleLines(steps: UploadStep[], restart: boolean): string[] {
  const lines = ['echo(0)'];
  steps.forEach((s, i) => lines.push('print((' + s.code + ')?"FV-OK ' + i + '":"FV-FAIL ' + i + '")'));
  if (restart) lines.push('load()');
  return lines;
}

interface Link {
  write(s: string): Promise<void>;
  onData(cb: (s: string) => void): void;
  close(): void;
}

function tcpLink(host: string, port: number): Promise<Link> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port }, () => {
      sock.off('error', reject);
      resolve({
        write: (s) => new Promise((res) => { if (sock.write(s, 'latin1')) res(); else sock.once('drain', () => res()); }),
        onData: (cb) => sock.on('data', (d) => cb(d.toString('latin1'))),
        close: () => sock.destroy(),
      });
    });
    sock.once('error', reject);
  });
}

async function serialLink(path: string, baud: number): Promise<Link> {
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({ path, baudRate: baud, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  return {
    write: (s) => new Promise((res, rej) => { port.write(Buffer.from(s, 'latin1')); port.drain((e) => (e ? rej(e) : res())); }),
    onData: (cb) => port.on('data', (d: Buffer) => cb(d.toString('latin1'))),
    close: () => port.close(),
  };
}

/** Sends the lines, each after the board answered the one before; returns the failures. */
export async function upload(link: Link, steps: UploadStep[], restart: boolean, log: (s: string) => void): Promise<string | null> {
  let seen = '';
  let wake: (() => void) | null = null;
  link.onData((s) => {
    seen += s;
    if (seen.length > 100000) seen = seen.slice(-50000);
    if (wake) wake();
  });
  const answer = (re: RegExp, ms: number): Promise<RegExpExecArray | null> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => { wake = null; resolve(null); }, ms);
      const check = (): void => {
        const m = re.exec(seen);
        if (!m) return;
        clearTimeout(timer);
        seen = seen.slice(m.index + m[0].length);
        wake = null;
        resolve(m);
      };
      wake = check;
      check();
    });
  const lines = consoleLines(steps, restart);
  // Ctrl-C clears a half-typed line on the board's console; then echo off.
  await link.write('\x03');
  await link.write(lines[0] + ';print("FV-READY")\n');
  if (!(await answer(/FV-READY/, 10000))) return 'the board did not answer on its console (is this the right port and speed?)';
  let bytes = 0;
  for (let i = 0; i < steps.length; i++) {
    await link.write(lines[i + 1] + '\n');
    const m = await answer(/FV-(OK|FAIL) (\d+)|Uncaught[^\n]*|OUT OF MEMORY/, 30000);
    if (!m) return `no answer to ${steps[i].what}`;
    if (m[1] !== 'OK') return `${steps[i].what}: ${m[0]}${m[1] === 'FAIL' ? ' (Storage full? require("Storage").compact() on the board)' : ''}`;
    bytes += steps[i].bytes;
    log(`wrote ${steps[i].what}`);
  }
  if (restart) await link.write('load()\n');
  log(`${steps.length} writes, ${bytes} bytes${restart ? '; board restarted into .bootcde' : ''}`);
  return null;
}

/** The console line that stores the key (firmware/device/main.ts provisionKey). */
function provisionLine(path: string): string {
  let kf;
  try {
    kf = readKeyFile(path);
  } catch (e) {
    throw new UsageError(`--key: ${(e as Error).message}`);
  }
  if (!kf.poly) throw new UsageError(`--key ${path}: no POLY-GF128 share (the board runs only that suite)`);
  const hex = Buffer.from(kf.poly.share, 'base64').toString('hex');
  return `print(faxvault.provisionKey(${JSON.stringify(kf.identity)},${kf.epoch},"${hex}")?"FV-KEY-OK":"FV-KEY-FAIL")`;
}

/** After the upload (and the board's restart): the key into the store, answered FV-KEY-OK. */
function provisionKey(link: Link, line: string, restarted: boolean): Promise<string | null> {
  return new Promise((resolve) => {
    let seen = '';
    const timer = setTimeout(() => resolve('the board did not confirm the key (FV-KEY-OK)'), restarted ? 60000 : 20000);
    link.onData((s) => {
      seen += s;
      if (seen.length > 20000) seen = seen.slice(-10000);
      const m = /FV-KEY-(OK|FAIL)/.exec(seen);
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1] === 'OK' ? null : 'the board\'s store refused the key');
    });
    // After load() the board evaluates the bundle from Storage first: give it time to boot.
    setTimeout(() => void link.write(line + '\n'), restarted ? 8000 : 0);
  });
}

const command: Command = {
  name: 'flash',
  summary: 'write the device build to an Espruino board\'s Storage (serial or TCP) and restart it',
  help,
  async run(argv) {
    const args = parseArgs(argv, { port: 'value', baud: 'value', 'dry-run': 'flag', 'no-restart': 'flag', key: 'value' });
    const provision = args.opts.key ? provisionLine(args.opts.key as string) : null;
    const port = args.opts.port as string | undefined;
    const dry = args.opts['dry-run'] === true;
    if (!port && !dry) throw new UsageError('--port is required (e.g. --port /dev/ttyUSB0 or --port tcp://192.0.2.10:23)');
    const baud = (args.opts.baud as string) ?? '115200';
    if (!/^\d+$/.test(baud)) throw new UsageError(`--baud must be a number (got '${baud}')`);
    let tcp: { host: string; port: number } | null = null;
    if (port && port.startsWith('tcp://')) {
      const m = /^tcp:\/\/([^:/]+)(?::(\d+))?\/?$/.exec(port);
      if (!m) throw new UsageError(`--port tcp://HOST[:PORT] (got '${port}')`);
      tcp = { host: m[1], port: m[2] ? Number(m[2]) : 23 };
    }
    if (BUILD_OUTPUTS.some((o) => !existsSync(join(root, o.dist)))) {
      const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
      if (b.status !== 0) return 1;
    }
    const restart = args.opts['no-restart'] !== true;
    const steps = uploadPlan(deviceFilesOf((dist) => readFileSync(join(root, dist), 'latin1')));
    if (dry) {
      const files = new Map<string, number>();
      for (const s of steps) files.set(s.what.split(' ')[0], (files.get(s.what.split(' ')[0]) ?? 0) + s.bytes);
      console.error(`faxvault flash --dry-run: ${steps.length} Storage writes of at most ${PIECE} bytes: ` +
        [...files].map(([f, n]) => `${f} ${n} bytes`).join(', ') + (restart ? '; then load()' : '') + (port ? ` (to ${port})` : ''));
      // One write, waited for: the launcher exits as soon as run() returns, and a pipe would
      // otherwise lose what is still buffered.
      const text = consoleLines(steps, restart).join('\n') + '\n' + (provision ? provision.replace(/"[0-9a-f]{64,}"/, '"<share hex>"') + '\n' : '');
      await new Promise<void>((res) => process.stdout.write(text, () => res()));
      return 0;
    }
    const link = tcp ? await tcpLink(tcp.host, tcp.port) : await serialLink(port as string, Number(baud));
    try {
      let err = await upload(link, steps, restart, (s) => console.error(s));
      if (!err && provision) err = await provisionKey(link, provision, restart);
      if (err) {
        console.error(`faxvault flash: ${err}`);
        return 1;
      }
      return 0;
    } finally {
      link.close();
    }
  },
};

export default command;
