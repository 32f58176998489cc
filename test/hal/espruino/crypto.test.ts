// hal/espruino espruinoCrypto on a fake of the interpreter's crypto library (SHA256 and the AES
// class, whose own 'CTR' mode ignores the iv as the interpreter's does): null without it or
// without AES; with it, SHA-256 and AES-256-CTR with the HAL's counter block agree with Node's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, createCipheriv } from 'node:crypto';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import type { CryptoAccel } from '../../../hal/crypto.ts';

const { espruinoCrypto } = await espruinoModule('crypto');

test('null when the firmware build has no crypto library, or one without AES', () => {
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

test('SHA-256 as Node computes it', () => {
  const fk = new FakeEspruino({ nativeCrypto: true });
  fk.install();
  try {
    const c = espruinoCrypto() as CryptoAccel;
    assert.ok(c);
    const msg = new Uint8Array(100).map((_, i) => i * 3);
    const h = c.sha256(msg);
    assert.instance(h, Uint8Array);
    assert.equal(Buffer.from(h).toString('hex'), createHash('sha256').update(msg).digest('hex'));
  } finally {
    fk.uninstall();
  }
});

test('AES-256-CTR from the given counter block, carried over all 16 bytes; any length; empty', () => {
  const fk = new FakeEspruino({ nativeCrypto: true });
  fk.install();
  try {
    const c = espruinoCrypto() as CryptoAccel;
    const key = new Uint8Array(32).map((_, i) => i);
    const ivs = [new Uint8Array(16).fill(0xff), new Uint8Array(16).map((_, i) => (i < 12 ? 0xa0 + i : 0)), new Uint8Array(16)];
    ivs[1][15] = 0xfe; // the 32-bit block counter carries into the nonce part after two blocks
    for (const iv of ivs) {
      for (const len of [1, 15, 16, 17, 40, 1000]) {
        const data = new Uint8Array(len).map((_, i) => (255 - i) & 0xff);
        const ct = c.aes256ctr(key, iv, data);
        const ref = createCipheriv('aes-256-ctr', key, iv).update(data);
        assert.equal(Buffer.from(ct).toString('hex'), ref.toString('hex'), `iv ${Buffer.from(iv).toString('hex')} length ${len}`);
        assert.equal([...c.aes256ctr(key, iv, ct)], [...data], 'decrypts');
      }
    }
    assert.is(c.aes256ctr(key, ivs[0], new Uint8Array(0)).length, 0);
    // the iv is not changed by the call
    assert.equal([...ivs[0]], new Array(16).fill(0xff));
  } finally {
    fk.uninstall();
  }
});

test.run();
