// The store's capacity in typical pages (firmware/store/capacity.ts): the totals follow the
// flash's size, the room left shrinks as pages are written and comes back when documents are
// deleted, and sizes read as people write them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimFlash } from '../../../sim/board/flash.ts';
import { Store, storeCapacity, sizeText, TYPICAL_PAGE_BYTES } from '../../../firmware/store/index.ts';

function store(sectors: number): Store {
  const s = new Store(new SimFlash({ sectorCount: sectors }));
  s.mount();
  return s;
}

/** A document of `pages` pages of `bytes` coded bytes each. */
function write(s: Store, pages: number, bytes: number): number {
  const w = s.beginDocument({ dir: 'rx', time: 0, remote: 'r', sub: '', box: '' })!;
  for (let p = 0; p < pages; p++) {
    w.beginPage({ coding: 'mr', width: 1728, linesPerMm: 7.7, bitOrder: 'lsb-first' });
    assert.ok(w.write(new Uint8Array(bytes).map((_, i) => (i * 31 + p) & 0xff)));
    assert.ok(w.endPage());
  }
  w.close('ok');
  return s.documents()[s.documents().length - 1].id;
}

test('the totals follow the flash: 1 MB about 17 typical pages, 4 MB about 69, 16 MB about 278', () => {
  const want: [number, number][] = [[256, 17], [1024, 69], [4096, 278]];
  for (const [sectors, pages] of want) {
    const c = storeCapacity(store(sectors));
    assert.is(c.flashBytes, sectors * 4096);
    assert.is(c.totalPages, pages, `${sectors} sectors`);
    assert.is(c.percent, 0);
    // an empty store has room for all of them but what the settings and journal reserve
    assert.ok(c.freePages >= pages - 1 && c.freePages <= pages, `${sectors}: ${c.freePages} free`);
  }
});

test('the room shrinks by the pages written and returns when they are deleted', () => {
  const s = store(256);
  const before = storeCapacity(s).freePages;
  // pages of the typical size as coded (a little less than as stored, with the chunk records)
  const id = write(s, 5, TYPICAL_PAGE_BYTES - 3000);
  const mid = storeCapacity(s);
  assert.is(mid.freePages, before - 5);
  assert.ok(mid.percent > 20 && mid.percent < 40, String(mid.percent));
  assert.ok(s.deleteDocument(id));
  assert.is(storeCapacity(s).freePages, before, 'deleted pages are room again (compaction reclaims them)');
});

test('sizes as people write them', () => {
  assert.is(sizeText(1 << 20), '1 MB');
  assert.is(sizeText(4 << 20), '4 MB');
  assert.is(sizeText(64 << 10), '64 KB');
  assert.is(sizeText(1536 << 10), '1.5 MB');
});

test.run();
