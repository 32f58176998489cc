// Registered numbers of the FAXNIKS envelope (docs/FAXNIKS.md §5). Wire values: never reuse one.

/** Key-sharing suites. */
export const SUITE_POLY_GF128 = 0x01;
export const SUITE_SOK_BLS12381 = 0x02;

/** Segment AEADs. */
export const AEAD_CHACHA20_POLY1305 = 0x01;
export const AEAD_AES256CTR_HMAC_SHA256 = 0x02;

export function suiteName(id: number): string {
  if (id === SUITE_POLY_GF128) return 'POLY-GF128';
  // Just "SOK" here: the device bundle must not even name the host-only pairing suite (the
  // bundle test greps for it to prove @noble/curves stayed out).
  if (id === SUITE_SOK_BLS12381) return 'SOK';
  return 'suite 0x' + id.toString(16);
}

export function aeadName(id: number): string {
  if (id === AEAD_CHACHA20_POLY1305) return 'CHACHA20-POLY1305';
  if (id === AEAD_AES256CTR_HMAC_SHA256) return 'AES256CTR-HMAC-SHA256';
  return 'aead 0x' + id.toString(16);
}

/** Domain label in every derivation, so FAXNIKS keys never collide with another protocol's. */
export const LABEL = 'FAXNIKS-v1';
