// Text and transfer-encoding helpers for mail, the writing side and what both sides use: UTF-8
// (the interpreter has no TextEncoder), base64 out, ASCII lines. The reading side's decoders are
// in text-decode.ts, so the mail delivery module does not carry them on the device
// (docs/ESPRUINO.md, "Modules loaded on demand"). Device code: no Buffer, no TypedArray.slice (a
// plain Array on the interpreter), no regular expressions with quantified groups.

export const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_CODES: number[] = [];
for (let i = 0; i < B64.length; i++) B64_CODES.push(B64.charCodeAt(i));

export function utf8Encode(s: string): Uint8Array {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    } else {
      out[o++] = 0xf0 | (c >> 18);
      out[o++] = 0x80 | ((c >> 12) & 63);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    }
  }
  return o === n ? out : out.subarray(0, o);
}

/** True when every character is printable US-ASCII or a tab (needs no RFC 2047 encoding). */
export function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9) || c > 126) return false;
  }
  return true;
}

export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Base64 of `b[start, end)` (a multiple of 3 bytes except at the very end), no line breaks. */
export function base64Encode(b: Uint8Array, start?: number, end?: number): string {
  let s = '';
  const e = end === undefined ? b.length : end;
  let i = start || 0;
  for (; i + 2 < e; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    s += B64.charAt(n >> 18) + B64.charAt((n >> 12) & 63) + B64.charAt((n >> 6) & 63) + B64.charAt(n & 63);
  }
  if (i < e) {
    const n = (b[i] << 16) | (i + 1 < e ? b[i + 1] << 8 : 0);
    s += B64.charAt(n >> 18) + B64.charAt((n >> 12) & 63) + (i + 1 < e ? B64.charAt((n >> 6) & 63) : '=') + '=';
  }
  return s;
}

/** Base64 into `out` at `o` as ASCII bytes; returns the new offset (out must have room). */
export function base64EncodeInto(b: Uint8Array, start: number, end: number, out: Uint8Array, o: number): number {
  let i = start;
  for (; i + 2 < end; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    out[o++] = B64_CODES[n >> 18];
    out[o++] = B64_CODES[(n >> 12) & 63];
    out[o++] = B64_CODES[(n >> 6) & 63];
    out[o++] = B64_CODES[n & 63];
  }
  if (i < end) {
    const n = (b[i] << 16) | (i + 1 < end ? b[i + 1] << 8 : 0);
    out[o++] = B64_CODES[n >> 18];
    out[o++] = B64_CODES[(n >> 12) & 63];
    out[o++] = i + 1 < end ? B64_CODES[(n >> 6) & 63] : 61;
    out[o++] = 61;
  }
  return o;
}

export function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9 || s.charCodeAt(b - 1) === 13 || s.charCodeAt(b - 1) === 10)) b--;
  // Nothing to cut: the string itself (the interpreter's substring miscounts UTF-8 strings:
  // docs/ESPRUINO.md).
  if (a === 0 && b === s.length) return s;
  return s.substring(a, b);
}
