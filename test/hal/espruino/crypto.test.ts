// hal/espruino espruinoCrypto: null without the native modules (and with only one of them); with
// them, SHA-256 and AES-256-CTR agree with Node's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, createCipheriv } from 'node:crypto';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import type { CryptoAccel } from '../../../hal/crypto.ts';

const { espruinoCrypto } = await espruinoModule('crypto');

test('null when the firmware build has no crypto or no AES module', () => {
  const fk = new FakeEspruino();
  fk.install();
  try {
    assert.is(espruinoCrypto(), null);
    fk.modules.crypto = { SHA256: () => new ArrayBuffer(32) };
    assert.is(espruinoCrypto(), null, 'crypto without AES');
  } finally {
    fk.uninstall();
  }
});

test('with the native modules: SHA-256 and AES-256-CTR as Node computes them', () => {
  const fk = new FakeEspruino({ nativeCrypto: true });
  fk.install();
  try {
    const c = espruinoCrypto() as CryptoAccel;
    assert.ok(c);
    const msg = new Uint8Array(100).map((_, i) => i * 3);
    const h = c.sha256(msg);
    assert.instance(h, Uint8Array);
    assert.equal(Buffer.from(h).toString('hex'), createHash('sha256').update(msg).digest('hex'));
    const key = new Uint8Array(32).map((_, i) => i);
    const iv = new Uint8Array(16).fill(0xff); // the counter wraps across all 16 bytes
    const data = new Uint8Array(40).map((_, i) => 255 - i);
    const ct = c.aes256ctr(key, iv, data);
    const ref = createCipheriv('aes-256-ctr', key, iv).update(data);
    assert.equal(Buffer.from(ct).toString('hex'), ref.toString('hex'));
  } finally {
    fk.uninstall();
  }
});

test.run();
