// The fax line's real peers, for tests and benches (host code).
//
// faxpeer: a SpanDSP T.31 Class 1 modem wired by a real-time 8 kHz audio line (40 ms each way)
// to a SpanDSP fax terminal. Your DTE (the firmware's Class 1 driver on the simulated UART, or
// efax) opens `ptyPath` (or connects to 127.0.0.1:`tcpPort`) and talks AT commands to a modem
// nobody here wrote, with a real T.30 terminal at the far end:
//
//   import { startPeer } from '../peer/harness.ts';
//   const peer = await startPeer({ role: 'receive', file: '/tmp/x/in.tif' });  // the DTE dials (ATD)
//   ... run the DTE against peer.ptyPath: AT+FCLASS=1, ATD123, T.30 ...
//   const r = await peer.result;      // { status: 0, text: 'OK', pages: 1, rate: 14400, coding: 'MH', ... }
//   decodeTiff('/tmp/x/in.tif')       // pages.ts: what the terminal received, pixel for pixel
//
//   const peer = await startPeer({ role: 'send', file: 'doc.tif', sub: '12', pwd: 'secret' });
//   // the terminal calls: the DTE sees RING once it has set the modem up and been quiet 1.5 s; it answers with ATA
//
// Options map onto faxpeer's flags: terminalCalls (--dial/--answer; default: the sender calls),
// ecm (default on), maxRate 14400|9600|4800 (V.17 / V.29 / V.27ter ceiling), codings
// ['mh','mr','mmr'], ident, sub, pwd (sent only if the DTE's DIS sets bits 49/50), tcp (a port,
// 0 = any free one), delayMs (line delay each way), timeoutS. The result is read from faxpeer's
// last stdout line; `trace()` is its stderr: peer events and SpanDSP's T.30/HDLC frame trace,
// the first thing to read when a call fails (print it in the failing test).
//
// modempair: two T.31 modems on one line, each with its own pty, so that two Class 1 DTEs call
// each other (efax on one side, the firmware on the other):
//
//   const pair = await startBackToBack();          // or { tcpA: true }: A on TCP (TcpUart), B a pty
//   const rx = runEfaxReceive({ device: pair.ptyB, prefix: dir + '/rx' });
//   const tx = runEfaxSend({ device: pair.ptyA, files: [dir + '/p1.g3'] });
//   await tx; await rx; await pair.kill();
//
// efax helpers run the Debian package's efax (Class 1 forced, verbose log captured). efax puts a
// 20-row header band above each page it sends (blank, as runEfaxSend passes -h ""): compare with
// diffBitmaps(want, got, { skipTop: EFAX_HEADER_ROWS }).
//
// To be the DTE yourself from Node (a simulated UART, a test's bare AT dialogue), open the port
// with openPtyPort(peer.ptyPath) or openTcpPort(peer.tcpPort): bytes in both directions, raw,
// nothing translated. The modem echoes commands until ATE0, like any Hayes modem, and sends
// XOFF (0x13) / XON (0x11) around +FTM data when its buffer is full (and stops reading meanwhile).
//
// terminalpair: two SpanDSP terminals on a line with no modem and no DTE, unpaced (a call takes
// milliseconds): runTerminalPair() checks the terminal options efax cannot exercise (ECM, MR,
// MMR, SUB, SID/PWD, rate ceilings), i.e. that faxpeer's terminal really offers and sends them.
//
// Everything else here runs in real time: a one-page call takes ~20 s. The binaries are built by
// test/setup/20-spandsp-peer.mjs; this module runs that script itself (it is idempotent) so a
// test file also works alone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readdirSync, write as fsWrite } from 'node:fs';
import { connect } from 'node:net';
import { ReadStream as TtyReadStream } from 'node:tty';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const binDir = join(root, '.cache/peer');

/** Rows efax adds above every page it sends (its page header band). */
export const EFAX_HEADER_ROWS = 20;

