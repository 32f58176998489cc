// The FAXNIKS envelope (docs/FAXNIKS.md §5): a versioned header, then STREAM segments.
//
//   off len  field
//     0   4  magic "FXNK"
//     4   1  version (1)
//     5   1  suite        (suites.ts)
//     6   1  aead         (suites.ts)
//     7   1  flags        bit 0: challenge present; bits 1-7 must be 0
//     8   1  content type (1..255)
//     9   4  epoch        u32 big-endian
//    13   8  timestamp    sender's Unix milliseconds, u64 big-endian (< 2^53)
//    21  16  challenge    the recipient's challenge being answered, else zeros
//    37  16  salt         fresh random per message
//    53   4  segment size plaintext bytes per segment, 64..1048576
//    57   1  |ID_S|, then ID_S (canonical, ASCII)
//     …   1  |ID_R|, then ID_R
//   then segments: ciphertext ‖ tag, every one but the last with exactly `segment size` bytes
//   of plaintext, the last with 0..segment size. The last one ends the input; the header is the
//   associated data of segment 0, so every header bit is authenticated.
//
// The sealer and opener work one segment at a time: the device seals and opens a page slice by
// slice and never holds the document. This file is the format and the sealing side; reading an
// envelope (the header's parser, the policy checks, the opener) is envelope-open.ts, so code that
// only seals (the mail delivery module on the board) does not carry the opener
// (docs/ESPRUINO.md, "Modules loaded on demand").
import type { CryptoAccel } from '../../hal/crypto.ts';
import type { Entropy } from '../../hal/entropy.ts';
import { aeadAvailable, aeadKeyMaterialLength, NONCE_PREFIX_BYTES, segmentAead } from './aead.ts';
import type { SegmentAead } from './aead.ts';
import { ascii, concat, writeU32, writeU64 } from './bytes.ts';
import { looksStuck } from './entropy-health.ts';
import { canonicalIdentity } from './identity.ts';
import { directionalKey, messageKeys, pairKey } from './keys.ts';
import type { KeyAgreement, PeerKeyCache } from './keys.ts';
import { aeadName } from './suites.ts';

export const MAGIC = 'FXNK';
export const VERSION = 1;
export const FLAG_CHALLENGE = 0x01;
export const HEADER_FIXED_BYTES = 57;
export const SALT_BYTES = 16;
export const CHALLENGE_BYTES = 16;
export const MIN_SEGMENT = 64;
export const MAX_SEGMENT = 1048576;
export const DEFAULT_SEGMENT = 4096;

/** Content types the firmware and client agree on (the LAN and mail protocols define their bodies). */
export const CONTENT_NOTICE = 0x01;
export const CONTENT_REQUEST = 0x02;
export const CONTENT_DOCUMENT = 0x03;
export const CONTENT_TEXT_PART = 0x04;
export const CONTENT_FILE = 0x10;

export interface EnvelopeHeader {
  version: number;
  suite: number;
  aead: number;
  flags: number;
  contentType: number;
  epoch: number;
  timestamp: number;
  challenge: Uint8Array | null;
  salt: Uint8Array;
  segmentSize: number;
  sender: string;
  recipient: string;
  /** The header exactly as on the wire (segment 0's associated data). */
  bytes: Uint8Array;
}

/** Thrown for every refusal; `code` names the check (docs/FAXNIKS.md §5.4). */
export interface EnvelopeError extends Error {
  code: string;
}

export function envelopeError(code: string, message: string): EnvelopeError {
  const e = new Error('envelope: ' + message) as EnvelopeError;
  e.code = code;
  return e;
}

export function encodeHeader(h: EnvelopeHeader): Uint8Array {
  const s = ascii(h.sender);
  const r = ascii(h.recipient);
  const out = new Uint8Array(HEADER_FIXED_BYTES + 2 + s.length + r.length);
  out.set(ascii(MAGIC), 0);
  out[4] = h.version;
  out[5] = h.suite;
  out[6] = h.aead;
  out[7] = h.flags;
  out[8] = h.contentType;
  writeU32(out, 9, h.epoch);
  writeU64(out, 13, h.timestamp);
  if (h.challenge) out.set(h.challenge, 21);
  out.set(h.salt, 37);
  writeU32(out, 53, h.segmentSize);
  out[57] = s.length;
  out.set(s, 58);
  out[58 + s.length] = r.length;
  out.set(r, 59 + s.length);
  return out;
}

export interface SealParams {
  /** My secret for the suite and epoch to use. */
  agreement: KeyAgreement;
  to: string;
  aead: number;
  contentType: number;
  /** Sender's wall clock, Unix ms (the kernel clock's wall(); the firmware has no Date). */
  timestamp: number;
  /** The recipient's challenge this message answers (a request over TCP), else null. */
  challenge: Uint8Array | null;
  segmentSize: number;
  entropy: Entropy;
  cache: PeerKeyCache | null;
  accel: CryptoAccel | null;
}

/** Seals one message segment by segment: `header` first, then `segment(...)` for each slice. */
export class EnvelopeSealer {
  header: Uint8Array;
  info: EnvelopeHeader;
  aead: SegmentAead;
  counter = 0;
  finished = false;

