// The firmware sends to a real fax terminal: it dials faxpeer's SpanDSP T.31 Class 1 modem over
// loopback TCP and SpanDSP's fax terminal answers. Three calls side by side in real time (~40 s):
// MR without ECM at V.29, MH at V.27ter 4800, MMR with ECM at V.17 with SUB and password (SID).
// The terminal's TIFF is decoded by libtiff (tifftopnm) and compared pixel for pixel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startPeer, type PeerOptions } from '../peer/harness.ts';
import { textPage, tempDir, diffBitmaps, decodeTiff, type Bitmap } from '../peer/pages.ts';
import { runFirmware, pageFromBitmap, type FirmwareRun } from './rig.ts';

interface Case {
  pages: Bitmap[];
  file: string;
  peer: Awaited<ReturnType<typeof startPeer>> | null;
  run: Promise<FirmwareRun>;
}

function start(name: string, n: number, opts: Partial<PeerOptions>, job: { sub?: string; sid?: string } = {}): Case {
  const dir = tempDir('fv-tx-');
  const pages = Array.from({ length: n }, (_, i) =>
    textPage([`faxvault to SpanDSP: ${name}`, `page ${i + 1} of ${n}`, 'Pack my box with five dozen liquor jugs 9876543210'], { height: 380 + 30 * i }),
  );
  const file = join(dir, 'received.tif');
  const c: Case = { pages, file, peer: null, run: null as any };
  c.run = startPeer({ role: 'receive', file, tcp: 0, ident: '+49 30 5550199', ...opts }).then((peer) => {
    c.peer = peer;
    return runFirmware({
      port: peer.tcpPort!,
      ident: '+1 555 0100',
      timeoutMs: 120000,
      send: { number: '5550199', pages: pages.map((p) => pageFromBitmap(p, true)), ...job },
    });
  });
  return c;
}

const mr = start('MR V.29', 2, { ecm: false, codings: ['mh', 'mr'], maxRate: 9600 });
const mh = start('MH V.27ter', 1, { ecm: false, codings: ['mh'], maxRate: 4800 });
const mmr = start('MMR ECM V.17', 2, { ecm: true, codings: ['mh', 'mr', 'mmr'], maxRate: 14400 }, { sub: '31', sid: 'pass 99' });

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

function checkPages(c: Case, why: string) {
  const got = decodeTiff(c.file);
  assert.is(got.length, c.pages.length, 'pages in the terminal\'s TIFF' + why);
  got.forEach((g, i) => assert.is(diffBitmaps(c.pages[i], g), null, `page ${i + 1}` + why));
}

test('MR without ECM at V.29 9600, two pages', async () => {
  const { run, r, why } = await finish(mr);
  assert.is(run.journal.result, 'ok', run.journal.reason + why);
  assert.is(r.status, 0, `terminal: ${r.text}` + why);
  assert.equal([r.pages, r.rate, r.coding, r.ecm], [2, 9600, 'MR', false], why);
  assert.equal([run.journal.pages, run.journal.rate, run.journal.coding], [2, 9600, 'MR']);
  assert.is(r.remote, '+1 555 0100', 'the terminal read our TSI');
  assert.is(run.journal.remoteIdent, '+49 30 5550199');
  checkPages(mr, why);
});

test('MH without ECM at V.27ter 4800, one page', async () => {
  const { run, r, why } = await finish(mh);
  assert.is(run.journal.result, 'ok', run.journal.reason + why);
  assert.is(r.status, 0, `terminal: ${r.text}` + why);
  assert.equal([r.pages, r.rate, r.coding, r.ecm], [1, 4800, 'MH', false], why);
  checkPages(mh, why);
});

test('MMR with ECM at V.17 14400, two pages, SUB and password received by the terminal', async () => {
  const { run, r, why } = await finish(mmr);
  assert.is(run.journal.result, 'ok', run.journal.reason + why);
  assert.is(r.status, 0, `terminal: ${r.text}` + why);
  assert.equal([r.pages, r.rate, r.coding, r.ecm], [2, 14400, 'MMR', true], why);
  assert.equal([r.sub, r.pwd], ['31', 'pass 99']);
  checkPages(mmr, why);
});

test.run();
