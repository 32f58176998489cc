import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, crc32Final, crc32Init, crc32Update } from '../../../firmware/store/crc32.ts';
import { rng } from './cut-flash.ts';

test('CRC-32 agrees with zlib (an independent implementation) on random data, whole and in pieces', () => {
  const r = rng(7);
  for (const n of [0, 1, 9, 255, 4096]) {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
    const want = zlibCrc32(b) >>> 0;
    assert.is(crc32(b, 0, n), want, 'whole, ' + n + ' bytes');
    let c = crc32Init();
    for (let i = 0; i < n; i += 97) c = crc32Update(c, b, i, Math.min(n, i + 97));
    assert.is(crc32Final(c), want, 'in pieces, ' + n + ' bytes');
  }
  assert.is(crc32(new TextEncoder().encode('123456789'), 0, 9), 0xcbf43926, 'the check value');
});

test.run();
