// Store self-checks for the device: the CRC-32 known answer, and a round trip through a small
// flash in RAM (write a page, a setting, a journal line, mount again, read them back).
import type { SelfCheck } from '../selftest/selftest.ts';
import type { Flash } from '../../hal/flash.ts';
import { crc32 } from './crc32.ts';
import { Store } from './store.ts';
import { textBytes } from './layout.ts';

class RamFlash implements Flash {
  readonly sectorSize = 512;
  readonly sectorCount = 8;
  mem: Uint8Array;
  constructor() {
    this.mem = new Uint8Array(512 * 8);
    this.mem.fill(0xff);
  }
  read(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    out.set(this.mem.subarray(addr, addr + length));
    return out;
  }
  program(addr: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.mem[addr + i] &= data[i];
  }
  erase(sector: number): void {
    this.mem.fill(0xff, sector * 512, sector * 512 + 512);
  }
}

function crcKat(): string | null {
  // The CRC-32 check value of the ASCII digits 1..9 (the catalogue's "check" field).
  const v = crc32(textBytes('123456789'), 0, 9);
  return v === 0xcbf43926 ? null : 'got ' + v.toString(16);
}

function roundTrip(): string | null {
  const f = new RamFlash();
  const s = new Store(f, { chunkBytes: 128, reserveDoc: 2 });
  s.mount();
  const page = new Uint8Array(700);
  for (let i = 0; i < page.length; i++) page[i] = (i * 7 + 3) & 0xff;
  const w = s.beginDocument({ dir: 'rx', time: 0, remote: 'self', sub: '', box: '' });
  if (!w) return 'store full';
  w.beginPage({ coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' });
  w.write(page);
  if (!w.endPage() || !w.close('ok')) return 'commit failed';
  s.setSetting('k', 'v');
  s.addJournal('j');
  const t = new Store(f, { chunkBytes: 128, reserveDoc: 2 });
  t.mount();
  const docs = t.documents();
  if (docs.length !== 1 || docs[0].pages !== 1) return 'document not found after mount';
  const r = t.readPage(docs[0].id, 0);
  let n = 0;
  for (let b = r ? r.next() : null; b; b = r ? r.next() : null) {
    for (let i = 0; i < b.length; i++) if (b[i] !== page[n + i]) return 'byte ' + (n + i) + ' differs';
    n += b.length;
  }
  if (!r || r.error || n !== page.length) return r && r.error ? r.error : 'short page';
  if (t.getSetting('k') !== 'v' || t.journal().length !== 1) return 'setting or journal lost';
  return null;
}

export function storeChecks(): SelfCheck[] {
  return [
    { name: 'store: CRC-32 known answer', run: crcKat },
    { name: 'store: page, setting and journal survive a remount', run: roundTrip },
  ];
}
