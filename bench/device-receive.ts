// Does a board keep up with the line? The firmware's real receive path (the Class 1 driver's data
// path, the T.30 receiver with its line scan or ECM's HDLC frame checks, the reception sink, the
// at-rest sealing of a confidential box, the store's page writer into flash) timed on the Espruino
// interpreter's native Linux build during a whole 3-page call of dense ghostscript text pages
// (1728×2292 fine, MH and MR, without and with ECM), played by a scripted modem at the line's
// pace (bench/entries/receive-device.ts). Projected to an ESP32 with the project's factor (×34,
// docs/ESPRUINO.md "Speed") and set beside the line: octets per second of each path against
// the line's, the backlog at the end of each page (bytes lost once it passes the UART's buffer),
// and the time from the post-page command to the receiver's answer (MCF after the page's commit)
// against T.30's T4 (3 s: the sender repeats its command, §5.4.3.2). Needs ESPRUINO_SPEED= a
// native build (or ESPRUINO=); without one it says so and measures nothing.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Interpreter } from '../test/build/interpreter.ts';
import { T4Encoder } from '../firmware/fax/t4/index.ts';
import { concat } from '../firmware/crypto/bytes.ts';
import { fcs16 } from '../firmware/fax/class1/hdlc.ts';
import { shield, DLE, ETX } from '../firmware/fax/class1/codes.ts';
import { TxBlock } from '../firmware/fax/t30/ecm.ts';
import * as F from '../firmware/fax/t30/fcf.ts';
import { makeFrame, frameBytes, encodeIdent } from '../firmware/fax/t30/frame.ts';
import type { Frame } from '../firmware/fax/t30/frame.ts';
import { encodeDcs } from '../firmware/fax/t30/dis.ts';
import type { ScriptItem, ReceiveFigures } from './entries/receive-device.ts';
import { scratchDeviceBundle } from './scratch-bundle.ts';

/** ESP32-class board vs the interpreter's native Linux build on this machine (docs/ESPRUINO.md). */
export const BOARD_FACTOR = 34;
/** The rates a Group 3 call runs at (V.17, V.29, V.27ter). */
export const LINE_RATES = [14400, 9600, 7200, 4800, 2400];
/** What the board's UART keeps of received octets the firmware has not taken yet (hal/espruino/uart.ts RX_MAX). */
export const UART_BUFFER = 2048;
/** T.30 T4 (§5.4.3.2): a command not answered within it is sent again. */
export const T4_MS = 3000;
/** T.30 §5.3.2: the gap before the answer's carrier. */
export const GAP_MS = 75;

/**
 * A path's cost on the interpreter, split by two runs with different pieces: `cUs` per octet and
 * `eMs` per UART event (the kernel's dispatch, the driver's event, the sink's call), from the
 * CPU `ms1` and `ms2` the same `octets` took in pieces of `p1` and `p2` octets.
 */
export function splitCost(octets: number, p1: number, ms1: number, p2: number, ms2: number): { cUs: number; eMs: number } {
  const n1 = Math.ceil(octets / p1), n2 = Math.ceil(octets / p2);
  const eMs = Math.max(0, (ms1 - ms2) / (n1 - n2));
  const cUs = (Math.max(0, ms2 - n2 * eMs) / octets) * 1000;
  return { cUs, eMs };
}

/** A path on the board beside one line rate, in the steady state of a page. */
export interface KeepUp {
  lineRate: number;
  /** Octets per second the board takes through the path when its pieces are large. */
  boardRate: number;
  /** boardRate / lineRate: below 1 the path falls behind whatever the pieces. */
  ratio: number;
  /**
   * The piece the UART must gather between two events so that each event's cost and its
   * octets' take no longer than the line needs to bring them (Infinity when ratio < 1).
   */
  piece: number;
  /** The page keeps up: ratio ≥ 1 and that piece fits the UART's buffer. */
  keeps: boolean;
  /** Octets waiting at the page's end: a piece when it keeps up, else what it has not taken. */
  backlog: number;
  /** Octets lost: the backlog beyond the UART's buffer. */
  lost: number;
  /** Seconds to work off the backlog after the page's last octet. */
  drainS: number;
}

/**
 * The board (the interpreter × `factor`) receiving a page of `octets` at `bitRate` through a path
 * that costs `cUs` an octet and `eMs` an event on the interpreter. Keeping up, the UART gathers
 * P octets while the board works off the previous P: e + P·c ≤ P / line, so P ≥ e·line / (1 −
 * c·line); that P must fit the UART's buffer. Falling behind, the backlog at the page's end is
 * what the board has not taken when the last octet arrives.
 */
