import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Store } from '../../../firmware/store/index.ts';
import type { DocMeta, PageParams } from '../../../firmware/store/index.ts';
import { CutFlash, rng } from './cut-flash.ts';

const PARAMS: PageParams = { coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' };

function meta(remote: string, box = ''): DocMeta {
  return { dir: 'rx', time: 1700000000000, remote, sub: box, box };
}

function bytes(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

function readAll(store: Store, id: number, page: number): Uint8Array {
  const rd = store.readPage(id, page)!;
  const parts: Uint8Array[] = [];
  let n = 0;
  for (let c = rd.next(); c; c = rd.next()) {
    parts.push(c.slice());
    n += c.length;
  }
  if (rd.error) throw new Error(rd.error);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function receive(store: Store, m: DocMeta, pages: Uint8Array[], pieces = 97): number {
  const w = store.beginDocument(m);
  if (!w) throw new Error('store full');
  for (const p of pages) {
    w.beginPage(PARAMS);
    for (let i = 0; i < p.length; i += pieces) if (!w.write(p.subarray(i, i + pieces))) throw new Error('full');
    if (!w.endPage()) throw new Error('endPage failed');
  }
  if (!w.close('ok')) throw new Error('close failed');
  return w.id;
}

test('a received document reads back byte for byte, after a remount too', () => {
  const f = new CutFlash(1024, 32);
  const s = new Store(f, { chunkBytes: 200 });
  s.mount();
  const pages = [bytes(3000, 1), bytes(17, 2), bytes(0, 3), bytes(1500, 4)];
  const id = receive(s, meta('+1 555 0100', '12'), pages);
  for (const st of [s, new Store(f, { chunkBytes: 200 })]) {
    if (st !== s) st.mount();
    const d = st.document(id)!;
    assert.is(d.pages, 4);
    assert.is(d.result, 'ok');
    assert.is(d.meta.remote, '+1 555 0100');
    assert.is(d.meta.box, '12');
    assert.equal(st.pageParams(id, 0), PARAMS);
    for (let i = 0; i < pages.length; i++) assert.equal(readAll(st, id, i), pages[i]);
  }
});

test('settings: latest wins across remounts; journal keeps the newest journalMax entries', () => {
  const f = new CutFlash(512, 16);
  const s = new Store(f, { journalMax: 5, chunkBytes: 128 });
  s.mount();
  assert.is(s.getSetting('x'), null);
  s.setSetting('x', 'one');
  s.setSetting('y', 'why');
  s.setSetting('x', 'two');
  for (let i = 1; i <= 12; i++) s.addJournal('call ' + i);
  const t = new Store(f, { journalMax: 5, chunkBytes: 128 });
  t.mount();
  assert.is(t.getSetting('x'), 'two');
  assert.is(t.getSetting('y'), 'why');
  assert.equal(t.journal().map((e) => e.text), ['call 8', 'call 9', 'call 10', 'call 11', 'call 12']);
  t.addJournal('call 13');
  assert.is(t.journal()[4].seq, 13);
});

test('a long setting (kept in flash, not in RAM) reads back, is replaced, and survives compaction and a remount', () => {
  const f = new CutFlash(1024, 20);
  const s = new Store(f, { chunkBytes: 200 });
  s.mount();
  const long = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 7 + n) % 90))).join('');
  assert.ok(s.setSetting('big', long(700)));
  s.setSetting('small', 'x');
  assert.is(s.getSetting('big'), long(700));
  assert.ok(s.setSetting('big', long(650)));
  assert.is(s.getSetting('big'), long(650));
  const before = s.compactions;
  for (let round = 0; round < 30; round++) {
    const id = receive(s, meta('tmp' + round), [bytes(1200, round + 10)]);
    assert.ok(s.deleteDocument(id));
  }
  assert.ok(s.compactions > before + 5, 'compactions ' + s.compactions);
  assert.is(s.getSetting('big'), long(650));
  assert.equal(s.settingNames().filter((n) => n !== 'doc.next').sort(), ['big', 'small']);
  const t = new Store(f, { chunkBytes: 200 });
  t.mount();
  assert.is(t.getSetting('big'), long(650));
  assert.is(t.getSetting('small'), 'x');
});

test('a journal of 40 kept of 70 written: its index grows past its first size and stays in order across a remount and compaction', () => {
  const f = new CutFlash(512, 32);
  const s = new Store(f, { journalMax: 40, chunkBytes: 128 });
  s.mount();
  for (let i = 1; i <= 70; i++) s.addJournal('entry ' + i);
  const want = [];
  for (let i = 31; i <= 70; i++) want.push('entry ' + i);
  assert.equal(s.journal().map((e) => e.text), want);
  const t = new Store(f, { journalMax: 40, chunkBytes: 128 });
  t.mount();
  assert.equal(t.journal().map((e) => e.text), want, 'the same after a remount (records applied in flash order)');
  assert.equal(t.journal().map((e) => e.seq), want.map((w, i) => 31 + i));
  t.addJournal('entry 71');
  assert.is(t.journal().length, 40);
  assert.is(t.journal()[0].text, 'entry 32');
  assert.is(t.journal()[39].seq, 71);
});

