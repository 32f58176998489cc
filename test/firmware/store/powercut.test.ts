// Power cuts at every flash write of a reception and of the compactions it causes, over seeded
// runs with two kinds of torn writes (a prefix of the bytes; a random subset of the bits). After
// each cut the store is mounted again and must show: every document whose close was confirmed,
// whole; every page whose endPage() was confirmed, whole; nothing else but at most the one
// write in flight; the settings as confirmed (or the value in flight); and it must go on working.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Store } from '../../../firmware/store/index.ts';
import type { PageParams } from '../../../firmware/store/index.ts';
import { Cut, CutFlash, rng } from './cut-flash.ts';
import type { CutMode } from './cut-flash.ts';

const SECTOR = 1024;
const SECTORS = 24;
const OPTS = { chunkBytes: 200 };
const PARAMS: PageParams = { coding: 'mr', width: 1728, linesPerMm: 7.7, bitOrder: 'lsb-first' };

function data(r: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

function readPage(s: Store, id: number, p: number): Uint8Array | string {
  const rd = s.readPage(id, p);
  if (!rd) return 'no page';
  const parts: number[] = [];
  for (let c = rd.next(); c; c = rd.next()) for (const x of c) parts.push(x);
  return rd.error ?? new Uint8Array(parts);
}

interface DocLog {
  id: number;
  pages: Uint8Array[];
  inflight: Uint8Array | null;
  closed: boolean;
}

interface Log {
  docs: DocLog[];
  deleted: number[];
  deleting: number | null;
  setting: { confirmed: string | null; inflight: string | null };
  journal: string[];
  journalInflight: string | null;
}

/** The state before the workload: documents, some deleted (garbage to compact), a setting. */
function prepare(seed: number, mode: CutMode): { flash: CutFlash; log: Log } {
  const r = rng(seed);
  const flash = new CutFlash(SECTOR, SECTORS, mode);
  const s = new Store(flash, OPTS);
  s.mount();
  const log: Log = { docs: [], deleted: [], deleting: null, setting: { confirmed: null, inflight: null }, journal: [], journalInflight: null };
  s.setSetting('boxes', 'v0');
  log.setting.confirmed = 'v0';
  // Fill most of the store, deleting every other document: later writes must compact.
  for (let i = 0; i < 12; i++) {
    const w = s.beginDocument({ dir: 'rx', time: i, remote: 'pre' + i, sub: '', box: '' })!;
    const pages: Uint8Array[] = [];
    for (let p = 0; p < 2; p++) {
      const b = data(r, 300 + Math.floor(r() * 700));
      w.beginPage(PARAMS);
      w.write(b);
      assert.ok(w.endPage());
      pages.push(b);
    }
    assert.ok(w.close('ok'));
    if (i % 2 === 1) assert.ok(s.deleteDocument(w.id));
    else log.docs.push({ id: w.id, pages, inflight: null, closed: true });
  }
  return { flash, log };
}

/** A confidential reception plus the bookkeeping around it; `log` records each confirmation. */
function workload(s: Store, seed: number, log: Log): void {
  const r = rng(seed * 7 + 1);
  log.setting.inflight = 'v1';
  s.setSetting('boxes', 'v1');
  log.setting.confirmed = 'v1';
  log.setting.inflight = null;
  const w = s.beginDocument({ dir: 'rx', time: 99, remote: '+1 555 0199', sub: '12', box: '12' });
  if (!w) throw new Error('store full in the workload');
  const d: DocLog = { id: w.id, pages: [], inflight: null, closed: false };
  log.docs.push(d);
  for (let p = 0; p < 3; p++) {
    const b = data(r, 200 + Math.floor(r() * 2300));
    w.beginPage(PARAMS);
    let i = 0;
    while (i < b.length) {
      const n = 1 + Math.floor(r() * 300);
      if (!w.write(b.subarray(i, i + n))) throw new Error('full');
      i += n;
    }
    d.inflight = b;
    if (!w.endPage()) throw new Error('endPage');
    d.pages.push(b);
    d.inflight = null;
  }
  w.close('ok');
  d.closed = true;
  const text = 'rx box 12 pages 3';
  log.journalInflight = text;
  s.addJournal(text);
  log.journal.push(text);
  log.journalInflight = null;
  // The owner printed an old document and deleted it.
  const old = log.docs[0].id;
  log.deleting = old;
  s.deleteDocument(old);
  log.deleted.push(old);
  log.deleting = null;
}

function check(s: Store, log: Log, where: string): void {
  const visible = s.documents();
  const byId = new Map(visible.map((d) => [d.id, d]));
  for (const d of log.docs) {
    const info = byId.get(d.id);
    if (log.deleted.includes(d.id)) {
      assert.ok(!info, where + ': deleted document ' + d.id + ' came back');
      continue;
    }
    if (!info) {
      assert.ok(d.pages.length === 0 && !d.closed, where + ': document ' + d.id + ' with confirmed pages lost');
      continue;
    }
    if (d.closed) {
      assert.is(info.interrupted, false, where + ': closed document shown interrupted');
      assert.is(info.result, 'ok');
    }
    const allowed = d.pages.length + (d.inflight ? 1 : 0);
    assert.ok(info.pages >= d.pages.length && info.pages <= allowed, where + ': document ' + d.id + ' has ' + info.pages + ' pages, confirmed ' + d.pages.length);
    for (let p = 0; p < info.pages; p++) {
      const want = p < d.pages.length ? d.pages[p] : d.inflight!;
      const got = readPage(s, d.id, p);
      assert.ok(got instanceof Uint8Array, where + ': ' + got);
      assert.equal(got, want, where + ': page ' + (p + 1) + ' of document ' + d.id + ' differs');
    }
  }
  // Nothing visible that nobody wrote.
  for (const info of visible) assert.ok(log.docs.some((d) => d.id === info.id), where + ': unknown document ' + info.id);
  const v = s.getSetting('boxes');
  assert.ok(v === log.setting.confirmed || v === log.setting.inflight, where + ': setting is ' + v);
  const j = s.journal().map((e) => e.text);
  for (const t of log.journal) assert.ok(j.includes(t), where + ': journal lost ' + t);
  for (const t of j) assert.ok(log.journal.includes(t) || t === log.journalInflight, where + ': journal has ' + t);
}

function runAll(mode: CutMode, seeds: number[]): { runs: number; compactions: number } {
  let runs = 0;
  let compactions = 0;
  for (const seed of seeds) {
    const base = prepare(seed, mode);
    const img = base.flash.snapshot();
    const erases = base.flash.erases.slice();
    // A dry run counts the workload's writes.
    const dry = new Store(base.flash, OPTS);
    dry.mount();
    const w0 = base.flash.writes;
    workload(dry, seed, structuredClone(base.log));
    const total = base.flash.writes - w0;
    compactions += dry.compactions;
    assert.ok(dry.compactions > 0, 'the workload compacts (seed ' + seed + ')');
    for (let k = 0; k < total; k++) {
      const flash = base.flash;
      flash.restore(img, erases);
      const log: Log = structuredClone(base.log);
      const s = new Store(flash, OPTS);
      s.mount();
      flash.cutPowerAtWrite(k, rng(seed * 1000 + k));
      let cut = false;
      try {
        workload(s, seed, log);
      } catch (e) {
        if (!(e instanceof Cut)) throw e;
        cut = true;
      }
      assert.ok(cut, 'cut at write ' + k + ' of ' + total);
      flash.powerOn();
      const where = mode + ' seed ' + seed + ' cut at write ' + k + '/' + total;
      const t = new Store(flash, OPTS);
      t.mount();
      check(t, log, where);
      // And it goes on working: another reception, another mount.
      const w = t.beginDocument({ dir: 'rx', time: 1, remote: 'after', sub: '', box: '' });
      assert.ok(w, where + ': store refuses after remount');
      const b = data(rng(k), 900);
      w!.beginPage(PARAMS);
      w!.write(b);
      assert.ok(w!.endPage());
      assert.ok(w!.close('ok'));
      log.docs.push({ id: w!.id, pages: [b], inflight: null, closed: true });
      const u = new Store(flash, OPTS);
      u.mount();
      check(u, log, where + ' (after a new reception)');
      runs++;
    }
  }
  return { runs, compactions };
}

test('power cut at every write (torn bits), seeded runs', () => {
  const r = runAll('bits', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.ok(r.runs > 400, 'runs ' + r.runs);
});

test('power cut at every write (torn prefix), seeded runs', () => {
  const r = runAll('prefix', [11, 12, 13, 14, 15, 16]);
  assert.ok(r.runs > 250, 'runs ' + r.runs);
});

test('the checker fails when a confirmed page is lost (the test can fail)', () => {
  const base = prepare(5, 'bits');
  const s = new Store(base.flash, OPTS);
  s.mount();
  const log = base.log;
  workload(s, 5, log);
  // Wipe the sector holding the newest document's first chunk: the check must notice.
  const d = log.docs[log.docs.length - 1];
  base.flash.mem.fill(0xff, 0, SECTOR * SECTORS);
  const t = new Store(base.flash, OPTS);
  t.mount();
  let failed = false;
  try {
    check(t, log, 'wiped');
  } catch {
    failed = true;
  }
  assert.ok(failed, 'the check noticed');
  assert.ok(d.pages.length === 3);
});

test.run();