export type Coding = 'mh' | 'mr' | 'mmr';

export interface PeerOptions {
  role: 'send' | 'receive';
  /** TIFF to send, or the path the received TIFF is written to. */
  file: string;
  /** true: the terminal calls the DTE (RING/ATA); false: the DTE dials (ATD). Default: role === 'send'. */
  terminalCalls?: boolean;
  ecm?: boolean;
  maxRate?: 14400 | 12000 | 9600 | 7200 | 4800 | 2400;
  codings?: Coding[];
  ident?: string;
  sub?: string;
  pwd?: string;
  /** Listen on loopback TCP instead of a pty; 0 picks a free port. */
  tcp?: number;
  delayMs?: number;
  timeoutS?: number;
  rings?: number;
  /** SpanDSP's frame trace in trace() (default true). */
  log?: boolean;
}

export interface PeerResult {
  /** SpanDSP's T.30 completion code (0 = OK); -1 when the call never got going or was killed. */
  status: number;
  text: string;
  pages: number;
  rate: number;
  ecm: boolean;
  coding: 'MH' | 'MR' | 'MMR' | 'none';
  width: number;
  length: number;
  /** Resolution of the last page in pixels per metre (8031 = 204 dpi; 3850/7700 = 98/196 lpi). */
  xres: number;
  yres: number;
  sub: string;
  pwd: string;
  remote: string;
  /** Seconds from connect to the terminal's phase E. */
  duration: number;
  exitCode: number | null;
}

export interface PeerHandle {
  ptyPath?: string;
  tcpPort?: number;
  result: Promise<PeerResult>;
  trace(): string;
  kill(): Promise<void>;
}

/** Build the peer binaries if needed (fast no-op when up to date). */
export function ensurePeerBuilt(): { faxpeer: string; modempair: string; terminalpair: string } {
  const faxpeer = join(binDir, 'faxpeer');
  const modempair = join(binDir, 'modempair');
  const terminalpair = join(binDir, 'terminalpair');
  const r = spawnSync(process.execPath, [join(root, 'test/setup/20-spandsp-peer.mjs')], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(faxpeer)) throw new Error(`building the SpanDSP peer failed:\n${r.stdout}${r.stderr}`);
  return { faxpeer, modempair, terminalpair };
}

function decode(v: string): string {
  return decodeURIComponent(v);
}

/** Parse faxpeer's RESULT line (exported for the harness's own unit test). */
export function parseResultLine(line: string, exitCode: number | null = null): PeerResult {
  const m = /^RESULT status=(-?\d+) \(([^)]*)\)(.*)$/.exec(line.trim());
  if (!m) throw new Error(`not a RESULT line: ${line}`);
  const kv = new Map<string, string>();
  for (const part of m[3].trim().split(/\s+/).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq > 0) kv.set(part.slice(0, eq), decode(part.slice(eq + 1)));
  }
  const num = (k: string) => Number(kv.get(k) ?? 0);
  return {
    status: Number(m[1]),
    text: m[2],
    pages: num('pages'),
    rate: num('rate'),
    ecm: kv.get('ecm') === '1',
    coding: (kv.get('coding') ?? 'none') as PeerResult['coding'],
    width: num('width'),
    length: num('length'),
    xres: num('xres'),
    yres: num('yres'),
    sub: kv.get('sub') ?? '',
    pwd: kv.get('pwd') ?? '',
    remote: kv.get('remote') ?? '',
    duration: num('duration'),
    exitCode,
  };
}

