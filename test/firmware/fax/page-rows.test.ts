// StoredPageRows: a stored page pulled back row by row, bounded work per pull, bounded memory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Store } from '../../../firmware/store/index.ts';
import { T4Encoder } from '../../../firmware/fax/t4/index.ts';
import { DEFAULT_RING, StoredPageRows, openSendPage } from '../../../firmware/fax/page-rows.ts';
import { storedSendPages } from '../../../firmware/print/stored-send-pages.ts';
import { SimFlash } from '../../../sim/board/flash.ts';

type Coding = 'mh' | 'mr' | 'mmr';

/** A page with text-like blocks, solid bars, thin stripes and white gaps (seeded, generated). */
function page(width: number, height: number, seed: number): Uint8Array[] {
  let s = seed * 2654435761 >>> 0;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) / 65536;
  const rows: Uint8Array[] = [];
  const bpr = (width + 7) >> 3;
  for (let y = 0; y < height; y++) {
    const r = new Uint8Array(bpr);
    const band = (y >> 4) % 5;
    if (band === 1) for (let i = 0; i < bpr; i++) r[i] = rnd() < 0.3 ? (rnd() * 256) | 0 : 0; // "text"
    else if (band === 3) for (let x = 100 + seed * 7; x < width - 50; x += 3) r[x >> 3] |= 0x80 >> (x & 7);
    else if (band === 4 && (y & 15) < 3) r.fill(0xff, 10, bpr - 10); // a rule
    if (width & 7) r[bpr - 1] &= 0xff << (8 - (width & 7)) & 0xff;
    rows.push(r);
  }
  return rows;
}

function white(width: number, height: number): Uint8Array[] {
  const rows: Uint8Array[] = [];
  for (let y = 0; y < height; y++) rows.push(new Uint8Array((width + 7) >> 3));
  return rows;
}

function freshStore(): Store {
  const st = new Store(new SimFlash({ sectorSize: 4096, sectorCount: 128 }));
  st.mount();
  return st;
}

function store(st: Store, pages: Uint8Array[][], coding: Coding, width: number, linesPerMm = 3.85): number {
  const w = st.beginDocument({ dir: 'rx', time: 0, remote: 'test', sub: '', box: '' })!;
  for (const rows of pages) {
    w.beginPage({ coding, width, linesPerMm, bitOrder: 'lsb-first' });
    const e = new T4Encoder({ coding, width, k: 4, bitOrder: 'lsb-first', onData: (b) => assert.ok(w.write(b)) });
    for (const r of rows) e.encodeRow(r);
    e.finish();
    assert.ok(w.endPage());
  }
  w.close('ok');
  return w.id;
}

function readAll(r: StoredPageRows): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let row = r.next(); row; row = r.next()) out.push(row.slice());
  return out;
}

function sameRows(got: Uint8Array[], want: Uint8Array[], what: string): void {
  assert.is(got.length, want.length, what + ': row count');
  for (let i = 0; i < want.length; i++) {
    if (Buffer.compare(got[i], want[i]) !== 0) assert.unreachable(what + ': row ' + i + ' differs');
  }
}

for (const coding of ['mh', 'mr', 'mmr'] as Coding[]) {
  test(`${coding}: rows come back pixel-identical, the ring never overflows`, () => {
    const st = freshStore();
    const src = page(1728, 700, 1);
    const id = store(st, [src], coding, 1728);
    const r = new StoredPageRows(st, id, 0);
    sameRows(readAll(r), src, coding);
    assert.is(r.error, null);
    assert.is(r.overflow, 0);
    assert.ok(r.maxBuffered <= 16, 'buffered ' + r.maxBuffered);
    assert.is(r.badLines(), 0);
  });

  test(`${coding}: an all-white page (the worst burst) still comes a few rows per push`, () => {
    const st = freshStore();
    const src = white(1728, 2287); // A4 fine
    const id = store(st, [src], coding, 1728, 7.7);
    const r = new StoredPageRows(st, id, 0);
    // Count the rows each next() had to wait for: never more than the ring per refill.
    let maxPerRefill = 0;
    let lastPushes = 0;
    let rowsSince = 0;
    for (let row = r.next(); row; row = r.next()) {
      if (r.pushes !== lastPushes) {
        lastPushes = r.pushes;
        rowsSince = 0;
      }
      rowsSince++;
      if (rowsSince > maxPerRefill) maxPerRefill = rowsSince;
    }
    assert.is(r.rows, 2287);
    assert.is(r.overflow, 0);
    assert.ok(r.maxBuffered <= DEFAULT_RING, 'buffered ' + r.maxBuffered);
    assert.ok(maxPerRefill <= DEFAULT_RING, 'rows released by one push: ' + maxPerRefill);
    assert.is(r.linesPerMm, 7.7);
  });

  test(`${coding}: odd widths (B4 2048, 1728+3) decode exactly`, () => {
    for (const width of [2048, 1731]) {
      const st = freshStore();
      const src = page(width, 150, 3);
      const id = store(st, [src], coding, width);
      sameRows(readAll(new StoredPageRows(st, id, 0)), src, coding + ' ' + width);
    }
  });
}

