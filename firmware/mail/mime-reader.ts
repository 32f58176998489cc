// The bounded streaming MIME reader: a message arrives a line (or any piece) at a time from POP3
// and leaves as header fields and decoded part data, with at most one line and one header field
// in RAM. Understands multipart (RFC 2046 §5.1, nested to a small depth), base64 (RFC 2045 §6.8),
// quoted-printable bodies (§6.7) and RFC 2047 encoded-words in headers. Every limit is explicit;
// input past a limit or malformed stops the reader with a clear `error` and nothing after it is
// passed on (what was already passed on stays valid: the caller decides what to keep).
import { trim } from './text.ts';
import { Base64Decoder, utf8Decode } from './text-decode.ts';
import { decodeWords, parseParams, qDecode } from './header-read.ts';

export interface MimeLimits {
  /** Longest line, without its CRLF (RFC 5322 §2.1.1 allows 998). */
  maxLine: number;
  /** Header fields in one header block (the message's or a part's). */
  maxFields: number;
  /** Longest header field after unfolding. */
  maxFieldBytes: number;
  /** Parts in the whole message. */
  maxParts: number;
  /** Decoded bytes of one part. */
  maxPartBytes: number;
  /** Nested multiparts. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: MimeLimits = {
  maxLine: 998,
  maxFields: 64,
  maxFieldBytes: 4096,
  maxParts: 16,
  maxPartBytes: 4 * 1024 * 1024,
  maxDepth: 3,
};

export interface MimePartInfo {
  /** Lower case `type/subtype`; `text/plain` when absent (RFC 2045 §5.2). */
  type: string;
  params: { [name: string]: string };
  encoding: string;
  /** From Content-Disposition's filename or Content-Type's name; '' if none. */
  filename: string;
  disposition: string;
  /** 1 for the first leaf part. */
  index: number;
}

export interface MimeHandler {
  /** A field of the message's own header (name lower case, value unfolded and decoded). */
  header(name: string, value: string): void;
  /** A leaf part begins (a single-part message is one leaf part). */
  partStart(part: MimePartInfo): void;
  /** Decoded content of the current leaf part, in pieces. */
  partData(bytes: Uint8Array): void;
  partEnd(): void;
}

const S_HEADERS = 0;
const S_PREAMBLE = 1;
const S_BODY = 2;
const S_EPILOGUE = 3;
const S_ERROR = 4;

interface Frame {
  boundary: string;
}

export class MimeReader {
  error: string | null = null;
  /** True once the final delimiter of the outermost multipart (or the end of a single part) was read. */
  complete = false;
  private stage = S_HEADERS;
  private fields = 0;
  private field = '';
  private top = true;
  private stack: Frame[] = [];
  private part: MimePartInfo | null = null;
  private partHeaders: { type: string; params: { [k: string]: string }; encoding: string; filename: string; disposition: string } = blankHead();
  private parts = 0;
  private partBytes = 0;
  private pendingCrlf = false;
  private b64: Base64Decoder | null = null;
  private buf: Uint8Array;
  private bufLen = 0;
  private sawCR = false;
  readonly limits: MimeLimits;

  constructor(private handler: MimeHandler, limits?: Partial<MimeLimits>) {
    const l: MimeLimits = {
      maxLine: DEFAULT_LIMITS.maxLine,
      maxFields: DEFAULT_LIMITS.maxFields,
      maxFieldBytes: DEFAULT_LIMITS.maxFieldBytes,
      maxParts: DEFAULT_LIMITS.maxParts,
      maxPartBytes: DEFAULT_LIMITS.maxPartBytes,
      maxDepth: DEFAULT_LIMITS.maxDepth,
    };
    if (limits) {
      const names = Object.keys(limits) as (keyof MimeLimits)[];
      for (let i = 0; i < names.length; i++) {
        const v = limits[names[i]];
        if (v !== undefined) l[names[i]] = v;
      }
    }
    this.limits = l;
    this.buf = new Uint8Array(l.maxLine + 1);
  }

  /** Any piece of the raw message (CRLF or bare LF line ends). */
  feed(b: Uint8Array): void {
    for (let i = 0; i < b.length && this.stage !== S_ERROR; i++) {
      const c = b[i];
      if (c === 10) {
        this.line(this.buf, 0, this.bufLen);
        this.bufLen = 0;
        this.sawCR = false;
        continue;
      }
      if (this.sawCR) {
        // A CR not followed by LF is data.
        this.push(13);
        this.sawCR = false;
      }
      if (c === 13) {
        this.sawCR = true;
        continue;
      }
      this.push(c);
    }
  }

