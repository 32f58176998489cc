import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inflateSync } from 'node:zlib';
import { encodePng, encodePngBitmap, encodePngForViewing } from '../../../host/image/png.ts';
import { PNG } from 'pngjs';
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

test('for viewing, a standard-resolution page has its rows doubled and pHYs says so (#15: 1728x1143 looked squashed)', () => {
  const page = makePage(1728, 1143, 'text', 3, 98);
  const png = encodePngForViewing(page);
  const d = PNG.sync.read(Buffer.from(png));
  assert.is(d.width, 1728);
  assert.is(d.height, 2286);
  const phys = new DataView(chunks(png).pHYs.buffer, chunks(png).pHYs.byteOffset);
  assert.is(Math.round(phys.getUint32(0) * 0.0254), 204);
  assert.is(Math.round(phys.getUint32(4) * 0.0254), 196);
  // Rows 2y and 2y+1 are both row y of the page.
  const stride = 1728 / 8;
  for (const y of [0, 100, 571, 1142]) {
    for (const yy of [2 * y, 2 * y + 1]) {
      for (let x = 0; x < 1728; x += 7) {
        const black = (page.data[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1;
        assert.is(d.data[(yy * 1728 + x) * 4] === 0 ? 1 : 0, black, `row ${yy} x ${x}`);
      }
    }
  }
  // A fine page is left as it is.
  const fine = makePage(1728, 50, 'text', 3, 196);
  assert.equal(encodePngForViewing(fine), encodePngBitmap(fine));
});

test.run();
