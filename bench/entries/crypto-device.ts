// Device-side crypto timings, bundled by bench/crypto.ts with the device build (lowered to ES5)
// and run on the Espruino interpreter's Linux build. Prints one line: `CRYPTO-BENCH {json}` with
// milliseconds per operation.
import { sealMessage } from '../../firmware/crypto/envelope.ts';
import { openMessage } from '../../firmware/crypto/envelope-open.ts';
import type { KeyAgreement } from '../../firmware/crypto/keys.ts';
import { polyRawKey } from '../../firmware/crypto/poly.ts';
import { sha256 } from '../../firmware/crypto/sha256.ts';
import { AEAD_CHACHA20_POLY1305 } from '../../firmware/crypto/suites.ts';

declare const print: ((s: string) => void) | undefined;

function out(s: string): void {
  if (typeof print === 'function') print(s);
  else console.log(s);
}

function share(t: number): Uint8Array {
  const s = new Uint8Array(16 * (t + 1));
  for (let i = 0; i < s.length; i++) s[i] = (i * 167 + 13) & 0xff;
  return s;
}

function ms(f: () => void, reps: number): number {
  const t0 = Date.now();
  for (let i = 0; i < reps; i++) f();
  return (Date.now() - t0) / reps;
}

export function run(): void {
  const s3 = share(3), s255 = share(255);
  const r: { [k: string]: number } = {};
  r.poly_t3 = ms(function () { polyRawKey(s3, 'mail:alice@example.com'); }, 10);
  r.poly_t255 = ms(function () { polyRawKey(s255, 'mail:alice@example.com'); }, 2);
  const data = new Uint8Array(2048);
  r.sha256_2k = ms(function () { sha256(data); }, 3);
  // The shares above are not from one polynomial, so the envelope part uses a fixed pair key:
  // it measures the AEAD and HKDF, not the key agreement (timed above).
  const fixed = new Uint8Array(16);
  const me: KeyAgreement = { suite: 1, epoch: 1, identity: 'host:fax.example', rawKey: function () { return fixed; } };
  let env: Uint8Array = new Uint8Array(0);
  const ent = { fill: function (b: Uint8Array) { for (let i = 0; i < b.length; i++) b[i] = i; } };
  const seal = function (d: Uint8Array): void {
    env = sealMessage({ agreement: me, to: 'mail:alice@example.com', aead: AEAD_CHACHA20_POLY1305, contentType: 3, timestamp: 0,
      challenge: null, segmentSize: 1024, entropy: ent, cache: null, accel: null }, d);
  };
  r.seal_empty = ms(function () { seal(new Uint8Array(0)); }, 2); // per-message cost: HKDF, header
  r.seal_chacha_2k = ms(function () { seal(data); }, 1);
  const peer: KeyAgreement = { suite: 1, epoch: 1, identity: 'mail:alice@example.com', rawKey: function () { return fixed; } };
  r.open_chacha_2k = ms(function () {
    openMessage({ agreements: [peer], cache: null, accel: null, suitesFor: null, aeads: null, now: 0, maxAgeMs: 0, maxFutureMs: 0,
      expectChallenge: null, replay: null }, env);
  }, 1);
  out('CRYPTO-BENCH ' + JSON.stringify(r));
}
