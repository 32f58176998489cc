// expand_message_xmd with SHA-256 (RFC 9380 §5.3.1): hashes an identity to uniform bytes under a
// domain separation tag. POLY-GF128 uses it on the device to map a peer's identity into GF(2^128).
import { ascii, concat } from './bytes.ts';
import { sha256 } from './sha256.ts';

export function expandMessageXmd(msg: Uint8Array, dst: string, lenInBytes: number): Uint8Array {
  const ell = Math.ceil(lenInBytes / 32);
  // RFC 9380 §5.3.1 step 2: ell ≤ 255, len_in_bytes ≤ 65535, DST ≤ 255 bytes (§5.3.3 covers longer).
  if (ell > 255 || lenInBytes > 65535 || lenInBytes < 1) throw new Error('xmd: length ' + lenInBytes + ' out of range');
  if (dst.length > 255 || dst.length === 0) throw new Error('xmd: DST must be 1..255 bytes');
  const dstPrime = concat([ascii(dst), new Uint8Array([dst.length])]);
  const zPad = new Uint8Array(64); // r_in_bytes of SHA-256
  const libStr = new Uint8Array([(lenInBytes >> 8) & 0xff, lenInBytes & 0xff]);
  const b0 = sha256(concat([zPad, msg, libStr, new Uint8Array([0]), dstPrime]));
  const out = new Uint8Array(ell * 32);
  let bi = sha256(concat([b0, new Uint8Array([1]), dstPrime]));
  out.set(bi, 0);
  for (let i = 2; i <= ell; i++) {
    const x = new Uint8Array(32);
    for (let j = 0; j < 32; j++) x[j] = b0[j] ^ bi[j];
    bi = sha256(concat([x, new Uint8Array([i]), dstPrime]));
    out.set(bi, (i - 1) * 32);
  }
  return out.subarray(0, lenInBytes);
}
