import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readTiff, writeTiff, writeCodedTiff, codePage, TiffError } from '../../../host/image/tiff.ts';
import { firstDifferentRow } from '../../../host/image/bitmap.ts';
import { makePage, prng } from '../../../scripts/t4/patterns.ts';

test('multi-page round trip in every coding and fill order keeps pixels and resolution', () => {
  const pages = [makePage(1728, 30, 'text', 1, 98), makePage(2048, 20, 'mixed', 2, 196), makePage(2432, 10, 'noise', 3, 391)];
  for (const coding of ['none', 'mh', 'mr', 'mmr'] as const) for (const fillOrder of [1, 2] as const) {
    const back = readTiff(writeTiff(pages, { coding, fillOrder, byteAligned: true }));
    assert.is(back.length, 3);
    back.forEach((b, i) => {
      assert.is(firstDifferentRow(pages[i], b), -1, `${coding} ${fillOrder} page ${i}`);
      assert.is(b.yDpi, pages[i].yDpi);
      assert.is(b.xDpi, 204);
      assert.is(b.info.coding, coding);
      assert.is(b.info.fillOrder, fillOrder);
      assert.is(b.info.badLines, 0);
    });
  }
});

test('profile F quality tags and pre-coded pages are written as given', () => {
  const p = codePage(makePage(1728, 20, 'text', 4, 196), { coding: 'mr' });
  const file = writeCodedTiff([{ ...p, badLines: 3, maxBadRun: 2 }], 'faxvault test');
  const text = Buffer.from(file).toString('latin1');
  assert.ok(text.includes('faxvault test'));
  const [b] = readTiff(file);
  assert.is(b.info.coding, 'mr');
  assert.is(b.height, 20);
});

test('damaged strips are decoded as far as possible and reported', () => {
  const page = makePage(1728, 60, 'text', 5);
  for (const coding of ['mh', 'mr', 'mmr'] as const) {
    const file = writeTiff([page], { coding });
    const strip = readTiff(file)[0].info.strips[0];
    const off = strip.byteOffset;
    const damaged = file.slice();
    for (let i = off + (strip.length >> 1); i < off + (strip.length >> 1) + 6; i++) damaged[i] ^= 0x5a;
    const [b] = readTiff(damaged);
    assert.ok(b.info.badLines > 0 || b.info.missingRows > 0, coding);
    assert.is(b.height, 60);
  }
});

test('not TIFF, unsupported and hostile files throw TiffError with a reason', () => {
  const bad = (bytes: number[] | Uint8Array, re: RegExp) =>
    assert.throws(() => readTiff(Uint8Array.from(bytes)), (e: unknown) => e instanceof TiffError && re.test((e as Error).message));
  bad([1, 2, 3], /too short/);
  bad([0x50, 0x34, 0, 0, 0, 0, 0, 0], /byte order/);
  bad([0x49, 0x49, 43, 0, 8, 0, 0, 0], /BigTIFF/);
  bad([0x49, 0x49, 42, 0, 200, 0, 0, 0], /past the end/);
  // A directory pointing to itself.
  const loop = writeTiff([makePage(16, 2, 'text', 1)], { coding: 'none' });
  const dv = new DataView(loop.buffer);
  const ifd = dv.getUint32(4, true);
  const n = dv.getUint16(ifd, true);
  dv.setUint32(ifd + 2 + 12 * n, ifd, true);
  bad(loop, /loops/);
  // LZW (5) is not a fax coding.
  const lzw = writeTiff([makePage(16, 2, 'text', 1)], { coding: 'none' });
  const d2 = new DataView(lzw.buffer);
  const i2 = d2.getUint32(4, true);
  for (let k = 0; k < d2.getUint16(i2, true); k++) if (d2.getUint16(i2 + 2 + 12 * k, true) === 259) d2.setUint16(i2 + 2 + 12 * k + 8, 5, true);
  bad(lzw, /compression 5/);
  // A page height written as a RATIONAL (type 5) would be fractional: only SHORT or LONG count
  // rows (TIFF 6.0 §2). The fuzzer found this one bit flip away from a valid file.
  const rational = writeTiff([makePage(16, 2, 'text', 1), makePage(16, 2, 'text', 2)], { coding: 'mmr' });
  const d3 = new DataView(rational.buffer);
  const i3 = d3.getUint32(i2OfSecond(d3), true);
  for (let k = 0; k < d3.getUint16(i3, true); k++) if (d3.getUint16(i3 + 2 + 12 * k, true) === 257) d3.setUint16(i3 + 2 + 12 * k + 2, 5, true);
  bad(rational, /^page 2: TIFF tag 257 has type 5, not an integer type/);
});

/** Where the second directory's offset is written (the first directory's next pointer). */
function i2OfSecond(d: DataView): number {
  const first = d.getUint32(4, true);
  return first + 2 + 12 * d.getUint16(first, true);
}

test('fuzz: random corruption of a TIFF never hangs and throws only TiffError', () => {
  const r = prng(3);
  const file = writeTiff([makePage(1728, 40, 'mixed', 6), makePage(1728, 40, 'text', 7)], { coding: 'mr' });
  for (let iter = 0; iter < 150; iter++) {
    const f = file.slice(0, 8 + Math.floor(r() * file.length));
    for (let k = 0; k < 1 + Math.floor(r() * 8); k++) f[Math.floor(r() * f.length)] = Math.floor(r() * 256);
    try {
      readTiff(f);
    } catch (e) {
      assert.instance(e, TiffError, String(e));
    }
  }
});



test('a decompression bomb is refused before anything is allocated: a huge white page, and many directories sharing one strip', () => {
  // One white MMR page of 16384 × 32768 (64 MB decoded) in a few KB of file.
  const white = (w: number, h: number) => ({ width: w, height: h, xDpi: 204, yDpi: 196, data: new Uint8Array(Math.ceil(w / 8) * h) });
  const big = writeTiff([white(16384, 32768)], { coding: 'mmr' });
  assert.ok(big.length < 100000);
  assert.throws(() => readTiff(big), (e: unknown) => e instanceof TiffError && /too large/.test((e as Error).message));
  // Eight 16 MB pages: each allowed alone, together past the file's limit.
  const many = writeTiff(Array.from({ length: 9 }, () => white(16384, 8192)), { coding: 'mmr' });
  assert.throws(() => readTiff(many), (e: unknown) => e instanceof TiffError && /together are too large/.test((e as Error).message));
  assert.is(readTiff(writeTiff([white(16384, 8192)], { coding: 'mmr' })).length, 1, 'one such page alone is read');
});

test.run();
