// The firmware receives from a real fax terminal: SpanDSP's fax terminal calls through SpanDSP's
// T.31 Class 1 modem (faxpeer), the firmware's Class 1 driver answers on RING over loopback TCP.
// Three calls run side by side in real time (~40 s): MR without ECM at V.17 with SUB and
// password, MH at V.27ter 4800, MMR with ECM at V.29. Pages are compared pixel for pixel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startPeer, type PeerOptions } from '../peer/harness.ts';
import { textPage, writePbm, pbmToTiff, tempDir, diffBitmaps, type Bitmap } from '../peer/pages.ts';
import { runFirmware, decodePage, type FirmwareRun } from './rig.ts';

interface Case {
  pages: Bitmap[];
  peer: Awaited<ReturnType<typeof startPeer>> | null;
  run: Promise<FirmwareRun>;
}

function start(name: string, n: number, coding: 'g3' | 'g3:2d' | 'g4', opts: Partial<PeerOptions>): Case {
  const dir = tempDir('fv-rx-');
  const pages = Array.from({ length: n }, (_, i) =>
    textPage([`SpanDSP to faxvault: ${name}`, `page ${i + 1} of ${n}`, 'The quick brown fox jumps over the lazy dog 0123456789'], { height: 360 + 40 * i }),
  );
  const paths = pages.map((p, i) => {
    writePbm(join(dir, `p${i}.pbm`), p);
    return join(dir, `p${i}.pbm`);
  });
  pbmToTiff(paths, join(dir, 'doc.tif'), { coding });
  const c: Case = { pages, peer: null, run: null as any };
  c.run = startPeer({ role: 'send', file: join(dir, 'doc.tif'), tcp: 0, ident: '+49 30 5550100', ...opts }).then((peer) => {
    c.peer = peer;
    return runFirmware({ port: peer.tcpPort!, ident: '+1 555 0100', timeoutMs: 120000 });
  });
  return c;
}

// all three calls start now and run in parallel; each test awaits its own
const mr = start('MR V.17', 2, 'g3:2d', { ecm: false, codings: ['mh', 'mr'], maxRate: 14400, sub: '4711', pwd: 'box-secret' });
const mh = start('MH V.27ter', 1, 'g3', { ecm: false, codings: ['mh'], maxRate: 4800 });
const mmr = start('MMR ECM V.29', 2, 'g4', { ecm: true, codings: ['mh', 'mr', 'mmr'], maxRate: 9600 });

async function finish(c: Case) {
  try {
    const run = await c.run;
    const r = await c.peer!.result;
    const why = `\n--- firmware\n${run.trace.filter((l) => / t30: /.test(l)).join('\n')}\n--- faxpeer\n${c.peer!.trace().split('\n').slice(-60).join('\n')}`;
    return { run, r, why };
  } catch (e) {
    throw new Error(String(e) + '\n--- faxpeer\n' + (c.peer ? c.peer.trace().split('\n').slice(-80).join('\n') : ''));
  } finally {
    if (c.peer) await c.peer.kill();
  }
}

function checkPages(c: Case, run: FirmwareRun, why: string) {
  const kept = run.pages.filter((p) => p.confirmed);
  assert.is(kept.length, c.pages.length, 'pages kept' + why);
  kept.forEach((p, i) => assert.is(diffBitmaps(c.pages[i], decodePage(p)), null, `page ${i + 1}` + why));
}

test('MR without ECM at V.17 14400, two pages, SUB and password handed to the store', async () => {
  const { run, r, why } = await finish(mr);
  assert.is(run.journal.result, 'ok', run.journal.reason + why);
  assert.is(r.status, 0, `terminal: ${r.text}` + why);
  assert.equal([run.journal.rate, run.journal.coding, run.journal.ecm, run.journal.pages], [14400, 'MR', false, 2], why);
  assert.is(run.journal.remoteIdent, '+49 30 5550100');
  assert.is(run.journal.sub, '4711');
  assert.is(r.remote, '+1 555 0100', 'the terminal read our CSI');
  for (const p of run.pages) assert.equal([p.info.sub, p.info.pwd, p.info.fine], ['4711', 'box-secret', true]);
  checkPages(mr, run, why);
});

test('MH without ECM at V.27ter 4800, one page', async () => {
  const { run, r, why } = await finish(mh);
  assert.is(run.journal.result, 'ok', run.journal.reason + why);
  assert.is(r.status, 0, `terminal: ${r.text}` + why);
  assert.equal([run.journal.rate, run.journal.coding, run.journal.ecm], [4800, 'MH', false], why);
  checkPages(mh, run, why);
});

test('MMR with ECM at V.29 9600, two pages', async () => {
  const { run, r, why } = await finish(mmr);
  assert.is(run.journal.result, 'ok', run.journal.reason + why);
  assert.is(r.status, 0, `terminal: ${r.text}` + why);
  assert.equal([run.journal.rate, run.journal.coding, run.journal.ecm, run.journal.pages], [9600, 'MMR', true, 2], why);
  checkPages(mmr, run, why);
});

test.run();
