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
// slice and never holds the document.
import type { CryptoAccel } from '../../hal/crypto.ts';
import type { Entropy } from '../../hal/entropy.ts';
import { aeadAvailable, aeadKeyMaterialLength, NONCE_PREFIX_BYTES, segmentAead } from './aead.ts';
import type { SegmentAead } from './aead.ts';
import { ascii, concat, copyOf, equalCT, fromAscii, isZero, readU32, readU64, toHex, writeU32, writeU64 } from './bytes.ts';
import { looksStuck } from './entropy-health.ts';
import { canonicalIdentity, isCanonicalIdentity } from './identity.ts';
import { directionalKey, messageKeys, pairKey, rememberPairKey } from './keys.ts';
import type { KeyAgreement, PeerKeyCache } from './keys.ts';
import { aeadName, suiteName } from './suites.ts';

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

/** Header length once enough bytes are there to know it, else -1. Checks magic and version early. */
export function headerLength(b: Uint8Array): number {
  if (b.length >= 4 && fromAscii(b.subarray(0, 4)) !== MAGIC) throw envelopeError('magic', 'not a FAXNIKS envelope (bad magic)');
  if (b.length >= 5 && b[4] !== VERSION) throw envelopeError('version', 'unsupported version ' + b[4]);
  if (b.length < HEADER_FIXED_BYTES + 1) return -1;
  const ls = b[57];
  if (b.length < 59 + ls) return -1;
  return 59 + ls + b[58 + ls];
}

/** Parses a complete header; checks syntax only (the policy checks are in EnvelopeOpener). */
export function decodeHeader(b: Uint8Array): EnvelopeHeader {
  const n = headerLength(b);
  if (n < 0 || b.length < n) throw envelopeError('truncated', 'header truncated');
  const flags = b[7];
  if (flags & ~FLAG_CHALLENGE) throw envelopeError('malformed', 'reserved flag bits set (0x' + flags.toString(16) + ')');
  if (b[8] === 0) throw envelopeError('malformed', 'content type 0 is reserved');
  const ts = readU64(b, 13);
  if (ts < 0) throw envelopeError('malformed', 'timestamp out of range');
  const challenge = copyOf(b, 21, 37);
  if (!(flags & FLAG_CHALLENGE) && !isZero(challenge)) throw envelopeError('malformed', 'challenge bytes without the challenge flag');
  const seg = readU32(b, 53);
  if (seg < MIN_SEGMENT || seg > MAX_SEGMENT) throw envelopeError('malformed', 'segment size ' + seg + ' outside ' + MIN_SEGMENT + '..' + MAX_SEGMENT);
  const ls = b[57];
  const sender = fromAscii(b.subarray(58, 58 + ls));
  const recipient = fromAscii(b.subarray(59 + ls, n));
  if (!isCanonicalIdentity(sender)) throw envelopeError('malformed', 'sender identity is not canonical');
  if (!isCanonicalIdentity(recipient)) throw envelopeError('malformed', 'recipient identity is not canonical');
  return {
    version: b[4],
    suite: b[5],
    aead: b[6],
    flags: flags,
    contentType: b[8],
    epoch: readU32(b, 9),
    timestamp: ts,
    challenge: flags & FLAG_CHALLENGE ? challenge : null,
    salt: copyOf(b, 37, 53),
    segmentSize: seg,
    sender: sender,
    recipient: recipient,
    bytes: copyOf(b, 0, n),
  };
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

/** Remembers (sender, salt) of accepted messages so a copy is refused (mail has no challenge). */
export interface ReplayCache {
  seen(sender: string, salt: Uint8Array): boolean;
  remember(sender: string, salt: Uint8Array, timestamp: number): void;
}

/** Bounded in-memory ReplayCache; entries beyond `capacity` go oldest first. */
export class MemoryReplayCache implements ReplayCache {
  keys: { [k: string]: number } = {};
  order: string[] = [];
  capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  seen(sender: string, salt: Uint8Array): boolean {
    return this.keys['r' + toHex(salt) + sender] !== undefined;
  }

  remember(sender: string, salt: Uint8Array, timestamp: number): void {
    const k = 'r' + toHex(salt) + sender;
    if (this.keys[k] === undefined) {
      this.order.push(k);
      if (this.order.length > this.capacity) delete this.keys[this.order.shift() as string];
    }
    this.keys[k] = timestamp;
  }
}

export interface OpenPolicy {
  /** My secrets (any identities, suites, epochs); the one matching the header is used. */
  agreements: KeyAgreement[];
  cache: PeerKeyCache | null;
  accel: CryptoAccel | null;
  /** Suites accepted from this peer (no downgrade); null: any suite I hold a key for. */
  suitesFor: ((peer: string) => number[]) | null;
  /** AEADs accepted; null: any this board runs. */
  aeads: number[] | null;
  /** My wall clock (Unix ms) and the accepted window; maxAgeMs 0 turns the time check off. */
  now: number;
  maxAgeMs: number;
  maxFutureMs: number;
  /** The challenge I issued for this exchange: the message must echo it. Null: none expected. */
  expectChallenge: Uint8Array | null;
  replay: ReplayCache | null;
}

function contains(list: number[], v: number): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === v) return true;
  return false;
}