  private push(c: number): void {
    if (this.bufLen >= this.buf.length) {
      this.fail('a line is longer than ' + this.limits.maxLine + ' bytes');
      return;
    }
    this.buf[this.bufLen++] = c;
  }

  /** One line without its line end (POP3 hands lines over like this). */
  line(b: Uint8Array, start: number, end: number): void {
    if (this.stage === S_ERROR) return;
    if (end - start > this.limits.maxLine) {
      this.fail('a line is longer than ' + this.limits.maxLine + ' bytes');
      return;
    }
    if (this.stage === S_HEADERS) this.headerLine(b, start, end);
    else if (this.stage === S_PREAMBLE || this.stage === S_EPILOGUE) this.delimiter(b, start, end);
    else if (this.stage === S_BODY) {
      if (this.stack.length && this.delimiter(b, start, end)) return;
      this.bodyLine(b, start, end);
    }
  }

  /** The message ended: a multipart not closed or a dangling base64 group is an error. */
  end(): void {
    if (this.stage === S_ERROR) return;
    if (this.bufLen > 0 || this.sawCR) {
      this.line(this.buf, 0, this.bufLen);
      this.bufLen = 0;
      this.sawCR = false;
    }
    if (this.stage === S_HEADERS) {
      this.fail('the message ends inside its header');
      return;
    }
    if (this.stage === S_BODY && this.stack.length === 0) {
      this.closePart();
      if (!this.error) this.complete = true;
      return;
    }
    if (this.stage === S_EPILOGUE && this.stack.length === 0) return;
    this.fail('the message ends before the closing boundary of its multipart (truncated)');
  }

  private fail(why: string): void {
    if (this.stage === S_ERROR) return;
    this.error = why;
    this.stage = S_ERROR;
  }

  private headerLine(b: Uint8Array, start: number, end: number): void {
    if (end === start) {
      if (this.field) this.takeField();
      if (this.stage !== S_ERROR) this.headersDone();
      return;
    }
    const c = b[start];
    if (c === 32 || c === 9) {
      if (!this.field) {
        this.fail('a header continuation line without a field before it');
        return;
      }
      // Unfolding (RFC 5322 §2.2.3): the line break goes, the white space stays.
      if (this.field.length + (end - start) > this.limits.maxFieldBytes) {
        this.fail('a header field is longer than ' + this.limits.maxFieldBytes + ' bytes');
        return;
      }
      this.field += utf8Decode(b.subarray(start, end));
      return;
    }
    if (this.field) this.takeField();
    if (this.stage === S_ERROR) return;
    if (++this.fields > this.limits.maxFields) {
      this.fail('more than ' + this.limits.maxFields + ' header fields');
      return;
    }
    this.field = utf8Decode(b.subarray(start, end));
  }

  private takeField(): void {
    const f = this.field;
    this.field = '';
    const colon = f.indexOf(':');
    if (colon <= 0) {
      this.fail('a header line without a colon');
      return;
    }
    const name = trim(f.substring(0, colon)).toLowerCase();
    const raw = trim(f.substring(colon + 1));
    const h = this.partHeaders;
    if (name === 'content-type') {
      const p = parseParams(raw);
      h.type = p.value;
      h.params = p.params;
    } else if (name === 'content-transfer-encoding') h.encoding = trim(raw).toLowerCase();
    else if (name === 'content-disposition') {
      const p = parseParams(raw);
      h.disposition = p.value;
      if (p.params.filename) h.filename = p.params.filename;
    }
    if (this.top) this.handler.header(name, decodeWords(raw));
  }

