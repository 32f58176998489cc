import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readRawFax, writeRawFax } from '../../../host/image/raw.ts';
import { firstDifferentRow } from '../../../host/image/bitmap.ts';
import { makePage } from '../../../scripts/t4/patterns.ts';

test('multi-page raw fax streams: pages split at RTC/EOFB, every coding and bit order', () => {
  const pages = [makePage(1728, 40, 'text', 1, 196), makePage(1728, 25, 'mixed', 2, 196), makePage(1728, 7, 'white', 3, 196)];
  for (const coding of ['mh', 'mr', 'mmr'] as const) for (const bitOrder of ['lsb-first', 'msb-first'] as const) {
    const raw = writeRawFax(pages, { coding, bitOrder, minLineBits: coding === 'mmr' ? 0 : 288 });
    const back = readRawFax(raw, { coding, bitOrder });
    assert.is(back.length, 3, `${coding} ${bitOrder}`);
    back.forEach((b, i) => {
      assert.is(firstDifferentRow(pages[i], b), -1, `${coding} ${bitOrder} page ${i}`);
      assert.ok(b.endMarker);
      assert.is(b.badLines, 0);
    });
  }
});

test('garbage is no page; a page without RTC is still one', () => {
  assert.is(readRawFax(new Uint8Array(5000).fill(0x55), { coding: 'mh' }).length, 0);
  const raw = writeRawFax([makePage(1728, 10, 'text', 4)], { coding: 'mh' });
  const cut = raw.subarray(0, raw.length - 9); // RTC is 72 bits
  const [p] = readRawFax(cut, { coding: 'mh' });
  assert.is(p.height, 10);
  assert.not.ok(p.endMarker);
});

test.run();
