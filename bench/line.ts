// Fax line time, real time: 1-, 5- and 10-page calls of dense documents (small typed text
// rendered by ghostscript, 1728×2292 fine: scripts/fax/dense-pages.ts) into the SpanDSP fax
// terminal (faxpeer: SpanDSP T.31 modem + terminal, 40 ms line delay each way).
//
// Reference: efax (Debian's Class 1 DTE) sending the same pages to the same terminal through its
// pty; then the firmware's Class 1 driver + T.30 (test/interop/fax/rig.ts: kernel, real clock,
// TCP UART). The terminal offers MH only and no ECM to both (efax has neither MR nor ECM), so both
// move the same kind of T.4 data at V.17 14400; the pages are checked pixel for pixel after each
// call. Each call's line time (the terminal's connect → phase E) is also set against the physical
// minimum: the page bits over the rate plus T.30's fixed exchanges (`minimumLineSeconds`).
//   npm run bench -- line                       (1, 5 and 10 pages: about half an hour)
//   LINE_BENCH_PAGES=1 npm run bench -- line    (only the calls named)
import { join } from 'node:path';
import { EFAX_HEADER_ROWS, runEfaxSend, startPeer, type PeerOptions } from '../test/interop/peer/harness.ts';
import { decodeTiff, diffBitmaps, pbmToRawG3, tempDir, writePbm, type Bitmap } from '../test/interop/peer/pages.ts';
import { runFirmware, pageFromBitmap } from '../test/interop/fax/rig.ts';
import { denseTextPages } from '../scripts/fax/dense-pages.ts';
import { T4Encoder } from '../firmware/fax/t4/index.ts';

interface CallTime {
  seconds: number;
  lineSeconds: number;          // terminal's connect → phase E
  pages: number;
  rate: number;
}

// The terminal as both DTEs meet it: MH, no ECM, V.17/V.29/V.27ter.
const TERMINAL: Partial<PeerOptions> = { ecm: false, codings: ['mh'], maxRate: 14400, log: false };

function makePages(n: number): Bitmap[] {
  return denseTextPages(n, 11);
}

/** Octets of a page coded MH (what the terminal takes), EOLs included, no fill. */
function mhOctets(b: Bitmap): number {
  let n = 0;
  const e = new T4Encoder({ coding: 'mh', width: b.width, bitOrder: 'lsb-first', onData: (d) => { n += d.length; } });
  const stride = (b.width + 7) >> 3;
  for (let r = 0; r < b.height; r++) e.encodeRow(b.rows.subarray(r * stride, (r + 1) * stride));
  e.finish();
  return n;
}

/** A V.21 message: the 1 s preamble of flags (T.30 §5.3.1) and its frames (address, control, FCF, FIF, FCS, closing flag) at 300 bit/s. */
function v21Seconds(frameOctets: number[]): number {
  let octets = 0;
  for (const f of frameOctets) octets += f + 2 + 1;
  return 1 + (octets * 8) / 300;
}

/**
 * The shortest a call of these pages can be on the line at `rate` (V.17, no ECM), from the
 * connection to phase E: CED (2.6 s, T.30 §5.2) then CSI + DIS, TSI + DCS, TCF (long training
 * 1.4 s + 1.5 s), CFR; per page its training (short, 0.15 s), its bits over the rate, MPS/EOP and
 * MCF; at the end DCN; a 75 ms gap before each transmission (T.30 §5.3.2). No fill bits, no
 * retries, no processing time.
 */
function minimumLineSeconds(pages: Bitmap[], rate: number): number {
  const gap = 0.075;
  const idFrame = 3 + 20;
  let t = 2.6 + gap + v21Seconds([idFrame, 3 + 8]) + gap + v21Seconds([idFrame, 3 + 4]) + gap + 1.4 + 1.5 + gap + v21Seconds([3]);
  for (const p of pages) t += gap + 0.15 + (mhOctets(p) * 8) / rate + gap + v21Seconds([3]) + gap + v21Seconds([3]);
  return t + gap + v21Seconds([3]);
}

function checkReceived(file: string, pages: Bitmap[], skipTop: number, who: string): void {
  const got = decodeTiff(file);
  if (got.length !== pages.length) throw new Error(`${who}: terminal stored ${got.length} of ${pages.length} pages`);
  got.forEach((g, i) => {
    const d = diffBitmaps(pages[i], g, { skipTop });
    if (d) throw new Error(`${who}: page ${i + 1}: ${d}`);
  });
}

