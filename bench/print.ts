// Printing a stored page in bounded slices: what the bound costs and what it buys. Reference, in
// the same run: the decoder fed whole store chunks (as DocJob does). Measured per coding on the
// synthetic pages of scripts/t4/patterns.ts (white, sparse, text, mixed) at fine resolution:
//   rows/s through StoredPageRows vs whole-chunk decoding (ratio: the price of the small pushes),
//   decoder pushes per page, and the most rows any one unit of work released (chunk vs piece),
//   then the most printer lines in one kernel dispatch for DocJob vs RowDocJob on the spooler.
import { PRINT_JOBS } from '../firmware/print/job-maker.ts';
import { T4Decoder, T4Encoder } from '../firmware/fax/t4/index.ts';
import type { T4Coding } from '../firmware/fax/t4/index.ts';
import { Store } from '../firmware/store/index.ts';
import { Kernel } from '../firmware/kernel/index.ts';
import { VirtualClock } from '../firmware/kernel/virtual-clock.ts';
import { Spooler } from '../firmware/print/spooler.ts';
import { DocJob } from '../firmware/print/jobs.ts';
import type { PrintJob } from '../firmware/print/jobs.ts';
import { RowDocJob } from '../firmware/print/row-doc-job.ts';
import { StoredPageRows } from '../firmware/fax/page-rows.ts';
import { SimFlash } from '../sim/board/flash.ts';
import { SimPrinter } from '../sim/board/printer.ts';
import { makePage } from '../scripts/t4/patterns.ts';
import type { Pattern } from '../scripts/t4/patterns.ts';
import { rowOf } from '../host/image/bitmap.ts';
import type { Bitmap } from '../host/image/bitmap.ts';

function storePages(store: Store, pages: Bitmap[], coding: T4Coding): number {
  const w = store.beginDocument({ dir: 'rx', time: 0, remote: 'bench', sub: '', box: '' });
  if (!w) throw new Error('store full');
  for (const p of pages) {
    w.beginPage({ coding, width: p.width, linesPerMm: 7.7, bitOrder: 'lsb-first' });
    const e = new T4Encoder({ coding, width: p.width, k: 4, bitOrder: 'lsb-first', onData: (b) => { if (!w.write(b)) throw new Error('store full'); } });
    for (let y = 0; y < p.height; y++) e.encodeRow(rowOf(p, y));
    e.finish();
    if (!w.endPage()) throw new Error('store full');
  }
  w.close('ok');
  return w.id;
}

/** Whole chunks into the decoder; returns the most rows one push (or end()) released. */
function byChunks(store: Store, id: number, n: number): { rows: number; maxBurst: number } {
  let rows = 0;
  let maxBurst = 0;
  for (let i = 0; i < n; i++) {
    const p = store.pageParams(id, i)!;
    let burst = 0;
    const d = new T4Decoder({ coding: p.coding as T4Coding, width: p.width, bitOrder: 'lsb-first', onRow: () => { rows++; burst++; } });
    const r = store.readPage(id, i)!;
    for (let c = r.next(); c; c = r.next()) {
      burst = 0;
      d.push(c);
      if (burst > maxBurst) maxBurst = burst;
    }
    burst = 0;
    d.end();
    if (burst > maxBurst) maxBurst = burst;
  }
  return { rows, maxBurst };
}

function byRows(store: Store, id: number, n: number): { rows: number; pushes: number; maxBuffered: number } {
  let rows = 0;
  let pushes = 0;
  let maxBuffered = 0;
  for (let i = 0; i < n; i++) {
    const r = new StoredPageRows(store, id, i);
    while (r.next()) rows++;
    if (r.error) throw new Error(r.error);
    pushes += r.pushes;
    maxBuffered = Math.max(maxBuffered, r.maxBuffered);
  }
  return { rows, pushes, maxBuffered };
}

function best(times: number, f: () => void): number {
  let min = Infinity;
  for (let i = 0; i < times; i++) {
    const t0 = process.hrtime.bigint();
    f();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return min;
}

function linesPerDispatch(pages: Bitmap[], coding: T4Coding, make: (store: Store, id: number) => PrintJob): number {
  const clock = new VirtualClock(0);
  const kernel = new Kernel(clock);
  const store = new Store(new SimFlash({ sectorSize: 4096, sectorCount: 512 }));
  store.mount();
  const printer = new SimPrinter(null);
  const sp = new Spooler(10, printer, store, PRINT_JOBS);
  kernel.add(sp);
  kernel.start();
  const id = storePages(store, pages, coding);
  const per = new Map<number, number>();
  const line = printer.line.bind(printer);
  printer.line = (row) => {
    per.set(kernel.dispatches, (per.get(kernel.dispatches) ?? 0) + 1);
    return line(row);
  };
  sp.add(make(store, id));
  clock.runFor(600000);
  if (printer.pages.length !== pages.length) throw new Error('bench: not every page printed');
  return Math.max(...per.values());
}

export default async function bench(): Promise<void> {
  // What a printer sees: mostly white with text, some sparse, one blank page, one dense.
  const kinds: Pattern[] = ['white', 'sparse', 'text', 'sparse', 'mixed', 'text'];
  const pages = kinds.map((k, i) => makePage(1728, 2287, k, 3 + i));
  console.log(`pages: ${kinds.join(', ')}; 1728x2287 (A4 fine), best of 5`);
  for (const coding of ['mh', 'mr', 'mmr'] as T4Coding[]) {
    const store = new Store(new SimFlash({ sectorSize: 4096, sectorCount: 1024 }));
    store.mount();
    const id = storePages(store, pages, coding);
    const bytes = store.document(id)!.bytes;
    let a = { rows: 0, maxBurst: 0 };
    let b = { rows: 0, pushes: 0, maxBuffered: 0 };
    let tA = Infinity;
    let tB = Infinity;
    for (let rep = 0; rep < 5; rep++) {
      tA = Math.min(tA, best(1, () => (a = byChunks(store, id, pages.length))));
      tB = Math.min(tB, best(1, () => (b = byRows(store, id, pages.length))));
    }
    if (a.rows !== b.rows) throw new Error('bench: row counts differ');
    const c = coding.padEnd(3);
    console.log(`  ${c} ${(bytes / pages.length).toFixed(0)} bytes/page: whole chunks ${(a.rows / tA).toFixed(0)} rows/s, bounded ${(b.rows / tB).toFixed(0)} rows/s, ratio ${(tA / tB).toFixed(2)}; ` +
      `${(b.pushes / pages.length).toFixed(0)} pushes/page; most rows from one unit of work: chunk ${a.maxBurst}, piece ${b.maxBuffered}`);
    const three = pages.slice(0, 3); // white, sparse, text
    const docJob = linesPerDispatch(three, coding, (s, i) => new DocJob(s, i, { deleteAfter: true, onDone: null }));
    const rowJob = linesPerDispatch(three, coding, (s, i) => new RowDocJob(s, i, { deleteAfter: true, onDone: null }));
    console.log(`  ${c} most printer lines in one dispatch (3 pages): DocJob ${docJob}, RowDocJob ${rowJob}`);
  }
}
