// RowDocJob on the spooler: documents print pixel-identical with a bounded number of printed
// lines per kernel dispatch (counted, not timed), and paper running out loses nothing.
import { PRINT_JOBS } from '../../../firmware/print/job-maker.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel } from '../../../firmware/kernel/index.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { Store } from '../../../firmware/store/index.ts';
import { T4Encoder } from '../../../firmware/fax/t4/index.ts';
import { Spooler } from '../../../firmware/print/spooler.ts';
import { RowDocJob, LINES_PER_STEP } from '../../../firmware/print/row-doc-job.ts';
import { SimPrinter } from '../../../sim/board/printer.ts';
import { SimFlash } from '../../../sim/board/flash.ts';

type Coding = 'mh' | 'mr' | 'mmr';

function rig() {
  const clock = new VirtualClock(Date.UTC(2026, 10, 25, 10, 0));
  const kernel = new Kernel(clock);
  const store = new Store(new SimFlash({ sectorSize: 4096, sectorCount: 160 }));
  store.mount();
  const printer = new SimPrinter(null);
  const sp = new Spooler(10, printer, store, PRINT_JOBS);
  kernel.add(sp);
  kernel.start();
  clock.runUntilIdle();
  // Printed lines per kernel dispatch: the dispatch counter tells which event printed a line.
  const perDispatch = new Map<number, number>();
  const line = printer.line.bind(printer);
  printer.line = (row: Uint8Array) => {
    perDispatch.set(kernel.dispatches, (perDispatch.get(kernel.dispatches) ?? 0) + 1);
    return line(row);
  };
  const maxPerDispatch = () => Math.max(0, ...perDispatch.values());
  return { clock, kernel, store, printer, sp, perDispatch, maxPerDispatch };
}

function sheet(width: number, height: number, seed: number): Uint8Array[] {
  const rows: Uint8Array[] = [];
  for (let y = 0; y < height; y++) {
    const r = new Uint8Array(width >> 3);
    if ((y >> 5) % 3 === seed % 3) for (let x = 0; x < width; x++) if (((x * 7 + y * 3 + seed) % 23) < 5) r[x >> 3] |= 0x80 >> (x & 7);
    if (y % 97 === 0) r.fill(0xff, 20, 60);
    rows.push(r);
  }
  return rows;
}

function white(height: number): Uint8Array[] {
  return Array.from({ length: height }, () => new Uint8Array(216));
}

function storeDoc(store: Store, pages: { rows: Uint8Array[]; linesPerMm: number }[], coding: Coding, box = ''): number {
  const w = store.beginDocument({ dir: 'rx', time: Date.UTC(2026, 10, 25, 9, 0), remote: '+1 555 0100', sub: box, box })!;
  for (const p of pages) {
    w.beginPage({ coding, width: 1728, linesPerMm: p.linesPerMm, bitOrder: 'lsb-first' });
    const e = new T4Encoder({ coding, width: 1728, k: 4, bitOrder: 'lsb-first', onData: (b) => assert.ok(w.write(b)) });
    for (const r of p.rows) e.encodeRow(r);
    e.finish();
    assert.ok(w.endPage());
  }
  w.close('ok');
  return w.id;
}

