// TIFF files into the host's reader (faxvault convert, send, the LAN client's output): random
// bytes, and valid fax TIFFs (G3 1-D/2-D, G4, both fill orders, several pages) with bytes
// changed, cut or grown. The reader returns pages or throws its TiffError — nothing else — and
// an unchanged file reads back exactly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TiffError, readTiff, writeTiff } from '../../host/image/tiff.ts';
import type { Bitmap } from '../../host/image/bitmap.ts';
import { bytes, check, fc, mutated } from './budget.ts';

function page(width: number, height: number, seed: number): Bitmap {
  const stride = (width + 7) >> 3;
  const data = new Uint8Array(stride * height);
  let s = seed >>> 0 || 7;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = (s >>> 24) & (s >>> 16) & 0xff; // mostly white, some black
  }
  const rem = width & 7;
  if (rem) for (let y = 0; y < height; y++) data[y * stride + stride - 1] &= (0xff00 >> rem) & 0xff;
  return { width, height, xDpi: 204, yDpi: 196, data };
}

/** Reads, and returns 'ok', or the TiffError's message; anything else thrown fails the property. */
function read(b: Uint8Array): string {
  try {
    const pages = readTiff(b);
    for (const p of pages) {
      assert.ok(p.width >= 1 && p.width <= 16384 && p.height >= 1, 'page size ' + p.width + 'x' + p.height);
      assert.is(p.data.length, ((p.width + 7) >> 3) * p.height);
    }
    return 'ok';
  } catch (e) {
    if (e instanceof TiffError) return e.message;
    throw e;
  }
}

test('random bytes: pages or a TiffError', () => {
  check(
    'tiff random bytes',
    fc.property(fc.oneof(bytes(400), bytes(400).map((b) => Uint8Array.from([0x49, 0x49, 42, 0, 8, 0, 0, 0, ...b]))), (b) => {
      read(b);
    }),
  );
});

test('valid fax TIFFs changed, cut or grown: pages or a TiffError; unchanged ones read back exactly', () => {
  check(
    'tiff mutated files',
    fc.property(
      fc.constantFrom('mh', 'mr', 'mmr', 'none'),
      fc.constantFrom(1, 2),
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer(),
      fc.array(fc.nat(), { maxLength: 12 }),
      (coding, fillOrder, width, height, n, seed, edits) => {
        const pages: Bitmap[] = [];
        for (let i = 0; i < n; i++) pages.push(page(width, height, seed + i));
        const file = writeTiff(pages, { coding: coding as 'mh' | 'mr' | 'mmr' | 'none', fillOrder: fillOrder as 1 | 2 });
        const b = mutated(file, edits);
        const r = read(b);
        if (edits.length < 3) {
          assert.is(r, 'ok');
          const back = readTiff(b);
          assert.is(back.length, n);
          for (let i = 0; i < n; i++) assert.equal(back[i].data, pages[i].data, 'page ' + (i + 1));
        }
      },
    ),
    0.5,
  );
});

test.run();
