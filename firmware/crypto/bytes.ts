// Byte helpers for the crypto concern. Device code: no Buffer, no TextEncoder (the interpreter
// has none), no spread, no TypedArray.slice (it returns a plain Array on the device).

/** ASCII string -> bytes. Identities and labels are ASCII by construction (identity.ts checks). */
export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7e) throw new Error('crypto: non-ASCII character in ' + JSON.stringify(s));
    out[i] = c;
  }
  return out;
}

/** Bytes -> ASCII string (the inverse of ascii for 0x00..0x7e). */
export function fromAscii(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (let i = 0; i < parts.length; i++) n += parts[i].length;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i], o);
    o += parts[i].length;
  }
  return out;
}

/** A copy of b[start, end) that owns its memory (subarray shares it). */
export function copyOf(b: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(b.subarray(start, end));
  return out;
}

/** Tag comparison whose time does not depend on where the first difference is. */
export function equalCT(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export function isZero(b: Uint8Array): boolean {
  let d = 0;
  for (let i = 0; i < b.length; i++) d |= b[i];
  return d === 0;
}

export function u32be(n: number): Uint8Array {
  const out = new Uint8Array(4);
  writeU32(out, 0, n);
  return out;
}

export function writeU32(b: Uint8Array, off: number, n: number): void {
  b[off] = (n >>> 24) & 0xff;
  b[off + 1] = (n >>> 16) & 0xff;
  b[off + 2] = (n >>> 8) & 0xff;
  b[off + 3] = n & 0xff;
}

export function readU32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

// 2^32 as a literal: Math.pow(2, 32) is not exact on the device interpreter (docs/ESPRUINO.md).
const TWO32 = 4294967296;

/** Writes a non-negative integer below 2^53 as 8 bytes big-endian, without BigInt. */
export function writeU64(b: Uint8Array, off: number, n: number): void {
  const hi = Math.floor(n / TWO32);
  writeU32(b, off, hi);
  writeU32(b, off + 4, n - hi * TWO32);
}

/** Reads 8 bytes big-endian; returns -1 when the value does not fit in 2^53 exactly. */
export function readU64(b: Uint8Array, off: number): number {
  const hi = readU32(b, off);
  if (hi >= 0x200000) return -1;
  return hi * TWO32 + readU32(b, off + 4);
}

const HEX = '0123456789abcdef';

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX.charAt(b[i] >> 4) + HEX.charAt(b[i] & 15);
  return s;
}

export function fromHex(s: string): Uint8Array {
  if (s.length % 2 !== 0) throw new Error('crypto: odd-length hex string');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = HEX.indexOf(s.charAt(2 * i).toLowerCase());
    const lo = HEX.indexOf(s.charAt(2 * i + 1).toLowerCase());
    if (hi < 0 || lo < 0) throw new Error('crypto: bad hex digit near offset ' + 2 * i);
    out[i] = (hi << 4) | lo;
  }
  return out;
}