  private headersDone(): void {
    const h = this.partHeaders;
    this.partHeaders = blankHead();
    this.fields = 0;
    this.top = false;
    if (h.type.indexOf('multipart/') === 0) {
      const boundary = h.params.boundary;
      if (!boundary || boundary.length > 70) {
        this.fail('a multipart without a usable boundary (RFC 2046 §5.1.1: 1 to 70 characters)');
        return;
      }
      if (this.stack.length >= this.limits.maxDepth) {
        this.fail('multiparts nested deeper than ' + this.limits.maxDepth);
        return;
      }
      this.stack.push({ boundary: boundary });
      this.stage = S_PREAMBLE;
      return;
    }
    if (++this.parts > this.limits.maxParts) {
      this.fail('more than ' + this.limits.maxParts + ' parts');
      return;
    }
    const enc = h.encoding || '7bit';
    if (enc !== '7bit' && enc !== '8bit' && enc !== 'binary' && enc !== 'base64' && enc !== 'quoted-printable') {
      this.fail('unknown Content-Transfer-Encoding ' + JSON.stringify(enc.substring(0, 30)));
      return;
    }
    this.part = {
      type: h.type || 'text/plain',
      params: h.params,
      encoding: enc,
      filename: h.filename || h.params.name || '',
      disposition: h.disposition,
      index: this.parts,
    };
    this.partBytes = 0;
    this.pendingCrlf = false;
    this.b64 = enc === 'base64' ? new Base64Decoder() : null;
    this.stage = S_BODY;
    this.handler.partStart(this.part);
  }

  /** A delimiter line of an open multipart? Acts on it and says so. */
  private delimiter(b: Uint8Array, start: number, end: number): boolean {
    if (end - start < 3 || b[start] !== 45 || b[start + 1] !== 45) return false;
    // Linear white space after a delimiter is transport padding (RFC 2046 §5.1.1).
    let e = end;
    while (e > start && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
    for (let d = this.stack.length - 1; d >= 0; d--) {
      const bd = this.stack[d].boundary;
      const n = bd.length;
      if (e - start - 2 < n) continue;
      let same = true;
      for (let i = 0; i < n && same; i++) if (b[start + 2 + i] !== bd.charCodeAt(i)) same = false;
      if (!same) continue;
      const rest = e - start - 2 - n;
      const closing = rest === 2 && b[start + 2 + n] === 45 && b[start + 3 + n] === 45;
      if (rest !== 0 && !closing) continue;
      if (this.stage === S_BODY) this.closePart();
      if (this.stage === S_ERROR) return true;
      // A delimiter of an outer multipart also ends the inner ones. (splice, not `length = `:
      // the Espruino interpreter refuses an assignment to an array's length.)
      if (this.stack.length > d + 1) this.stack.splice(d + 1, this.stack.length - d - 1);
      if (closing) {
        this.stack.pop();
        this.stage = S_EPILOGUE;
        if (this.stack.length === 0) this.complete = true;
      } else {
        this.stage = S_HEADERS;
        this.fields = 0;
      }
      return true;
    }
    return false;
  }

  private closePart(): void {
    if (!this.part) return;
    if (this.b64) {
      this.b64.finish();
      if (this.b64.error) {
        this.fail(this.b64.error + ' (part ' + this.part.index + ')');
        return;
      }
    }
    this.part = null;
    this.b64 = null;
    this.handler.partEnd();
  }

  private data(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.partBytes += bytes.length;
    if (this.partBytes > this.limits.maxPartBytes) {
      this.fail('part ' + (this.part ? this.part.index : 0) + ' is larger than ' + this.limits.maxPartBytes + ' bytes');
      return;
    }
    this.handler.partData(bytes);
  }

  private bodyLine(b: Uint8Array, start: number, end: number): void {
    const part = this.part as MimePartInfo;
    if (this.b64) {
      const out = this.b64.feed(b, start, end);
      if (this.b64.error) {
        this.fail(this.b64.error + ' (part ' + part.index + ')');
        return;
      }
      this.data(out);
      return;
    }
    if (this.pendingCrlf) {
      this.pendingCrlf = false;
      this.data(CRLF_BYTES);
      if (this.stage === S_ERROR) return;
    }
    if (part.encoding === 'quoted-printable') {
      let e = end;
      while (e > start && (b[e - 1] === 32 || b[e - 1] === 9)) e--; // trailing blanks are padding (§6.7 (3))
      let soft = false;
      if (e > start && b[e - 1] === 61) {
        soft = true;
        e--;
      }
      let s = '';
      for (let i = start; i < e; i++) s += String.fromCharCode(b[i]);
      this.data(qDecode(s, false));
      this.pendingCrlf = !soft;
      return;
    }
    // The CRLF after the last line belongs to the delimiter, so each line's break is sent
    // only when another line follows.
    const copy = new Uint8Array(end - start);
    copy.set(b.subarray(start, end));
    this.data(copy);
    this.pendingCrlf = true;
  }
}

const CRLF_BYTES = new Uint8Array([13, 10]);

function blankHead(): { type: string; params: { [k: string]: string }; encoding: string; filename: string; disposition: string } {
  return { type: '', params: {}, encoding: '', filename: '', disposition: '' };
}
