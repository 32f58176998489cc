// One connection of the owner's client program to the appliance (docs/LAN-PROTOCOL.md), over
// the HAL's callback TCP socket: node:net in real use (hal/node/net.ts), the simulator's LAN in
// virtual-time tests (sim/board/net.ts) — so the same code is tested in milliseconds and used
// for real. It answers notices and pushed job results (acknowledgement), asks for lists and
// documents, and receives pushed documents; a document is handed to `onDocument` only after the envelope's last tag
// verified (FAXNIKS §5.2), and acknowledged only when that callback says it is saved.
import type { TcpSocket } from '../../hal/net.ts';
import type { CryptoAccel } from '../../hal/crypto.ts';
import type { Entropy } from '../../hal/entropy.ts';
import type { KeyAgreement, PeerKeyCache } from '../../firmware/crypto/keys.ts';
import { MemoryPeerKeyCache } from '../../firmware/crypto/keys.ts';
import { CHALLENGE_BYTES, SealStream, sealMessage } from '../../firmware/crypto/envelope.ts';
import { EnvelopeOpener, decodeHeader, openMessage } from '../../firmware/crypto/envelope-open.ts';
import type { SealParams } from '../../firmware/crypto/envelope.ts';
import type { OpenPolicy } from '../../firmware/crypto/envelope-open.ts';
import { AEAD_CHACHA20_POLY1305, SUITE_POLY_GF128 } from '../../firmware/crypto/suites.ts';
import { Sha256 } from '../../firmware/crypto/sha256.ts';
import { toHex } from '../../firmware/crypto/bytes.ts';
import { readTiff } from '../image/tiff.ts';
import type { TiffPageInfo } from '../image/tiff.ts';
import {
  FRAME_CHUNK, FRAME_CLEAR, FRAME_END, FRAME_ERROR, FRAME_HELLO, FRAME_MESSAGE, FrameReader, PROTOCOL_VERSION,
  decodeError, decodeHello, encodeError, encodeFrame, encodeHello, frameName,
} from '../../firmware/lan/frame.ts';
import type { Frame } from '../../firmware/lan/frame.ts';
import { MSG_ACK, MSG_DOCUMENT, MSG_LIST, MSG_LISTING, MSG_NOTICE, MSG_REFUSAL, MSG_REQUEST, MSG_TEXT_PART, jsonBytes } from '../../firmware/lan/messages.ts';
import { DocStreamParser, messageName, parseListing, parseNotice, parseRefusal, parseTextPart } from '../../firmware/lan/messages-parse.ts';
import type { DocSummary, Listing, Notice, PageHead, Refusal, TextPart } from '../../firmware/lan/messages.ts';
import { parseBody } from '../../firmware/lan/messages-parse.ts';
import { MSG_JOB_RESULT, parseJobStatus } from '../../firmware/lan/job-messages.ts';
import type { JobStatus } from '../../firmware/lan/job-messages.ts';

export interface ClientKeys {
  agreements: KeyAgreement[];
  accel: CryptoAccel | null;
  entropy: Entropy;
  /** Wall clock (Unix ms) for the envelope's timestamp. */
  now: () => number;
}

export interface ReceivedPage {
  head: PageHead;
  data: Uint8Array;
}

export interface ReceivedDocument {
  summary: DocSummary;
  pages: ReceivedPage[];
  /** False for protection "text": the image came unencrypted (its hash was checked). */
  imageEncrypted: boolean;
  appliance: string;
}

/** Why an operation did not succeed: a sealed refusal, an ERROR frame, or the connection. */
export class ClientError extends Error {
  constructor(readonly code: string, message: string, readonly refusal: Refusal | null = null) {
    super(message);
  }
}

export interface SessionHooks {
  /** The appliance's identity we expect (list/fetch); null: any (listen). */
  appliance: string | null;
  onNotice?: (n: Notice, s: ClientSession) => void;
  /** A job of ours ended: its result, pushed by the appliance (docs/FAX-SERVER.md §3); acknowledged already. */
  onJobResult?: (j: JobStatus, s: ClientSession) => void;
  /** A document arrived whole and verified: save it; return '' when saved (then it is acknowledged) or why not. */
  onDocument?: (d: ReceivedDocument, s: ClientSession) => string;
  onClose?: (reason: string) => void;
  /** Progress lines (verbose). */
  log?: (line: string) => void;
}

