// Dense pages to a real fax terminal in real time: the firmware dials faxpeer's SpanDSP T.31
// modem and SpanDSP's terminal answers. Two calls side by side (~45 s): a full page of small
// typed text rendered by ghostscript (1728×2292 fine, ~65 KB in MR: 36 s of page data at V.17
// 14400, no ECM), and the top third of such a page at V.27ter 4800 with ECM (one block of
// ~25 KB: 40 s on the line). Either used to end in `modem: timeout` after 20 s of page data.
// The terminal's TIFF is decoded by libtiff (tifftopnm) and compared pixel for pixel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startPeer, type PeerOptions } from '../peer/harness.ts';
import { tempDir, diffBitmaps, decodeTiff, type Bitmap } from '../peer/pages.ts';
import { runFirmware, pageFromBitmap, type FirmwareRun } from './rig.ts';
import { denseTextPages } from '../../../scripts/fax/dense-pages.ts';

interface Case {
  page: Bitmap;
  file: string;
  peer: Awaited<ReturnType<typeof startPeer>> | null;
  run: Promise<FirmwareRun>;
}

const full: Bitmap = denseTextPages(1)[0];
const third: Bitmap = { width: full.width, height: 760, rows: full.rows.slice(0, 760 * (full.width >> 3)) };

function start(page: Bitmap, opts: Partial<PeerOptions>): Case {
  const file = join(tempDir('fv-dense-'), 'received.tif');
  const c: Case = { page, file, peer: null, run: null as any };
  c.run = startPeer({ role: 'receive', file, tcp: 0, ident: '+49 30 5550199', timeoutS: 240, ...opts }).then((peer) => {
    c.peer = peer;
    return runFirmware({ port: peer.tcpPort!, ident: '+1 555 0100', timeoutMs: 200000, send: { number: '5550199', pages: [pageFromBitmap(page, true)] } });
  });
  return c;
}

const fast = start(full, { ecm: false, codings: ['mh', 'mr'], maxRate: 14400 });
const slow = start(third, { ecm: true, codings: ['mh', 'mr', 'mmr'], maxRate: 4800 });

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

function check(c: Case, why: string) {
  const got = decodeTiff(c.file);
  assert.is(got.length, 1, 'pages in the terminal\'s TIFF' + why);
  assert.is(diffBitmaps(c.page, got[0]), null, why);
}

test('a dense text page at V.17 14400 without ECM (36 s of page data)', async () => {
  const { run, r, why } = await finish(fast);
  assert.is(run.journal.result, 'ok', run.journal.reason + why);
  assert.is(r.status, 0, `terminal: ${r.text}` + why);
  assert.equal([r.pages, r.rate, r.coding, r.ecm], [1, 14400, 'MR', false], why);
  check(fast, why);
});

test('a third of a dense text page at V.27ter 4800 with ECM (one block, 40 s)', async () => {
  const { run, r, why } = await finish(slow);
  assert.is(run.journal.result, 'ok', run.journal.reason + why);
  assert.is(r.status, 0, `terminal: ${r.text}` + why);
  assert.equal([r.pages, r.rate, r.coding, r.ecm], [1, 4800, 'MMR', true], why);
  check(slow, why);
});

test.run();
