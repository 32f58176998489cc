// A stored document streamed as TIFF-F: libtiff (tiffinfo, tiffcp — an independent reader)
// must find every page with its fax fields and decode each to exactly the stored pixels, for
// MH, MR and MMR, standard and fine, read in pieces of any size.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../firmware/store/index.ts';
import { TiffSource, IFD_BYTES } from '../../../firmware/print/tiff-source.ts';
import { CutFlash } from '../store/cut-flash.ts';
import { codePage, readTiff } from '../../../host/image/tiff.ts';
import { testPage } from './helpers.ts';
import type { Bitmap } from '../../../host/image/bitmap.ts';

const dir = mkdtempSync(join(tmpdir(), 'fv-tiffsrc-'));

function bitmap(seed: number, height: number, yDpi: number): Bitmap {
  const rows = testPage(1728, height, seed);
  const data = new Uint8Array(216 * height);
  rows.forEach((r, y) => data.set(r, y * 216));
  return { width: 1728, height, xDpi: 204, yDpi, data };
}

function storeWith(pages: { b: Bitmap; coding: 'mh' | 'mr' | 'mmr' }[]) {
  const flash = new CutFlash(4096, 64);
  const store = new Store(flash, { chunkBytes: 512 });
  store.mount();
  const w = store.beginDocument({ dir: 'rx', time: 0, remote: 'x', sub: '', box: '' })!;
  for (const p of pages) {
    w.beginPage({ coding: p.coding, width: 1728, linesPerMm: p.b.yDpi === 98 ? 3.85 : 7.7, bitOrder: 'lsb-first' });
    assert.ok(w.write(codePage(p.b, { coding: p.coding, fillOrder: 2, endMarker: true }).data));
    assert.ok(w.endPage());
  }
  w.close('ok');
  return { store, flash, info: store.document(w.id)! };
}

function drain(src: TiffSource, piece: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let b = src.read(piece); b; b = src.read(piece)) {
    assert.ok(b.length >= 1 && b.length <= piece, 'a read gives 1..max bytes');
    parts.push(b.slice());
  }
  return Buffer.concat(parts);
}

test('MH, MR, MMR pages at both resolutions: libtiff decodes every page to the stored pixels', () => {
  const pages = [
    { b: bitmap(1, 300, 196), coding: 'mh' as const },
    { b: bitmap(2, 150, 98), coding: 'mr' as const },
    { b: bitmap(3, 250, 196), coding: 'mmr' as const },
  ];
  const { store, info } = storeWith(pages);
  for (const piece of [1, 57, 4096]) {
    const src = new TiffSource(store, info);
    const tif = drain(src, piece);
    assert.is(tif.length, src.size, 'the size said up front');
    assert.is(tif.length, 8 + info.bytes + 3 * IFD_BYTES);
    const f = join(dir, `doc-${piece}.tif`);
    writeFileSync(f, tif);
    const infoText = execFileSync('tiffinfo', [f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.is((infoText.match(/TIFF Directory/g) || []).length, 3);
    assert.match(infoText, /Compression Scheme: CCITT Group 3/);
    assert.match(infoText, /Compression Scheme: CCITT Group 4/);
    assert.match(infoText, /Resolution: 204, 98 pixels\/inch/);
    assert.match(infoText, /Page Number: 2-3/);
    // libtiff decodes: uncompressed copy, read back.
    const plain = join(dir, `plain-${piece}.tif`);
    execFileSync('tiffcp', ['-c', 'none', f, plain]);
    const back = readTiff(readFileSync(plain));
    assert.is(back.length, 3);
    back.forEach((p, i) => {
      assert.is(p.height, pages[i].b.height, `page ${i + 1} rows`);
      assert.ok(Buffer.compare(Buffer.from(p.data), Buffer.from(pages[i].b.data)) === 0, `page ${i + 1} pixels`);
    });
  }
});

test('a damaged page stops the file with an error (the sender abandons the message)', () => {
  const { store, flash, info } = storeWith([{ b: bitmap(4, 100, 196), coding: 'mh' }]);
  // Flip bits in the page's first chunk: find it by its data.
  const code = codePage(bitmap(4, 100, 196), { coding: 'mh', fillOrder: 2, endMarker: true }).data;
  const at = Buffer.from(flash.mem).indexOf(Buffer.from(code.subarray(0, 32)));
  assert.ok(at > 0);
  flash.mem[at + 40] ^= 0x55;
  const src = new TiffSource(store, info);
  assert.throws(() => drain(src, 4096), /page 1/);
  assert.match(src.error, /damaged|check/);
});

test.run();
