// hal/crypto.ts CryptoAccel backed by node:crypto: stands in for a board's AES/SHA engine on a
// host (client, center, simulator, tests).
import { createCipheriv, createHash } from 'node:crypto';
import type { CryptoAccel } from '../../hal/crypto.ts';

export const nodeCryptoAccel: CryptoAccel = {
  sha256(data: Uint8Array): Uint8Array {
    return new Uint8Array(createHash('sha256').update(data).digest());
  },
  aes256ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
    const c = createCipheriv('aes-256-ctr', key, iv);
    return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
  },
};