interface Op {
  kind: 'list' | 'fetch' | 'exchange';
  box: string;
  doc: number;
  code: string;
  /** exchange: the message to send (a JSON body, or a plaintext sent as a streamed envelope) and the replies that answer it. */
  type?: number;
  body?: unknown;
  stream?: Uint8Array;
  expect?: number[];
  cb: (err: ClientError | null, r: Listing | ReceivedDocument | Reply | null) => void;
}

/** A sealed reply to an exchange, opened and verified. */
export interface Reply {
  type: number;
  plain: Uint8Array;
}

/** Largest CHUNK frame the client sends. */
const CHUNK_BYTES = 16384;

/** Largest clear TIFF a text-only document may bring. */
const MAX_CLEAR_TIFF = 64 << 20;

function concatAll(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * The pages of a text-only document's TIFF-F as received pages: each page's strips as coded (no
 * re-coding), read by the project's TIFF reader, which also decodes them as a check.
 */
function tiffPages(tif: Uint8Array, expected: number): ReceivedPage[] {
  const pages = readTiff(tif);
  if (pages.length !== expected) throw new Error(pages.length + ' pages, the sealed text part says ' + expected);
  return pages.map((p, i) => {
    const info = p.info as TiffPageInfo;
    if (info.coding === 'none') throw new Error('page ' + (i + 1) + ' is not fax-coded');
    return {
      head: { page: i + 1, coding: info.coding, width: p.width, linesPerMm: p.yDpi < 150 ? 3.85 : p.yDpi < 300 ? 7.7 : 15.4, bitOrder: info.fillOrder === 2 ? 'lsb-first' : 'msb-first' },
      data: concatAll(info.strips),
    };
  });
}

interface Incoming {
  summary: DocSummary | null;
  pages: ReceivedPage[];
  parts: Uint8Array[];
  head: PageHead | null;
  parser: DocStreamParser;
  opener: EnvelopeOpener | null;
  hash: Sha256 | null;
  text: TextPart | null;
  ended: boolean;
  /** Text-only: bytes of the clear TIFF so far. */
  tiffBytes: number;
}

export class ClientSession {
  private reader = new FrameReader();
  private mine = new Uint8Array(CHALLENGE_BYTES);
  private theirs: Uint8Array | null = null;
  /** The appliance sent a challenge not yet used by a request of mine. */
  private fresh = false;
  peer = '';
  private ops: Op[] = [];
  private current: Op | null = null;
  private incoming: Incoming | null = null;
  private cache: PeerKeyCache = new MemoryPeerKeyCache(4);
  closed = false;
  /** Bytes received and sent (tests, bench). */
  bytesIn = 0;

  constructor(readonly sock: TcpSocket, readonly keys: ClientKeys, readonly hooks: SessionHooks) {
    const me = this;
    sock.onReadable = function () {
      me.readable();
    };
    sock.onClose = function (err: string | null) {
      me.end(err ? err : 'the appliance closed the connection', 'closed');
    };
  }

  /** Call when the socket is connected (at once for an accepted one). */
  start(): void {
    this.hello();
    if (this.sock.readable() > 0) this.readable();
  }

  private log(s: string): void {
    if (this.hooks.log) this.hooks.log(s);
  }

  private hello(): void {
    this.keys.entropy.fill(this.mine);
    this.sock.write(encodeHello({ version: PROTOCOL_VERSION, challenge: this.mine, identity: this.myAgreement().identity }));
  }

  /** The appliance runs POLY-GF128 only (docs/FAXNIKS.md §3.2): that is the key used toward it. */
  private myAgreement(): KeyAgreement {
    for (let i = 0; i < this.keys.agreements.length; i++) if (this.keys.agreements[i].suite === SUITE_POLY_GF128) return this.keys.agreements[i];
    return this.keys.agreements[0];
  }

  list(box: string, cb: (err: ClientError | null, l: Listing | null) => void): void {
    this.ops.push({ kind: 'list', box, doc: -1, code: '', cb: cb as Op['cb'] });
    this.nextOp();
  }

  fetch(box: string, doc: number, code: string, cb: (err: ClientError | null, d: ReceivedDocument | null) => void): void {
    this.ops.push({ kind: 'fetch', box, doc, code, cb: cb as Op['cb'] });
    this.nextOp();
  }

  /**
   * Send a sealed message of content `type` (a JSON `body`, or `stream`: a plaintext sent as a
   * streamed envelope in CHUNK frames and END) and wait for a reply of one of the `expect`
   * types (a refusal ends it with a ClientError). Used by the fax server's messages (send jobs,
   * status, cancel, journal: host/client/jobs.ts).
   */
  exchange(type: number, body: unknown, stream: Uint8Array | null, expect: number[], cb: (err: ClientError | null, r: Reply | null) => void): void {
    this.ops.push({ kind: 'exchange', box: '', doc: -1, code: '', type, body, stream: stream || undefined, expect, cb: cb as Op['cb'] });
    this.nextOp();
  }

  close(): void {
    this.end('closed by the client', 'closed');
  }

  private nextOp(): void {
    if (this.closed || this.current || !this.fresh || this.incoming || this.ops.length === 0) return;
    const op = this.ops.shift() as Op;
    this.current = op;
    // A new challenge of mine for the reply to this request.
    this.hello();
    if (op.kind === 'list') this.sendSealed(MSG_LIST, { box: op.box });
    else if (op.kind === 'exchange' && op.stream) this.sendStream(op.type as number, op.stream);
    else if (op.kind === 'exchange') this.sendSealed(op.type as number, op.body);
    else this.sendSealed(MSG_REQUEST, { box: op.box, doc: op.doc, code: op.code });
  }

  private sealParams(type: number): SealParams {
    return {
      agreement: this.myAgreement(),
      to: this.peer,
      // Requests and acknowledgements are short: ChaCha20-Poly1305, which every appliance runs
      // (AES-CTR + HMAC needs a board's engine, docs/FAXNIKS.md §5.3).
      aead: AEAD_CHACHA20_POLY1305,
      contentType: type,
      timestamp: Math.floor(this.keys.now()),
      challenge: this.theirs,
      segmentSize: 1024,
      entropy: this.keys.entropy,
      cache: this.cache,
      accel: this.keys.accel,
    };
  }

  private sendSealed(type: number, body: unknown): void {
    // The appliance's challenge is used up: the next request waits for its next HELLO.
    this.fresh = false;
    this.sock.write(encodeFrame(FRAME_MESSAGE, sealMessage(this.sealParams(type), jsonBytes(body))));
  }

  /** A plaintext as one streamed envelope: CHUNK frames, then END. */
  private sendStream(type: number, plain: Uint8Array): void {
    this.fresh = false;
    const s = new SealStream(this.sealParams(type));
    const send = (b: Uint8Array) => {
      for (let o = 0; o < b.length; o += CHUNK_BYTES) this.sock.write(encodeFrame(FRAME_CHUNK, b.subarray(o, Math.min(b.length, o + CHUNK_BYTES))));
    };
    for (let o = 0; o < plain.length; o += CHUNK_BYTES) send(s.push(plain.subarray(o, Math.min(plain.length, o + CHUNK_BYTES))));
    send(s.finish());
    this.sock.write(encodeFrame(FRAME_END, new Uint8Array(0)));
  }

  private policy(): OpenPolicy {
    return {
      agreements: this.keys.agreements,
      cache: this.cache,
      accel: this.keys.accel,
      suitesFor: null,
      aeads: null,
      now: this.keys.now(),
      maxAgeMs: 0,
      maxFutureMs: 0,
      expectChallenge: this.mine,
      replay: null,
    };
  }

  private end(reason: string, code: string): void {
    if (this.closed) return;
    this.closed = true;
    this.sock.onReadable = null;
    this.sock.onClose = null;
    this.sock.close();
    const err = new ClientError(code, reason);
    const pending = this.current ? [this.current].concat(this.ops) : this.ops;
    this.current = null;
    this.ops = [];
    for (const op of pending) op.cb(err, null);
    if (this.hooks.onClose) this.hooks.onClose(reason);
  }

  private fail(code: string, reason: string): void {
    if (!this.closed) this.sock.write(encodeError(code, reason));
    this.end(reason, code);
  }

  private readable(): void {
    while (!this.closed) {
      let f: Frame | null;
      try {
        f = this.reader.next();
        if (!f) {
          const n = this.sock.readable();
          if (n === 0) return;
          const b = this.sock.read(65536);
          this.bytesIn += b.length;
          this.reader.push(b);
          continue;
        }
      } catch (e) {
        return this.fail('frame', (e as Error).message);
      }
      try {
        this.frame(f);
      } catch (e) {
        const code = (e as { code?: string }).code || 'malformed';
        return this.fail(code, (e as Error).message);
      }
    }
  }

  private frame(f: Frame): void {
    if (f.type === FRAME_HELLO) {
      const h = decodeHello(f.payload);
      if (h.version !== PROTOCOL_VERSION) return this.fail('version', 'the appliance speaks protocol version ' + h.version);
      if (this.hooks.appliance && h.identity !== this.hooks.appliance) {
        return this.fail('identity', 'the appliance at this address is ' + h.identity + ', not ' + this.hooks.appliance);
      }
      this.peer = h.identity;
      this.theirs = h.challenge;
      this.fresh = true;
      this.nextOp();
      return;
    }
    if (f.type === FRAME_ERROR) {
      const e = decodeError(f.payload);
      return this.end('the appliance refused: ' + e.code + (e.text ? ' (' + e.text + ')' : ''), e.code);
    }
    if (!this.peer) return this.fail('protocol', 'expected HELLO, got ' + frameName(f.type));
    if (f.type === FRAME_MESSAGE) return this.message(f.payload);
    if (f.type === FRAME_CHUNK) return this.chunk(f.payload);
    if (f.type === FRAME_CLEAR) return this.clear(f.payload);
    if (f.type === FRAME_END) return this.endOfStream();
    this.fail('protocol', 'unexpected ' + frameName(f.type));
  }

  private newIncoming(): Incoming {
    const inc: Incoming = {
      summary: null, pages: [], parts: [], head: null, opener: null, hash: null, text: null, ended: false, tiffBytes: 0,
      parser: null as unknown as DocStreamParser,
    };
    const flush = () => {
      if (inc.head) {
        let n = 0;
        for (const p of inc.parts) n += p.length;
        const data = new Uint8Array(n);
        let o = 0;
        for (const p of inc.parts) { data.set(p, o); o += p.length; }
        inc.pages.push({ head: inc.head, data });
      }
      inc.parts = [];
    };
    inc.parser = new DocStreamParser({
      doc: (s) => { inc.summary = s; },
      page: (p) => { flush(); inc.head = p; },
      data: (b) => { inc.parts.push(b.slice()); },
      end: () => { flush(); inc.head = null; inc.ended = true; },
    });
    return inc;
  }

  private message(payload: Uint8Array): void {
    const h = decodeHeader(payload);
    if (h.sender !== this.peer) return this.fail('identity', 'message from ' + h.sender + ' on a connection with ' + this.peer);
    const m = openMessage(this.policy(), payload);
    const type = m.header.contentType;
    this.log('received ' + messageName(type));
    if (type === MSG_NOTICE) {
      const n = parseNotice(m.plain);
      this.sendSealed(MSG_ACK, { doc: n.doc, of: 'notice' });
      if (this.hooks.onNotice) this.hooks.onNotice(n, this);
      return;
    }
    if (type === MSG_JOB_RESULT) {
      const j = parseJobStatus(parseBody(m.plain));
      this.sendSealed(MSG_ACK, { doc: j.job, of: 'result' });
      if (this.hooks.onJobResult) this.hooks.onJobResult(j, this);
      return;
    }
    if (type === MSG_TEXT_PART) {
      const t = parseTextPart(m.plain);
      const inc = this.newIncoming();
      inc.text = t;
      inc.hash = new Sha256();
      this.incoming = inc;
      return;
    }
    const op = this.current;
    if (type === MSG_LISTING && op && op.kind === 'list') {
      this.current = null;
      op.cb(null, parseListing(m.plain));
      this.nextOp();
      return;
    }
    if (op && op.kind === 'exchange' && op.expect && op.expect.indexOf(type) >= 0) {
      this.current = null;
      op.cb(null, { type, plain: m.plain });
      this.nextOp();
      return;
    }
    if (type === MSG_REFUSAL && op) {
      const r = parseRefusal(m.plain);
      this.current = null;
      op.cb(new ClientError(r.code, r.text, r), null);
      this.nextOp();
      return;
    }
    this.fail('protocol', 'unexpected ' + messageName(type));
  }

  private chunk(p: Uint8Array): void {
    if (!this.incoming) {
      const inc = this.newIncoming();
      inc.opener = new EnvelopeOpener(this.policy());
      this.incoming = inc;
    }
    const inc = this.incoming;
    if (!inc.opener) return this.fail('protocol', 'CHUNK during a clear image');
    const plain = inc.opener.push(p);
    const h = inc.opener.header;
    if (h && h.contentType !== MSG_DOCUMENT) return this.fail('protocol', 'a streamed ' + messageName(h.contentType));
    if (h && h.sender !== this.peer) return this.fail('identity', 'document from ' + h.sender);
    // Provisional until finish(): parsed, but nothing is saved before the last tag verified.
    if (plain.length) inc.parser.push(plain);
  }

  private clear(p: Uint8Array): void {
    const inc = this.incoming;
    if (!inc || !inc.hash) return this.fail('protocol', 'CLEAR without a text part');
    inc.hash.update(p);
    // The clear image is an ordinary TIFF-F file (docs/LAN-PROTOCOL.md §4): kept whole until END.
    if (inc.text) {
      inc.tiffBytes += p.length;
      if (inc.tiffBytes > MAX_CLEAR_TIFF) return this.fail('malformed', 'the unencrypted image is larger than ' + (MAX_CLEAR_TIFF >> 20) + ' MB');
      inc.parts.push(p.slice());
    } else inc.parser.push(p);
  }

  private endOfStream(): void {
    const inc = this.incoming;
    if (!inc) return this.fail('protocol', 'END without a document');
    if (inc.opener) {
      const last = inc.opener.finish();
      if (last.length) inc.parser.push(last);
    } else if (inc.hash && inc.text) {
      const got = toHex(inc.hash.digest());
      if (got !== inc.text.sha256) return this.fail('hash', 'the unencrypted image does not match the hash in its sealed text part (altered on the way?)');
      try {
        inc.pages = tiffPages(concatAll(inc.parts), inc.text.pages);
      } catch (e) {
        return this.fail('malformed', 'the unencrypted image is not a fax TIFF: ' + (e as Error).message);
      }
      inc.summary = inc.text;
      inc.ended = true;
    }
    if (!inc.ended || !inc.summary) return this.fail('malformed', 'document ended before its end record');
    this.incoming = null;
    const summary = inc.text ? inc.text : inc.summary;
    const d: ReceivedDocument = { summary, pages: inc.pages, imageEncrypted: !inc.text, appliance: this.peer };
    const why = this.hooks.onDocument ? this.hooks.onDocument(d, this) : '';
    const op = this.current;
    if (why) {
      this.sendSealed(MSG_REFUSAL, { code: 'not-saved', text: why.substring(0, 190) });
    } else {
      this.sendSealed(MSG_ACK, { doc: summary.doc, of: 'document' });
    }
    if (op && op.kind === 'fetch') {
      this.current = null;
      op.cb(why ? new ClientError('not-saved', why) : null, why ? null : d);
    }
    this.nextOp();
  }
}
