// The messages of confidential delivery (docs/LAN-PROTOCOL.md §3–4), transport-neutral: the LAN
// service sends them in frames, the mail transport as attachments. Each is a FAXNIKS envelope
// (firmware/crypto/envelope.ts) whose content type says what it is and whose plaintext is
// ASCII JSON — except the document, whose plaintext is a stream of records so that it can be
// produced and consumed page by page, chunk by chunk, never whole in memory. This file is the
// messages as they are written (types, content types, bodies, records); reading them is
// messages-parse.ts, so the mail delivery module, which only writes them, does not carry the
// parsers on the device (docs/ESPRUINO.md, "Modules loaded on demand").
import { ascii, writeU32 } from '../crypto/bytes.ts';
import { CONTENT_DOCUMENT, CONTENT_NOTICE, CONTENT_REQUEST, CONTENT_TEXT_PART } from '../crypto/envelope.ts';
import { asciiJson } from '../store/layout.ts';

export const MSG_NOTICE = CONTENT_NOTICE; // 0x01 appliance → owner
export const MSG_REQUEST = CONTENT_REQUEST; // 0x02 owner → appliance: send me document N (with the pass code)
export const MSG_DOCUMENT = CONTENT_DOCUMENT; // 0x03 appliance → owner: the whole document, sealed
export const MSG_TEXT_PART = CONTENT_TEXT_PART; // 0x04 appliance → owner: protection "text": the text, the image's hash
export const MSG_LIST = 0x05; // owner → appliance: what is waiting in box N?
export const MSG_LISTING = 0x06; // appliance → owner
export const MSG_REFUSAL = 0x07; // either way: why not
export const MSG_ACK = 0x08; // either way: received (a notice, a document)

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
