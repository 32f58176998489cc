// Device-side store figures, bundled by bench/store.ts with the device build (lowered to ES5)
// and run on the Espruino interpreter's Linux build: a flash of 16 sectors × 4 KB (a flat 64 KB buffer costs ~4,000 variables itself) in RAM is
// filled with received documents; then the JS variables the store's index takes after a mount,
// the mount time, and the write/read rate of page data. Prints `STORE-BENCH {json}`.
import { Store } from '../../firmware/store/store.ts';
import type { Flash } from '../../hal/flash.ts';

declare const print: ((s: string) => void) | undefined;
declare const process: { memory?: () => { usage: number; total: number } } | undefined;

function out(s: string): void {
  if (typeof print === 'function') print(s);
  else console.log(s);
}

function vars(): number {
  return typeof process !== 'undefined' && process && process.memory ? process.memory().usage : 0;
}

/** Flash in RAM as one array per sector: the interpreter refuses typed-array views at byte
 *  offsets above 65535, and copies inside a sector stay native (as a board's flash read is). */
class RamFlash implements Flash {
  readonly sectorSize = 4096;
  readonly sectorCount = 16;
  secs: Uint8Array[] = [];
  constructor() {
    for (let i = 0; i < 16; i++) {
      const b = new Uint8Array(4096);
      b.fill(0xff);
      this.secs.push(b);
    }
  }
  read(addr: number, length: number): Uint8Array {
    const o = new Uint8Array(length);
    const s = Math.floor(addr / 4096);
    const off = addr - s * 4096;
    o.set(this.secs[s].subarray(off, off + length));
    return o;
  }
  /** The store only programs erased cells (and one flag byte to 0): a copy is what NOR does then. */
  program(addr: number, data: Uint8Array): void {
    const s = Math.floor(addr / 4096);
    this.secs[s].set(data, addr - s * 4096);
  }
  erase(sector: number): void {
    this.secs[sector].fill(0xff);
  }
}

export function run(): void {
  const flash = new RamFlash();
  // The interpreter's native CRC-32 when there is one (as the board's composition passes it).
  const E = (globalThis as unknown as { E?: { CRC32?: (d: Uint8Array) => number } }).E;
  const crc = E && E.CRC32 ? function (d: Uint8Array): number { return (E.CRC32 as (d: Uint8Array) => number)(d) >>> 0; } : undefined;
  const s = new Store(flash, { crc: crc });
  s.mount();
  const piece = new Uint8Array(256);
  for (let i = 0; i < piece.length; i++) piece[i] = (i * 37 + 11) & 0xff;
  let bytes = 0;
  let docs = 0;
  const t0 = Date.now();
  for (;;) {
    const w = s.beginDocument({ dir: 'rx', time: 0, remote: '+1 555 0100', sub: '', box: '' });
    if (!w) break;
    w.beginPage({ coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' });
    let ok = true;
    for (let n = 0; n < 10000 && ok; n += 256) ok = w.write(piece);
    if (ok && w.endPage()) {
      bytes += 10240;
      w.close('ok');
    } else {
      w.discard();
      break;
    }
    docs++;
  }
  const writeMs = Date.now() - t0;
  const before = vars();
  const t1 = Date.now();
  const m = new Store(flash, { crc: crc });
  m.mount();
  const mountMs = Date.now() - t1;
  const after = vars();
  const t2 = Date.now();
  let read = 0;
  const list = m.documents();
  for (let i = 0; i < list.length; i++) {
    const r = m.readPage(list[i].id, 0);
    for (let b = r ? r.next() : null; b; b = r ? r.next() : null) read += b.length;
  }
  const readMs = Date.now() - t2;
  const j = new Store(flash);
  const t3 = Date.now();
  j.mount();
  const mountJsMs = Date.now() - t3;
  out('STORE-BENCH ' + JSON.stringify({ nativeCrc: !!crc, mountJsMs: mountJsMs, docs: docs, bytes: bytes, chunks: Math.ceil(bytes / 512), indexVars: after - before, mountMs: mountMs, writeKBs: bytes / 1024 / (writeMs / 1000), readKBs: read / 1024 / (readMs / 1000) }));
}
