// The streaming MIME writer: a multipart/mixed message (RFC 2046 §5.1.3) produced a piece at a
// time as a ByteSource, so the SMTP client can send a document of any size from flash while RAM
// holds one 76-column line of it. Binary parts are base64 in lines of 76 characters (RFC 2045
// §6.8); a text part that is plain ASCII with short lines goes as 7bit, otherwise base64. Header
// values that are not plain ASCII become RFC 2047 encoded-words (header.ts); nothing else does.
import type { ByteSource } from './source.ts';
import { headerLine, rfc5322Date } from './header.ts';
import { asciiBytes, base64EncodeInto, isPlainAscii, utf8Encode } from './text.ts';

export interface MimePart {
  /** `text/plain`, `application/x-faxvault-sealed`, `image/tiff`… (parameters go in `params`). */
  type: string;
  params?: { [name: string]: string };
  /** Content-Disposition: attachment with this file name (ASCII), or inline when absent. */
  filename?: string;
  description?: string;
  /** A text part's content (sent with charset=utf-8), or… */
  text?: string;
  /** …a binary part's content, read as it is sent. */
  body?: ByteSource;
}

export interface MimeMessage {
  from: string;
  to: string[];
  subject: string;
  /** Unix milliseconds for the Date field. */
  date: number;
  /** `<unique@host>` */
  messageId: string;
  /** Unpredictable text for the boundary (it must not occur in any part, RFC 2046 §5.1.1). */
  boundary: string;
  /** More header fields, in order (`In-Reply-To`, `X-Faxvault-Kind`…). */
  headers?: string[][];
  parts: MimePart[];
}

/** 57 input bytes make one 76-character base64 line. */
const LINE_IN = 57;
const CRLF = '\r\n';

function quoteParam(v: string): string {
  let ok = v.length > 0;
  for (let i = 0; i < v.length && ok; i++) {
    const c = v.charCodeAt(i);
    // RFC 2045 §5.1 token characters
    if (c <= 32 || c >= 127 || '()<>@,;:\\"/[]?='.indexOf(v.charAt(i)) >= 0) ok = false;
  }
  if (ok) return v;
  let q = '"';
  for (let i = 0; i < v.length; i++) q += v.charAt(i) === '"' || v.charAt(i) === '\\' ? '\\' + v.charAt(i) : v.charAt(i);
  return q + '"';
}

function typeLine(type: string, params: { [name: string]: string }): string {
  let s = type;
  const names = Object.keys(params);
  for (let i = 0; i < names.length; i++) s += '; ' + names[i] + '=' + quoteParam(params[names[i]]);
  return s;
}

/** A 7bit text body (RFC 2045 §2.7): ASCII, lines up to 998 characters, CRLF line ends. */
function sevenBit(text: string): string | null {
  if (!isPlainAscii(text.split('\n').join('').split('\r').join(''))) return null;
  const lines = text.split('\r\n').join('\n').split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i].length > 998) return null;
  return lines.join(CRLF);
}

export class MimeWriter implements ByteSource {
  private out: Uint8Array = new Uint8Array(0);
  private outPos = 0;
  private stage = 0; // 0 headers, 1 part head, 2 part body, 3 closing, 4 done
  private part = 0;
  private body: ByteSource | null = null;
  private carry = new Uint8Array(LINE_IN);
  private carryLen = 0;
  private over: Uint8Array | null = null;
  private line = new Uint8Array(LINE_IN * 4 + 2 * 16);
  /** Bytes produced so far (the SMTP SIZE estimate is taken before, from estimateSize). */
  produced = 0;

  constructor(private msg: MimeMessage) {
    if (!msg.parts.length) throw new Error('mime: a message needs at least one part');
  }

  read(max: number): Uint8Array | null {
    while (this.outPos >= this.out.length) {
      if (!this.fill()) return null;
    }
    const n = Math.min(max, this.out.length - this.outPos);
    const r = this.out.subarray(this.outPos, this.outPos + n);
    this.outPos += n;
    this.produced += n;
    return r;
  }

  private emit(b: Uint8Array): void {
    this.out = b;
    this.outPos = 0;
  }

