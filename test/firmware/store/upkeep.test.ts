import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel } from '../../../firmware/kernel/index.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { Store, StoreUpkeep } from '../../../firmware/store/index.ts';
import { CutFlash } from './cut-flash.ts';

test('upkeep compacts while the line is quiet, one sector per event, and waits during a call', () => {
  const flash = new CutFlash(1024, 16);
  const store = new Store(flash, { chunkBytes: 200 });
  store.mount();
  // Receive and delete until free sectors are scarce: garbage everywhere.
  for (let i = 0; store.usage().freeSectors > 3 && i < 100; i++) {
    const w = store.beginDocument({ dir: 'rx', time: 0, remote: 'r', sub: '', box: '' })!;
    w.beginPage({ coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' });
    w.write(new Uint8Array(900).fill(i));
    w.endPage();
    w.close('ok');
    if (i % 3 !== 0) store.deleteDocument(w.id);
  }
  const before = store.usage().freeSectors;
  assert.ok(before <= 3, 'free ' + before);
  const clock = new VirtualClock(0);
  const kernel = new Kernel(clock);
  let busy = true;
  const up = new StoreUpkeep(40, store, () => busy);
  kernel.add(up);
  kernel.start();
  clock.runFor(20000);
  assert.is(up.compacted, 0, 'nothing during a call');
  busy = false;
  clock.runFor(6000);
  assert.ok(up.compacted > 0);
  assert.ok(store.usage().freeSectors > before, 'free sectors ' + store.usage().freeSectors);
  assert.ok(kernel.dispatches >= up.compacted, 'one sector per event');
  const t = new Store(flash, { chunkBytes: 200 });
  t.mount();
  assert.is(t.documents().length, store.documents().length);
});

test.run();
