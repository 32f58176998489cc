// The FAXNIKS envelope (docs/FAXNIKS.md §5) as it is read: the header's parser, the policy checks
// (suite, AEAD, epoch, identities, the timestamp window, the challenge, replays) and the opener,
// segment by segment. The format and the sealing side are envelope.ts.
import type { CryptoAccel } from '../../hal/crypto.ts';
import { aeadAvailable, aeadKeyMaterialLength, NONCE_PREFIX_BYTES, segmentAead } from './aead.ts';
import type { SegmentAead } from './aead.ts';
import { concat, copyOf, equalCT, fromAscii, isZero, readU32, readU64, toHex } from './bytes.ts';
import { isCanonicalIdentity } from './identity.ts';
import { directionalKey, messageKeys, pairKey, rememberPairKey } from './keys.ts';
import type { KeyAgreement, PeerKeyCache } from './keys.ts';
import { aeadName, suiteName } from './suites.ts';
import { FLAG_CHALLENGE, HEADER_FIXED_BYTES, MAGIC, MAX_SEGMENT, MIN_SEGMENT, VERSION, envelopeError } from './envelope.ts';
import type { EnvelopeHeader } from './envelope.ts';

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
