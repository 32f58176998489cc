// Fax line wall time, real time: a one-page and a five-page call into the SpanDSP fax terminal
// (faxpeer: SpanDSP T.31 modem + terminal, 40 ms line delay each way), measured from the DTE's
// start to its exit (modem set-up, dial, T.30 phases B–E, hang-up).
//
// Reference: efax (Debian's Class 1 DTE) sending to the terminal. The faxvault side (the
// firmware's Class 1 driver + T.30 sending to the same terminal) is added at the marked place
// once it exists; the bench then prints faxvault/efax as a ratio (issue 4: not slower than efax).
//   npm run bench -- line
import { join } from 'node:path';
import { runEfaxSend, startPeer } from '../test/interop/peer/harness.ts';
import { decodeTiff, pbmToRawG3, tempDir, textPage, writePbm } from '../test/interop/peer/pages.ts';

interface CallTime {
  seconds: number;
  lineSeconds: number;          // terminal's connect → phase E
  pages: number;
  rate: number;
}

function makePages(dir: string, n: number): string[] {
  const files: string[] = [];
  for (let i = 1; i <= n; i++) {
    const pbm = join(dir, `p${i}.pbm`);
    writePbm(pbm, textPage([`line bench page ${i} of ${n}`, 'The quick brown fox jumps over the lazy dog'], { height: 1100 }));
    pbmToRawG3(pbm, join(dir, `p${i}.g3`));
    files.push(join(dir, `p${i}.g3`));
  }
  return files;
}

async function efaxCall(pages: number): Promise<CallTime> {
  const dir = tempDir('bench-line-');
  const files = makePages(dir, pages);
  const received = join(dir, 'received.tif');
  const peer = await startPeer({ role: 'receive', file: received, log: false });
  try {
    const efax = await runEfaxSend({ device: peer.ptyPath!, files });
    const r = await peer.result;
    if (efax.code !== 0 || r.status !== 0 || r.pages !== pages || decodeTiff(received).length !== pages) {
      throw new Error(`efax call failed: efax ${efax.code}, terminal ${r.status} (${r.text}), ${r.pages} pages\n${efax.log}`);
    }
    return { seconds: efax.seconds, lineSeconds: r.duration, pages, rate: r.rate };
  } finally {
    await peer.kill();
  }
}

function line(label: string, t: CallTime): string {
  return `${label.padEnd(34)} ${t.seconds.toFixed(1).padStart(6)} s wall  (${t.lineSeconds.toFixed(1)} s connect→phase E, ${t.rate} bit/s)`;
}

export default async function bench(): Promise<void> {
  console.log('fax line, real time, into the SpanDSP terminal (faxpeer), MH fine, no ECM');
  const ref1 = await efaxCall(1);
  console.log(line('efax → terminal, 1 page', ref1));
  const ref5 = await efaxCall(5);
  console.log(line('efax → terminal, 5 pages', ref5));
  console.log(`efax per extra page: ${((ref5.seconds - ref1.seconds) / 4).toFixed(1)} s`);

  // ---- faxvault → terminal: TO BE ADDED when firmware/fax/t30 (issue 4) can send ----------------
  // Run the firmware's Class 1 driver + T.30 sender (simulated board, its UART on peer.ptyPath) on
  // the same two documents against startPeer({ role: 'receive', ... }), then print e.g.
  //   console.log(line('faxvault → terminal, 1 page', fv1));
  //   console.log(`ratio faxvault/efax: 1 page ${(fv1.seconds / ref1.seconds).toFixed(2)}, 5 pages ${(fv5.seconds / ref5.seconds).toFixed(2)}`);
  // Not measured yet: no number is printed for faxvault until it really makes the call.
  console.log('faxvault → terminal: not measured yet (the firmware T.30 sender does not exist yet)');
}