test('a full store is a clear state: refuses pages, keeps settings and journal, recovers after deletes', () => {
  const f = new CutFlash(1024, 16);
  const s = new Store(f, { chunkBytes: 200 });
  s.mount();
  s.setSetting('station', 'A');
  const ids: number[] = [];
  let refused = false;
  for (let n = 0; n < 40 && !refused; n++) {
    const w = s.beginDocument(meta('r' + n));
    if (!w) {
      refused = true;
      break;
    }
    w.beginPage(PARAMS);
    const ok = w.write(bytes(2500, n)) && w.endPage();
    if (!ok) {
      w.abortPage();
      refused = true;
    }
    w.close(ok ? 'ok' : 'memory full');
    ids.push(w.id);
  }
  assert.ok(refused, 'the store filled up');
  assert.ok(s.available() < 5000, "available " + s.available());
  assert.ok(s.usage().percent > 80, 'usage ' + s.usage().percent);
  // Still writable: settings and journal use their own reserve.
  assert.ok(s.setSetting('station', 'B'));
  assert.ok(s.addJournal('refused: memory full'));
  // Every committed page is whole after a remount.
  const t = new Store(f, { chunkBytes: 200 });
  t.mount();
  assert.is(t.getSetting('station'), 'B');
  for (const d of t.documents()) for (let p = 0; p < d.pages; p++) readAll(t, d.id, p);
  // Deleting makes room again: compaction reclaims the space.
  for (const d of t.documents().slice(0, 3)) assert.ok(t.deleteDocument(d.id));
  assert.ok(!t.isFull());
  const id = receive(t, meta('after'), [bytes(2500, 99)]);
  assert.equal(readAll(t, id, 0), bytes(2500, 99));
  assert.ok(t.compactions > 0);
});

test('maxDocuments: at the cap the store is full (refuses a document, 100 %), a delete makes room again', () => {
  const f = new CutFlash(1024, 32);
  const s = new Store(f, { chunkBytes: 200, maxDocuments: 3 });
  s.mount();
  const ids = [1, 2, 3].map((n) => receive(s, meta('cap ' + n, '12'), [bytes(300, n)]));
  assert.ok(s.isFull());
  assert.is(s.usage().percent, 100);
  assert.is(s.beginDocument(meta('fourth')), null);
  assert.is(s.documents().length, 3, 'nothing already kept is lost');
  // The cap holds after a remount, and a delete frees a place.
  const again = new Store(f, { chunkBytes: 200, maxDocuments: 3 });
  again.mount();
  assert.ok(again.isFull());
  assert.ok(again.deleteDocument(ids[0]));
  assert.not.ok(again.isFull());
  assert.ok(again.usage().percent < 100);
  const id = receive(again, meta('fourth'), [bytes(300, 4)]);
  assert.equal(readAll(again, id, 0), bytes(300, 4));
  // Without a cap the same flash takes many more.
  const free = new Store(f, { chunkBytes: 200 });
  free.mount();
  assert.not.ok(free.isFull());
});

test('page parameters are read from the page record: equal to what was written, a new copy each time, null when the record is damaged', () => {
  const f = new CutFlash(1024, 32);
  const s = new Store(f, { chunkBytes: 200 });
  s.mount();
  const w = s.beginDocument(meta('params', '12'))!;
  const written = [
    { coding: 'mr', width: 2048, linesPerMm: 7.7, bitOrder: 'msb-first', ecm: true, rate: 9600 },
    { coding: 'mmr', width: 1728, linesPerMm: 15.4, bitOrder: 'lsb-first', seal: '00ff'.repeat(6) },
  ];
  for (const p of written) {
    w.beginPage(p);
    w.write(bytes(450, p.width));
    assert.ok(w.endPage());
  }
  w.close('ok');
  for (const st of [s, new Store(f, { chunkBytes: 200 })]) {
    if (st !== s) st.mount();
    assert.equal(st.pageParams(w.id, 0), written[0]);
    assert.equal(st.pageParams(w.id, 1), written[1]);
    assert.is(st.pageParams(w.id, 2), null);
    const p = st.pageParams(w.id, 0)!;
    p.width = 1;
    assert.is(st.pageParams(w.id, 0)!.width, 2048, 'a caller changing its copy changes nothing');
  }
  // One bit of the second page's record flipped: its parameters are gone, the first page's not.
  const end = s.docs.page(w.id, 1)!.endAddr;
  f.mem[end + 16 + 20] ^= 0x01;
  assert.is(s.pageParams(w.id, 1), null);
  assert.equal(s.pageParams(w.id, 0), written[0]);
});

test('deleted documents stay deleted through compaction and remounts', () => {
  const f = new CutFlash(1024, 20);
  const s = new Store(f, { chunkBytes: 200 });
  s.mount();
  const keep = receive(s, meta('keep'), [bytes(1800, 5)]);
  for (let round = 0; round < 30; round++) {
    const id = receive(s, meta('tmp' + round), [bytes(1200, round + 10)]);
    assert.ok(s.deleteDocument(id));
  }
  assert.ok(s.compactions > 5, 'compactions ' + s.compactions);
  const t = new Store(f, { chunkBytes: 200 });
  t.mount();
  assert.equal(t.documents().map((d) => d.meta.remote), ['keep']);
  assert.equal(readAll(t, keep, 0), bytes(1800, 5));
});