function same(got: Uint8Array[], want: Uint8Array[]): boolean {
  if (got.length !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (Buffer.compare(got[i], want[i]) !== 0) return false;
  return true;
}

for (const coding of ['mh', 'mr', 'mmr'] as Coding[]) {
  test(`${coding}: a three-page document prints pixel-identical, at most ${LINES_PER_STEP} lines per dispatch`, () => {
    const t = rig();
    const pages = [
      { rows: sheet(1728, 600, 1), linesPerMm: 3.85 },
      { rows: white(2287), linesPerMm: 7.7 }, // the worst case for bursts
      { rows: sheet(1728, 900, 2), linesPerMm: 7.7 },
    ];
    const id = storeDoc(t.store, pages, coding);
    const job = new RowDocJob(t.store, id, { deleteAfter: true, onDone: null });
    t.sp.add(job);
    t.clock.runFor(60000);
    assert.is(t.printer.pages.length, 3);
    for (let i = 0; i < 3; i++) {
      assert.ok(same(t.printer.pages[i].rows, pages[i].rows), coding + ' page ' + (i + 1));
      assert.is(t.printer.pages[i].linesPerMm, pages[i].linesPerMm, 'fine pages reach the printer as fine');
    }
    assert.is(t.store.document(id), null, 'deleted once printed');
    assert.ok(t.maxPerDispatch() <= LINES_PER_STEP, 'lines in one dispatch: ' + t.maxPerDispatch());
    assert.ok(job.maxRowsPerStep <= LINES_PER_STEP);
    const lines = 600 + 2287 + 900;
    assert.ok(t.perDispatch.size >= Math.ceil(lines / LINES_PER_STEP), 'slices: ' + t.perDispatch.size);
  });
}

test('paper out mid-page, twice, then back: every page printed whole exactly once, kept until the end', () => {
  const t = rig();
  const pages = [
    { rows: sheet(1728, 500, 3), linesPerMm: 3.85 },
    { rows: sheet(1728, 700, 4), linesPerMm: 7.7 },
    { rows: sheet(1728, 300, 5), linesPerMm: 3.85 },
  ];
  const id = storeDoc(t.store, pages, 'mmr');
  let done: boolean | null = null;
  t.printer.outAfterLines = 650; // in page 2
  t.sp.add(new RowDocJob(t.store, id, { deleteAfter: true, onDone: (ok) => (done = ok) }));
  t.clock.runFor(5000);
  assert.is(t.printer.pages.length, 1);
  assert.is(t.sp.status(), 'NO PAPER');
  assert.ok(t.store.document(id), 'the document is still in the store');
  assert.is(done, null);
  t.clock.runFor(120000);
  assert.is(t.printer.pages.length, 1, 'nothing prints without paper');
  t.printer.outAfterLines = 900; // paper back, runs out again in page 3 (700 + 200 of 300)
  t.printer.setPaper(true);
  t.clock.runFor(10000);
  assert.is(t.printer.pages.length, 2);
  assert.ok(t.store.document(id), 'still kept: page 3 did not come out');
  t.printer.setPaper(true);
  t.clock.runFor(10000);
  assert.is(t.printer.pages.length, 3);
  for (let i = 0; i < 3; i++) assert.ok(same(t.printer.pages[i].rows, pages[i].rows), 'page ' + (i + 1) + ' whole');
  assert.is(done, true);
  assert.is(t.store.document(id), null);
});

test('a confidential document printed on request stays, marked printed', () => {
  const t = rig();
  const rows = sheet(1728, 200, 6);
  const id = storeDoc(t.store, [{ rows, linesPerMm: 3.85 }], 'mr', '12');
  let told: number | null = null;
  t.sp.add(new RowDocJob(t.store, id, { deleteAfter: false, onDone: (ok, i) => (told = ok ? i : -1) }));
  t.clock.runFor(5000);
  assert.is(told, id);
  assert.ok(same(t.printer.pages[0].rows, rows));
  assert.is(t.store.document(id)!.state.printed, true);
});

test('an MMR page with a coding error prints as far as it decodes and the job ends (not reprinted at every boot)', () => {
  const t = rig();
  const src = sheet(1728, 300, 9);
  const coded: number[] = [];
  const e = new T4Encoder({ coding: 'mmr', width: 1728, bitOrder: 'lsb-first', onData: (b) => coded.push(...b) });
  for (const r of src) e.encodeRow(r);
  e.finish();
  const data = new Uint8Array(coded);
  data.fill(0, data.length >> 1, (data.length >> 1) + 40);
  const w = t.store.beginDocument({ dir: 'rx', time: 0, remote: 'x', sub: '', box: '' })!;
  w.beginPage({ coding: 'mmr', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' });
  assert.ok(w.write(data));
  assert.ok(w.endPage());
  w.close('ok');
  let result: boolean | null = null;
  t.sp.add(new RowDocJob(t.store, w.id, { deleteAfter: true, onDone: (ok) => (result = ok) }));
  t.clock.runFor(5000);
  assert.is(result, true);
  assert.is(t.printer.pages.length, 1);
  const rows = t.printer.pages[0].rows;
  assert.ok(rows.length > 20 && rows.length < 300, 'partial page: ' + rows.length);
  assert.ok(same(rows, src.slice(0, rows.length)));
  assert.is(t.store.document(w.id), null);
});

test('a page that cannot be read ends the job with an error, the spooler goes on', () => {
  const t = rig();
  const id = storeDoc(t.store, [{ rows: sheet(1728, 100, 7), linesPerMm: 3.85 }], 'mh');
  const job = new RowDocJob(t.store, id, { deleteAfter: true, onDone: null });
  t.store.deleteDocument(id);
  const next = storeDoc(t.store, [{ rows: sheet(1728, 50, 8), linesPerMm: 3.85 }], 'mh');
  t.sp.add(job);
  t.sp.add(new RowDocJob(t.store, next, { deleteAfter: true, onDone: null }));
  t.clock.runFor(5000);
  assert.is(t.printer.pages.length, 1, 'only the second document');
  assert.is(t.sp.status(), 'IDLE');
});

test.run();