function peerArgs(o: PeerOptions): string[] {
  const a: string[] = [o.role === 'send' ? '--send' : '--receive', o.file];
  const calls = o.terminalCalls ?? o.role === 'send';
  a.push(calls ? '--dial' : '--answer');
  a.push(o.ecm === false ? '--no-ecm' : '--ecm');
  if (o.maxRate) a.push('--max-rate', String(o.maxRate));
  if (o.codings) a.push('--codings', o.codings.join(','));
  if (o.ident !== undefined) a.push('--ident', o.ident);
  if (o.sub !== undefined) a.push('--sub', o.sub);
  if (o.pwd !== undefined) a.push('--pwd', o.pwd);
  if (o.tcp !== undefined) a.push('--tcp', String(o.tcp));
  if (o.delayMs !== undefined) a.push('--delay', String(o.delayMs));
  if (o.timeoutS !== undefined) a.push('--timeout', String(o.timeoutS));
  if (o.rings !== undefined) a.push('--rings', String(o.rings));
  if (o.log !== false) a.push('--log');
  a.push('--watch-stdin');
  return a;
}

// Peers never outlive the test process: they get --watch-stdin (EOF on their stdin pipe, which
// the kernel closes when we die, ends them), and any still running at exit are killed.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

function adopt(child: ChildProcess): ChildProcess {
  live.add(child);
  child.on('close', () => live.delete(child));
  return child;
}

/** Lines of a child's stdout, as they come. */
function lineReader(child: ChildProcess, onLine: (line: string) => void): void {
  let buf = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
}

function killAndWait(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
  return exited.then(() => clearTimeout(hard));
}

/** Start faxpeer; resolves once its DTE port is open (the pty path or TCP port is known). */
export function startPeer(o: PeerOptions): Promise<PeerHandle> {
  const { faxpeer } = ensurePeerBuilt();
  const child = adopt(spawn(faxpeer, peerArgs(o), { stdio: ['pipe', 'pipe', 'pipe'] }));
  let trace = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => { trace += d; });
  let resultLine = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolveHandle, rejectHandle) => {
    let announced = false;
    lineReader(child, (line) => {
      if (!announced) {
        announced = true;
        const pty = /^PTY (\S+)/.exec(line);
        const tcp = /^TCP 127\.0\.0\.1:(\d+)/.exec(line);
        const handle: PeerHandle = {
          ptyPath: pty?.[1],
          tcpPort: tcp ? Number(tcp[1]) : undefined,
          result: exited.then((code) => {
            if (!resultLine) throw new Error(`faxpeer exited (${code}) without a RESULT line:\n${trace}`);
            return parseResultLine(resultLine, code);
          }),
          trace: () => trace,
          kill: () => killAndWait(child, exited),
        };
        handle.result.catch(() => {}); // a caller that only kills need not await it
        resolveHandle(handle);
      } else if (line.startsWith('RESULT ')) {
        resultLine = line;
      }
    });
    exited.then((code) => {
      if (!announced) rejectHandle(new Error(`faxpeer exited (${code}) before opening its port:\n${trace}`));
    });
  });
}

export interface BackToBack {
  /** The two DTE ports: pty paths, or (with tcp) empty, see tcpA/tcpB. */
  ptyA: string;
  ptyB: string;
  tcpA?: number;
  tcpB?: number;
  /** Call events so far: "CALL A B 123", "CONNECTED A B", "HANGUP A", "IDLE", … */
  events: string[];
  trace(): string;
  kill(): Promise<void>;
}

/**
 * Start two T.31 modems on one line; resolves with both ports: ptys, or loopback TCP for the side
 * asked (tcp: both; tcpA/tcpB: one, e.g. the firmware's TcpUart on A and efax on B's pty).
 */
