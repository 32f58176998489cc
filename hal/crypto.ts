// Optional crypto engine of the board (ESP32: native SHA-256 and AES). Absent on boards without one.

export interface CryptoAccel {
  sha256(data: Uint8Array): Uint8Array;
  /** AES-256 in CTR mode: the 16-byte counter block is `iv`, incremented big-endian per block. */
  aes256ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
}
