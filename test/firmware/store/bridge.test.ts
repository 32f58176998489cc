// A power cut that tears the newest sector's last record no longer closes the sector: the next
// mount writes a bridge over the torn bytes (layout.ts) and appends go on after it. (A closed
// sector that was the last free one left the store with nothing to compact into: every delete
// and every setting refused from then on — found by the power-cut campaign.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Store } from '../../../firmware/store/index.ts';
import { Cut, CutFlash, rng } from './cut-flash.ts';
import type { CutMode } from './cut-flash.ts';

for (const mode of ['prefix', 'bits'] as CutMode[]) {
  test(`a torn last record (${mode}): the sector takes appends again after a bridge, which later mounts follow`, () => {
    for (let seed = 1; seed <= 20; seed++) {
      const f = new CutFlash(512, 8, mode);
      const s = new Store(f, { chunkBytes: 128 });
      s.mount();
      for (let i = 0; i < 5; i++) assert.ok(s.setSetting('k' + i, 'value ' + i + ' '.repeat(20)));
      const free = s.usage().freeSectors;
      const before = f.snapshot();
      f.cutPowerAtWrite(0, rng(seed));
      assert.throws(() => s.setSetting('torn', 'x'.repeat(40)), (e: unknown) => e instanceof Cut);
      f.powerOn();
      const t = new Store(f, { chunkBytes: 128 });
      const m = t.mount();
      const wrote = f.mem.some((x, i) => x !== before[i]);
      assert.is(m.tornSectors, wrote ? 1 : 0, 'seed ' + seed + ': the torn sector is reported');
      assert.ok(t.setSetting('after', 'the cut'));
      assert.is(t.usage().freeSectors, free, 'seed ' + seed + ': no sector was given up for the tear');
      for (let k = 0; k < 2; k++) {
        const u = new Store(f, { chunkBytes: 128 });
        const r = u.mount();
        assert.is(r.tornSectors, 0, 'seed ' + seed + ': the bridge spans the tear');
        assert.is(u.getSetting('after'), 'the cut');
        for (let i = 0; i < 5; i++) assert.is(u.getSetting('k' + i), 'value ' + i + ' '.repeat(20));
        const v = u.getSetting('torn');
        assert.ok(v === null || v === 'x'.repeat(40), 'seed ' + seed + ': torn value ' + v);
      }
    }
  });
}

test('a cut while the bridge itself is written: the next mount bridges again', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const f = new CutFlash(512, 8, seed % 2 ? 'bits' : 'prefix');
    const s = new Store(f, { chunkBytes: 128 });
    s.mount();
    assert.ok(s.setSetting('a', '1'));
    f.cutPowerAtWrite(0, rng(seed));
    assert.throws(() => s.setSetting('b', '2'.repeat(50)), (e: unknown) => e instanceof Cut);
    f.powerOn();
    // The mount writes: it clears the torn record's type byte, then the bridge. Cut at each.
    for (let w = 0; w < 2; w++) {
      f.cutPowerAtWrite(w, rng(seed * 31 + w));
      try {
        new Store(f, { chunkBytes: 128 }).mount();
      } catch (e) {
        if (!(e instanceof Cut)) throw e;
      }
      f.powerOn();
    }
    const t = new Store(f, { chunkBytes: 128 });
    t.mount();
    assert.is(t.getSetting('a'), '1');
    assert.ok(t.setSetting('c', '3'));
    const u = new Store(f, { chunkBytes: 128 });
    assert.is(u.mount().tornSectors, 0, 'seed ' + seed);
    assert.is(u.getSetting('c'), '3');
    assert.is(u.getSetting('a'), '1');
  }
});

test.run();