export function startBackToBack(
  opts: { delayMs?: number; log?: boolean; tcp?: boolean; tcpA?: boolean; tcpB?: boolean } = {},
): Promise<BackToBack> {
  const { modempair } = ensurePeerBuilt();
  const args: string[] = ['--watch-stdin'];
  if (opts.log) args.push('--log');
  if (opts.tcp || opts.tcpA) args.push('--tcp-a', '0');
  if (opts.tcp || opts.tcpB) args.push('--tcp-b', '0');
  if (opts.delayMs !== undefined) args.push('--delay', String(opts.delayMs));
  const child = adopt(spawn(modempair, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
  let trace = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => { trace += d; });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const events: string[] = [];
  return new Promise((resolve, reject) => {
    const ports: Record<string, { pty: string; tcp?: number }> = {};
    let done = false;
    lineReader(child, (line) => {
      const m = /^([AB]) (?:PTY (\S+)|TCP 127\.0\.0\.1:(\d+))/.exec(line);
      if (m) {
        ports[m[1]] = { pty: m[2] ?? '', tcp: m[3] ? Number(m[3]) : undefined };
        if (ports.A && ports.B && !done) {
          done = true;
          resolve({
            ptyA: ports.A.pty, ptyB: ports.B.pty, tcpA: ports.A.tcp, tcpB: ports.B.tcp,
            events, trace: () => trace, kill: () => killAndWait(child, exited),
          });
        }
      } else {
        events.push(line);
      }
    });
    exited.then((code) => {
      if (!done) reject(new Error(`modempair exited (${code}) before opening its ports:\n${trace}`));
    });
  });
}

export interface EfaxRun {
  /** efax's exit code: 0 success, 1 busy/no answer, 2 fatal, 3 modem error, 4 no response, 5 signal. */
  code: number | null;
  log: string;
  seconds: number;
}

function runEfax(args: string[], timeoutS: number): Promise<EfaxRun> {
  const t0 = Date.now();
  const child = spawn('efax', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => { log += d; });
  child.stderr!.on('data', (d) => { log += d; });
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutS * 1000);
  return new Promise((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`efax: ${e.message} (apt-get install efax)`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, log, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

/** efax dials `number` on `device` and sends the files (one page each: raw G3 or single-strip TIFF). */
export function runEfaxSend(o: { device: string; files: string[]; ident?: string; number?: string; timeoutS?: number }): Promise<EfaxRun> {
  const args = ['-d', o.device, '-o1', '-v', 'ewinchrt', '-h', ''];
  if (o.ident) args.push('-l', o.ident);
  args.push('-t', o.number ?? '123', ...o.files);
  return runEfax(args, o.timeoutS ?? 180);
}

/** efax answers on `device` (ATA at once) and stores each page as `${prefix}.001`, `.002`, … (TIFF G3). */
export async function runEfaxReceive(o: { device: string; prefix: string; ident?: string; timeoutS?: number }): Promise<EfaxRun & { pages: string[] }> {
  const args = ['-d', o.device, '-o1', '-v', 'ewinchrt', '-r', o.prefix];
  if (o.ident) args.push('-l', o.ident);
  const run = await runEfax(args, o.timeoutS ?? 180);
  const dir = dirname(o.prefix);
  const base = basename(o.prefix);
  const pages = readdirSync(dir)
    .filter((f) => f.startsWith(base + '.') && /^\d{3}$/.test(f.slice(base.length + 1)))
    .sort()
    .map((f) => join(dir, f));
  return { ...run, pages };
}

/**
 * The HDLC frames efax logged as received (needs -v with 'h', as the helpers pass), in order:
 * name as efax calls it (DIS, CFR, MCF, …) and the bytes from the address field on, FCS included.
 * efax prints each byte with the first transmitted bit as its MSB.
 */
export function efaxReceivedFrames(log: string): { name: string; bytes: number[] }[] {
  const frames: { name: string; bytes: number[] }[] = [];
  let bytes: number[] | null = null;
  for (const line of log.split('\n')) {
    const start = /received \d+ bytes:(.*)$/.exec(line);
    if (start) {
      bytes = hexBytes(start[1]);
      continue;
    }
    const cont = /^efax: \d\d:\d\d  ((?:[0-9a-f]{2} ?)+)$/.exec(line);
    if (cont && bytes) {
      bytes.push(...hexBytes(cont[1]));
      continue;
    }
    const named = /received ([A-Z]{2,4}) - /.exec(line);
    if (named && bytes) frames.push({ name: named[1], bytes });
    bytes = null;
  }
  return frames;
}

function hexBytes(text: string): number[] {
  return text.trim().split(/\s+/).filter((h) => /^[0-9a-f]{2}$/.test(h)).map((h) => parseInt(h, 16));
}

/** Bit n (T.30 numbering, 1 = first bit of the FIF) of a DIS/DTC/DCS frame as efax logs it. */
export function efaxFrameBit(frame: number[], n: number): boolean {
  const i = 3 + ((n - 1) >> 3); // after address, control and FCF
  return i < frame.length - 2 && (frame[i] & (0x80 >> ((n - 1) & 7))) !== 0;
}

/** A DTE's end of a modem port: raw bytes both ways. */
export interface DtePort {
  write(data: Uint8Array | string): void;
  onData(fn: (chunk: Buffer) => void): void;
  close(): void;
}

/** Open a peer's pty as the DTE (raw mode: no echo, no CR/LF or XON/XOFF processing by the kernel). */
export function openPtyPort(path: string): DtePort {
  const fd = openSync(path, 'r+');
  const rs = new TtyReadStream(fd);
  rs.setRawMode(true);
  let closed = false;
  return {
    write: (data) => {
      const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
      fsWrite(fd, buf, () => {});
    },
    onData: (fn) => { rs.on('data', (d: Buffer | string) => fn(typeof d === 'string' ? Buffer.from(d, 'latin1') : d)); },
    close: () => {
      if (closed) return;
      closed = true;
      rs.destroy();           // also closes fd
    },
  };
}

/** Connect to a peer's loopback TCP port as the DTE. */
export function openTcpPort(port: number): Promise<DtePort> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => {
      sock.setNoDelay(true);
      resolve({
        write: (data) => { sock.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data); },
        onData: (fn) => { sock.on('data', fn); },
        close: () => { sock.destroy(); },
      });
    });
    sock.on('error', reject);
  });
}

