// The messages of confidential delivery (docs/LAN-PROTOCOL.md §3–4), transport-neutral: the LAN
// service sends them in frames, the mail transport as attachments. Each is a FAXNIKS envelope
// (firmware/crypto/envelope.ts) whose content type says what it is and whose plaintext is
// ASCII JSON — except the document, whose plaintext is a stream of records so that it can be
// produced and consumed page by page, chunk by chunk, never whole in memory.
import { ascii, fromAscii, readU32, writeU32 } from '../crypto/bytes.ts';
import { CONTENT_DOCUMENT, CONTENT_NOTICE, CONTENT_REQUEST, CONTENT_TEXT_PART } from '../crypto/envelope.ts';
import { lanError } from './lan-error.ts';
import { asciiJson } from '../store/layout.ts';

export const MSG_NOTICE = CONTENT_NOTICE; // 0x01 appliance → owner
export const MSG_REQUEST = CONTENT_REQUEST; // 0x02 owner → appliance: send me document N (with the pass code)
export const MSG_DOCUMENT = CONTENT_DOCUMENT; // 0x03 appliance → owner: the whole document, sealed
export const MSG_TEXT_PART = CONTENT_TEXT_PART; // 0x04 appliance → owner: protection "text": the text, the image's hash
export const MSG_LIST = 0x05; // owner → appliance: what is waiting in box N?
export const MSG_LISTING = 0x06; // appliance → owner
export const MSG_REFUSAL = 0x07; // either way: why not
export const MSG_ACK = 0x08; // either way: received (a notice, a document)

export function messageName(t: number): string {
  if (t === MSG_NOTICE) return 'notice';
  if (t === MSG_REQUEST) return 'request';
  if (t === MSG_DOCUMENT) return 'document';
  if (t === MSG_TEXT_PART) return 'text part';
  if (t === MSG_LIST) return 'list';
  if (t === MSG_LISTING) return 'listing';
  if (t === MSG_REFUSAL) return 'refusal';
  if (t === MSG_ACK) return 'acknowledgement';
  return 'content 0x' + t.toString(16);
}

/** What a person needs to tell documents apart; the same fields in a notice, a listing and a document. */
export interface DocSummary {
  box: string;
  doc: number;
  /** The sender's T.30 ident (TSI) as received, '' when it gave none. */
  from: string;
  /** Calendar time of the reception (Unix ms, the appliance's clock). */
  time: number;
  pages: number;
  bytes: number;
  /** 'all' (image sealed) or 'text' (image sent unencrypted, its SHA-256 sealed). */
  protection: string;
}

export interface Notice extends DocSummary {
  /** 'notice': fetch it with a request; 'push': the document follows on this connection. */
  kind: string;
}

export interface RequestBody {
  box: string;
  doc: number;
  code: string;
}

export interface ListBody {
  box: string;
}

export interface Listing {
  box: string;
  docs: DocSummary[];
}

/** Refusal codes (docs/LAN-PROTOCOL.md §6) and what a client should say. */
export interface Refusal {
  code: string;
  text: string;
  /** wrong-code: tries left before the box locks. */
  triesLeft?: number;
  /** locked: milliseconds until the box opens again. */
  lockedMs?: number;
}

export interface Ack {
  doc: number;
  /** 'notice' or 'document'. */
  of: string;
}

export interface TextPart extends DocSummary {
  /** Hex SHA-256 of the unencrypted image stream that follows (the CLEAR frames). */
  sha256: string;
}

/** JSON with non-ASCII escaped (the store's asciiJson), as bytes (the device has no TextEncoder). */
export function jsonBytes(v: unknown): Uint8Array {
  return ascii(asciiJson(v));
}

/** Parses a message body; a LanError('malformed') when it is not a JSON object. */
export function parseBody(b: Uint8Array): { [k: string]: unknown } {
  let v: unknown = null;
  try {
    v = JSON.parse(fromAscii(b));
  } catch (e) {
    v = null;
  }
  if (!v || typeof v !== 'object') throw lanError('malformed', 'message body is not a JSON object');
  return v as { [k: string]: unknown };
}

function str(o: { [k: string]: unknown }, k: string, max: number): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length > max) throw lanError('malformed', 'field ' + k + ' must be a string of at most ' + max + ' characters');
  return v;
}

function int(o: { [k: string]: unknown }, k: string): number {
  const v = o[k];
  if (typeof v !== 'number' || v % 1 !== 0 || v < 0 || v > 9007199254740991) throw lanError('malformed', 'field ' + k + ' must be a whole number');
  return v;
}

export function parseRequest(b: Uint8Array): RequestBody {
  const o = parseBody(b);
  return { box: str(o, 'box', 20), doc: int(o, 'doc'), code: o.code === undefined ? '' : str(o, 'code', 16) };
}

export function parseList(b: Uint8Array): ListBody {
  return { box: str(parseBody(b), 'box', 20) };
}

export function parseAck(b: Uint8Array): Ack {
  const o = parseBody(b);
  return { doc: int(o, 'doc'), of: str(o, 'of', 16) };
}

export function parseSummary(o: { [k: string]: unknown }): DocSummary {
  // A listing entry that is not an object ({"docs":[null]}) is malformed, not a TypeError (found by test/fuzz/lan).
  if (!o || typeof o !== 'object') throw lanError('malformed', 'document summary must be an object');
  return {
    box: str(o, 'box', 20),
    doc: int(o, 'doc'),
    from: str(o, 'from', 40),
    time: int(o, 'time'),
    pages: int(o, 'pages'),
    bytes: int(o, 'bytes'),
    protection: str(o, 'protection', 8),
  };
}