export function keepUp(octets: number, cUs: number, eMs: number, bitRate: number, factor = BOARD_FACTOR, buffer = UART_BUFFER): KeepUp {
  const lineRate = bitRate / 8;
  const c = (cUs * factor) / 1e6; // s per octet on the board
  const e = (eMs * factor) / 1000; // s per event on the board
  const boardRate = 1 / c;
  const ratio = boardRate / lineRate;
  const spare = 1 - c * lineRate;
  const piece = spare > 0 ? Math.ceil((e * lineRate) / spare) : Infinity;
  if (piece <= buffer) return { lineRate, boardRate, ratio, piece, keeps: true, backlog: piece, lost: 0, drainS: e + piece * c };
  // behind: events as large as the buffer allows, the rest waits (and what passes the buffer is lost)
  const rate = buffer / (e + buffer * c);
  const backlog = rate >= lineRate ? buffer : Math.round(octets * (1 - rate / lineRate));
  return { lineRate, boardRate, ratio, piece, keeps: false, backlog, lost: Math.max(0, backlog - buffer), drainS: backlog / rate };
}

/**
 * Seconds from the post-page command's end to the answer's carrier on the board: the backlog
 * worked off, the answer's own CPU (the page's commit, the frame), the gap (T.30 §5.3.2).
 */
export function answerDelayS(answerMs: number, backlogDrainS: number, factor = BOARD_FACTOR): number {
  return backlogDrainS + (answerMs * factor) / 1000 + GAP_MS / 1000;
}

// ---- the remote sender as a Class 1 modem plays it to the DTE ----

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** One V.21 frame as +FRH=3 gives it: CONNECT, the frame and its FCS shielded, <DLE><ETX>, OK. */
function v21(tag: string, f: Frame): ScriptItem {
  const b = frameBytes(f);
  const fcs = fcs16(b, 0, b.length);
  const bytes = concat([enc('\r\nCONNECT\r\n'), shield(concat([b, new Uint8Array([fcs & 0xff, fcs >>> 8])])), new Uint8Array([DLE, ETX]), enc('\r\nOK\r\n')]);
  return { kind: 'frames', tag, bytes: [bytes], octets: 0 };
}

/** High-speed data as +FRM gives it: CONNECT, the octets shielded, <DLE><ETX>, NO CARRIER. */
function hs(tag: string, data: Uint8Array): ScriptItem {
  const bytes = concat([enc('\r\nCONNECT\r\n'), shield(data), new Uint8Array([DLE, ETX]), enc('\r\nNO CARRIER\r\n')]);
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 32768) parts.push(bytes.subarray(at, Math.min(bytes.length, at + 32768)));
  return { kind: 'data', tag, bytes: parts, octets: bytes.length };
}

/** The HDLC octets of one ECM block of `data` (frames of 256 octets, FCD then three RCP: T.4 Annex A). */
function ecmBlock(data: Uint8Array): { stream: Uint8Array; frames: number } {
  const blk = new TxBlock(256, 256);
  let at = 0;
  blk.fill((max) => {
    if (at >= data.length) return null;
    const c = data.subarray(at, Math.min(data.length, at + max));
    at += c.length;
    return c;
  });
  const parts: Uint8Array[] = [];
  blk.stream((b) => parts.push(b.slice()), 40);
  return { stream: concat(parts), frames: blk.frames };
}

/** MH or MR coded pages, LSB first as a Class 1 modem carries them (T.4 with K=4 for MR at fine). */
export function codePages(pages: { width: number; height: number; rows: Uint8Array }[], coding: 'mh' | 'mr'): Uint8Array[] {
  return pages.map((p) => {
    const out: Uint8Array[] = [];
    const e = new T4Encoder({ coding, width: p.width, k: 4, bitOrder: 'lsb-first', onData: (d) => out.push(d.slice()) });
    const stride = (p.width + 7) >> 3;
    for (let r = 0; r < p.height; r++) e.encodeRow(p.rows.subarray(r * stride, (r + 1) * stride));
    e.finish();
    return concat(out);
  });
}

/**
 * What the remote sender's modem gives the receiving DTE in a call of these coded pages at 14400
 * (TSI, DCS, TCF, then each page and its post-page command, DCN), in the order the receiver asks
 * for it. With ECM each page goes in blocks of up to 256 frames, each followed by its PPS.
 */
