// faxpeer's terminal options that efax cannot exercise, checked between two SpanDSP terminals
// (terminalpair: no modem, unpaced, milliseconds per call): ECM with MMR, MR without ECM, the
// rate ceilings, and SUB + SID/PWD arriving at a receiver whose DIS allows them. What the
// firmware's interop tests expect from the peer (say "SUB and PWD received") rests on these.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { runTerminalPair } from './harness.ts';
import { decodeTiff, diffBitmaps, pbmToTiff, tempDir, textPage, writePbm, type Bitmap } from './pages.ts';

const dir = tempDir();
const pages: Bitmap[] = [
  textPage(['terminal options, page 1', 'ECM MMR MR MH'], { height: 500 }),
  textPage(['terminal options, page 2'], { height: 300 }),
];
pages.forEach((p, n) => writePbm(join(dir, `p${n + 1}.pbm`), p));
const doc = join(dir, 'doc.tif');
pbmToTiff([join(dir, 'p1.pbm'), join(dir, 'p2.pbm')], doc);
let runs = 0;

function call(opts: Omit<Parameters<typeof runTerminalPair>[0], 'send' | 'receive'>) {
  const receive = join(dir, `rx${++runs}.tif`);
  const r = runTerminalPair({ send: doc, receive, ...opts });
  const why = '\n' + r.trace;
  assert.is(r.sender.status, 0, `sender: ${r.sender.text}` + why);
  assert.is(r.receiver.status, 0, `receiver: ${r.receiver.text}` + why);
  assert.is(r.receiver.pages, 2);
  const got = decodeTiff(receive);
  assert.is(got.length, 2);
  got.forEach((g, n) => assert.is(diffBitmaps(pages[n], g), null, `page ${n + 1}`));
  return r;
}

test('ECM with MMR at V.17 14400, SUB and SID/PWD received, idents both ways', () => {
  const r = call({ ecm: true, sub: '4711', pwd: 'box secret', txIdent: '+49 30 1111', rxIdent: '+49 30 2222' });
  assert.is(r.receiver.ecm, true);
  assert.is(r.receiver.coding, 'MMR', 'MMR is chosen when both offer it with ECM');
  assert.is(r.receiver.rate, 14400);
  assert.is(r.receiver.sub, '4711');
  assert.is(r.receiver.pwd, 'box secret', 'the password sent with DCS (t30_set_tx_sender_ident)');
  assert.is(r.receiver.remote, '+49 30 1111', 'TSI');
  assert.is(r.sender.remote, '+49 30 2222', 'CSI');
});

test('without ECM: MR when offered, MH when the receiver offers MH only, never MMR', () => {
  assert.is(call({ ecm: false }).receiver.coding, 'MR', 'T.6 needs ECM (T.30 Table 2 note)');
  assert.is(call({ ecm: false, rxCodings: ['mh'] }).receiver.coding, 'MH');
  const noSub = call({ ecm: false, codings: ['mh', 'mr'] });
  assert.is(noSub.receiver.ecm, false);
  assert.is(noSub.receiver.sub, '', 'nothing sent, nothing reported');
});

test('rate ceilings: --max-rate 9600 settles on V.29, 4800 on V.27ter', () => {
  assert.is(call({ ecm: false, maxRate: 9600 }).receiver.rate, 9600);
  assert.is(call({ ecm: true, maxRate: 4800 }).receiver.rate, 4800);
});

test.run();