  constructor(p: SealParams) {
    const to = canonicalIdentity(p.to);
    const me = p.agreement.identity;
    if (to === me) throw envelopeError('reflection', 'cannot seal a message to myself (' + me + ')');
    if (p.segmentSize < MIN_SEGMENT || p.segmentSize > MAX_SEGMENT || p.segmentSize % 1 !== 0) throw envelopeError('malformed', 'segment size ' + p.segmentSize + ' outside ' + MIN_SEGMENT + '..' + MAX_SEGMENT);
    if (p.contentType < 1 || p.contentType > 255) throw envelopeError('malformed', 'content type must be 1..255');
    if (!aeadAvailable(p.aead, p.accel)) throw envelopeError('aead', aeadName(p.aead) + ' is not available here');
    if (!(p.timestamp >= 0 && p.timestamp < 9007199254740992 && p.timestamp % 1 === 0)) throw envelopeError('malformed', 'timestamp must be whole Unix milliseconds below 2^53');
    if (p.challenge && p.challenge.length !== CHALLENGE_BYTES) throw envelopeError('malformed', 'a challenge is ' + CHALLENGE_BYTES + ' bytes');
    const salt = new Uint8Array(SALT_BYTES);
    try {
      p.entropy.fill(salt);
    } catch (e) {
      // The health-tested source (entropy-health.ts) refuses when the generator failed.
      throw envelopeError('entropy', (e && (e as Error).message ? (e as Error).message : String(e)) + '; not sealing');
    }
    // A dead or stuck RNG (all zeros, all 0xff…) would repeat message keys, hence keystreams:
    // refuse to seal. The appliance's source is health-tested and counter-mixed besides.
    if (looksStuck(salt)) throw envelopeError('entropy', 'the entropy source returned ' + SALT_BYTES + ' equal bytes; not sealing');
    this.info = {
      version: VERSION,
      suite: p.agreement.suite,
      aead: p.aead,
      flags: p.challenge ? FLAG_CHALLENGE : 0,
      contentType: p.contentType,
      epoch: p.agreement.epoch,
      timestamp: p.timestamp,
      challenge: p.challenge,
      salt: salt,
      segmentSize: p.segmentSize,
      sender: me,
      recipient: to,
      bytes: new Uint8Array(0),
    };
    this.header = encodeHeader(this.info);
    this.info.bytes = this.header;
    const dir = directionalKey(pairKey(p.agreement, to, p.cache), p.aead, me, to);
    this.aead = segmentAead(p.aead, messageKeys(dir, salt, p.aead, aeadKeyMaterialLength(p.aead)), salt.subarray(0, NONCE_PREFIX_BYTES), p.accel);
  }

  /** Seals the next segment: exactly segmentSize bytes unless it is the last (0..segmentSize). */
  segment(plain: Uint8Array, last: boolean): Uint8Array {
    if (this.finished) throw envelopeError('malformed', 'segment after the last one');
    if (plain.length > this.info.segmentSize || (!last && plain.length !== this.info.segmentSize)) {
      throw envelopeError('malformed', 'segment of ' + plain.length + ' bytes (segment size ' + this.info.segmentSize + ')');
    }
    const aad = this.counter === 0 ? this.header : new Uint8Array(0);
    const out = this.aead.seal(this.counter, last, aad, plain);
    this.counter++;
    if (last) this.finished = true;
    return out;
  }
}

/**
 * Seals a stream fed in chunks of any size: `push` returns the header (first time) and every
 * segment completed so far, `finish` the last segment. Holds at most one segment of plaintext.
 */
export class SealStream {
  sealer: EnvelopeSealer;
  pending: Uint8Array;
  fill = 0;
  headerSent = false;

  constructor(p: SealParams) {
    this.sealer = new EnvelopeSealer(p);
    this.pending = new Uint8Array(p.segmentSize);
  }

  push(chunk: Uint8Array): Uint8Array {
    return concat(this.pushParts(chunk));
  }

  /** As push, without joining the pieces (one copy less for a caller that joins them anyway). */
  pushParts(chunk: Uint8Array): Uint8Array[] {
    const parts: Uint8Array[] = [];
    if (!this.headerSent) {
      parts.push(this.sealer.header);
      this.headerSent = true;
    }
    const size = this.pending.length;
    let i = 0;
    // Whole segments straight from the chunk when nothing is pending (no copy through
    // `pending`); the last full segment waits there, since only more data shows it is not last.
    if (this.fill === 0) {
      while (chunk.length - i > size) {
        parts.push(this.sealer.segment(chunk.subarray(i, i + size), false));
        i += size;
      }
    }
    while (i < chunk.length) {
      // A full segment is sealed as non-last only once more data shows it is not the last.
      if (this.fill === size) {
        parts.push(this.sealer.segment(this.pending, false));
        this.pending = new Uint8Array(size);
        this.fill = 0;
      }
      const take = Math.min(size - this.fill, chunk.length - i);
      this.pending.set(chunk.subarray(i, i + take), this.fill);
      this.fill += take;
      i += take;
    }
    return parts;
  }

  finish(): Uint8Array {
    const head = this.headerSent ? new Uint8Array(0) : this.sealer.header;
    this.headerSent = true;
    return concat([head, this.sealer.segment(this.pending.subarray(0, this.fill), true)]);
  }
}

/** Seals a whole message held in memory (hosts, tests; the device uses EnvelopeSealer directly). */
export function sealMessage(p: SealParams, plain: Uint8Array): Uint8Array {
  const s = new SealStream(p);
  const parts = s.pushParts(plain);
  parts.push(s.finish());
  return concat(parts);
}
