import { PRINT_JOBS } from '../../../firmware/print/job-maker.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel } from '../../../firmware/kernel/index.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { Store } from '../../../firmware/store/index.ts';
import { Spooler } from '../../../firmware/print/index.ts';
import { SimPrinter } from '../../../sim/board/printer.ts';
import { CutFlash } from '../store/cut-flash.ts';
import { storeDocument, testPage } from './helpers.ts';

function setup(flash = new CutFlash(4096, 64)) {
  const clock = new VirtualClock(Date.UTC(2026, 10, 25, 10, 0));
  const kernel = new Kernel(clock);
  const store = new Store(flash);
  store.mount();
  const printer = new SimPrinter(null);
  const sp = new Spooler(10, printer, store, PRINT_JOBS);
  kernel.add(sp);
  kernel.start();
  return { clock, kernel, store, printer, sp, flash };
}

function same(a: Uint8Array[], b: Uint8Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Buffer.compare(a[i], b[i]) !== 0) return false;
  return true;
}

test('an ordinary reception prints pixel-identical, page by page, and leaves the store', () => {
  const t = setup();
  const p1 = testPage(1728, 300, 1);
  const p2 = testPage(1728, 120, 2);
  for (const coding of ['mh', 'mr', 'mmr'] as const) {
    const id = storeDocument(t.store, [p1, p2], '', coding);
    t.printer.pages = [];
    t.sp.printDocument(id, true, null);
    t.clock.runFor(1000);
    assert.is(t.printer.pages.length, 2, coding);
    assert.ok(same(t.printer.pages[0].rows, p1), coding + ' page 1');
    assert.ok(same(t.printer.pages[1].rows, p2), coding + ' page 2');
    assert.is(t.printer.pages[0].width, 1728);
    assert.is(t.store.document(id), null, 'deleted after printing');
  }
  // Work is sliced: many small dispatches, not one long one.
  assert.ok(t.kernel.dispatches > 20);
});

test('paper out in the middle of a page: waits, keeps the document, prints the page again whole', () => {
  const t = setup();
  const p1 = testPage(1728, 300, 3);
  const p2 = testPage(1728, 200, 4);
  const id = storeDocument(t.store, [p1, p2]);
  t.printer.outAfterLines = 450; // runs out in page 2
  t.sp.printDocument(id, true, null);
  t.clock.runFor(2000);
  assert.is(t.printer.pages.length, 1);
  assert.is(t.sp.status(), 'NO PAPER');
  assert.ok(t.store.document(id), 'still in the store');
  t.clock.runFor(60000);
  assert.is(t.printer.pages.length, 1, 'nothing while out of paper');
  t.printer.setPaper(true);
  t.clock.runFor(2000);
  assert.is(t.printer.pages.length, 2);
  assert.ok(same(t.printer.pages[1].rows, p2), 'page 2 whole');
  assert.is(t.sp.status(), 'IDLE');
  assert.is(t.store.document(id), null);
});

test('no paper at all, then a power cut: the next boot resumes and prints it', () => {
  const t = setup();
  const p1 = testPage(1728, 100, 5);
  t.printer.setPaper(false);
  const id = storeDocument(t.store, [p1]);
  const conf = storeDocument(t.store, [p1], '12');
  t.sp.printDocument(id, true, null);
  t.clock.runFor(20000);
  assert.is(t.printer.pages.length, 0);
  // Power cut: a new boot on the same flash.
  const u = setup(t.flash);
  assert.is(u.sp.resume(), 1, 'the ordinary one only');
  u.clock.runFor(2000);
  assert.is(u.printer.pages.length, 1);
  assert.ok(same(u.printer.pages[0].rows, p1));
  assert.ok(u.store.document(conf), 'the confidential one is not printed and stays');
});

test('a confidential document printed on request is kept and marked printed; onDone is told', () => {
  const t = setup();
  const p1 = testPage(1728, 80, 6);
  const id = storeDocument(t.store, [p1], '12');
  let told: [boolean, number] | null = null;
  t.sp.printDocument(id, false, (ok, i) => (told = [ok, i]));
  t.clock.runFor(1000);
  assert.equal(told, [true, id]);
  assert.is(t.store.document(id)!.state.printed, true);
  assert.ok(same(t.printer.pages[0].rows, p1));
});

test('a report prints as text pages with the font; jobs print in order', () => {
  const t = setup();
  const lines = ['HELLO', ''];
  for (let i = 0; i < 100; i++) lines.push('line ' + i);
  const order: string[] = [];
  t.sp.printReport('a', lines, () => order.push('a'));
  t.sp.printReport('b', ['B'], () => order.push('b'));
  t.clock.runFor(5000);
  assert.equal(order, ['a', 'b']);
  assert.is(t.printer.pages.length, 3, '102 lines = 2 pages, then 1');
  assert.is(t.printer.pages[0].linesPerMm, 7.7);
  const black = t.printer.pages[2].rows.reduce((n, r) => n + r.reduce((m, b) => m + (b ? 1 : 0), 0), 0);
  assert.ok(black > 0, 'something printed');
});

test.run();
