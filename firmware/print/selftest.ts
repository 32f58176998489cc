// Print self-checks for the device: a page coded into a small store in RAM comes back through
// StoredPageRows row for row, with the ring never holding more than its size (MH and MMR; the
// MMR page is mostly white, the case where the decoder would release every row at once).
import type { SelfCheck } from '../selftest/selftest.ts';
import type { Flash } from '../../hal/flash.ts';
import { Store } from '../store/index.ts';
import { T4Encoder } from '../fax/t4/index.ts';
import type { T4Coding } from '../fax/t4/index.ts';
import { StoredPageRows } from '../fax/page-rows.ts';

const W = 256;
const H = 200;

class RamFlash implements Flash {
  readonly sectorSize = 1024;
  readonly sectorCount = 8;
  mem: Uint8Array;
  constructor() {
    this.mem = new Uint8Array(1024 * 8);
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
    this.mem.fill(0xff, sector * 1024, sector * 1024 + 1024);
  }
}

/** Row y of the test page: white, except a diagonal bar and a few ruled lines in the first rows. */
function paint(y: number, row: Uint8Array): void {
  row.fill(0);
  if (y < 40) {
    const x = (y * 5) % (W - 16);
    for (let i = 0; i < 12; i++) row[(x + i) >> 3] |= 0x80 >> ((x + i) & 7);
    if (y % 9 === 0) row.fill(0xff, 4, 20);
  }
}

function roundTrip(coding: T4Coding): string | null {
  const s = new Store(new RamFlash(), { chunkBytes: 128, reserveDoc: 2 });
  s.mount();
  const w = s.beginDocument({ dir: 'rx', time: 0, remote: 'self', sub: '', box: '' });
  if (!w) return 'store full';
  w.beginPage({ coding: coding, width: W, linesPerMm: 3.85, bitOrder: 'lsb-first' });
  const e = new T4Encoder({
    coding: coding,
    width: W,
    bitOrder: 'lsb-first',
    onData: function (b: Uint8Array) {
      w.write(b);
    },
  });
  const row = new Uint8Array(W >> 3);
  for (let y = 0; y < H; y++) {
    paint(y, row);
    e.encodeRow(row);
  }
  e.finish();
  if (!w.endPage() || !w.close('ok')) return 'store refused the page';
  const r = new StoredPageRows(s, w.id, 0);
  let y = 0;
  for (let got = r.next(); got; got = r.next()) {
    paint(y, row);
    for (let i = 0; i < row.length; i++) if (got[i] !== row[i]) return 'row ' + y + ' differs';
    y++;
  }
  if (r.error) return r.error;
  if (y !== H) return y + ' rows, expected ' + H;
  if (r.overflow || r.maxBuffered > 16) return 'ring held ' + r.maxBuffered + ' rows';
  return null;
}

export function printChecks(): SelfCheck[] {
  return [
    {
      name: 'print: stored MH page back row for row, bounded',
      run: function () {
        return roundTrip('mh');
      },
    },
    {
      name: 'print: stored MMR page back row for row, bounded',
      run: function () {
        return roundTrip('mmr');
      },
    },
  ];
}
