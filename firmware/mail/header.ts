// Header fields of Internet mail as the appliance writes them: RFC 2047 encoded-words (only when
// a value is not plain ASCII), folding at 78 columns (RFC 5322 §2.2.3) and the date (§3.3).
// Reading header fields (encoded-words in both forms, parameters, addresses) is header-read.ts,
// so the mail delivery module does not carry it on the device (docs/ESPRUINO.md).
import { civilFromMs } from '../clock/calendar.ts';
import { base64Encode, isPlainAscii, trim, utf8Encode } from './text.ts';

/**
 * `Name: value` as it goes on the wire (CRLF-terminated), folded before 78 columns at spaces; a
 * value that is not plain ASCII becomes UTF-8 B encoded-words of at most 75 characters each
 * (RFC 2047 §2), split only between characters.
 */
export function headerLine(name: string, value: string): string {
  // White space at either end means nothing to a reader (and inside an encoded-word it would
  // survive decoding): it is dropped.
  const v = trim(value);
  const text = isPlainAscii(v) ? v : encodeWords(v);
  return fold(name + ': ' + text) + '\r\n';
}

function encodeWords(value: string): string {
  // "=?UTF-8?B?" + "?=" is 12 characters: 63 left for base64, i.e. 45 bytes of UTF-8 per word.
  // Split on the bytes, never inside a character (RFC 2047 §5: each word decodes on its own);
  // the characters of the string are not a safe unit on the interpreter (docs/ESPRUINO.md).
  const b = utf8Encode(value);
  const out: string[] = [];
  let start = 0;
  while (start < b.length) {
    let end = start + 45 < b.length ? start + 45 : b.length;
    while (end < b.length && end > start + 1 && (b[end] & 0xc0) === 0x80) end--;
    out.push('=?UTF-8?B?' + base64Encode(b.subarray(start, end)) + '?=');
    start = end;
  }
  return out.join(' ');
}

/** Fold a header line at spaces so no line passes 78 characters where a space allows it. */
function fold(line: string): string {
  if (line.length <= 78) return line;
  let out = '';
  let rest = line;
  while (rest.length > 78) {
    let cut = rest.lastIndexOf(' ', 78);
    if (cut <= 0) cut = rest.indexOf(' ', 78);
    if (cut <= 0) break;
    out += rest.substring(0, cut) + '\r\n';
    rest = rest.substring(cut); // the space stays as the continuation's leading white space
  }
  return out + rest;
}

const DAYS = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return n < 10 ? '0' + n : '' + n;
}

/** RFC 5322 §3.3 date-time in UTC: `Sat, 05 Dec 2026 04:58:41 +0000`. */
export function rfc5322Date(unixMs: number): string {
  const c = civilFromMs(unixMs);
  const day = DAYS[((Math.floor(unixMs / 86400000) % 7) + 7) % 7];
  return day + ', ' + two(c.day) + ' ' + MONTHS[c.month - 1] + ' ' + c.year + ' ' + two(c.hour) + ':' + two(c.minute) + ':' + two(c.second) + ' +0000';
}