test('wear is spread: erase counts stay close under churn, long-lived data moves', () => {
  const f = new CutFlash(512, 16);
  const s = new Store(f, { chunkBytes: 128 });
  s.mount();
  receive(s, meta('static'), [bytes(1500, 7)]);
  s.setSetting('static', 'value');
  for (let round = 0; round < 400; round++) {
    const id = receive(s, meta('x'), [bytes(700, round)]);
    s.deleteDocument(id);
  }
  const e = f.erases;
  const max = Math.max(...e);
  const min = Math.min(...e);
  assert.ok(max > 50, 'enough churn: ' + max);
  assert.ok(max - min <= 70, 'erase counts ' + e.join(','));
  const t = new Store(f, { chunkBytes: 128 });
  t.mount();
  assert.equal(readAll(t, t.documents()[0].id, 0), bytes(1500, 7));
  assert.is(t.getSetting('static'), 'value');
});

test('a page that was never committed is dropped; committed pages of an unclosed document survive', () => {
  const f = new CutFlash(1024, 16);
  const s = new Store(f, { chunkBytes: 200 });
  s.mount();
  const w = s.beginDocument(meta('cut'))!;
  w.beginPage(PARAMS);
  w.write(bytes(900, 1));
  w.endPage();
  w.beginPage(PARAMS);
  w.write(bytes(900, 2)); // no endPage: the power goes here
  const w2 = s.beginDocument(meta('empty'))!;
  w2.beginPage(PARAMS);
  w2.write(bytes(700, 3));
  const t = new Store(f, { chunkBytes: 200 });
  const r = t.mount();
  assert.is(r.documents, 1);
  assert.is(r.interrupted, 1);
  assert.is(r.dropped, 1);
  const d = t.documents()[0];
  assert.is(d.pages, 1);
  assert.ok(d.interrupted);
  assert.equal(readAll(t, d.id, 0), bytes(900, 1));
});

test('read-back catches cells that do not program; the record goes to the next sector', () => {
  const f = new CutFlash(1024, 16);
  const s = new Store(f, { chunkBytes: 200 });
  s.mount();
  s.setSetting('a', '1');
  // Make a run of cells just ahead of the head stuck at 1.
  const u = s.usage();
  assert.ok(u.live > 0);
  let head = -1;
  for (let sec = 0; sec < 16; sec++) if (f.mem[sec * 1024 + 16] !== 0xff) head = sec;
  for (let a = head * 1024 + 64; a < head * 1024 + 128; a++) if (f.mem[a] === 0xff) f.stuck[a] = true;
  const id = receive(s, meta('stuck'), [bytes(600, 9)]);
  const t = new Store(f, { chunkBytes: 200 });
  t.mount();
  assert.equal(readAll(t, id, 0), bytes(600, 9));
  assert.is(t.getSetting('a'), '1');
});

test('a damaged chunk is reported when read, never returned as good data', () => {
  const f = new CutFlash(1024, 16);
  const s = new Store(f, { chunkBytes: 200 });
  s.mount();
  const id = receive(s, meta('rot'), [bytes(1000, 4)]);
  // Flip a bit in the middle of the page's data (in the second record of the sector).
  const img = f.mem;
  let flipped = false;
  for (let a = 400; a < 900 && !flipped; a++) {
    if (img[a] !== 0xff && img[a] !== 0) {
      img[a] &= img[a] - 1;
      flipped = true;
    }
  }
  const rd = s.readPage(id, 0)!;
  while (rd.next());
  assert.ok(rd.error, 'error reported');
  assert.match(rd.error!, /damaged|check/);
});

test('document ids are never reused, even after every record of the newest was compacted away', () => {
  const f = new CutFlash(1024, 12);
  let last = 0;
  for (let i = 0; i < 60; i++) {
    const s = new Store(f, { chunkBytes: 200 });
    s.mount();
    const id = receive(s, meta('x' + i), [bytes(700, i)]);
    assert.ok(id > last, 'id ' + id + ' after ' + last);
    last = id;
    s.deleteDocument(id);
    for (let k = 0; k < 30 && s.compactOnce(); k++);
  }
});

test('document ids a person reads run on consecutively across remounts, and are never reused after a delete (#15: 1, 17, 33)', () => {
  const f = new CutFlash(1024, 32);
  const ids: number[] = [];
  for (let boot = 0; boot < 3; boot++) {
    const s = new Store(f, { chunkBytes: 200 });
    s.mount();
    ids.push(receive(s, meta('+1 555 0100', ''), [bytes(100, boot)]));
    if (boot === 1) s.deleteDocument(ids[ids.length - 1]);
  }
  assert.equal(ids.map((id) => id - ids[0]), [0, 1, 2]);
});

test.run();
