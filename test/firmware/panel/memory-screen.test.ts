// The memory screen (arrow keys at the idle screen, the Status menu's last page): the size, the
// use and the room in typical pages, in 20 columns for every flash from 64 KB to 64 MB.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLines } from '../../../firmware/panel/panel.ts';

test('the memory screen reads as a sentence and fits the LCD for every size', () => {
  assert.equal(memoryLines({ flashBytes: 1 << 20, percent: 3, totalPages: 17, freePages: 16 }), ['Memory 1 MB 3% used', 'Room ~16 of 17 pages']);
  for (let bytes = 64 << 10; bytes <= 64 << 20; bytes *= 2) {
    const total = Math.floor(bytes / 60000);
    for (const percent of [0, 9, 42, 100]) {
      const lines = memoryLines({ flashBytes: bytes, percent, totalPages: total, freePages: total - 1 });
      for (const l of lines) assert.ok(l.length <= 20, `${bytes} ${percent}%: '${l}'`);
      assert.match(lines[0], new RegExp(`^Mem(ory)? \\d+ [KM]B ${percent}%`));
      assert.match(lines[1], new RegExp(`~${total - 1}( of |/)${total}`));
    }
  }
});

test.run();
