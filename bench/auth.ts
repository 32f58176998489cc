// What the confidentiality of issue #12 costs, as ratios against a reference in the same run:
// writing and reading a confidential page sealed at rest (firmware/auth/at-rest.ts) against the
// same page unsealed, with ChaCha20 in JS (a board without an engine) and with the AES engine
// (node:crypto standing in for the ESP32's); a pass code check bound to the device secret against
// plain PBKDF2; a health-tested, counter-mixed salt against a raw one.
import { randomBytes } from 'node:crypto';
import { Store } from '../firmware/store/index.ts';
import { sealAtRest, atRestKeys, makeSecret, secretMatches, pbkdf2Sha256 } from '../firmware/auth/index.ts';
import { HealthTestedEntropy, FreshBytes } from '../firmware/crypto/entropy-health.ts';
import { nodeCryptoAccel } from '../host/crypto/node-accel.ts';
import { SimFlash } from '../sim/board/flash.ts';

const PAGE = 48 * 1024; // a dense fine page of MR data
const CHUNK = 256; // as the T.30 session hands data to the sink

function best(f: () => void, reps: number): number {
  let b = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

const entropy = { fill: (b: Uint8Array) => b.set(randomBytes(b.length)) };

function pageRoundTrip(mode: 'clear' | 'chacha' | 'aes', data: Uint8Array): { write: number; read: number } {
  let write = Infinity;
  let read = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    const store = new Store(new SimFlash({ sectorSize: 4096, sectorCount: 64 }));
    store.mount();
    if (mode !== 'clear') sealAtRest(store, atRestKeys(new Uint8Array(32).fill(1), mode === 'aes' ? nodeCryptoAccel : null, entropy));
    let t0 = performance.now();
    const w = store.beginDocument({ dir: 'rx', time: 0, remote: 'r', sub: '12', box: mode === 'clear' ? '' : '12' })!;
    w.beginPage({ coding: 'mr', width: 1728, linesPerMm: 7.7, bitOrder: 'lsb-first' });
    for (let i = 0; i < data.length; i += CHUNK) w.write(data.subarray(i, i + CHUNK));
    w.endPage();
    w.close('ok');
    write = Math.min(write, performance.now() - t0);
    t0 = performance.now();
    const r = store.readPage(w.id, 0)!;
    let n = 0;
    for (let b = r.next(); b; b = r.next()) n += b.length;
    if (r.error || n !== data.length) throw new Error('read back: ' + r.error);
    read = Math.min(read, performance.now() - t0);
  }
  return { write, read };
}

export default function run(): void {
  const data = new Uint8Array(randomBytes(PAGE));
  const clear = pageRoundTrip('clear', data);
  const chacha = pageRoundTrip('chacha', data);
  const aes = pageRoundTrip('aes', data);
  const ms = (x: number) => x.toFixed(1) + ' ms';
  console.log(`confidential page of ${PAGE / 1024} KB in ${CHUNK}-byte pieces (reference: the same page unsealed, write ${ms(clear.write)}, read ${ms(clear.read)})`);
  console.log(`  sealed, ChaCha20+Poly1305 in JS: write ×${(chacha.write / clear.write).toFixed(2)}, read ×${(chacha.read / clear.read).toFixed(2)}`);
  console.log(`  sealed, AES-256-CTR engine + Poly1305: write ×${(aes.write / clear.write).toFixed(2)}, read ×${(aes.read / clear.read).toFixed(2)}`);
  const keys = { pepper: new Uint8Array(32).fill(3), entropy };
  const rec = makeSecret('471100', keys);
  const plain = best(() => pbkdf2Sha256(new Uint8Array([52, 55, 49, 49, 48, 48]), new Uint8Array(16), rec.iter), 200);
  const bound = best(() => secretMatches('471100', rec, keys), 200);
  console.log(`pass code check bound to the device secret: ×${(bound / plain).toFixed(2)} of plain PBKDF2 (${rec.iter} rounds, ${plain.toFixed(3)} ms here)`);
  const counter: { [k: string]: string } = {};
  const fresh = new FreshBytes(new HealthTestedEntropy(entropy), { getSetting: (k) => counter[k] ?? null, setSetting: (k, v) => ((counter[k] = v), true) });
  const salt = new Uint8Array(16);
  const raw = best(() => entropy.fill(salt), 2000);
  const tested = best(() => fresh.fill(salt), 2000);
  console.log(`16-byte salt, health-tested and counter-mixed: ×${(tested / raw).toFixed(1)} of a raw draw (${(tested * 1000).toFixed(1)} µs)`);
}
