import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inflateSync } from 'node:zlib';
import { encodePng, encodePngBitmap } from '../../../host/image/png.ts';
import { makePage } from '../../../scripts/t4/patterns.ts';

function chunks(png: Uint8Array): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const dv = new DataView(png.buffer, png.byteOffset);
  let p = 8;
  while (p < png.length) {
    const len = dv.getUint32(p);
    const type = Buffer.from(png.subarray(p + 4, p + 8)).toString('latin1');
    out[type] = png.subarray(p + 8, p + 8 + len);
    p += 12 + len;
  }
  return out;
}

test('1-bit greyscale PNG: pixels inverted (PNG 0 = black), resolution in pHYs', () => {
  const page = makePage(13, 5, 'noise', 1, 98);
  const png = encodePngBitmap(page);
  assert.equal(Array.from(png.subarray(0, 8)), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const c = chunks(png);
  const ihdr = new DataView(c.IHDR.buffer, c.IHDR.byteOffset);
  assert.is(ihdr.getUint32(0), 13);
  assert.is(ihdr.getUint32(4), 5);
  assert.is(c.IHDR[8], 1);
  const phys = new DataView(c.pHYs.buffer, c.pHYs.byteOffset);
  assert.is(phys.getUint32(0), Math.round(204 / 0.0254));
  assert.is(phys.getUint32(4), Math.round(98 / 0.0254));
  const raw = inflateSync(c.IDAT);
  for (let y = 0; y < 5; y++) {
    assert.is(raw[y * 3], 0);
    for (let i = 0; i < 2; i++) assert.is(raw[y * 3 + 1 + i], ~page.data[y * 2 + i] & 0xff);
  }
});

test('encodePng keeps its row-list API', () => {
  const png = encodePng(8, 2, [new Uint8Array([0xff]), new Uint8Array([0])]);
  const raw = inflateSync(chunks(png).IDAT);
  assert.equal(Array.from(raw), [0, 0, 0, 0xff]);
  assert.is(chunks(png).pHYs, undefined);
});

test.run();