  /** Produce the next piece into `out`; false at the end. */
  private fill(): boolean {
    const m = this.msg;
    if (this.stage === 0) {
      let h = headerLine('From', m.from) + headerLine('To', m.to.join(', ')) + headerLine('Subject', m.subject);
      h += headerLine('Date', rfc5322Date(m.date)) + headerLine('Message-ID', m.messageId) + 'MIME-Version: 1.0' + CRLF;
      const extra = m.headers || [];
      for (let i = 0; i < extra.length; i++) h += headerLine(extra[i][0], extra[i][1]);
      h += headerLine('Content-Type', 'multipart/mixed; boundary="' + m.boundary + '"') + CRLF;
      // A preamble for readers without MIME (RFC 2046 §5.1.1); they ignore it otherwise.
      h += 'This is a multi-part message in MIME format.' + CRLF;
      this.emit(utf8Encode(h));
      this.stage = 1;
      return true;
    }
    if (this.stage === 1) {
      if (this.part >= m.parts.length) {
        this.emit(asciiBytes(CRLF + '--' + m.boundary + '--' + CRLF));
        this.stage = 4;
        return true;
      }
      const p = m.parts[this.part];
      const params: { [name: string]: string } = {};
      const given = p.params || {};
      const names = Object.keys(given);
      for (let i = 0; i < names.length; i++) params[names[i]] = given[names[i]];
      let h = CRLF + '--' + m.boundary + CRLF;
      let bodyText: string | null = null;
      if (p.text !== undefined) {
        params.charset = 'utf-8';
        bodyText = sevenBit(p.text);
      }
      if (p.filename && !params.name) params.name = p.filename;
      h += headerLine('Content-Type', typeLine(p.type, params));
      h += 'Content-Transfer-Encoding: ' + (bodyText !== null ? '7bit' : 'base64') + CRLF;
      if (p.filename) h += headerLine('Content-Disposition', 'attachment; filename=' + quoteParam(p.filename));
      if (p.description) h += headerLine('Content-Description', p.description);
      h += CRLF;
      if (bodyText !== null) {
        // The CRLF that ends the body belongs to the next delimiter (RFC 2046 §5.1.1).
        h += bodyText;
        this.part++;
      } else {
        this.body = p.body ? p.body : textSource(p.text || '');
        this.carryLen = 0;
        this.over = null;
        this.stage = 2;
      }
      this.emit(utf8Encode(h));
      return true;
    }
    if (this.stage === 2) {
      // Fill one 57-byte group from the part's source (it may give less than asked), then one line.
      const src = this.body as ByteSource;
      let ended = false;
      while (this.carryLen < LINE_IN) {
        const room = LINE_IN - this.carryLen;
        let b: Uint8Array | null;
        if (this.over) {
          b = this.over;
          this.over = null;
        } else b = src.read(room);
        if (b === null) {
          ended = true;
          break;
        }
        // A source may give more than asked: the rest waits for the next line.
        if (b.length > room) {
          this.over = b.subarray(room);
          b = b.subarray(0, room);
        }
        this.carry.set(b, this.carryLen);
        this.carryLen += b.length;
      }
      let o = 0;
      if (this.carryLen > 0) {
        o = base64EncodeInto(this.carry, 0, this.carryLen, this.line, 0);
        if (!ended) {
          this.line[o++] = 13;
          this.line[o++] = 10;
        }
        this.carryLen = 0;
      }
      if (ended) {
        // The last line's CRLF is the delimiter's; an empty part has no line at all.
        this.body = null;
        this.stage = 1;
        this.part++;
      }
      this.emit(this.line.subarray(0, o));
      return true;
    }
    return false;
  }
}

function textSource(s: string): ByteSource {
  const b = utf8Encode(s);
  let o = 0;
  return {
    read: function (max: number): Uint8Array | null {
      if (o >= b.length) return null;
      const n = Math.min(max, b.length - o);
      o += n;
      return b.subarray(o - n, o);
    },
  };
}

/**
 * The encoded size of a base64 part of `n` bytes with its line breaks: for SMTP's SIZE
 * parameter (RFC 1870), which only needs an estimate not below the truth.
 */
export function base64Size(n: number): number {
  const lines = Math.ceil(n / LINE_IN);
  return Math.ceil(n / 3) * 4 + lines * 2;
}