export function callScript(pages: Uint8Array[], coding: 'mh' | 'mr', ecm: boolean): ScriptItem[] {
  const dcs = encodeDcs({ rate: 14400, v17: true, fine: true, coding: coding === 'mr' ? 'MR' : 'MH', ecm, frameSize: 256, width: 1728, length: 0, minScan: 0 });
  const s: ScriptItem[] = [v21('tsi', makeFrame(F.TSI | 1, encodeIdent('+1 555 0199'), false)), v21('dcs', makeFrame(F.DCS | 1, dcs, true)), hs('tcf', new Uint8Array(2700))];
  pages.forEach((page, i) => {
    const post = i === pages.length - 1 ? F.EOP : F.MPS;
    if (!ecm) {
      s.push(hs('p' + (i + 1), page));
      s.push(v21('post' + (i + 1), makeFrame(post | 1, null, true)));
      return;
    }
    const blocks = Math.max(1, Math.ceil(page.length / 65536));
    for (let b = 0; b < blocks; b++) {
      const { stream, frames } = ecmBlock(page.subarray(b * 65536, Math.min(page.length, (b + 1) * 65536)));
      const last = b === blocks - 1;
      s.push(hs('p' + (i + 1) + (blocks > 1 ? 'b' + (b + 1) : ''), stream));
      const fif = new Uint8Array([last ? post | 1 : F.NULL_FCF, i & 0xff, b & 0xff, frames - 1]);
      s.push(v21((last ? 'post' : 'pps') + (i + 1) + (last ? '' : 'b' + (b + 1)), makeFrame(F.PPS | 1, fif, true)));
    }
  });
  s.push(v21('dcn', makeFrame(F.DCN | 1, null, true)));
  return s;
}

/** The answer frames a receiver that kept every page sends for this script. */
export function expectedAnswers(script: ScriptItem[]): string[] {
  return ['CFR'].concat(script.filter((i) => /^(post|pps)/.test(i.tag)).map(() => 'MCF'));
}

// ---- the run on the interpreter ----

/** Each step of the path alone on one page (bench/entries/receive-device.ts stageTimes), projected. */
async function stages(it: Interpreter, bundle: string, page: Uint8Array, coding: 'mh' | 'mr'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fv-st-'));
  const sh = shield(page);
  let n = 0;
  for (let at = 0; at < sh.length; at += 32768) writeFileSync(join(dir, 'page.' + n++), sh.subarray(at, at + 32768));
  const { stream } = ecmBlock(page.subarray(0, Math.min(page.length, 65536)));
  let e = 0;
  for (let at = 0; at < stream.length; at += 32768) writeFileSync(join(dir, 'ecm.' + e++), stream.subarray(at, at + 32768));
  const f: { [k: string]: number } = {};
  for (let k = 0; k < REPEATS; k++) {
    const r = await it.run(bundle + `\nfaxvault.runStages(${JSON.stringify(dir)}, '${coding}', ${n}, ${e});\n`, 1800000);
    const m = /STAGES-BENCH (\{.*\})/.exec(r.out);
    if (!m) throw new Error('the interpreter printed no step figures: ' + r.out.slice(-1500));
    const got = JSON.parse(m[1]) as { [k: string]: number };
    for (const key of Object.keys(got)) f[key] = f[key] === undefined ? got[key] : Math.min(f[key], got[key]);
  }
  const names: { [k: string]: [string, number] } = {
    driver: ['driver (DLE unshielding)', sh.length], lineScan: ['line scan', page.length], storeWrite: ['store page writer (native CRC)', page.length],
    seal: ['at-rest seal (AES-CTR + SHA-256 chain HMAC)', page.length], aesCtrHal: ['  of which AES-CTR through the HAL', page.length],
    chainMac: ['  of which the SHA-256 chain', page.length], poly1305: ['  (Poly1305 in JavaScript, as before)', page.length],
    hdlc: ['ECM: HDLC frames, FCS, receive window', stream.length],
  };
  console.log(`  each step alone on page 1 (${coding.toUpperCase()}, ${page.length} octets), per octet on the interpreter → an ESP32's octets/s (the line: 1800 at 14400):`);
  for (const k of Object.keys(names)) {
    if (f[k] === undefined) continue;
    const [name, octets] = names[k];
    const us = (f[k] * 1000) / octets;
    console.log(`    ${name.padEnd(40)} ${us.toFixed(1).padStart(6)} µs → ${f1(1e6 / (us * BOARD_FACTOR)).padStart(6)} octets/s (${(1e6 / (us * BOARD_FACTOR) / 1800).toFixed(2)}×)`);
  }
}

