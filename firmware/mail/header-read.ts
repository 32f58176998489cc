// Header fields of Internet mail as the appliance reads them: RFC 2047 encoded-words in both B
// and Q forms, RFC 2045 §5.1 parameters (`type/sub; name="value"`, with RFC 2231's
// `name*=utf-8''…`), the address of a From field. Writing them is header.ts.
import { asciiBytes, trim } from './text.ts';
import { Base64Decoder, latin1, utf8Decode, utf8CodePoints, fromCodePoints } from './text-decode.ts';

/** Decode RFC 2047 encoded-words in an unfolded header value; unknown charsets are left as written. */
export function decodeWords(value: string): string {
  // Built as code points (text.ts fromCodePoints: joined strings are not safe on the interpreter).
  const cps: number[] = [];
  let wide = false;
  let i = 0;
  let lastWasWord = false;
  while (i < value.length) {
    const start = value.indexOf('=?', i);
    const q1 = start < 0 ? -1 : value.indexOf('?', start + 2);
    const q2 = q1 < 0 ? -1 : value.indexOf('?', q1 + 1);
    const end = q2 < 0 ? -1 : value.indexOf('?=', q2 + 1);
    if (start < 0 || q1 < 0 || q2 !== q1 + 2 || end < 0) {
      wide = plainInto(value, i, value.length, cps) || wide;
      break;
    }
    // White space between two encoded-words is not part of the text (RFC 2047 §6.2).
    let blank = true;
    for (let k = i; k < start; k++) {
      const c = value.charCodeAt(k);
      if (c !== 32 && c !== 9 && c !== 13 && c !== 10) blank = false;
    }
    if (!(lastWasWord && blank)) wide = plainInto(value, i, start, cps) || wide;
    const charset = value.substring(start + 2, q1).toLowerCase();
    const enc = value.charAt(q1 + 1).toUpperCase();
    const bytes = wordBytes(enc, value.substring(q2 + 1, end));
    const got = bytes ? charsetInto(bytes, charset, cps) : -1;
    if (got < 0) {
      wide = plainInto(value, start, end + 2, cps) || wide;
      lastWasWord = false;
    } else {
      wide = got > 0 || wide;
      lastWasWord = true;
    }
    i = end + 2;
  }
  return fromCodePoints(cps, wide);
}

/** value[from, to) appended as code points; true when one is beyond Latin-1. */
function plainInto(value: string, from: number, to: number, cps: number[]): boolean {
  let wide = false;
  for (let k = from; k < to; k++) {
    const c = value.charCodeAt(k);
    cps.push(c);
    if (c > 0xff) wide = true;
  }
  return wide;
}

/** The bytes of an encoded-word's text (B or Q encoding), null when malformed. */
function wordBytes(enc: string, text: string): Uint8Array | null {
  if (enc === 'B') {
    const d = new Base64Decoder();
    const a = asciiBytes(text);
    const bytes = d.feed(a, 0, a.length);
    d.finish();
    return d.error ? null : bytes;
  }
  if (enc === 'Q') return qDecode(text, true);
  return null;
}

/** Bytes in a charset appended as code points: 1 beyond Latin-1, 0 not, -1 an unknown charset. */
function charsetInto(bytes: Uint8Array, charset: string, cps: number[]): number {
  const star = charset.indexOf('*'); // RFC 2231 §5 language tag
  const cs = (star >= 0 ? charset.substring(0, star) : charset).toLowerCase();
  if (cs === 'utf-8' || cs === 'utf8' || cs === 'us-ascii') return utf8CodePoints(bytes, cps) ? 1 : 0;
  if (cs === 'iso-8859-1' || cs === 'latin1' || cs === 'windows-1252') {
    for (let k = 0; k < bytes.length; k++) cps.push(bytes[k]);
    return 0;
  }
  return -1;
}

/** Bytes as text in a charset we know (UTF-8, US-ASCII, ISO-8859-1); null for others. */
export function bytesInCharset(bytes: Uint8Array, charset: string): string | null {
  const cs = charset.toLowerCase();
  if (cs === 'utf-8' || cs === 'utf8' || cs === 'us-ascii') return utf8Decode(bytes);
  if (cs === 'iso-8859-1' || cs === 'latin1' || cs === 'windows-1252') return latin1(bytes);
  return null;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Quoted-printable bytes of an ASCII string (RFC 2045 §6.7; with `underscoreIsSpace`, the Q
 * encoding of RFC 2047 §4.2). A malformed `=` escape is kept literally, as §6.7 (1) advises.
 */
export function qDecode(text: string, underscoreIsSpace: boolean): Uint8Array {
  const out = new Uint8Array(text.length);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 61 && i + 2 < text.length) {
      const h = hexVal(text.charCodeAt(i + 1));
      const l = hexVal(text.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        out[o++] = h * 16 + l;
        i += 2;
        continue;
      }
    }
    out[o++] = underscoreIsSpace && c === 95 ? 32 : c & 0xff;
  }
  return out.subarray(0, o);
}

export interface HeaderValue {
  /** The part before the first ';', lower case (`multipart/mixed`, `attachment`). */
  value: string;
  /** Parameter names lower case; values unquoted and decoded. */
  params: { [name: string]: string };
}

/** `multipart/mixed; boundary="x y"; name*=utf-8''%C3%A4.tif` → value and parameters. */
export function parseParams(text: string): HeaderValue {
  const params: { [name: string]: string } = {};
  let i = text.indexOf(';');
  const value = trim(i < 0 ? text : text.substring(0, i)).toLowerCase();
  while (i >= 0 && i < text.length) {
    i++;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const name = trim(text.substring(i, eq)).toLowerCase();
    let j = eq + 1;
    while (j < text.length && (text.charAt(j) === ' ' || text.charAt(j) === '\t')) j++;
    let v = '';
    if (text.charAt(j) === '"') {
      j++;
      while (j < text.length && text.charAt(j) !== '"') {
        if (text.charAt(j) === '\\' && j + 1 < text.length) j++;
        v += text.charAt(j);
        j++;
      }
      j++;
      i = text.indexOf(';', j);
    } else {
      const semi = text.indexOf(';', j);
      v = trim(semi < 0 ? text.substring(j) : text.substring(j, semi));
      i = semi;
    }
    if (name.charAt(name.length - 1) === '*') {
      // RFC 2231 §4: charset'language'percent-encoded
      const a = v.indexOf("'");
      const b = a < 0 ? -1 : v.indexOf("'", a + 1);
      if (b > 0) {
        const pct = v.substring(b + 1);
        let q = '';
        for (let k = 0; k < pct.length; k++) q += pct.charAt(k) === '%' ? '=' : pct.charAt(k);
        const s = bytesInCharset(qDecode(q, false), v.substring(0, a));
        params[name.substring(0, name.length - 1)] = s === null ? pct : s;
        continue;
      }
    }
    params[name] = decodeWords(v);
  }
  return { value: value, params: params };
}

/** The address inside `Name <addr@host>` or a bare `addr@host`, lower case; '' if there is none. */
export function addressOf(field: string): string {
  const lt = field.lastIndexOf('<');
  const gt = field.lastIndexOf('>');
  const a = lt >= 0 && gt > lt ? field.substring(lt + 1, gt) : field;
  const t = trim(a).toLowerCase();
  return t.indexOf('@') > 0 && t.indexOf(' ') < 0 ? t : '';
}
