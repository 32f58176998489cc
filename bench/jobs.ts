// The fax server (#11, docs/FAX-SERVER.md):
//  1. the client's page coding (host/client/jobs.ts: MMR for the LAN) against libtiff's tiffcp
//     coding the same pages to G4, measured in the same run (tiffcp's time includes its process
//     start and file I/O: the ratio favours us by that much, which the second figure shows);
//  2. queue throughput in virtual time: jobs dialled one after another to the emulated line's
//     remote fax machine, jobs per hour of line time against the physical minimum for their
//     pages — page bits over the negotiated rate plus T.30's fixed exchanges per call.
//   npm run bench -- jobs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { denseTextPages } from '../scripts/fax/dense-pages.ts';
import type { Bitmap } from '../host/image/bitmap.ts';
import { codePage, writeTiff } from '../host/image/tiff.ts';
import { jobPages } from '../host/client/jobs.ts';
import { boot, page, T0 } from '../test/sim/appliance/helpers.ts';
import { JOB_DIR, newJob } from '../firmware/jobs/index.ts';
import type { JobView } from '../firmware/jobs/index.ts';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

function coding(): void {
  const pages: Bitmap[] = denseTextPages(3).map((p) => ({ width: p.width, height: p.height, xDpi: 204, yDpi: 196, data: p.rows }));
  const dir = mkdtempSync(join(tmpdir(), 'fv-bench-jobs-'));
  const raw = join(dir, 'pages.tif');
  writeFileSync(raw, writeTiff(pages, { coding: 'none' }));
  const ours: number[] = [];
  const lib: number[] = [];
  const noop: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    bytes = jobPages(pages, T0).bytes;
    ours.push(performance.now() - t);
    t = performance.now();
    const r = spawnSync('tiffcp', ['-c', 'g4', raw, join(dir, 'g4.tif')]);
    lib.push(performance.now() - t);
    if (r.status !== 0) throw new Error('tiffcp failed: ' + r.stderr);
    t = performance.now();
    spawnSync('tiffcp', ['-h'], { stdio: 'ignore' });
    noop.push(performance.now() - t);
  }
  const o = median(ours);
  const l = median(lib);
  const n = median(noop);
  console.log(`client page coding, 3 dense A4 text pages (ghostscript) to MMR: ${o.toFixed(1)} ms (${(bytes / 1024).toFixed(0)} KB); ` +
    `tiffcp -c g4 ${l.toFixed(1)} ms (of which ~${n.toFixed(1)} ms process start)`);
  console.log(`  ratio libtiff/ours ${(l / o).toFixed(2)} (process start excluded: ${(Math.max(0.1, l - n) / o).toFixed(2)})`);
}

/** T.30's fixed exchanges of a call at V.17 (seconds): what no implementation can avoid. */
function t30Minimum(pages: number): number {
  const v21 = (octets: number) => 1.0 + (octets * 8) / 300; // 1 s of flags (T.30 §5.3.1) + the frames
  const ced = 2.6 + 0.075; // T.30 §4.3.2.1: CED at least 2.6 s, then 75 ms of silence
  const phaseB = v21(25 + 12) + v21(25 + 10) + 1.4 + 1.5 + v21(5); // CSI+DIS, TSI+DCS, training + TCF, CFR
  const perPage = 1.4 + v21(5) + v21(5); // page training, MPS/EOP, MCF
  return ced + phaseB + pages * perPage + v21(5); // … DCN
}

function queue(): void {
  const s = boot(null);
  const far = s.sim.line!.attachRemote('5551234', { role: 'receive' });
  const jobs = 5;
  const perJob = 2;
  let pageBits = 0;
  for (let j = 0; j < jobs; j++) {
    const w = s.app.store.beginDocument({ dir: JOB_DIR, time: T0, remote: '5551234', sub: '', box: '' })!;
    for (let p = 0; p < perJob; p++) {
      const b = page(10 * j + p + 1, 1100);
      const coded = codePage(b, { coding: 'mh', fillOrder: 2, endMarker: true }).data;
      pageBits += coded.length * 8;
      w.beginPage({ coding: 'mh', width: 1728, linesPerMm: 7.7, bitOrder: 'lsb-first' });
      w.write(coded);
      w.endPage();
    }
    w.close('ok');
    s.app.queue.add(w.id, newJob('5551234', 0, {}));
  }
  const done: JobView[] = [];
  s.app.queue.onJobEnd = (v) => done.push(v);
  const t0 = s.sim.clock.now();
  const w0 = performance.now();
  while (done.length < jobs && s.sim.clock.now() - t0 < 6 * 3600000) s.runFor(1000);
  const lineS = (s.sim.clock.now() - t0) / 1000;
  const rate = far.result.rate || 14400;
  const minS = pageBits / rate + jobs * t30Minimum(perJob);
  const sent = done.filter((d) => d.state === 'sent').length;
  console.log(`send queue, ${jobs} jobs × ${perJob} A4 fine pages (MH at ${rate}) to the emulated remote, virtual time: ${sent}/${jobs} sent in ` +
    `${lineS.toFixed(0)} s of line time (${(performance.now() - w0).toFixed(0)} ms wall)`);
  console.log(`  ${(jobs * 3600 / lineS).toFixed(1)} jobs/hour; physical minimum ${minS.toFixed(0)} s (page bits / rate ${(pageBits / rate).toFixed(0)} s + T.30 fixed ${(jobs * t30Minimum(perJob)).toFixed(0)} s): ratio ${(lineS / minS).toFixed(2)}`);
}

export default async function bench(): Promise<void> {
  coding();
  queue();
}