interface Config {
  name: string;
  coding: 'mh' | 'mr';
  ecm: boolean;
  seal: 'engine' | 'js' | 'none';
}

/** The board's settings (hal/espruino/board.ts). */
const ESPRUINO_BOARD = { rxDecodeBacklog: 0, ecmRxWindow: 16 };
/** Octets a UART event brings, in the two runs that split the cost per octet from the cost per event. */
const PIECES = [128, 1024];
/** Runs of each, the quickest kept. */
const REPEATS = 2;

function buildBundle(): string {
  const script = scratchDeviceBundle('bench/entries/receive-device.ts');
  return readFileSync(script, 'utf8');
}

async function runOn(it: Interpreter, bundle: string, script: ScriptItem[], seal: Config['seal'], piece: number): Promise<ReceiveFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'fv-rx-'));
  const manifest = script.map((s, i) => {
    s.bytes.forEach((b, k) => writeFileSync(join(dir, 'i' + i + '.' + k), b));
    return { kind: s.kind, tag: s.tag, octets: s.octets, file: 'i' + i, parts: s.bytes.length };
  });
  writeFileSync(join(dir, 'script.json'), JSON.stringify(manifest));
  const opts = { seal, rate: 14400, piece, ...ESPRUINO_BOARD };
  const r = await it.run(bundle + `\nfaxvault.run(${JSON.stringify(dir)}, ${JSON.stringify(opts)});\n`, 1800000);
  const m = /RECEIVE-BENCH (\{.*\})/.exec(r.out);
  if (!m) throw new Error('the interpreter printed no result: ' + r.out.slice(-1500));
  const f = JSON.parse(m[1]) as ReceiveFigures & { out?: string };
  f.out = r.out.replace(m[0], '').slice(-1500);
  return f;
}

const f1 = (x: number): string => x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0);

