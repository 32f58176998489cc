// The firmware fax line in virtual time: two firmware terminals (Class 1 driver + T.30 session
// each) call each other over sim/line's emulated modems and PSTN. Prints the line time of a
// 1-page and a 10-page call, the wall time it took, and the speed-up (line time / wall time),
// without and with ECM. Pages: 1100 rows of 1728 (an A4 page at fine resolution) of text-like ink.
//   npm run bench -- fax-sim
import { SimRig, testPage, pageOf } from '../test/firmware/fax/t30/sim-rig.ts';

function call(pages: number, ecm: boolean): { line: number; wall: number; result: string } {
  const rig = new SimRig({});
  const a = rig.station('100', { caps: { ecm } });
  const b = rig.station('200', { caps: { ecm } });
  rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
  const doc = Array.from({ length: pages }, (_, i) => testPage(i + 1, 1100));
  const t0 = performance.now();
  const v0 = rig.clock.now();
  a.fax.send({ number: '200', pages: doc.map((p) => pageOf(p)) });
  rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0);
  const result = `${a.journal[0].result} ${a.journal[0].pages}/${pages} ${a.journal[0].rate} ${a.journal[0].coding}`;
  return { line: (rig.clock.now() - v0) / 1000, wall: performance.now() - t0, result };
}

export default async function bench(): Promise<void> {
  console.log('firmware to firmware on the emulated line, virtual time (A4 fine pages)');
  for (const ecm of [false, true]) {
    for (const pages of [1, 10]) {
      const r = call(pages, ecm);
      console.log(
        `${(ecm ? 'ECM' : 'non-ECM').padEnd(8)} ${String(pages).padStart(2)} page(s): ${r.line.toFixed(1).padStart(6)} s of line time in ` +
          `${r.wall.toFixed(0).padStart(5)} ms wall, ${(r.line * 1000 / r.wall).toFixed(0).padStart(4)}x real time (${r.result})`,
      );
    }
  }
}
