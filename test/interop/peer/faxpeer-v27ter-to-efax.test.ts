// A faxpeer terminal limited to V.27ter calls efax and sends one page at 4800 bit/s: proves the
// peer's slowest modem, and the T.31 V.27ter receive path, with a DTE nobody here wrote.
// Real time, ~35 s.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { runEfaxReceive, startPeer } from './harness.ts';
import { decodeTiff, diffBitmaps, pbmToTiff, tempDir, textPage, writePbm } from './pages.ts';

test('faxpeer (--max-rate 4800) -> efax: V.27ter, page intact', async () => {
  const dir = tempDir();
  const page = textPage(['V.27ter at 4800 bit/s', 'faxpeer to efax'], { height: 300 });
  writePbm(join(dir, 'p1.pbm'), page);
  pbmToTiff([join(dir, 'p1.pbm')], join(dir, 'doc.tif'));
  const peer = await startPeer({ role: 'send', file: join(dir, 'doc.tif'), maxRate: 4800 });
  try {
    const efax = await runEfaxReceive({ device: peer.ptyPath!, prefix: join(dir, 'rx') });
    const r = await peer.result;
    const why = `\n--- efax\n${efax.log}\n--- faxpeer\n${peer.trace()}`;
    assert.is(efax.code, 0, 'efax reports success' + why);
    assert.is(r.status, 0, r.text + why);
    assert.is(r.rate, 4800, 'V.27ter 4800');
    assert.match(efax.log, /command  "\+FRM=48"/, 'efax received the page with +FRM=48');
    assert.is(efax.pages.length, 1);
    assert.is(diffBitmaps(page, decodeTiff(efax.pages[0])[0]), null);
  } finally {
    await peer.kill();
  }
});

test.run();