export default async function run(): Promise<void> {
  const interp = [process.env.ESPRUINO_SPEED, process.env.ESPRUINO].find((p) => p && existsSync(p));
  if (!interp) {
    console.log('device receive path: not measured (set ESPRUINO_SPEED=/path/to/espruino, a native Linux build of the interpreter)');
    return;
  }
  const { denseTextPages } = await import('../scripts/fax/dense-pages.ts');
  const pages = denseTextPages(3);
  const coded = { mh: codePages(pages, 'mh'), mr: codePages(pages, 'mr') };
  const bundle = buildBundle();
  const it = new Interpreter(interp);
  const only = process.env.RECEIVE_BENCH_ONLY; // e.g. "mr" or "ecm-mr": one configuration while working on it
  const configs: Config[] = [
    { name: 'MR, confidential (sealed)', coding: 'mr', ecm: false, seal: 'engine' },
    { name: 'MH, confidential (sealed)', coding: 'mh', ecm: false, seal: 'engine' },
    { name: 'ECM MR, confidential (sealed)', coding: 'mr', ecm: true, seal: 'engine' },
    { name: 'ECM MH, confidential (sealed)', coding: 'mh', ecm: true, seal: 'engine' },
    { name: 'MR, ordinary (not sealed)', coding: 'mr', ecm: false, seal: 'none' },
    { name: 'MR, sealed without the AES engine', coding: 'mr', ecm: false, seal: 'js' },
  ].filter((c) => !only || (c.ecm ? 'ecm-' : '') + c.coding + (c.seal === 'engine' ? '' : '-' + c.seal) === only) as Config[];
  console.log(`device receive path on ${interp}: 3 dense ghostscript text pages 1728×2292 fine, the firmware's driver → receiver → sink → seal → store as on the board` +
    ` (rxDecodeBacklog ${ESPRUINO_BOARD.rxDecodeBacklog}, ECM window ${ESPRUINO_BOARD.ecmRxWindow}); ESP32 = interpreter ×${BOARD_FACTOR}` +
    ` (load average now ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores: on a busy machine the interpreter's figures, and so the projections, come out slower)`);
  await stages(it, bundle, coded.mr[0], 'mr');
  const [P1, P2] = PIECES;
  for (const c of configs) {
    const script = callScript(coded[c.coding], c.coding, c.ecm);
    const want = expectedAnswers(script);
    const runs: ReceiveFigures[] = [];
    const pageMs = (f: ReceiveFigures): number => f.data.filter((d) => d.tag !== 'tcf').reduce((a, d) => a + d.ms, 0);
    for (const piece of PIECES) {
      // the quicker of two runs: other work on this machine only ever adds time
      let best: ReceiveFigures | null = null;
      for (let k = 0; k < REPEATS; k++) {
        const f = await runOn(it, bundle, script, c.seal, piece);
        const ok = f.sent.join(' ') === want.join(' ') && f.pages === 3 && f.storedOctets === coded[c.coding].reduce((a, p) => a + p.length, 0);
        if (!ok) throw new Error(`${c.name}: the call did not go as a good one does: sent ${f.sent.join(' ')} (want ${want.join(' ')}), ${f.pages} pages, ${f.storedOctets} octets stored, ${f.result}\n${f.faults.join('\n')}\n${f.trace.join('\n')}\n${(f as { out?: string }).out}`);
        if (!best || pageMs(f) < pageMs(best)) best = { ...f, answers: best ? f.answers.map((a, i) => (best!.answers[i].ms < a.ms ? best!.answers[i] : a)) : f.answers, send: best && best.send && f.send && best.send.ms < f.send.ms ? best.send : f.send };
      }
      runs.push(best as ReceiveFigures);
    }
    const octets = runs[0].data.filter((d) => d.tag !== 'tcf').reduce((a, d) => a + d.octets, 0);
    const ms = runs.map(pageMs);
    const { cUs, eMs } = splitCost(octets, P1, ms[0], P2, ms[1]);
    const sealNote = c.seal === 'engine' ? (runs[0].engine ? ", AES through the HAL (the interpreter's crypto)" : ', no AES engine here: ChaCha20') : '';
    console.log(`  ${c.name}${sealNote}: ${octets} octets; the interpreter took ${(ms[0] / 1000).toFixed(2)} s in pieces of ${P1}, ${(ms[1] / 1000).toFixed(2)} s in pieces of ${P2}: ` +
      `${cUs.toFixed(1)} µs an octet + ${eMs.toFixed(2)} ms an event; an ESP32 ${f1(1e6 / (cUs * BOARD_FACTOR))} octets/s + ${f1(eMs * BOARD_FACTOR)} ms an event`);
    const rates = LINE_RATES.map((r) => {
      const k = keepUp(octets / 3, cUs, eMs, r);
      return `${r}: ${k.ratio.toFixed(2)}×` + (k.keeps ? ` (pieces of ${k.piece})` : k.ratio >= 1 ? ` (pieces of ${k.piece} > the UART's ${UART_BUFFER}: behind)` : ' (behind)');
    });
    console.log(`    beside the line (${LINE_RATES.map((r) => r / 8).join('/')} octets/s): ${rates.join(', ')}`);
    for (const a of runs[1].answers) {
      if (a.tag.startsWith('pps')) continue;
      const p = /(\d+)/.exec(a.tag)?.[1] as string;
      const pageOctets = runs[1].data.filter((d) => new RegExp('^p' + p + '(b|$)').test(d.tag)).reduce((x, d) => x + d.octets, 0);
      const k = keepUp(pageOctets, cUs, eMs, 14400);
      const answerMs = Math.min(a.ms, runs[0].answers.find((b) => b.tag === a.tag)?.ms ?? a.ms);
      const delay = answerDelayS(answerMs, k.drainS);
      console.log(`    page ${p} at 14400: ${k.backlog} octets waiting at its end, ${k.lost} lost; ${a.answer} ${(answerMs / 1000).toFixed(3)} s of the interpreter after the command → on an ESP32 ${delay.toFixed(2)} s (T4 ${T4_MS / 1000} s: ${delay * 1000 <= T4_MS ? 'in time' : 'too late'})`);
    }
    const sends = runs.map((f) => f.send).filter((x): x is NonNullable<ReceiveFigures['send']> => x !== null);
    if (sends.length) {
      const best = sends.reduce((a, b) => (b.ms < a.ms ? b : a));
      console.log(`    sealing the 3 pages for the LAN (#9; ${best.aead}, at-rest seal opened on the way): ${best.octets} octets in ${(best.ms / 1000).toFixed(2)} s of the interpreter → on an ESP32 ${f1((best.ms * BOARD_FACTOR) / 1000)} s, ${f1(best.octets / ((best.ms * BOARD_FACTOR) / 1000))} octets/s (the socket's own time not counted)`);
    }
  }
}
