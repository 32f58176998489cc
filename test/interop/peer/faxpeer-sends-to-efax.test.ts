// faxpeer's SpanDSP terminal calls efax (RING presented on the pty, efax answers with ATA) and
// sends a two-page TIFF: proves the peer's calling/sending side and its transmit audio path.
// Real time, ~35 s.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { runEfaxReceive, startPeer } from './harness.ts';
import { decodeTiff, diffBitmaps, pbmToTiff, tempDir, textPage, writePbm } from './pages.ts';

test('faxpeer calls efax and sends two pages; efax stores them pixel for pixel', async () => {
  const dir = tempDir();
  const pages = [
    textPage(['faxpeer to efax, page 1', 'Pack my box with five dozen liquor jugs'], { height: 500 }),
    textPage(['faxpeer to efax, page 2'], { height: 300 }),
  ];
  pages.forEach((p, n) => writePbm(join(dir, `p${n + 1}.pbm`), p));
  const doc = join(dir, 'doc.tif');
  pbmToTiff([join(dir, 'p1.pbm'), join(dir, 'p2.pbm')], doc);
  const peer = await startPeer({ role: 'send', file: doc, ident: '+49 30 5550100' });
  try {
    const efax = await runEfaxReceive({ device: peer.ptyPath!, prefix: join(dir, 'rx'), ident: '+1 555 0199' });
    const r = await peer.result;
    const why = `\n--- efax\n${efax.log}\n--- faxpeer\n${peer.trace()}`;
    assert.is(efax.code, 0, 'efax reports success' + why);
    assert.is(r.status, 0, `terminal phase E: ${r.text}` + why);
    assert.is(r.pages, 2);
    assert.is(r.coding, 'MH');
    assert.is(r.remote, '+1 555 0199', 'CSI from efax -l');
    assert.match(peer.trace(), /DTE answers \(ATA\)/, 'efax answered the call the peer presented');
    assert.is(efax.pages.length, 2, 'efax wrote one file per page');
    for (let n = 0; n < 2; n++) {
      const [got] = decodeTiff(efax.pages[n]);
      assert.is(diffBitmaps(pages[n], got), null, `page ${n + 1}`);
    }
  } finally {
    await peer.kill();
  }
});

test.run();
