// The ESP32's native SHA-256 and AES, where the firmware build has them (require("crypto")
// and require("AES")); null where it does not, and the firmware falls back to JavaScript.
import type { CryptoAccel } from '../crypto.ts';

export function espruinoCrypto(): CryptoAccel | null {
  let hash: any = null;
  let aes: any = null;
  try {
    hash = require('crypto');
    aes = require('AES');
  } catch (e) {
    return null;
  }
  if (!hash || !hash.SHA256 || !aes || !aes.encrypt) return null;
  return {
    sha256: function (data: Uint8Array): Uint8Array {
      return new Uint8Array(hash.SHA256(data));
    },
    aes256ctr: function (key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
      return new Uint8Array(aes.encrypt(data, key, { iv: iv, mode: 'CTR' }));
    },
  };
}
