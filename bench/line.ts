// Fax line wall time, real time: a one-page and a five-page call into the SpanDSP fax terminal
// (faxpeer: SpanDSP T.31 modem + terminal, 40 ms line delay each way), measured from the DTE's
// start to its end (modem set-up, dial, T.30 phases B–E, hang-up).
//
// Reference: efax (Debian's Class 1 DTE) sending to the terminal through its pty; then the
// firmware's Class 1 driver + T.30 (test/interop/fax/rig.ts: kernel, real clock, TCP UART)
// sending the same pages to the same terminal, printed as faxvault/efax (issue 4: not slower
// than efax). The terminal offers MH only and no ECM to both (efax has neither MR nor ECM), so
// both move the same T.4 data at V.17 14400; the pages are checked pixel for pixel after each call.
//   npm run bench -- line
import { join } from 'node:path';
import { EFAX_HEADER_ROWS, runEfaxSend, startPeer, type PeerOptions } from '../test/interop/peer/harness.ts';
import { decodeTiff, diffBitmaps, pbmToRawG3, tempDir, textPage, writePbm, type Bitmap } from '../test/interop/peer/pages.ts';
import { runFirmware, pageFromBitmap } from '../test/interop/fax/rig.ts';

interface CallTime {
  seconds: number;
  lineSeconds: number;          // terminal's connect → phase E
  pages: number;
  rate: number;
}

// The terminal as both DTEs meet it: MH, no ECM, V.17/V.29/V.27ter.
const TERMINAL: Partial<PeerOptions> = { ecm: false, codings: ['mh'], maxRate: 14400, log: false };

function makePages(n: number): Bitmap[] {
  return Array.from({ length: n }, (_, i) =>
    textPage([`line bench page ${i + 1} of ${n}`, 'The quick brown fox jumps over the lazy dog'], { height: 1100 }));
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
  const peer = await startPeer({ role: 'receive', file: received, ...TERMINAL });
  try {
    const efax = await runEfaxSend({ device: peer.ptyPath!, files });
    const r = await peer.result;
    if (efax.code !== 0 || r.status !== 0 || r.pages !== pages.length) {
      throw new Error(`efax call failed: efax ${efax.code}, terminal ${r.status} (${r.text}), ${r.pages} pages\n${efax.log}`);
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
  const peer = await startPeer({ role: 'receive', file: received, tcp: 0, ...TERMINAL });
  try {
    const t0 = Date.now();
    const run = await runFirmware({
      port: peer.tcpPort!,
      timeoutMs: 300000,
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

function line(label: string, t: CallTime): string {
  return `${label.padEnd(34)} ${t.seconds.toFixed(1).padStart(6)} s wall  (${t.lineSeconds.toFixed(1)} s connect→phase E, ${t.rate} bit/s)`;
}

export default async function bench(): Promise<void> {
  console.log('fax line, real time, into the SpanDSP terminal (faxpeer: MH, no ECM, up to V.17), fine resolution');
  const one = makePages(1);
  const five = makePages(5);
  const ref1 = await efaxCall(one);
  console.log(line('efax → terminal, 1 page', ref1));
  const ref5 = await efaxCall(five);
  console.log(line('efax → terminal, 5 pages', ref5));
  const fv1 = await faxvaultCall(one);
  console.log(line('faxvault → terminal, 1 page', fv1));
  const fv5 = await faxvaultCall(five);
  console.log(line('faxvault → terminal, 5 pages', fv5));
  console.log(`per extra page: efax ${((ref5.seconds - ref1.seconds) / 4).toFixed(1)} s, faxvault ${((fv5.seconds - fv1.seconds) / 4).toFixed(1)} s`);
  console.log(`ratio faxvault/efax (wall): 1 page ${(fv1.seconds / ref1.seconds).toFixed(2)}, 5 pages ${(fv5.seconds / ref5.seconds).toFixed(2)}`);
}
