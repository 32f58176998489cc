// The messages of confidential delivery (docs/LAN-PROTOCOL.md §3–4) as they are read: the
// content types' names, the JSON bodies checked field by field (a LanError('malformed') for
// anything else: the bodies come from outside), and the document's record stream parsed
// incrementally. Writing them is messages.ts.
import { fromAscii, readU32 } from '../crypto/bytes.ts';
import { lanError } from './lan-error.ts';
import {
  MSG_ACK, MSG_DOCUMENT, MSG_LIST, MSG_LISTING, MSG_NOTICE, MSG_REFUSAL, MSG_REQUEST, MSG_TEXT_PART,
  REC_DATA, REC_DOC, REC_END, REC_MAX_DATA, REC_PAGE,
} from './messages.ts';
import type { Ack, DocSummary, ListBody, Listing, Notice, PageHead, Refusal, RequestBody, TextPart } from './messages.ts';

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