test('a larger ring is accepted and gives the same rows with fewer pushes', () => {
  const st = freshStore();
  const src = page(1728, 400, 5);
  const id = store(st, [src], 'mmr', 1728);
  const small = new StoredPageRows(st, id, 0);
  const big = new StoredPageRows(st, id, 0, { ringRows: 64 });
  sameRows(readAll(small), src, 'small');
  sameRows(readAll(big), src, 'big');
  assert.ok(big.pushes < small.pushes / 2, big.pushes + ' vs ' + small.pushes);
  assert.ok(big.maxBuffered <= 64);
});

test('a page that is not there, or was deleted while read, ends with an error, not a throw', () => {
  const st = freshStore();
  const src = page(1728, 300, 2);
  const id = store(st, [src], 'mh', 1728);
  const none = new StoredPageRows(st, id, 5);
  assert.is(none.next(), null);
  assert.match(String(none.error), /no such page/);
  const r = new StoredPageRows(st, id, 0);
  for (let i = 0; i < 10; i++) assert.ok(r.next());
  st.deleteDocument(id);
  let n = 10;
  while (r.next()) n++;
  assert.ok(n < 300, 'stopped early: ' + n);
  assert.match(String(r.error), /deleted/);
});

test('an MMR coding error ends the page early: the rows before it come out, it is not a store error', () => {
  const st = freshStore();
  const src = page(1728, 400, 4);
  const coded: number[] = [];
  const e = new T4Encoder({ coding: 'mmr', width: 1728, bitOrder: 'lsb-first', onData: (b) => coded.push(...b) });
  for (const r of src) e.encodeRow(r);
  e.finish();
  const data = new Uint8Array(coded);
  const at = data.length >> 1;
  data.fill(0, at, at + 40); // 320 zero bits: no MMR code word is all zeros
  const w = st.beginDocument({ dir: 'rx', time: 0, remote: 'test', sub: '', box: '' })!;
  w.beginPage({ coding: 'mmr', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' });
  assert.ok(w.write(data));
  assert.ok(w.endPage());
  w.close('ok');
  const r = new StoredPageRows(st, w.id, 0);
  const got = readAll(r);
  assert.ok(got.length > 20 && got.length < 400, 'rows before the error: ' + got.length);
  sameRows(got, src.slice(0, got.length), 'rows before the error');
  assert.is(r.error, null);
  assert.match(String(r.codingError), /coding error after line/);
});

test('storedSendPages: one SendPage per stored page; opened again it starts the page over (RTN resend)', () => {
  const st = freshStore();
  const p1 = page(1728, 200, 7);
  const p2 = page(1728, 120, 8);
  const id = store(st, [p1], 'mmr', 1728, 7.7);
  // A second document with two standard pages.
  const id2 = store(st, [p1, p2], 'mh', 1728);
  const one = storedSendPages(st, id);
  assert.is(one.length, 1);
  assert.is(one[0].fine, true);
  assert.is(one[0].width, 1728);
  const two = storedSendPages(st, id2);
  assert.is(two.length, 2);
  assert.is(two[1].fine, false);
  const first = openSendPage(two[1]);
  for (let i = 0; i < 50; i++) first.next();
  const again: Uint8Array[] = [];
  const rr = openSendPage(two[1]);
  for (let row = rr.next(); row; row = rr.next()) again.push(row.slice());
  sameRows(again, p2, 'reopened page 2');
  assert.equal(storedSendPages(st, 999), []);
});

test('storedSendPages: coded() hands out the stored data when the call wants that coding, resolution and width', () => {
  const st = freshStore();
  const p1 = page(1728, 150, 11);
  const id = store(st, [p1], 'mr', 1728, 7.7);
  const [sp] = storedSendPages(st, id);
  const r = sp.coded!('mr', true, 1728)!;
  const got: number[] = [];
  for (let c = r.next(); c; c = r.next()) got.push(...c);
  const want: number[] = [];
  const e = new T4Encoder({ coding: 'mr', width: 1728, k: 4, bitOrder: 'lsb-first', onData: (b) => want.push(...b) });
  for (const row of p1) e.encodeRow(row);
  e.finish();
  assert.equal(got, want);
  // another coding, resolution or width: the rows are coded as negotiated instead
  assert.is(sp.coded!('mh', true, 1728), null);
  assert.is(sp.coded!('mr', false, 1728), null);
  assert.is(sp.coded!('mr', true, 2048), null);
});

test('a superfine page is sent as fine: every other row', () => {
  const st = freshStore();
  const src = page(1728, 101, 9);
  const id = store(st, [src], 'mr', 1728, 15.4);
  const sp = storedSendPages(st, id)[0];
  assert.is(sp.fine, true);
  const got: Uint8Array[] = [];
  const r = openSendPage(sp);
  for (let row = r.next(); row; row = r.next()) got.push(row.slice());
  sameRows(got, src.filter((_r, i) => i % 2 === 0), 'halved');
});

test.run();
