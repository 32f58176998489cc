// efax sends one page to a faxpeer terminal that offers V.29 at most: the call must settle on
// 9600 bit/s, proving the peer's T.31 V.29 transmit path with a DTE nobody here wrote.
// Real time, ~20 s.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { EFAX_HEADER_ROWS, runEfaxSend, startPeer } from './harness.ts';
import { decodeTiff, diffBitmaps, pbmToRawG3, tempDir, textPage, writePbm } from './pages.ts';

test('efax -> faxpeer (--max-rate 9600): V.29, page intact', async () => {
  const dir = tempDir();
  const page = textPage(['V.29 at 9600 bit/s', 'efax to faxpeer'], { height: 400 });
  writePbm(join(dir, 'p1.pbm'), page);
  pbmToRawG3(join(dir, 'p1.pbm'), join(dir, 'p1.g3'));
  const received = join(dir, 'received.tif');
  const peer = await startPeer({ role: 'receive', file: received, maxRate: 9600 });
  try {
    const efax = await runEfaxSend({ device: peer.ptyPath!, files: [join(dir, 'p1.g3')] });
    const r = await peer.result;
    const why = `\n--- efax\n${efax.log}\n--- faxpeer\n${peer.trace()}`;
    assert.is(efax.code, 0, 'efax reports success' + why);
    assert.is(r.status, 0, r.text + why);
    assert.is(r.rate, 9600, 'V.29 9600');
    assert.match(efax.log, /command  "\+FTM=96"/, 'efax chose V.29 9600 for the page');
    const got = decodeTiff(received);
    assert.is(got.length, 1);
    assert.is(diffBitmaps(page, got[0], { skipTop: EFAX_HEADER_ROWS }), null);
  } finally {
    await peer.kill();
  }
});

test.run();