/** Every check of docs/FAXNIKS.md §5.4 that the header alone allows; returns the agreement to use. */
export function checkHeader(h: EnvelopeHeader, p: OpenPolicy): KeyAgreement {
  const mine: KeyAgreement[] = [];
  let anyMe = false;
  for (let i = 0; i < p.agreements.length; i++) {
    const a = p.agreements[i];
    if (a.identity === h.sender) throw envelopeError('reflection', 'sender ' + h.sender + ' is myself (reflected message)');
    if (a.identity === h.recipient) {
      anyMe = true;
      if (a.suite === h.suite) mine.push(a);
    }
  }
  if (!anyMe) throw envelopeError('recipient', 'addressed to ' + h.recipient + ', not to me');
  if (mine.length === 0) throw envelopeError('suite', suiteName(h.suite) + ': I hold no key of that suite');
  if (p.suitesFor && !contains(p.suitesFor(h.sender), h.suite)) {
    throw envelopeError('suite', suiteName(h.suite) + ' is not allowed for ' + h.sender + ' (downgrade?)');
  }
  let ka: KeyAgreement | null = null;
  for (let i = 0; i < mine.length; i++) if (mine[i].epoch === h.epoch) ka = mine[i];
  if (!ka) throw envelopeError('epoch', 'epoch ' + h.epoch + ' unknown for ' + suiteName(h.suite));
  if ((p.aeads && !contains(p.aeads, h.aead)) || !aeadAvailable(h.aead, p.accel)) {
    throw envelopeError('aead', aeadName(h.aead) + ' not accepted here');
  }
  if (p.expectChallenge) {
    if (!h.challenge || !equalCT(h.challenge, p.expectChallenge)) throw envelopeError('challenge', 'does not echo my challenge (replayed request?)');
  }
  if (p.maxAgeMs > 0) {
    if (h.timestamp < p.now - p.maxAgeMs) throw envelopeError('stale', 'timestamp older than the accepted window');
    if (h.timestamp > p.now + p.maxFutureMs) throw envelopeError('future', 'timestamp in the future');
  }
  if (p.replay && p.replay.seen(h.sender, h.salt)) throw envelopeError('replay', 'message already received (same sender and salt)');
  return ka;
}

/**
 * Opens an envelope fed in arbitrary chunks: `push` returns the plaintext of each segment as soon
 * as its tag verifies, `finish` opens the last one. Any throw means: discard everything released
 * so far (a later segment failed). The message counts as received only when finish() returns.
 */
export class EnvelopeOpener {
  policy: OpenPolicy;
  /** Unconsumed input is buf[pos..]. */
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  header: EnvelopeHeader | null = null;
  aead: SegmentAead | null = null;
  agreement: KeyAgreement | null = null;
  prk: Uint8Array | null = null;
  counter = 0;
  done = false;

