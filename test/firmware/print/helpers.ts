// Shared by the print tests: a test page (shapes and stripes, generated), coded into the store.
import { T4Encoder } from '../../../firmware/fax/t4/index.ts';
import type { Store } from '../../../firmware/store/index.ts';

export function testPage(width: number, height: number, seed: number): Uint8Array[] {
  const rows: Uint8Array[] = [];
  const bpr = width >> 3;
  for (let y = 0; y < height; y++) {
    const r = new Uint8Array(bpr);
    for (let x = 0; x < width; x++) {
      const cx = x - width / 2;
      const cy = y - height / 2;
      const ring = Math.floor(Math.sqrt(cx * cx + cy * cy) / (8 + seed)) % 2 === 0;
      const stripe = (x >> 5) % 3 === seed % 3 && y % 40 < 10;
      if (ring !== stripe) r[x >> 3] |= 0x80 >> (x & 7);
    }
    rows.push(r);
  }
  return rows;
}

/** Store pages as a received document, coded with the T.4 encoder as a remote would send them. */
export function storeDocument(store: Store, pages: Uint8Array[][], box = '', coding: 'mh' | 'mr' | 'mmr' = 'mh'): number {
  const w = store.beginDocument({ dir: 'rx', time: Date.UTC(2026, 10, 25, 9, 30), remote: '+1 555 0100', sub: box, box })!;
  for (const rows of pages) {
    w.beginPage({ coding, width: rows[0].length * 8, linesPerMm: 3.85, bitOrder: 'lsb-first' });
    const e = new T4Encoder({ coding, width: rows[0].length * 8, k: 4, bitOrder: 'lsb-first', onData: (b) => w.write(b) });
    for (const r of rows) e.encodeRow(r);
    e.finish();
    if (!w.endPage()) throw new Error('store full');
  }
  w.close('ok');
  return w.id;
}
