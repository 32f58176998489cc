// hal/crypto.ts CryptoAccel backed by node:crypto: stands in for a board's AES/SHA engine on a
// host (client, center, simulator, tests).
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import type { CryptoAccel } from '../../hal/crypto.ts';

export const nodeCryptoAccel: CryptoAccel = {
  sha256(data: Uint8Array): Uint8Array {
    return new Uint8Array(createHash('sha256').update(data).digest());
  },
  aes256ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
    const c = createCipheriv('aes-256-ctr', key, iv);
    return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
  },
  // OpenSSL's ChaCha20-Poly1305 (RFC 8439 §2.8): the envelope's AEAD 0x01 at native speed.
  chachaPoly: {
    seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plain: Uint8Array): Uint8Array {
      const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
      c.setAAD(aad, { plaintextLength: plain.length });
      // One copy (Buffer.concat allocates without zero-filling): ciphertext ‖ tag.
      const ct = c.update(plain);
      const fin = c.final();
      return Buffer.concat([ct, fin, c.getAuthTag()], plain.length + 16);
    },
    open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null {
      if (sealed.length < 16) return null;
      const n = sealed.length - 16;
      const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
      d.setAAD(aad, { plaintextLength: n });
      d.setAuthTag(sealed.subarray(n));
      const pt = d.update(sealed.subarray(0, n));
      try {
        d.final();
      } catch {
        return null;
      }
      return new Uint8Array(pt.buffer, pt.byteOffset, pt.length);
    },
  },
};