  constructor(policy: OpenPolicy) {
    this.policy = policy;
  }

  available(): number {
    return this.buf.length - this.pos;
  }

  append(bytes: Uint8Array): void {
    const rest = this.available();
    const nb = new Uint8Array(rest + bytes.length);
    nb.set(this.buf.subarray(this.pos), 0);
    nb.set(bytes, rest);
    this.buf = nb;
    this.pos = 0;
  }

  take(n: number): Uint8Array {
    const out = copyOf(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  startIfReady(): void {
    if (this.header) return;
    const n = headerLength(this.buf.subarray(this.pos));
    if (n < 0 || this.available() < n) return;
    const h = decodeHeader(this.take(n));
    const ka = checkHeader(h, this.policy);
    // The pair key is looked up but not cached yet: anyone can send a header naming any sender,
    // so a key is kept only once a tag made with it has verified (openOne).
    const prk = pairKey(ka, h.sender, this.policy.cache, false);
    const dir = directionalKey(prk, h.aead, h.sender, h.recipient);
    this.aead = segmentAead(h.aead, messageKeys(dir, h.salt, h.aead, aeadKeyMaterialLength(h.aead)), h.salt.subarray(0, NONCE_PREFIX_BYTES), this.policy.accel);
    this.header = h;
    this.agreement = ka;
    this.prk = prk;
  }

  openOne(sealed: Uint8Array, last: boolean): Uint8Array {
    const h = this.header as EnvelopeHeader;
    const aad = this.counter === 0 ? h.bytes : new Uint8Array(0);
    const plain = (this.aead as SegmentAead).open(this.counter, last, aad, sealed);
    if (!plain) throw envelopeError('tag', 'segment ' + this.counter + (last ? ' (last)' : '') + ' does not authenticate');
    if (this.counter === 0) rememberPairKey(this.agreement as KeyAgreement, h.sender, this.policy.cache, this.prk as Uint8Array);
    this.counter++;
    return plain;
  }

  push(bytes: Uint8Array): Uint8Array {
    if (this.done) throw envelopeError('trailing', 'data after the end of the envelope');
    this.append(bytes);
    this.startIfReady();
    if (!this.header) return new Uint8Array(0);
    const whole = this.header.segmentSize + (this.aead as SegmentAead).tagLength;
    const parts: Uint8Array[] = [];
    // Strictly more than one segment buffered: this one is not the last.
    while (this.available() > whole) parts.push(this.openOne(this.take(whole), false));
    return parts.length === 1 ? parts[0] : concat(parts);
  }

  finish(): Uint8Array {
    if (this.done) throw envelopeError('trailing', 'finish called twice');
    this.startIfReady();
    if (!this.header) throw envelopeError('truncated', 'input ends inside the header');
    const tagLen = (this.aead as SegmentAead).tagLength;
    if (this.available() < tagLen) throw envelopeError('truncated', 'input ends before the last segment\'s tag');
    const plain = this.openOne(this.take(this.available()), true);
    this.done = true;
    if (this.policy.replay) this.policy.replay.remember(this.header.sender, this.header.salt, this.header.timestamp);
    return plain;
  }
}

/** Seals a whole message held in memory (hosts, tests; the device uses EnvelopeSealer directly). */
export function sealMessage(p: SealParams, plain: Uint8Array): Uint8Array {
  const s = new SealStream(p);
  const parts = s.pushParts(plain);
  parts.push(s.finish());
  return concat(parts);
}

export interface OpenedMessage {
  header: EnvelopeHeader;
  plain: Uint8Array;
}

export function openMessage(p: OpenPolicy, sealed: Uint8Array): OpenedMessage {
  const o = new EnvelopeOpener(p);
  const a = o.push(sealed);
  const b = o.finish();
  return { header: o.header as EnvelopeHeader, plain: concat([a, b]) };
}