export function parseNotice(b: Uint8Array): Notice {
  const o = parseBody(b);
  const s = parseSummary(o) as Notice;
  s.kind = str(o, 'kind', 16);
  return s;
}

export function parseListing(b: Uint8Array): Listing {
  const o = parseBody(b);
  const list = o.docs;
  if (!Array.isArray(list) || list.length > 1000) throw lanError('malformed', 'listing without a docs array');
  const docs: DocSummary[] = [];
  for (let i = 0; i < list.length; i++) docs.push(parseSummary(list[i] as { [k: string]: unknown }));
  return { box: str(o, 'box', 20), docs: docs };
}

export function parseRefusal(b: Uint8Array): Refusal {
  const o = parseBody(b);
  const r: Refusal = { code: str(o, 'code', 32), text: str(o, 'text', 200) };
  if (o.triesLeft !== undefined) r.triesLeft = int(o, 'triesLeft');
  if (o.lockedMs !== undefined) r.lockedMs = int(o, 'lockedMs');
  return r;
}

export function parseTextPart(b: Uint8Array): TextPart {
  const o = parseBody(b);
  const t = parseSummary(o) as TextPart;
  t.sha256 = str(o, 'sha256', 64);
  return t;
}

// ---- the document stream ---------------------------------------------------------------
//
// record = tag(1) ‖ length(u32 big-endian) ‖ bytes
//   'D' JSON DocSummary (first)
//   'P' JSON page parameters {page, coding, width, linesPerMm, bitOrder} (before each page's data)
//   'B' coded page data, any number per page, each ≤ 64 KiB
//   'Z' end of the document (length 0), last
// The same records travel sealed (content 0x03) or, for protection "text", in the clear after
// the text part (CLEAR frames), where the text part's SHA-256 covers exactly these bytes.

export const REC_DOC = 0x44;
export const REC_PAGE = 0x50;
export const REC_DATA = 0x42;
export const REC_END = 0x5a;
export const REC_MAX_DATA = 65536;

export function record(tag: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = tag;
  writeU32(out, 1, body.length);
  out.set(body, 5);
  return out;
}

export interface PageHead {
  page: number;
  coding: string;
  width: number;
  linesPerMm: number;
  bitOrder: string;
}

/** Events of DocStreamParser, in stream order. */
export interface DocStreamSink {
  doc(s: DocSummary): void;
  page(p: PageHead): void;
  data(bytes: Uint8Array): void;
  end(): void;
}

/**
 * Parses the record stream incrementally (the client, and tests): feed plaintext as it is
 * released; throws LanError('malformed') on anything out of order or oversize.
 */
export class DocStreamParser {
  private head = new Uint8Array(5);
  private headFill = 0;
  private need = -1;
  private tag = 0;
  private body: Uint8Array | null = null;
  private fill = 0;
  private seenDoc = false;
  private inPage = false;
  ended = false;

  constructor(private sink: DocStreamSink) {}

  push(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      if (this.ended) throw lanError('malformed', 'data after the end of the document');
      if (this.need < 0) {
        this.head[this.headFill++] = bytes[i++];
        if (this.headFill < 5) continue;
        this.tag = this.head[0];
        this.need = readU32(this.head, 1);
        this.headFill = 0;
        const max = this.tag === REC_DATA ? REC_MAX_DATA : this.tag === REC_END ? 0 : 4096;
        if (this.tag !== REC_DOC && this.tag !== REC_PAGE && this.tag !== REC_DATA && this.tag !== REC_END) throw lanError('malformed', 'unknown document record 0x' + this.tag.toString(16));
        if (this.need > max) throw lanError('malformed', 'document record of ' + this.need + ' bytes');
        this.body = new Uint8Array(this.need);
        this.fill = 0;
      }
      const b = this.body as Uint8Array;
      const take = Math.min(this.need - this.fill, bytes.length - i);
      b.set(bytes.subarray(i, i + take), this.fill);
      this.fill += take;
      i += take;
      if (this.fill === this.need) this.deliver(b);
    }
    // A zero-length record completes without further input.
    if (this.need === 0 && this.body) this.deliver(this.body);
  }

  private deliver(b: Uint8Array): void {
    this.need = -1;
    this.body = null;
    const t = this.tag;
    if (t === REC_DOC) {
      if (this.seenDoc) throw lanError('malformed', 'two document headers');
      this.seenDoc = true;
      this.sink.doc(parseSummary(parseBody(b)));
      return;
    }
    if (!this.seenDoc) throw lanError('malformed', 'document records before its header');
    if (t === REC_PAGE) {
      const o = parseBody(b);
      this.inPage = true;
      this.sink.page({ page: int(o, 'page'), coding: str(o, 'coding', 8), width: int(o, 'width'), linesPerMm: typeof o.linesPerMm === 'number' ? o.linesPerMm : 7.7, bitOrder: str(o, 'bitOrder', 16) });
    } else if (t === REC_DATA) {
      if (!this.inPage) throw lanError('malformed', 'page data before a page header');
      this.sink.data(b);
    } else {
      this.ended = true;
      this.sink.end();
    }
  }
}
