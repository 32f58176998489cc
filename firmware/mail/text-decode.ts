// Decoding helpers for mail read from outside (the reading side: mime-reader.ts, header-read.ts):
// UTF-8 to text, base64 in, incremental (RFC 2045 §6.8), Latin-1. Apart from text.ts so that the
// mail delivery module, which only writes mail, does not carry them on the device. Device code:
// no Buffer, no TypedArray.slice, no regular expressions with quantified groups.
import { B64 } from './text.ts';

/** 0..63 for an alphabet byte, 64 for '=', 65 for white space RFC 2045 allows, 255 for anything else. */
const B64_VALUE = new Uint8Array(256);
for (let i = 0; i < 256; i++) B64_VALUE[i] = 255;
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;
B64_VALUE[61] = 64;
B64_VALUE[32] = 65;
B64_VALUE[9] = 65;
B64_VALUE[13] = 65;
B64_VALUE[10] = 65;

declare const E: { asUTF8?: (s: string) => string } | undefined;

/**
 * Does String.fromCharCode make 16-bit characters? Not on the Espruino interpreter: there it
 * keeps the low 8 bits, and text beyond Latin-1 is a UTF-8 string made by E.asUTF8 from its
 * bytes (docs/ESPRUINO.md).
 */
const WIDE_CHARS = String.fromCharCode(0x2013).charCodeAt(0) === 0x2013;

/** UTF-8 to a string; a malformed sequence becomes U+FFFD (mail from outside is not trusted). */
export function utf8Decode(b: Uint8Array): string {
  const cps: number[] = [];
  return fromCodePoints(cps, utf8CodePoints(b, cps));
}

/** The code points of UTF-8 bytes appended to `cps`; true when one is beyond Latin-1. */
export function utf8CodePoints(b: Uint8Array, cps: number[]): boolean {
  let beyondLatin1 = false;
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let need = 0;
    let cp = 0;
    if (c < 0x80) {
      cps.push(c);
      i++;
      continue;
    } else if (c >= 0xc2 && c < 0xe0) {
      need = 1;
      cp = c & 31;
    } else if (c >= 0xe0 && c < 0xf0) {
      need = 2;
      cp = c & 15;
    } else if (c >= 0xf0 && c < 0xf5) {
      need = 3;
      cp = c & 7;
    } else {
      cps.push(0xfffd);
      beyondLatin1 = true;
      i++;
      continue;
    }
    let ok = i + need < b.length;
    for (let k = 1; ok && k <= need; k++) {
      const d = b[i + k];
      if ((d & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (d & 63);
    }
    if (!ok || (need === 2 && cp < 0x800) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp < 0xe000)) {
      // Malformed or truncated: one replacement character, and on from the next byte.
      cps.push(0xfffd);
      beyondLatin1 = true;
      i++;
      continue;
    }
    cps.push(cp);
    if (cp > 0xff) beyondLatin1 = true;
    i += need + 1;
  }
  return beyondLatin1;
}

/**
 * Code points as a string. Text is built as code points, not by joining strings: on the
 * interpreter a UTF-8 string joined to another loses what it is (docs/ESPRUINO.md).
 */
export function fromCodePoints(cps: number[], beyondLatin1: boolean): string {
  let s = '';
  if (beyondLatin1 && !WIDE_CHARS) {
    // The interpreter: the UTF-8 bytes of the text, made a UTF-8 string.
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i];
      if (c < 0x80) s += String.fromCharCode(c);
      else if (c < 0x800) s += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) s += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else s += String.fromCharCode(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return typeof E !== 'undefined' && E && E.asUTF8 ? E.asUTF8(s) : s;
  }
  for (let i = 0; i < cps.length; i++) {
    let c = cps[i];
    if (c >= 0x10000) {
      c -= 0x10000;
      s += String.fromCharCode(0xd800 + (c >> 10), 0xdc00 + (c & 1023));
    } else s += String.fromCharCode(c);
  }
  return s;
}

export function latin1(b: Uint8Array, start?: number, end?: number): string {
  let s = '';
  const e = end === undefined ? b.length : end;
  for (let i = start || 0; i < e; i++) s += String.fromCharCode(b[i]);
  return s;
}

/**
 * Incremental base64 decoder: feed any pieces (line breaks and blanks ignored, RFC 2045 §6.8);
 * a character outside the alphabet, data after the padding or a dangling quantum is an error
 * (`error` set, nothing more decoded) rather than a silent guess.
 */
export class Base64Decoder {
  private acc = 0;
  private bits = 0;
  private pads = 0;
  private count = 0;
  error: string | null = null;

  /** Decoded bytes of `b[start, end)`. */
  feed(b: Uint8Array, start: number, end: number): Uint8Array {
    const out = new Uint8Array(Math.floor(((end - start) * 3) / 4) + 3);
    let o = 0;
    if (this.error) return out.subarray(0, 0);
    for (let i = start; i < end; i++) {
      const v = B64_VALUE[b[i]];
      if (v === 65) continue;
      if (v === 255) {
        this.error = 'bad base64: byte 0x' + (b[i] < 16 ? '0' : '') + b[i].toString(16) + ' is not in the alphabet';
        break;
      }
      if (v === 64) {
        this.pads++;
        this.count++;
        if (this.count % 4 === 0) this.closeQuantum();
        continue;
      }
      if (this.pads > 0) {
        this.error = 'bad base64: data after the padding';
        break;
      }
      this.acc = (this.acc << 6) | v;
      this.bits += 6;
      this.count++;
      if (this.bits >= 8) {
        this.bits -= 8;
        out[o++] = (this.acc >> this.bits) & 0xff;
        this.acc &= (1 << this.bits) - 1;
      }
    }
    return out.subarray(0, o);
  }

  private closeQuantum(): void {
    // "xx==" or "xxx=": the leftover bits are padding; more than 2 '=' is malformed.
    if (this.pads > 2) this.error = 'bad base64: more than two padding characters';
    this.acc = 0;
    this.bits = 0;
  }

  /** Call at the end of the encoded text: a partial quantum without padding is an error. */
  finish(): void {
    if (this.error) return;
    if (this.count % 4 !== 0) this.error = 'bad base64: the text ends inside a 4-character group';
  }
}

/** Index of `needle` (ASCII, lower case) in `hay`, case-insensitively; -1 if absent. */
export function indexOfCI(hay: string, needle: string, from?: number): number {
  return hay.toLowerCase().indexOf(needle, from || 0);
}
