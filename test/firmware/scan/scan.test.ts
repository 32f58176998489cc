import { test } from 'uvu';
import { PRINT_JOBS } from '../../../firmware/print/job-maker.ts';
import * as assert from 'uvu/assert';
import { Kernel } from '../../../firmware/kernel/index.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { Store } from '../../../firmware/store/index.ts';
import { Spooler } from '../../../firmware/print/index.ts';
import { ScanAgent } from '../../../firmware/scan/index.ts';
import { T4Decoder } from '../../../firmware/fax/t4/index.ts';
import { SimPrinter } from '../../../sim/board/printer.ts';
import { SimScanner } from '../../../sim/board/scanner.ts';
import { CutFlash } from '../store/cut-flash.ts';
import { testPage } from '../print/helpers.ts';

function setup(sectors = 64) {
  const clock = new VirtualClock(Date.UTC(2026, 10, 25, 10, 0));
  const kernel = new Kernel(clock);
  const store = new Store(new CutFlash(4096, sectors));
  store.mount();
  const printer = new SimPrinter(null);
  const scanner = new SimScanner();
  const sp = new Spooler(10, printer, store, PRINT_JOBS);
  const sc = new ScanAgent(5, scanner, store, clock);
  kernel.add(sp);
  kernel.add(sc);
  kernel.start();
  return { clock, kernel, store, printer, scanner, sp, sc };
}

const A = testPage(1728, 400, 7);
const B = testPage(1728, 150, 8);

test('copy: two sheets scanned, coded, stored and printed pixel-identical', () => {
  const t = setup();
  t.scanner.load([{ width: 1728, linesPerMm: 3.85, rows: A }, { width: 1728, linesPerMm: 7.7, rows: B }]);
  let result: unknown = null;
  t.sc.scan('copy', '', (ok, id, why) => {
    result = [ok, why];
    if (ok) t.sp.printDocument(id, true, null);
  });
  t.clock.runFor(5000);
  assert.equal(result, [true, '']);
  assert.is(t.printer.pages.length, 2);
  assert.equal(t.printer.pages[0].rows.map((r) => Buffer.from(r).toString('hex')), A.map((r) => Buffer.from(r).toString('hex')));
  assert.equal(t.printer.pages[1].rows.length, B.length);
  assert.is(t.printer.pages[1].linesPerMm, 7.7);
  assert.is(t.store.documents().length, 0, 'the copy leaves the store');
  assert.ok(t.kernel.dispatches > 400 / 64, 'scanned in slices');
});

test('send: the stored document is MH in wire bit order and decodes to the sheets', () => {
  const t = setup();
  t.scanner.load([{ width: 1728, linesPerMm: 3.85, rows: A }]);
  let id = -1;
  t.sc.scan('tx', '0301234567', (ok, i) => (id = ok ? i : -2));
  t.clock.runFor(5000);
  assert.ok(id > 0);
  const d = t.store.document(id)!;
  assert.is(d.meta.dir, 'tx');
  assert.is(d.meta.remote, '0301234567');
  const p = t.store.pageParams(id, 0)!;
  assert.equal([p.coding, p.bitOrder, p.width], ['mh', 'lsb-first', 1728]);
  const rows: string[] = [];
  const dec = new T4Decoder({ coding: 'mh', width: 1728, bitOrder: 'lsb-first', onRow: (r) => rows.push(Buffer.from(r).toString('hex')) });
  const rd = t.store.readPage(id, 0)!;
  for (let b = rd.next(); b; b = rd.next()) dec.push(b);
  dec.end();
  assert.equal(rows, A.map((r) => Buffer.from(r).toString('hex')));
  assert.is(dec.badLines, 0);
});

test('refusals: empty feeder, store full (nothing half-stored is left)', () => {
  const t = setup();
  let why = '';
  t.sc.scan('copy', '', (ok, _i, w) => (why = w));
  t.clock.runFor(100);
  assert.is(why, 'no document in the feeder');
  const small = setup(5);
  const noisy = testPage(1728, 2000, 3).map((r, y) => r.map((b, x) => (b ^ ((x * 31 + y * 17) & 0xff)) & 0xff));
  small.scanner.load([{ width: 1728, linesPerMm: 7.7, rows: noisy }]);
  small.sc.scan('tx', '1', (ok, _i, w) => (why = ok ? 'ok' : w));
  small.clock.runFor(10000);
  assert.is(why, 'memory full');
  assert.is(small.store.documents().length, 0);
  assert.ok(!small.sc.busy());
});

test.run();
