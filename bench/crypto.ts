// FAXNIKS costs: per-peer key for each suite, center issue, seal/open throughput per AEAD, and
// the projected device cost.
//
// Device projection: DEVICE.md measured an ESP32-class board at about ×34 slower than the Espruino
// interpreter's Linux build on this machine. When ESPRUINO=/path/to/espruino is set, this bench
// bundles bench/entries/crypto-device.ts with the device build's own lowering (rollup.config.mjs),
// times the same operations on the interpreter, and multiplies by 34. Without it, no projection
// is printed (the interpreter/Node ratio is not a constant worth guessing).
import { spawnSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { sealMessage } from '../firmware/crypto/envelope.ts';
import { openMessage } from '../firmware/crypto/envelope-open.ts';
import type { SealParams } from '../firmware/crypto/envelope.ts';
import type { OpenPolicy } from '../firmware/crypto/envelope-open.ts';
import { MemoryPeerKeyCache } from '../firmware/crypto/keys.ts';
import type { KeyAgreement } from '../firmware/crypto/keys.ts';
import { PolyAgreement, polyRawKey } from '../firmware/crypto/poly.ts';
import { AEAD_AES256CTR_HMAC_SHA256, AEAD_CHACHA20_POLY1305 } from '../firmware/crypto/suites.ts';
import { nodeCryptoAccel } from '../host/crypto/node-accel.ts';
import { polyMaster, polyShare } from '../host/crypto/poly-center.ts';
import { SokAgreement, sokIssue, sokMasterScalar } from '../host/crypto/sok.ts';
import { scratchDeviceBundle } from './scratch-bundle.ts';

const BOARD_FACTOR = 34; // DEVICE.md: ESP32-class board vs the interpreter's Linux build here

function time(f: () => void, minMs = 300, maxReps = 1000): number {
  f(); // warm-up (JIT, table setup)
  let reps = 0;
  const t0 = performance.now();
  while (reps < maxReps && performance.now() - t0 < minMs) {
    f();
    reps++;
  }
  return (performance.now() - t0) / reps;
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(4)) + ' ms';

function deviceRun(): Record<string, number> | null {
  const interp = process.env.ESPRUINO;
  if (!interp || !existsSync(interp)) return null;
  const script = scratchDeviceBundle('bench/entries/crypto-device.ts');
  const withCall = script.replace(/\.js$/, '-run.js');
  writeFileSync(withCall, readFileSync(script, 'utf8') + '\nfaxvault.run();\n');
  const r = spawnSync(interp, [withCall], { encoding: 'utf8', input: '', timeout: 600000 });
  const m = /CRYPTO-BENCH (\{.*\})/.exec(r.stdout);
  if (!m) throw new Error('interpreter run printed no result: ' + r.stdout.slice(-500));
  return JSON.parse(m[1]);
}

export default async function bench(): Promise<void> {
  const seed = new Uint8Array(randomBytes(32));
  const peers = ['mail:alice@example.com', 'host:fax.example'];
  const lines: string[] = [];
  const node: Record<string, number> = {};

  // Per-peer key (the cost a cache saves) and the center's cost to issue one key file.
  for (const t of [3, 255, 1023]) {
    const m = polyMaster(seed, 1, t);
    const share = polyShare(m, peers[1]);
    node[`poly_t${t}`] = time(() => polyRawKey(share, peers[0]));
    const issue = time(() => polyShare(m, peers[0]), 300, 20);
    const master = time(() => polyMaster(seed, 1, t), 200, 5);
    lines.push(`POLY-GF128 t=${t}: per-peer key ${fmt(node[`poly_t${t}`])}, share ${16 * (t + 1)} B, issue ${fmt(issue)} (+ coefficients ${fmt(master)})`);
  }
  const s = sokMasterScalar(seed, 1);
  const sokA = new SokAgreement(peers[1], 1, sokIssue(s, peers[1]));
  node.sok = time(() => sokA.rawKey(peers[0]), 1000, 20);
  const sokIssueMs = time(() => sokIssue(s, peers[0]), 500, 20);
  lines.push(`SOK-BLS12381: per-peer key ${fmt(node.sok)} (hash to curve + pairing), issue ${fmt(sokIssueMs)}`);

  // Throughput, 1 MB in 4 KB segments, pair key cached so only the AEAD is measured.
  const m3 = polyMaster(seed, 1, 3);
  const me: KeyAgreement = new PolyAgreement(peers[1], 1, polyShare(m3, peers[1]));
  const them: KeyAgreement = new PolyAgreement(peers[0], 1, polyShare(m3, peers[0]));
  const data = new Uint8Array(randomBytes(1 << 20));
  const cache = new MemoryPeerKeyCache(4);
  for (const [name, aead] of [['ChaCha20-Poly1305 (own, pure JS)', AEAD_CHACHA20_POLY1305], ['AES-256-CTR+HMAC-SHA-256 (node:crypto engine)', AEAD_AES256CTR_HMAC_SHA256]] as const) {
    const sp: SealParams = {
      agreement: me, to: peers[0], aead, contentType: 3, timestamp: 0, challenge: null, segmentSize: 4096,
      entropy: { fill: (b) => b.set(randomBytes(b.length)) }, cache, accel: nodeCryptoAccel,
    };
    let env: Uint8Array = new Uint8Array(0);
    const seal = time(() => { env = sealMessage(sp, data); }, 500, 10);
    const op: OpenPolicy = {
      agreements: [them], cache, accel: nodeCryptoAccel, suitesFor: null, aeads: null, now: 0, maxAgeMs: 0, maxFutureMs: 0,
      expectChallenge: null, replay: null,
    };
    const open = time(() => openMessage(op, env), 500, 10);
    lines.push(`${name}: seal ${(1000 / seal).toFixed(1)} MB/s, open ${(1000 / open).toFixed(1)} MB/s`);
  }
  const ref = time(() => {
    const c = createCipheriv('chacha20-poly1305', Buffer.alloc(32), Buffer.alloc(12), { authTagLength: 16 });
    c.update(data);
    c.final();
  }, 300, 50);
  lines.push(`reference: node:crypto (OpenSSL) ChaCha20-Poly1305 ${(1000 / ref).toFixed(0)} MB/s`);

  const dev = deviceRun();
  if (!dev) {
    lines.push('device: not projected (set ESPRUINO=/path/to/espruino, the interpreter\'s Linux build, to measure it)');
  } else {
    const proj = (k: string) => dev[k] * BOARD_FACTOR;
    lines.push(`device (Espruino interpreter here, × ${BOARD_FACTOR} for an ESP32-class board per DEVICE.md):`);
    lines.push(`  POLY t=3 per-peer key: interpreter ${fmt(dev.poly_t3)} -> board ~${fmt(proj('poly_t3'))}`);
    lines.push(`  POLY t=255 per-peer key: interpreter ${fmt(dev.poly_t255)} -> board ~${(proj('poly_t255') / 1000).toFixed(1)} s (interpreter/Node ${(dev.poly_t255 / node.poly_t255).toFixed(0)}×)`);
    const stream = dev.seal_chacha_2k - dev.seal_empty; // 2 KB of segments without the per-message part
    lines.push(`  per-message cost (PRK, directional and message keys, header; K_raw given): interpreter ${fmt(dev.seal_empty)} -> board ~${(dev.seal_empty * BOARD_FACTOR / 1000).toFixed(1)} s`);
    lines.push(`  ChaCha20-Poly1305 segments: ${(2 / (stream / 1000)).toFixed(1)} KB/s -> board ~${(2 / (stream * BOARD_FACTOR / 1000)).toFixed(2)} KB/s`);
    lines.push(`  ChaCha20-Poly1305 seal of 2 KB, all included: ${(2 / (dev.seal_chacha_2k / 1000)).toFixed(1)} KB/s -> board ~${(2 / (proj('seal_chacha_2k') / 1000)).toFixed(2)} KB/s`);
    lines.push(`  ChaCha20-Poly1305 open: ${(2 / (dev.open_chacha_2k / 1000)).toFixed(1)} KB/s -> board ~${(2 / (proj('open_chacha_2k') / 1000)).toFixed(2)} KB/s`);
    lines.push(`  software SHA-256: ${(2 / (dev.sha256_2k / 1000)).toFixed(1)} KB/s -> board ~${(2 / (proj('sha256_2k') / 1000)).toFixed(2)} KB/s (AES+HMAC uses the native engine instead: C speed)`);
    lines.push(`  SOK-BLS12381: not on the device (BigInt pairing; host only)`);
  }
  for (const l of lines) console.log(l);
}