async function efaxCall(pages: Bitmap[]): Promise<CallTime> {
  const dir = tempDir('bench-line-');
  const files = pages.map((p, i) => {
    writePbm(join(dir, `p${i + 1}.pbm`), p);
    pbmToRawG3(join(dir, `p${i + 1}.pbm`), join(dir, `p${i + 1}.g3`));
    return join(dir, `p${i + 1}.g3`);
  });
  const received = join(dir, 'received.tif');
  // the peer ends a call after --timeout seconds (300 by default): a 10-page dense call is longer
  const peer = await startPeer({ role: 'receive', file: received, timeoutS: 120 + 60 * pages.length, ...TERMINAL });
  try {
    const efax = await runEfaxSend({ device: peer.ptyPath!, files, timeoutS: 120 + 60 * pages.length });
    const r = await peer.result;
    if (efax.code !== 0 || r.status !== 0 || r.pages !== pages.length) {
      throw new Error(`efax call failed: efax ${efax.code}, terminal ${r.status} (${r.text}), ${r.pages} pages\n${efax.log.split('\n').slice(-40).join('\n')}`);
    }
    checkReceived(received, pages, EFAX_HEADER_ROWS, 'efax');
    return { seconds: efax.seconds, lineSeconds: r.duration, pages: pages.length, rate: r.rate };
  } finally {
    await peer.kill();
  }
}

async function faxvaultCall(pages: Bitmap[]): Promise<CallTime> {
  const dir = tempDir('bench-line-');
  const received = join(dir, 'received.tif');
  const peer = await startPeer({ role: 'receive', file: received, tcp: 0, timeoutS: 120 + 60 * pages.length, ...TERMINAL });
  try {
    const t0 = Date.now();
    const run = await runFirmware({
      port: peer.tcpPort!,
      timeoutMs: 120000 + 60000 * pages.length,
      send: { number: '5550100', pages: pages.map((p) => pageFromBitmap(p, true)) },
    });
    const seconds = (Date.now() - t0) / 1000 - 0.3; // the rig resolves 300 ms after the call's end
    const r = await peer.result;
    if (run.journal.result !== 'ok' || r.status !== 0 || r.pages !== pages.length) {
      throw new Error(`faxvault call failed: ${run.journal.result} (${run.journal.reason}), terminal ${r.status} (${r.text}), ${r.pages} pages`);
    }
    checkReceived(received, pages, 0, 'faxvault');
    return { seconds, lineSeconds: r.duration, pages: pages.length, rate: r.rate };
  } finally {
    await peer.kill();
  }
}

function line(label: string, t: CallTime, min: number): string {
  return `${label.padEnd(30)} ${t.seconds.toFixed(1).padStart(6)} s wall, ${t.lineSeconds.toFixed(1).padStart(6)} s on the line (${t.rate} bit/s), ${(t.lineSeconds / min).toFixed(2)}× the minimum`;
}

export default async function bench(): Promise<void> {
  const counts = (process.env.LINE_BENCH_PAGES || '1,5,10').split(',').map(Number).filter((n) => n > 0);
  console.log('fax line, real time, into the SpanDSP terminal (faxpeer: MH, no ECM, up to V.17), dense ghostscript text pages, fine');
  const rows: string[] = [];
  for (const n of counts) {
    const pages = makePages(n);
    const min = minimumLineSeconds(pages, 14400);
    const octets = pages.reduce((a, p) => a + mhOctets(p), 0);
    console.log(`${n} page(s): ${Math.round(octets / 1024)} KB of MH; physical minimum ${min.toFixed(1)} s at 14400 bit/s (${((octets * 8) / 14400).toFixed(1)} s of page data + T.30's fixed exchanges)`);
    const ref = await efaxCall(pages);
    console.log(line(`efax → terminal, ${n} page(s)`, ref, min));
    const fv = await faxvaultCall(pages);
    console.log(line(`faxvault → terminal, ${n} page(s)`, fv, min));
    rows.push(`${String(n).padStart(2)} page(s): faxvault/efax ${(fv.lineSeconds / ref.lineSeconds).toFixed(2)} (line), ${(fv.seconds / ref.seconds).toFixed(2)} (wall); ` +
      `over the minimum: faxvault ${(fv.lineSeconds / min).toFixed(2)}, efax ${(ref.lineSeconds / min).toFixed(2)}`);
  }
  for (const r of rows) console.log(r);
}
