// The power-cut campaign: seeded runs of an appliance's day on a small, nearly full store —
// receptions (pages written in pieces, bad pages aborted, calls dropped), prints and deliveries
// (the delivery outbox of firmware/delivery: queued, failed attempts, acknowledged; pages read
// back, state records, journal lines, deletes), settings changes, scans and
// compactions (forced by the store filling up, and by upkeep) — with the power cut at seeded
// writes (several per run, including during the mount and recovery that follow a cut). After
// every cut the store is mounted again and checked against a model of what was confirmed:
// nothing confirmed is lost, nothing half-written is visible, every visible page reads back
// whole, and the store goes on working.
//
// POWERCUT_SEEDS=N sets the number of seeded runs (default 25 for `npm test`, about 120 cuts;
// `npm run fuzz` runs 1,000 seeds, several cuts each); POWERCUT_SEED=S runs seed S alone (a reproducer). The last line printed
// gives the counts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Store } from '../../../firmware/store/index.ts';
import type { PageParams } from '../../../firmware/store/index.ts';
import { Outbox } from '../../../firmware/delivery/outbox.ts';
import { Cut, CutFlash, rng } from './cut-flash.ts';
import type { CutMode } from './cut-flash.ts';

const SEEDS = Number(process.env.POWERCUT_SEEDS || 25);
const ONLY = process.env.POWERCUT_SEED === undefined ? -1 : Number(process.env.POWERCUT_SEED);
const PARAMS: PageParams = { coding: 'mr', width: 1728, linesPerMm: 7.7, bitOrder: 'lsb-first' };
const JOURNAL_MAX = 40;
/** Operations per run, and power cuts aimed into each run. */
const OPS = 40;
const CUTS = 4;

interface DocModel {
  id: number;
  /** Pages whose endPage() returned true. */
  pages: Uint8Array[];
  /** The page whose endPage() was called but did not return. */
  inflight: Uint8Array | null;
  closed: string | null;
  closing: string | null;
  /** Its writer was abandoned (call dropped, close refused): no one writes to it again. */
  abandoned: boolean;
  state: string | null;
  stateInflight: string | null;
  deleted: boolean;
  deleting: boolean;
}

interface Model {
  docs: DocModel[];
  settings: { [name: string]: { confirmed: string | null; inflight: string | null } };
  journal: string[];
  journalInflight: string | null;
  /** The delivery outbox (firmware/delivery/outbox.ts) as last saved, and as being saved. */
  outbox: { confirmed: string; inflight: string | null };
}

/** What the outbox holds, comparable. */
function outboxState(ob: Outbox): string {
  return JSON.stringify(ob.items.map((it) => [it.doc, it.kind, it.tries]).sort());
}

/** An outbox change returned: saved unless the store refused it (then the old copy stands). */
function outboxSaved(ob: Outbox, m: Model): void {
  if (!ob.unsaved) m.outbox.confirmed = outboxState(ob);
}

interface Counts {
  runs: number;
  cuts: number;
  cutsInCompaction: number;
  cutsInErase: number;
  cutsInMount: number;
  cutsInOutbox: number;
  compactions: number;
  receptions: number;
  pages: number;
  prints: number;
  deliveries: number;
}

