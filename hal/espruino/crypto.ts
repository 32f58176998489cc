// The ESP32's native SHA-256 and AES, where the firmware build has them: require("crypto") with
// crypto.SHA256 and the crypto.AES class (there is no module named "AES"); null where it does
// not, and the firmware falls back to JavaScript.
//
// AES-CTR is done here from AES-ECB (but from a zero counter block, below): the interpreter's own
// mode 'CTR' ignores the `iv` option and always counts from a zero block (libs/crypto/jswrap_crypto.c; the 2v29 Linux build gives
// the same output for any iv), which would reuse one keystream for every segment. ECB over the
// counter blocks (iv, iv+1, … big-endian over all 16 bytes, SP 800-38A §6.5), XORed with the
// data, is AES-CTR with the counter block the HAL asks for.
import type { CryptoAccel } from '../crypto.ts';

export function espruinoCrypto(): CryptoAccel | null {
  let lib: any = null;
  try {
    lib = require('crypto');
  } catch (e) {
    return null;
  }
  if (!lib || !lib.SHA256 || !lib.AES || !lib.AES.encrypt) return null;
  const aes = lib.AES;
  return {
    sha256: function (data: Uint8Array): Uint8Array {
      return new Uint8Array(lib.SHA256(data));
    },
    aes256ctr: function (key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
      const n = data.length;
      if (n === 0) return new Uint8Array(0);
      // From a zero counter block the interpreter's own 'CTR' is exactly right, and XORs natively
      // (at-rest pages give each 1 KB block a key of its own for this: firmware/auth/at-rest.ts).
      let zero = true;
      for (let i = 0; i < 16; i++) {
        if (iv[i] !== 0) {
          zero = false;
          break;
        }
      }
      if (zero) return new Uint8Array(aes.encrypt(data, key, { mode: 'CTR' }));
      const blocks = (n + 15) >> 4;
      const counters = new Uint8Array(blocks * 16);
      const low = iv[15];
      if (low + blocks <= 256) {
        // no carry out of the last octet: the counter block copied by doubling (native), then
        // a step per block for its last octet
        counters.set(iv.subarray(0, 16), 0);
        for (let filled = 16; filled < counters.length; filled *= 2) counters.set(counters.subarray(0, Math.min(filled, counters.length - filled)), filled);
        for (let b = 1; b < blocks; b++) counters[b * 16 + 15] = low + b;
      } else {
        const c = new Uint8Array(16);
        c.set(iv.subarray(0, 16));
        for (let b = 0; b < blocks; b++) {
          counters.set(c, b * 16);
          for (let i = 15; i >= 0; i--) {
            c[i] = (c[i] + 1) & 0xff;
            if (c[i] !== 0) break;
          }
        }
      }
      const ks = new Uint8Array(aes.encrypt(counters, key, { mode: 'ECB' }));
      // XOR four octets a step in aligned copies: a JavaScript step per octet costs an ESP32 about
      // as much as the line's pace allows for the whole receive path (docs/FAX-LINE.md, keeping up).
      // The counter blocks are spent: the data is copied over them (aligned) and becomes the
      // output, rather than into a third buffer (1 KB less while a segment is sealed).
      const d = counters;
      d.set(data);
      const w = new Int32Array(d.buffer, d.byteOffset, blocks * 4);
      const k = new Int32Array(ks.buffer, ks.byteOffset, blocks * 4);
      for (let i = 0; i < w.length; i++) w[i] ^= k[i];
      return n === d.length ? d : d.subarray(0, n);
    },
  };
}
