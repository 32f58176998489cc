// efax (a Class 1 DTE nobody here wrote) sends two pages through faxpeer's SpanDSP T.31 modem to
// its SpanDSP terminal: proves the modem side of the peer (AT set, +FTH/+FTM, flow control) and
// the terminal's receive path. Real time, ~35 s.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { EFAX_HEADER_ROWS, efaxFrameBit, efaxReceivedFrames, runEfaxSend, startPeer } from './harness.ts';
import { decodeTiff, diffBitmaps, pbmToRawG3, rowsAreWhite, tempDir, textPage, writePbm } from './pages.ts';

test('efax dials faxpeer and sends two MH pages; the terminal receives them pixel for pixel', async () => {
  const dir = tempDir();
  const pages = [
    textPage(['efax to faxpeer, page 1', 'The quick brown fox jumps 0123456789'], { height: 500 }),
    textPage(['efax to faxpeer, page 2', 'over the lazy dog'], { height: 400 }),
  ];
  const g3 = pages.map((p, n) => {
    writePbm(join(dir, `p${n + 1}.pbm`), p);
    pbmToRawG3(join(dir, `p${n + 1}.pbm`), join(dir, `p${n + 1}.g3`));
    return join(dir, `p${n + 1}.g3`);
  });
  const received = join(dir, 'received.tif');
  const peer = await startPeer({ role: 'receive', file: received, ident: '+49 30 5550100' });
  try {
    assert.ok(peer.ptyPath, 'faxpeer announces its pty');
    const efax = await runEfaxSend({ device: peer.ptyPath!, files: g3, ident: '+1 555 0100' });
    const r = await peer.result;
    const why = `\n--- efax\n${efax.log}\n--- faxpeer\n${peer.trace()}`;
    assert.is(efax.code, 0, 'efax reports success' + why);
    assert.is(r.status, 0, `terminal phase E: ${r.text}` + why);
    assert.is(r.pages, 2);
    assert.is(r.coding, 'MH', 'efax codes MH');
    assert.is(r.ecm, false, 'efax has no ECM');
    assert.is(r.rate, 14400, 'V.17 at 14400 trains first time on a clean line');
    assert.is(r.remote, '+1 555 0100', 'TSI from efax -l');
    assert.match(efax.log, /\+49 30 5550100/, 'efax read the terminal\'s CSI');
    const dis = efaxReceivedFrames(efax.log).find((f) => f.name === 'DIS');
    assert.ok(dis, 'efax logged the terminal\'s DIS');
    assert.ok(efaxFrameBit(dis!.bytes, 10), 'DIS bit 10: ready to receive');
    // Without bits 49/50 a sender never sends SUB/PWD (T.30 Table 2): the peer advertises both.
    assert.ok(efaxFrameBit(dis!.bytes, 49), 'DIS bit 49: subaddressing');
    assert.ok(efaxFrameBit(dis!.bytes, 50), 'DIS bit 50: password');
    const got = decodeTiff(received);
    assert.is(got.length, 2);
    for (let n = 0; n < 2; n++) {
      assert.ok(rowsAreWhite(got[n], 0, EFAX_HEADER_ROWS), `efax's header band of page ${n + 1} is blank`);
      assert.is(diffBitmaps(pages[n], got[n], { skipTop: EFAX_HEADER_ROWS }), null, `page ${n + 1}`);
    }
  } finally {
    await peer.kill();
  }
});

test.run();
