// Optional crypto engine of the board (ESP32: native SHA-256 and AES). Absent on boards without one.

export interface CryptoAccel {
  sha256(data: Uint8Array): Uint8Array;
  /** AES-256 in CTR mode: the 16-byte counter block is `iv`, incremented big-endian per block. */
  aes256ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  /**
   * Optional: ChaCha20-Poly1305 (RFC 8439 §2.8) in native code, 12-byte nonce, 16-byte tag
   * (ciphertext ‖ tag). A host's OpenSSL has it (host/crypto/node-accel.ts); when present the
   * envelope's AEAD 0x01 runs through it, byte for byte the same as the JavaScript one.
   */
  chachaPoly?: {
    seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plain: Uint8Array): Uint8Array;
    /** The plaintext, or null when the tag does not verify. */
    open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null;
  };
}
