// Two efax processes call each other through modempair's two SpanDSP T.31 modems: proves the
// back-to-back line (ringing, answer, audio both ways) that the firmware will later use against
// efax. Real time, ~20 s.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { EFAX_HEADER_ROWS, runEfaxReceive, runEfaxSend, startBackToBack } from './harness.ts';
import { decodeTiff, diffBitmaps, pbmToRawG3, tempDir, textPage, writePbm } from './pages.ts';

test('efax on modem A sends a page to efax on modem B', async () => {
  const dir = tempDir();
  const page = textPage(['efax to efax through two SpanDSP modems', 'line A -> line B'], { height: 500 });
  writePbm(join(dir, 'p1.pbm'), page);
  pbmToRawG3(join(dir, 'p1.pbm'), join(dir, 'p1.g3'));
  const pair = await startBackToBack();
  try {
    const rx = runEfaxReceive({ device: pair.ptyB, prefix: join(dir, 'rx'), ident: '+1 555 0002' });
    await new Promise((r) => setTimeout(r, 1000)); // B is waiting off hook before A dials
    const tx = await runEfaxSend({ device: pair.ptyA, files: [join(dir, 'p1.g3')], ident: '+1 555 0001', number: '5550002' });
    const got = await rx;
    const why = `\n--- efax A\n${tx.log}\n--- efax B\n${got.log}\n--- modempair\n${pair.trace()}`;
    assert.is(tx.code, 0, 'sender succeeds' + why);
    assert.is(got.code, 0, 'receiver succeeds' + why);
    assert.ok(pair.events.includes('CALL A B 5550002'), 'A dialled B: ' + pair.events.join(', '));
    assert.ok(pair.events.includes('CONNECTED A B'));
    assert.match(got.log, /\+1 555 0001/, 'B saw A\'s TSI');
    assert.is(got.pages.length, 1);
    const [bm] = decodeTiff(got.pages[0]);
    assert.is(diffBitmaps(page, bm, { skipTop: EFAX_HEADER_ROWS }), null);
  } finally {
    await pair.kill();
  }
});

test.run();