function bytes(r: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

function readAll(s: Store, id: number, p: number): Uint8Array | string {
  const rd = s.readPage(id, p);
  if (!rd) return 'no page';
  const parts: Uint8Array[] = [];
  let n = 0;
  for (let c = rd.next(); c; c = rd.next()) {
    parts.push(c);
    n += c.length;
  }
  if (rd.error) return rd.error;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of parts) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Compare the mounted store with the model; then make the model what the store now shows. */
function check(s: Store, m: Model, where: string): void {
  const visible = s.documents();
  const byId = new Map(visible.map((d) => [d.id, d]));
  for (const d of m.docs) {
    const info = byId.get(d.id);
    if (d.deleted) {
      assert.ok(!info, where + ': deleted document ' + d.id + ' came back');
      continue;
    }
    if (!info) {
      assert.ok(d.deleting || (d.pages.length === 0 && d.closed === null), where + ': document ' + d.id + ' with confirmed data lost');
      d.deleted = true;
      continue;
    }
    if (d.deleting) d.deleting = false; // the tombstone did not make it: the document stays
    const allowed = d.pages.length + (d.inflight ? 1 : 0);
    assert.ok(info.pages >= d.pages.length && info.pages <= allowed, where + ': document ' + d.id + ' has ' + info.pages + ' pages, confirmed ' + d.pages.length);
    assert.not.ok(info.damaged, where + ': document ' + d.id + ' damaged');
    for (let p = 0; p < info.pages; p++) {
      const want = p < d.pages.length ? d.pages[p] : d.inflight!;
      const got = readAll(s, d.id, p);
      assert.ok(got instanceof Uint8Array, where + ': document ' + d.id + ' page ' + (p + 1) + ': ' + got);
      assert.ok(same(got as Uint8Array, want), where + ': page ' + (p + 1) + ' of document ' + d.id + ' differs');
    }
    if (info.pages > d.pages.length) d.pages.push(d.inflight!);
    d.inflight = null;
    if (d.closed !== null) {
      assert.is(info.interrupted, false, where + ': closed document ' + d.id + ' shown interrupted');
      assert.is(info.result, d.closed, where + ': result of document ' + d.id);
    } else if (d.closing !== null) {
      assert.ok(info.interrupted || info.result === d.closing, where + ': document ' + d.id + ' half closed');
      if (!info.interrupted) d.closed = d.closing;
    } else assert.ok(info.interrupted, where + ': unclosed document ' + d.id + ' not shown interrupted');
    d.closing = null;
    if (d.closed === null) d.abandoned = true; // interrupted: nobody writes to it again
    const st = JSON.stringify(info.state);
    const want = d.state === null ? '{}' : d.state;
    assert.ok(st === want || st === d.stateInflight, where + ': state of document ' + d.id + ' is ' + st + ', confirmed ' + want);
    if (st !== '{}') d.state = st;
    d.stateInflight = null;
  }
  // Nothing visible that nobody wrote.
  for (const info of visible) assert.ok(m.docs.some((d) => d.id === info.id), where + ': unknown document ' + info.id + ' (' + JSON.stringify(info.meta) + ')');
  for (const name of Object.keys(m.settings)) {
    const e = m.settings[name];
    const v = s.getSetting(name);
    assert.ok(v === e.confirmed || v === e.inflight, where + ': setting ' + name + ' is ' + v + ', confirmed ' + e.confirmed);
    e.confirmed = v;
    e.inflight = null;
  }
  const j = s.journal().map((e) => e.text);
  for (const t of j) assert.ok(m.journal.includes(t) || t === m.journalInflight, where + ': journal has ' + t + ', never written');
  // The newest confirmed entries are all there (older ones may have been dropped by journalMax).
  const keep = m.journal.slice(-(JOURNAL_MAX - 1));
  for (const t of keep) assert.ok(j.includes(t), where + ': journal lost ' + t);
  if (m.journalInflight !== null && j.includes(m.journalInflight)) m.journal.push(m.journalInflight);
  m.journalInflight = null;
  const ob = outboxState(new Outbox(s));
  assert.ok(ob === m.outbox.confirmed || ob === m.outbox.inflight, where + ': outbox is ' + ob + ', confirmed ' + m.outbox.confirmed);
  m.outbox.confirmed = ob;
  m.outbox.inflight = null;
}

/** One step of the day; every confirmation is written into the model as soon as it returns. */
function step(s: Store, ob: Outbox, m: Model, r: () => number, c: Counts): void {
  const live = m.docs.filter((d) => !d.deleted && !d.deleting && (d.closed !== null || d.abandoned));
  const x = r();
  if (x < 0.4) {
    // A reception (or a scan for copying): pages written in pieces of what the modem delivers.
    const w = s.beginDocument({ dir: r() < 0.8 ? 'rx' : 'copy', time: Math.floor(r() * 1e9), remote: '+1 555 ' + Math.floor(r() * 1e4), sub: '12', box: r() < 0.5 ? '12' : '' });
    if (!w) return; // full: the call is refused, nothing to remember
    const d: DocModel = { id: w.id, pages: [], inflight: null, closed: null, closing: null, abandoned: false, state: null, stateInflight: null, deleted: false, deleting: false };
    m.docs.push(d);
    c.receptions++;
    const np = 1 + Math.floor(r() * 4);
    for (let p = 0; p < np; p++) {
      const b = bytes(r, 100 + Math.floor(r() * 3000));
      w.beginPage(PARAMS);
      let ok = true;
      for (let i = 0; i < b.length && ok; ) {
        const n = 1 + Math.floor(r() * 400);
        ok = w.write(b.subarray(i, i + n));
        i += n;
      }
      if (!ok || r() < 0.1) {
        w.abortPage(); // full, or a bad page (RTN): not committed
        if (!ok) break;
        continue;
      }
      d.inflight = b;
      if (w.endPage()) {
        d.pages.push(b);
        c.pages++;
      }
      d.inflight = null;
    }
    if (r() < 0.1) {
      // The call dropped and the writer was forgotten: the document stays open (interrupted at the next mount).
      d.abandoned = true;
      return;
    }
    const result = d.pages.length ? 'ok' : 'no pages';
    if (d.pages.length === 0 && r() < 0.5) {
      d.deleting = true;
      w.discard();
      d.deleted = true;
      d.deleting = false;
      return;
    }
    d.closing = result;
    if (w.close(result)) d.closed = result;
    d.closing = null;
    if (d.closed === null) d.abandoned = true; // close refused (full): nobody writes to it again
    else if (d.pages.length && r() < 0.7) {
      // A confidential reception: its owner is to be told (the delivery outbox).
      ob.add(d.id, r() < 0.5 ? 'notice' : 'document');
      outboxSaved(ob, m);
    }
  } else if (x < 0.55 && live.length) {
    // A print: every page read back whole, then the state record and a journal line.
    const d = live[Math.floor(r() * live.length)];
    const info = s.document(d.id);
    if (!info) return;
    for (let p = 0; p < info.pages; p++) {
      const got = readAll(s, d.id, p);
      assert.ok(got instanceof Uint8Array && same(got, d.pages[p]), 'print read back page ' + (p + 1) + ' of ' + d.id);
    }
    const st = JSON.stringify({ printed: true, n: Math.floor(r() * 1e6) });
    d.stateInflight = st;
    if (s.setDocState(d.id, JSON.parse(st))) d.state = st;
    d.stateInflight = null;
    journal(s, m, 'print ' + d.id + ' ' + Math.floor(r() * 1e6));
    c.prints++;
  } else if (x < 0.7 && live.length) {
    // A delivery from the outbox: an attempt fails (retried later), or the owner acknowledges;
    // then the 'delivered' state, a journal line, and the document goes.
    const queued = ob.items.filter((it) => live.some((d) => d.id === it.doc));
    const it = queued.length ? queued[Math.floor(r() * queued.length)] : null;
    const d = it ? live.find((x) => x.id === it.doc)! : live[Math.floor(r() * live.length)];
    const info = s.document(d.id);
    if (!info) return;
    if (it && r() < 0.3) {
      ob.failed(it.doc, it.kind, 1000 * c.deliveries, 'timeout');
      outboxSaved(ob, m);
      return;
    }
    if (it) {
      ob.done(it.doc, it.kind);
      outboxSaved(ob, m);
    }
    for (let p = 0; p < info.pages; p++) assert.ok(readAll(s, d.id, p) instanceof Uint8Array, 'delivery read of ' + d.id);
    const st = JSON.stringify({ delivered: 'mail:owner@example.org', n: Math.floor(r() * 1e6) });
    d.stateInflight = st;
    if (s.setDocState(d.id, JSON.parse(st))) d.state = st;
    d.stateInflight = null;
    journal(s, m, 'delivered ' + d.id + ' ' + Math.floor(r() * 1e6));
    d.deleting = true;
    if (s.deleteDocument(d.id)) d.deleted = true;
    d.deleting = false;
    ob.drop(d.id);
    outboxSaved(ob, m);
    c.deliveries++;
  } else if (x < 0.8 && live.length) {
    const d = live[Math.floor(r() * live.length)];
    d.deleting = true;
    if (s.deleteDocument(d.id)) d.deleted = true;
    d.deleting = false;
    ob.drop(d.id);
    outboxSaved(ob, m);
  } else if (x < 0.88) {
    const name = ['settings', 'boxes', 'lock.12', 'peer.cache'][Math.floor(r() * 4)];
    const value = 'v' + Math.floor(r() * 1e6) + '-'.repeat(Math.floor(r() * 300));
    if (!m.settings[name]) m.settings[name] = { confirmed: null, inflight: null };
    m.settings[name].inflight = value;
    if (s.setSetting(name, value)) m.settings[name].confirmed = value;
    m.settings[name].inflight = null;
  } else if (x < 0.95) {
    journal(s, m, 'call ' + Math.floor(r() * 1e9));
  } else {
    // Upkeep while the line is quiet.
    for (let k = 0; k < 3 && s.maintain(); k++);
    s.compactOnce();
  }
}

function journal(s: Store, m: Model, text: string): void {
  m.journalInflight = text;
  if (s.addJournal(text)) m.journal.push(text);
  m.journalInflight = null;
}

/** Mount, with compactions counted and a cut in the mount itself allowed (mount writes: it clears torn records). */
function mount(flash: CutFlash, opts: object): Store {
  const s = new Store(flash, opts);
  s.mount();
  return s;
}

function run(seed: number, c: Counts): void {
  const r = rng(seed);
  const mode: CutMode = seed % 2 ? 'bits' : 'prefix';
  const sectorSize = r() < 0.5 ? 1024 : 2048;
  const flash = new CutFlash(sectorSize, 16 + Math.floor(r() * 16), mode);
  const opts = { chunkBytes: 64 + Math.floor(r() * 400), journalMax: JOURNAL_MAX, reserveDoc: 1 + Math.floor(r() * 2) };
  const m: Model = { docs: [], settings: {}, journal: [], journalInflight: null, outbox: { confirmed: '[]', inflight: null } };
  let s = mount(flash, opts);
  let ob = new Outbox(s);
  // Erases and compactions are what a cut must survive most: count the cuts that fell in them.
  let cutInCompaction = false;
  let inErase = false;
  const erase = flash.erase.bind(flash);
  flash.erase = (sector: number) => {
    inErase = true;
    erase(sector);
    inErase = false;
  };
  function watch(st: Store): Store {
    const compact = st.log.compactOnce.bind(st.log);
    st.log.compactOnce = (g?: number) => {
      try {
        return compact(g);
      } catch (e) {
        if (e instanceof Cut) cutInCompaction = true;
        throw e;
      }
    };
    return st;
  }
  watch(s);
  let cuts = 0;
  let ops = 0;
  // Fill the store first (without cuts), so compactions come early.
  for (let i = 0; i < 30; i++) step(s, ob, m, r, c);
  while (ops < OPS || cuts < CUTS) {
    if (cuts < CUTS) flash.cutPowerAtWrite(Math.floor(r() * 120), rng(seed * 7919 + cuts));
    let cut = false;
    try {
      for (; ops < OPS * 4; ops++) step(s, ob, m, r, c);
    } catch (e) {
      if (!(e instanceof Cut)) throw new Error('seed ' + seed + ': ' + (e as Error).message);
      cut = true;
      // An outbox change cut while it was saved: the old or the new copy may be there.
      m.outbox.inflight = outboxState(ob);
      if (m.outbox.inflight !== m.outbox.confirmed) c.cutsInOutbox++;
    }
    if (!cut) break;
    cuts++;
    c.cuts++;
    if (cutInCompaction) c.cutsInCompaction++;
    if (inErase) c.cutsInErase++;
    cutInCompaction = false;
    inErase = false;
    flash.powerOn();
    // Sometimes the power goes again while the store mounts and recovers.
    if (r() < 0.2) {
      flash.cutPowerAtWrite(0, rng(seed * 104729 + cuts));
      try {
        s = mount(flash, opts);
        flash.powerOn(); // the mount wrote nothing: the cut did not happen
      } catch (e) {
        if (!(e instanceof Cut)) throw e;
        c.cuts++;
        c.cutsInMount++;
        flash.powerOn();
      }
    }
    const where = 'seed ' + seed + ' (' + mode + ') cut ' + cuts + ' after ' + ops + ' steps';
    s = watch(mount(flash, opts));
    check(s, m, where);
    ob = new Outbox(s);
    c.compactions += s.compactions;
    ops++;
  }
  // And it goes on working: after deleting everything, a reception fits and comes back whole.
  for (const d of m.docs) {
    if (d.deleted) continue;
    assert.ok(s.deleteDocument(d.id), 'seed ' + seed + ': delete ' + d.id + ' ' + JSON.stringify(s.document(d.id)) + ' ' + JSON.stringify(s.usage()) + ' ' + JSON.stringify({ live: Array.from((s.log as any).live), used: Array.from((s.log as any).used), st: Array.from((s.log as any).state), head: (s.log as any).head, ss: s.sectorSize }));
    d.deleted = true;
  }
  for (let k = 0; k < 2 * flash.sectorCount && s.compactOnce(); k++);
  const w = s.beginDocument({ dir: 'rx', time: 1, remote: 'after', sub: '', box: '' });
  assert.ok(w, 'seed ' + seed + ': the store refuses a reception after the campaign (' + JSON.stringify(s.usage()) + ')');
  const b = bytes(r, 1500);
  w!.beginPage(PARAMS);
  assert.ok(w!.write(b));
  assert.ok(w!.endPage());
  assert.ok(w!.close('ok'));
  m.docs.push({ id: w!.id, pages: [b], inflight: null, closed: 'ok', closing: null, abandoned: false, state: null, stateInflight: null, deleted: false, deleting: false });
  check(mount(flash, opts), m, 'seed ' + seed + ' final');
  c.compactions += s.compactions;
  c.runs++;
}

export function campaign(seeds: number[]): Counts {
  const c: Counts = { runs: 0, cuts: 0, cutsInCompaction: 0, cutsInErase: 0, cutsInMount: 0, cutsInOutbox: 0, compactions: 0, receptions: 0, pages: 0, prints: 0, deliveries: 0 };
  for (const seed of seeds) run(seed, c);
  return c;
}

test('power cuts across receptions, prints, deliveries and compactions: nothing confirmed lost, nothing half-written visible', () => {
  const seeds: number[] = [];
  if (ONLY >= 0) seeds.push(ONLY);
  else for (let i = 1; i <= SEEDS; i++) seeds.push(i);
  const t0 = Date.now();
  const c = campaign(seeds);
  console.log(
    `power-cut campaign: ${c.runs} runs, ${c.cuts} power cuts (${c.cutsInCompaction} during a compaction, ${c.cutsInErase} during an erase, ${c.cutsInMount} during a mount, ${c.cutsInOutbox} while an outbox change was saved), ` +
      `${c.compactions} compactions, ${c.receptions} receptions (${c.pages} pages), ${c.prints} prints, ${c.deliveries} deliveries, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  assert.ok(c.cuts >= seeds.length * CUTS, 'cuts ' + c.cuts);
  assert.ok(c.cutsInCompaction > 0 || seeds.length < 20, 'some cuts fall in a compaction');
});

test('the campaign checker fails on a lost page, a garbled page, an unknown document (the test can fail)', () => {
  const flash = new CutFlash(1024, 16, 'bits');
  const s = new Store(flash, { chunkBytes: 200 });
  s.mount();
  const r = rng(3);
  const w = s.beginDocument({ dir: 'rx', time: 0, remote: 'x', sub: '', box: '' })!;
  const b = bytes(r, 900);
  w.beginPage(PARAMS);
  w.write(b);
  assert.ok(w.endPage());
  assert.ok(w.close('ok'));
  const model = (pages: Uint8Array[]): Model => ({
    docs: [{ id: w.id, pages, inflight: null, closed: 'ok', closing: null, abandoned: false, state: null, stateInflight: null, deleted: false, deleting: false }],
    settings: {},
    journal: [],
    journalInflight: null,
    outbox: { confirmed: '[]', inflight: null },
  });
  const t = mount(flash, { chunkBytes: 200 });
  const garbled = b.slice();
  garbled[5] ^= 1;
  const fails = (m: Model): boolean => {
    try {
      check(t, m, 'trap');
      return false;
    } catch {
      return true;
    }
  };
  assert.ok(fails(model([b, bytes(r, 10)])), 'a lost page is noticed');
  assert.ok(fails(model([garbled])), 'a garbled page is noticed');
  assert.ok(fails({ docs: [], settings: {}, journal: [], journalInflight: null, outbox: { confirmed: '[]', inflight: null } }), 'an unknown document is noticed');
  check(t, model([b]), 'as written');
});

test.run();
