// The flash store: space overhead (flash bytes per coded page byte) and the longest mount, of a
// full store on the simulator's flash geometry (256 sectors of 4 KB), against a reference taken
// in the same run: reading the whole flash image and CRC-ing it once (what any check at boot
// must at least cost).
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SimFlash } from '../sim/board/flash.ts';
import { Store } from '../firmware/store/index.ts';
import { crc32 } from '../firmware/store/crc32.ts';
import { scratchDeviceBundle } from './scratch-bundle.ts';

function rand(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

function fill(store: Store, r: () => number): { docs: number; payload: number } {
  let docs = 0;
  let payload = 0;
  for (;;) {
    const w = store.beginDocument({ dir: 'rx', time: docs, remote: '+1 555 0100', sub: '', box: '' });
    if (!w) break;
    let full = false;
    for (let p = 0; p < 3 && !full; p++) {
      const n = 15000 + Math.floor(r() * 30000); // a typical MH page is 15-45 KB
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = (r() * 256) | 0;
      w.beginPage({ coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' });
      for (let i = 0; i < n; i += 256) if (!w.write(b.subarray(i, i + 256))) full = true;
      if (full || !w.endPage()) {
        w.abortPage();
        full = true;
      } else payload += n;
    }
    w.close(full ? 'memory full' : 'ok');
    docs++;
    if (full) break;
  }
  return { docs, payload };
}

function best(f: () => void, reps: number): number {
  let b = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

/** Run bench/entries/store-device.ts on the interpreter named by ESPRUINO (its Linux build). */
function onInterpreter(): { [k: string]: number } | null {
  const interp = process.env.ESPRUINO;
  if (!interp || !existsSync(interp)) return null;
  const script = scratchDeviceBundle('bench/entries/store-device.ts');
  const withCall = script.replace(/\.js$/, '-run.js');
  writeFileSync(withCall, readFileSync(script, 'utf8') + '\nfaxvault.run();\n');
  const r = spawnSync(interp, [withCall], { encoding: 'utf8', input: '', timeout: 600000 });
  const m = /STORE-BENCH (\{.*\})/.exec(r.stdout);
  if (!m) throw new Error('interpreter printed no result: ' + r.stdout.slice(-800));
  return JSON.parse(m[1]);
}

export default async function (): Promise<void> {
  const flash = new SimFlash({ sectorSize: 4096, sectorCount: 256 });
  const store = new Store(flash);
  store.mount();
  const r = rand(1);
  const f1 = fill(store, r);
  for (let i = 0; i < 40; i++) store.addJournal('2026-11-25 10:00 RX +1 555 0100 3 pages ok');
  store.setSetting('settings', JSON.stringify({ station: { name: 'bench' } }));
  const u = store.usage();
  const flashBytes = 256 * 4096;
  console.log(`full store: ${f1.docs} documents, ${(f1.payload / 1024).toFixed(0)} KB of coded pages in ${flashBytes / 1024} KB of flash (${u.percent}% used)`);
  console.log(`space overhead: ${(((u.live - f1.payload) / f1.payload) * 100).toFixed(2)}% of page bytes in record headers and metadata; pages fill ${((f1.payload / flashBytes) * 100).toFixed(1)}% of the raw flash (2 sectors kept free for compaction)`);
  const ref = best(() => {
    const img = flash.read(0, flashBytes);
    crc32(img, 0, img.length);
  }, 5);
  const tail = best(() => new Store(flash).mount(), 5);
  const all = best(() => new Store(flash, { verifyAll: true }).mount(), 5);
  console.log(`reference: read + CRC of the whole flash ${ref.toFixed(1)} ms`);
  console.log(`mount, full store, checking the newest record (what a power cut can tear): ${tail.toFixed(1)} ms (${(tail / ref).toFixed(2)}x reference)`);
  console.log(`mount, full store, checking every record's CRC: ${all.toFixed(1)} ms (${(all / ref).toFixed(2)}x reference)`);
  // Churn: delete and receive until compaction has run many times; then mount again.
  let churned = 0;
  for (let round = 0; round < 30; round++) {
    const docs = store.documents();
    store.deleteDocument(docs[Math.floor(r() * docs.length)].id);
    churned += fill(store, r).docs;
  }
  const tail2 = best(() => new Store(flash).mount(), 3);
  const e = flash.erases;
  console.log(`after ${churned} more receptions into a full store: ${store.compactions} compactions, erase counts ${Math.min(...e)}..${Math.max(...e)}; mount ${tail2.toFixed(1)} ms (${(tail2 / ref).toFixed(2)}x reference)`);
  const dev = onInterpreter();
  if (!dev) {
    console.log('device: not measured (set ESPRUINO=/path/to/espruino, the interpreter\'s Linux build)');
    return;
  }
  console.log(`device (Espruino Linux build, 16 x 4 KB flash in RAM, full: ${dev.docs} documents, ${(dev.bytes / 1024).toFixed(0)} KB, ~${dev.chunks} chunks): index after mount ${dev.indexVars} variables; mount ${dev.mountMs.toFixed(0)} ms with ${dev.nativeCrc ? 'the native E.CRC32' : 'the JS CRC'}, ${dev.mountJsMs.toFixed(0)} ms with the JS CRC (x34 on an ESP32-class board: ${((dev.mountMs * 34) / 1000).toFixed(1)} s); page data write ${dev.writeKBs.toFixed(0)} KB/s, read ${dev.readKBs.toFixed(0)} KB/s (x34 slower on the board)`);
}