export interface TerminalPairOptions {
  send: string;
  receive: string;
  ecm?: boolean;
  maxRate?: PeerOptions['maxRate'];
  codings?: Coding[];
  /** What the receiving terminal offers, if not `codings`. */
  rxCodings?: Coding[];
  sub?: string;
  pwd?: string;
  txIdent?: string;
  rxIdent?: string;
  log?: boolean;
}

/** Run two SpanDSP terminals against each other (unpaced); both sides' results and the trace. */
export function runTerminalPair(o: TerminalPairOptions): { sender: PeerResult; receiver: PeerResult; trace: string } {
  const { terminalpair } = ensurePeerBuilt();
  const a = ['--send', o.send, '--receive', o.receive, o.ecm === false ? '--no-ecm' : '--ecm'];
  if (o.maxRate) a.push('--max-rate', String(o.maxRate));
  if (o.codings) a.push('--codings', o.codings.join(','));
  if (o.rxCodings) a.push('--rx-codings', o.rxCodings.join(','));
  if (o.sub !== undefined) a.push('--sub', o.sub);
  if (o.pwd !== undefined) a.push('--pwd', o.pwd);
  if (o.txIdent !== undefined) a.push('--tx-ident', o.txIdent);
  if (o.rxIdent !== undefined) a.push('--rx-ident', o.rxIdent);
  if (o.log) a.push('--log');
  const r = spawnSync(terminalpair, a, { encoding: 'utf8', timeout: 60000 });
  const line = (who: string) => {
    const l = r.stdout.split('\n').find((x) => x.startsWith(who + ' RESULT '));
    if (!l) throw new Error(`terminalpair gave no ${who} result (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    return parseResultLine(l.slice(who.length + 1), r.status);
  };
  return { sender: line('SENDER'), receiver: line('RECEIVER'), trace: r.stderr };
}
