// The appliance's LAN service (docs/LAN-PROTOCOL.md): an active object on hal/net that
//  - listens on `lan.listen` for box owners' computers asking for a list or a document, and
//  - connects to an owner's computer to deliver a notice or push a document (it is the LAN
//    transport of the delivery agent, firmware/delivery/agent.ts), and to a LAN sender's
//    computer to push its job's result (result-push.ts, docs/FAX-SERVER.md §3).
// Each connection is a small state machine (CONN_STATES, one handler per state, a trace line
// per transition). Both ends send a HELLO with a fresh random challenge as soon as the
// connection is up; every sealed message must echo the challenge of the side that receives it,
// and the appliance sends a new HELLO (a new challenge) after every exchange, so no message
// can be replayed (FAXNIKS §5.4). Documents are read from flash and sealed one envelope segment
// per kernel dispatch (the PUMP event, at this object's low priority): the modem and T.30 objects
// run between any two slices, and no document is ever whole in RAM.
import type { Net, TcpListener, TcpSocket } from '../../hal/net.ts';
import { Active, TimeEvt, ENTRY } from '../kernel/index.ts';
import type { Evt, State } from '../kernel/index.ts';
import type { Store, DocInfo } from '../store/index.ts';
import type { TiffSource } from '../print/tiff-source.ts';
import { journalAdd } from '../store/index.ts';
import type { Mailbox, BoxSettings } from '../mailbox/index.ts';
import { LOCK_AFTER } from '../mailbox/index.ts';
import { CHALLENGE_BYTES, SealStream, sealMessage } from '../crypto/envelope.ts';
import { decodeHeader, openMessage } from '../crypto/envelope-open.ts';
import type { EnvelopeError } from '../crypto/envelope.ts';
import { Sha256 } from '../crypto/sha256.ts';
import { PolyAgreement, PolyPairKeyJob } from '../crypto/poly.ts';
import { toHex } from '../crypto/bytes.ts';
import type { CryptoContext } from '../delivery/keys.ts';
import { openPolicy, sealParams } from '../delivery/keys.ts';
import type { DeliveryAgent, DeliveryJob, DeliveryTransport } from '../delivery/agent.ts';
import { DocumentSource, docSummary } from './document-source.ts';
import { listenForOwners } from './listen.ts';
import {
  FRAME_CHUNK,
  FRAME_CLEAR,
  FRAME_END,
  FRAME_ERROR,
  FRAME_HELLO,
  FRAME_MESSAGE,
  FrameReader,
  PROTOCOL_VERSION,
  decodeError,
  decodeHello,
  encodeError,
  encodeFrame,
  encodeHello,
  frameName,
} from './frame.ts';
import type { Frame, LanError } from './frame.ts';
import { MSG_ACK, MSG_DOCUMENT, MSG_LIST, MSG_LISTING, MSG_NOTICE, MSG_REFUSAL, MSG_REQUEST, MSG_TEXT_PART, jsonBytes } from './messages.ts';
import { messageName, parseAck, parseList, parseRequest } from './messages-parse.ts';
import type { DocSummary, Refusal } from './messages.ts';
import type { LanSettings } from './settings.ts';
import { isJobMessage, MSG_JOB_RESULT } from './job-codes.ts';
import type { JobUpload } from './job-upload.ts';
import { jobsPeer } from './job-peers.ts';
import type { LanJobsDeps } from './job-peers.ts';
import type { JobConn } from './job-service.ts';
import type { JobStatus } from './job-messages.ts';
import type { PendingResult, ResultOutbox } from './result-push.ts';
import { RESULTS_SETTING } from './settings.ts';
import { savedList } from '../delivery/outbox.ts';
import type { onJobMessage, onJobUploaded, statusOf } from './job-service.ts';
import type { resultAddress } from './result-push.ts';
import type { JobView } from '../jobs/index.ts';

/** Largest CHUNK/CLEAR frame the appliance sends. */
const CHUNK_BYTES = 4096;
/** Bytes read from a socket per dispatch (one frame limit and a header). */
const READ_BYTES = 4096;
const TICK_MS = 500;
/** POLY share blocks absorbed per step while computing an owner's pair key (~30 ms on a board)… */
const KEY_BLOCKS = 4;
/** …and steps per tick until this much processor time (clock.cpu()) is used. */
const KEY_SLICE_MS = 20;

interface ConnEvt extends Evt {
  conn: LanConn;
}

/** What a connection is doing; handlers take the service, the connection and a frame or a signal. */
interface ConnState {
  name: string;
  /** A complete frame arrived (only called in states that read). */
  frame: ((svc: LanService, c: LanConn, f: Frame) => void) | null;
  /** PUMP: produce the next slice (streaming states). */
  pump: ((svc: LanService, c: LanConn) => void) | null;
}

/** What a document streams from: its record stream (sealed), or its TIFF-F file (text-only, clear). */
interface ChunkSource {
  next(): Uint8Array | null;
  finished: boolean;
}

/** protection "text": the image goes as an ordinary TIFF-F file (docs/LAN-PROTOCOL.md §4), streamed from flash. */
class TiffChunks implements ChunkSource {
  tiff: TiffSource;
  finished = false;
  constructor(code: LanCode['tiff'], store: Store, info: DocInfo) {
    this.tiff = new code.TiffSource(store, info);
  }
  next(): Uint8Array | null {
    const b = this.tiff.read(CHUNK_BYTES);
    if (!b) this.finished = true;
    return b;
  }
}

interface Streaming {
  doc: number;
  /** Why the document goes out: 'request' (the owner asked) or 'push' (automatic delivery). */
  purpose: string;
  source: ChunkSource;
  sealer: SealStream | null;
  /** protection "text": first the hash pass, then the text part and the clear records. */
  hash: Sha256 | null;
  hashing: boolean;
  summary: DocSummary;
  box: BoxSettings;
}

export class LanConn {
  id: number;
  sock: TcpSocket;
  reader = new FrameReader();
  state: ConnState = C_HELLO;
  outbound: boolean;
  /** My current challenge (the next sealed message from the peer must echo it). */
  mine = new Uint8Array(CHALLENGE_BYTES);
  /** The peer's current challenge (my next sealed message echoes it). */
  theirs: Uint8Array | null = null;
  /** The identity the peer's HELLO claims (authenticated only by its sealed messages). */
  peer = '';
  /** Monotonic ms after which the connection is closed in its current state. */
  deadline = 0;
  job: DeliveryJob | null = null;
  done: ((ok: boolean, reason: string) => void) | null = null;
  stream: Streaming | null = null;
  /** The document (and purpose) whose acknowledgement AWAIT_ACK waits for. */
  awaitDoc = -1;
  awaitOf = '';
  closed = false;
  pumping = false;
  /** A send job's pages being received (C_UPLOAD). */
  upload: JobUpload | null = null;
  /** An outbound push of a job's result to its sender (result-push.ts). */
  result: PendingResult | null = null;
  /**
   * Bytes the socket did not take yet (it pushes back while its own buffer is over its mark),
   * sent in order when it says it is writable; a document's next slice waits until this is empty,
   * so a slow reader holds one slice here, not the document (on the board the socket's buffer is
   * in variables too).
   */
  out: Uint8Array[] | null = null;

  constructor(id: number, sock: TcpSocket, outbound: boolean) {
    this.id = id;
    this.sock = sock;
    this.outbound = outbound;
  }
}

// ---- connection states -------------------------------------------------------------------

/** Waiting for the peer's HELLO (both sides sent theirs when the connection came up). */
const C_HELLO: ConnState = {
  name: 'HELLO',
  frame(svc, c, f) {
    if (f.type !== FRAME_HELLO) return svc.refuse(c, 'protocol', 'expected HELLO, got ' + frameName(f.type));
    const h = decodeHello(f.payload);
    if (h.version !== PROTOCOL_VERSION) return svc.refuse(c, 'version', 'protocol version ' + h.version + ' not supported (this is ' + PROTOCOL_VERSION + ')');
    c.theirs = h.challenge;
    c.peer = h.identity;
    if (c.outbound && c.job) svc.startJob(c);
    else if (c.outbound && c.result) svc.startResult(c);
    else svc.enter(c, C_IDLE, 'HELLO', svc.idleMs());
  },
  pump: null,
};

/** Serving: waiting for a sealed request (list, request) that echoes my challenge. */
const C_IDLE: ConnState = {
  name: 'IDLE',
  frame(svc, c, f) {
    if (f.type === FRAME_HELLO) {
      c.theirs = decodeHello(f.payload).challenge; // the client may refresh its challenge
      return;
    }
    if (f.type !== FRAME_MESSAGE) return svc.refuse(c, 'protocol', 'expected a MESSAGE, got ' + frameName(f.type));
    svc.onRequest(c, f.payload);
  },
  pump: null,
};

/** Sealing and sending a document, one segment per PUMP; no input is read meanwhile. */
const C_STREAM: ConnState = {
  name: 'STREAM',
  frame: null,
  pump(svc, c) {
    svc.streamSlice(c);
  },
};

/** The document or notice went out: waiting for the owner's sealed acknowledgement. */
const C_AWAIT_ACK: ConnState = {
  name: 'AWAIT_ACK',
  frame(svc, c, f) {
    if (f.type === FRAME_HELLO) {
      c.theirs = decodeHello(f.payload).challenge;
      return;
    }
    if (f.type === FRAME_ERROR) {
      const e = decodeError(f.payload);
      return svc.fail(c, 'owner refused: ' + e.code + ' ' + e.text);
    }
    if (f.type !== FRAME_MESSAGE) return svc.refuse(c, 'protocol', 'expected an acknowledgement, got ' + frameName(f.type));
    svc.onAck(c, f.payload);
  },
  pump: null,
};

/** Receiving a send job's pages: CHUNK frames of one sealed stream, then END (job-upload.ts). */
const C_UPLOAD: ConnState = {
  name: 'UPLOAD',
  frame(svc, c, f) {
    if (f.type === FRAME_HELLO) {
      c.theirs = decodeHello(f.payload).challenge; // the client's challenge for the reply
      return;
    }
    const up = c.upload as JobUpload;
    if (f.type === FRAME_CHUNK) {
      up.push(f.payload);
      c.deadline = svc.now() + svc.idleMs();
      return;
    }
    if (f.type !== FRAME_END) return svc.refuse(c, 'protocol', 'expected the job\'s pages, got ' + frameName(f.type));
    c.upload = null;
    try {
      svc.jobs().onJobUploaded(svc.deps.jobs as LanJobsDeps, svc.jobConn(c, up.sender), up);
    } catch (e) {
      up.abort();
      throw e;
    }
  },
  pump: null,
};

const C_CLOSED: ConnState = { name: 'CLOSED', frame: null, pump: null };

// ---- the active object ----------------------------------------------------------------------

const OFF: State<LanService> = {
  name: 'OFF',
  on(me, e) {
    if (e === ENTRY) me.trace(me.why);
  },
};

const RUNNING: State<LanService> = {
  name: 'RUNNING',
  on(me, e) {
    if (e === ENTRY) {
      if (!me.deps.listensElsewhere) me.startListening();
      me.tick.arm(TICK_MS, TICK_MS);
      me.warmKeys();
    } else if (e.sig === 'ACCEPT') me.accepted((e as unknown as { sock: TcpSocket }).sock);
    else if (e.sig === 'CONNECTED') me.connected((e as ConnEvt).conn);
    else if (e.sig === 'READABLE') me.readable((e as ConnEvt).conn);
    else if (e.sig === 'WRITABLE') me.flush((e as ConnEvt).conn);
    else if (e.sig === 'PUMP') me.pumped((e as ConnEvt).conn);
    else if (e.sig === 'SOCK_CLOSED') me.sockClosed((e as ConnEvt).conn, (e as unknown as { error: string | null }).error);
    else if (e.sig === 'DELIVER') me.startDelivery(e as unknown as DeliverEvt);
    else if (e.sig === 'TICK' || e.sig === 'PUSH_RESULT') {
      if (e.sig === 'TICK') me.checkDeadlines();
      if (e.sig === 'TICK') me.stepKeys();
      me.pushResult();
    }
  },
};

interface DeliverEvt extends Evt {
  job: DeliveryJob;
  done: (ok: boolean, reason: string) => void;
}

export interface LanServiceDeps {
  net: Net | null;
  store: Store;
  mailbox: Mailbox;
  crypto: CryptoContext | null;
  settings: () => LanSettings;
  agent: DeliveryAgent | null;
  /** The fax server's send queue and who may use it; null: no jobs over the LAN. */
  jobs?: LanJobsDeps | null;
  /**
   * Someone else listens on lan.listen and hands accepted sockets to accepted() (the resident
   * gate of firmware/app/lan-gate.ts, which loads this service only while it has work).
   */
  listensElsewhere?: boolean;
}

/**
 * The code the service loads now and then (modules on the board: firmware/app/lan-jobs-module.ts,
 * tiff-module.ts), as it uses it.
 */
export interface LanCode {
  lanjobs: {
    onJobMessage: typeof onJobMessage;
    onJobUploaded: typeof onJobUploaded;
    statusOf: typeof statusOf;
    ResultOutbox: typeof ResultOutbox;
    resultAddress: typeof resultAddress;
  };
  tiff: { TiffSource: typeof TiffSource };
}

/** Loads and lets go of that code (the appliance's module registry). */
export interface LanCodeLoader {
  load<K extends keyof LanCode>(name: K): LanCode[K];
  release(name: keyof LanCode): void;
}

export class LanService extends Active implements DeliveryTransport {
  conns: LanConn[] = [];
  listener: TcpListener | null = null;
  tick: TimeEvt;
  nextId = 1;
  why = '';
  /** An outbound delivery in progress (one at a time). */
  outboundBusy = false;
  /** Figures for tests and the bench. */
  stats = { accepted: 0, refusedBusy: 0, requests: 0, documentsSent: 0, errors: 0, peakBuffered: 0, slices: 0, resultsPushed: 0, heldBack: 0 };
  /**
   * Job results waiting for their LAN senders (power-safe in the store); null until the job code
   * is loaded (resultBox()), and always without the fax server.
   */
  results: ResultOutbox | null = null;
  /**
   * Code the service needs only now and then, as modules loaded on first need through `loader`
   * (set by the LAN engine: firmware/app/modules.ts) and let go by dropModules(): the fax
   * server's jobs (`lanjobs`) and the TIFF-F file of a text-only box (`tiff`, with the decoder
   * that counts its rows).
   */
  loader: LanCodeLoader | null = null;
  private held: { [name: string]: unknown } = {};

  constructor(prio: number, readonly deps: LanServiceDeps) {
    super('lan', prio, 64, deps.net && deps.crypto ? RUNNING : OFF);
    this.tick = new TimeEvt(this, 'TICK');
    this.why = !deps.net ? 'no network on this board: LAN service off' : !deps.crypto ? 'no FAXNIKS key in the store: LAN service off (faxvault flash --key / sim --key)' : '';
  }

  // DeliveryTransport
  reaches(owner: string): boolean {
    return owner.indexOf('host:') === 0 || owner.indexOf('ip4:') === 0;
  }

  deliver(job: DeliveryJob, done: (ok: boolean, reason: string) => void): boolean {
    if (this.state !== RUNNING || this.outboundBusy) return false;
    // The owner's pair key is still being computed in slices: sealing now would compute it in
    // one go (seconds on a board, with a call perhaps on the line). The agent asks again.
    if (!this.keyReady(job.box.owner)) return false;
    this.outboundBusy = true;
    this.post({ sig: 'DELIVER', job: job, done: done } as DeliverEvt);
    return true;
  }

  idleMs(): number {
    return this.deps.settings().idleSeconds * 1000;
  }

  now(): number {
    return (this.kernel as NonNullable<typeof this.kernel>).now();
  }

  startListening(): void {
    const me = this;
    this.listener = listenForOwners(this.deps.net as Net, this.deps.settings().listen, (this.deps.crypto as CryptoContext).agreement.identity, function (sock: TcpSocket) {
      me.post({ sig: 'ACCEPT', sock: sock } as unknown as Evt);
    }, function (text: string) {
      me.trace(text);
    });
  }

  private hook(c: LanConn): void {
    const me = this;
    c.sock.onReadable = function () {
      me.post({ sig: 'READABLE', conn: c } as ConnEvt);
    };
    c.sock.onWritable = function () {
      me.post({ sig: 'WRITABLE', conn: c } as ConnEvt);
    };
    c.sock.onClose = function (error: string | null) {
      me.post({ sig: 'SOCK_CLOSED', conn: c, error: error } as unknown as Evt);
    };
  }

  private sendHello(c: LanConn): void {
    const ctx = this.deps.crypto as CryptoContext;
    ctx.entropy.fill(c.mine);
    this.put(c, encodeHello({ version: PROTOCOL_VERSION, challenge: c.mine, identity: ctx.agreement.identity }));
  }

  accepted(sock: TcpSocket): void {
    this.stats.accepted++;
    let inbound = 0;
    for (let i = 0; i < this.conns.length; i++) if (!this.conns[i].outbound) inbound++;
    if (inbound >= this.deps.settings().maxConnections) {
      this.stats.refusedBusy++;
      this.trace('connection from ' + sock.remote() + ' refused: ' + inbound + ' already open');
      sock.write(encodeError('busy', 'too many connections; try again later'));
      sock.close();
      return;
    }
    const c = new LanConn(this.nextId++, sock, false);
    this.conns.push(c);
    this.hook(c);
    this.trace('conn ' + c.id + ' from ' + sock.remote());
    this.sendHello(c);
    c.deadline = this.now() + this.deps.settings().helloSeconds * 1000;
    if (sock.readable() > 0) this.readable(c);
  }

  startDelivery(e: DeliverEvt): void {
    const box = e.job.box;
    let host = '';
    let port = this.deps.settings().clientPort;
    if (box.address) {
      const i = box.address.lastIndexOf(':');
      host = box.address.substring(0, i);
      port = parseInt(box.address.substring(i + 1), 10);
    } else host = box.owner.substring(box.owner.indexOf(':') + 1);
    const c = this.openOutbound(host, port, e.job.item.kind + ' of document ' + e.job.info.id);
    c.job = e.job;
    c.done = e.done;
  }

  /** A connection to a computer on the LAN; CONNECTED follows, then both HELLOs. */
  private openOutbound(host: string, port: number, what: string): LanConn {
    const sock = (this.deps.net as Net).connect(host, port);
    const c = new LanConn(this.nextId++, sock, true);
    c.deadline = this.now() + this.deps.settings().helloSeconds * 1000;
    this.conns.push(c);
    this.hook(c);
    const me = this;
    sock.onConnect = function () {
      me.post({ sig: 'CONNECTED', conn: c } as ConnEvt);
    };
    this.trace('conn ' + c.id + ' to ' + host + ':' + port + ' for ' + what);
    return c;
  }

  // ---- job results pushed to LAN senders (result-push.ts) -----------------------------------

  /**
   * A send job ended (the appliance's queue.onJobEnd): a LAN sender's result is queued, saved in
   * the store before this returns, and pushed when the service is free.
   */
  jobEnded(job: JobView): void {
    if (!this.deps.jobs || !this.deps.crypto || !this.deps.net) return;
    const code = this.jobs();
    const addr = code.resultAddress(job.owner, job.notify || '', this.ownedBoxAddress(job.owner), this.deps.settings().clientPort);
    if (!addr) return;
    const st: JobStatus = code.statusOf(job);
    st.time = Math.floor(this.deps.crypto.clock.wall());
    (this.resultBox() as ResultOutbox).add(job.owner, addr, st);
    this.trace('result of job ' + job.id + ' (' + job.state + ') queued for ' + job.owner + ' at ' + addr);
    this.post({ sig: 'PUSH_RESULT' });
  }

  /** Module `name`, loaded on first need (held until dropModules()). */
  mod<K extends keyof LanCode>(name: K): LanCode[K] {
    let m = this.held[name] as LanCode[K] | undefined;
    if (!m) {
      if (!this.loader) throw new Error('the LAN service cannot load ' + name + ' (no loader)');
      m = this.loader.load(name);
      this.held[name] = m;
      this.trace(name + ' code loaded');
    }
    return m;
  }

  /** The fax server's job code. */
  jobs(): LanCode['lanjobs'] {
    return this.mod('lanjobs');
  }

  /**
   * The job results' outbox with the fax server: made (and the job code loaded) once results are
   * queued or wait in the store; null without the fax server, or while none wait and none came.
   */
  resultBox(): ResultOutbox | null {
    if (!this.deps.jobs) return null;
    if (!this.results) {
      if (savedList(this.deps.store, RESULTS_SETTING).length === 0 && !this.held.lanjobs) return null;
      this.results = new (this.jobs().ResultOutbox)(this.deps.store);
    }
    return this.results;
  }

  /** Results still to push: from the outbox, or from the store while the job code is not loaded. */
  resultsWaiting(): number {
    if (this.results) return this.results.size();
    return this.deps.jobs ? savedList(this.deps.store, RESULTS_SETTING).length : 0;
  }

  /** Lets every module it loaded go (the engine is stopping); the results' outbox is in the store. */
  dropModules(): void {
    this.results = null;
    const names = Object.keys(this.held);
    this.held = {};
    for (let i = 0; i < names.length; i++) (this.loader as LanCodeLoader).release(names[i] as keyof LanCode);
  }

  private ownedBoxAddress(owner: string): string {
    const boxes = this.deps.mailbox.boxes();
    for (let i = 0; i < boxes.length; i++) if (boxes[i].owner === owner && boxes[i].address) return boxes[i].address as string;
    return '';
  }

  /** Starts the push of the result due first, when no other outbound connection runs. */
  pushResult(): void {
    if (this.outboundBusy || this.state !== RUNNING) return;
    const r = this.resultBox();
    if (!r || r.size() === 0) return;
    const ctx = this.deps.crypto as CryptoContext;
    const it = r.due(ctx.clock.wall());
    if (!it) return;
    // The sender's pair key: cached when its job came; after a key-cache loss, computed in slices first.
    if (!this.keyReady(it.owner)) {
      if (this.keyQueue.indexOf(it.owner) < 0 && !(this.keyJob && this.keyJob.peer === it.owner)) this.keyQueue.push(it.owner);
      return;
    }
    this.outboundBusy = true;
    const i = it.address.lastIndexOf(':');
    const c = this.openOutbound(it.address.substring(0, i), parseInt(it.address.substring(i + 1), 10), 'result of job ' + it.status.job + (it.tries ? ' (retry ' + it.tries + ')' : ''));
    c.result = it;
  }

  startResult(c: LanConn): void {
    const it = c.result as PendingResult;
    if (c.peer !== it.owner) return this.fail(c, 'the computer at ' + it.address + ' is ' + c.peer + ', not ' + it.owner);
    this.sendSealed(c, it.owner, MSG_JOB_RESULT, it.status);
    c.awaitDoc = it.status.job;
    c.awaitOf = 'result';
    this.enter(c, C_AWAIT_ACK, 'HELLO', this.idleMs());
  }

  /** The push ended: acknowledged (done) or not (retried after the back-off, or given up). */
  private resultEnded(c: LanConn, ok: boolean, reason: string): void {
    const it = c.result as PendingResult;
    const r = this.results as ResultOutbox;
    c.result = null;
    this.outboundBusy = false;
    const ctx = this.deps.crypto as CryptoContext;
    if (ok) {
      r.done(it.status.job);
      this.stats.resultsPushed++;
      this.trace('result of job ' + it.status.job + ' acknowledged by ' + it.owner);
      return;
    }
    if (!r.failed(it.status.job, ctx.clock.wall(), reason)) {
      journalAdd(this.deps.store, { t: ctx.clock.wall(), kind: 'lan', result: 'result of job ' + it.status.job + ' not pushed: ' + reason, peer: it.owner });
      this.trace('result of job ' + it.status.job + ' given up: ' + reason);
    } else {
      const left = r.find(it.status.job);
      this.trace('result of job ' + it.status.job + ' not pushed: ' + reason + (left ? ', next try in ' + Math.round((left.at - ctx.clock.wall()) / 1000) + ' s' : ''));
    }
  }

  connected(c: LanConn): void {
    if (c.closed) return;
    this.sendHello(c);
    if (c.sock.readable() > 0) this.readable(c);
  }

  enter(c: LanConn, s: ConnState, cause: string, timeoutMs: number): void {
    this.trace('conn ' + c.id + ' ' + c.state.name + ' -> ' + s.name + ' on ' + cause);
    c.state = s;
    c.deadline = timeoutMs > 0 ? this.now() + timeoutMs : 0;
    if (s.pump) this.schedulePump(c);
    // Frames that arrived while the previous state did not read are handled now.
    else if (s.frame && c.reader.buffered + c.sock.readable() > 0) this.post({ sig: 'READABLE', conn: c } as ConnEvt);
  }

  private schedulePump(c: LanConn): void {
    if (c.pumping) return;
    c.pumping = true;
    this.post({ sig: 'PUMP', conn: c } as ConnEvt);
  }

  /** Sends `bytes` on `c` after what is queued; what the socket does not take waits in c.out. */
  put(c: LanConn, bytes: Uint8Array): void {
    if (c.out) {
      c.out.push(bytes);
      return;
    }
    const n = c.sock.write(bytes);
    if (n < bytes.length) {
      c.out = [n > 0 ? bytes.subarray(n) : bytes];
      this.stats.heldBack++;
    }
  }

  /** The socket can take more: what waits goes out; once nothing does, a stream goes on. */
  flush(c: LanConn): void {
    if (c.closed) return;
    const q = c.out || [];
    while (q.length > 0) {
      const b = q[0];
      const n = c.sock.write(b);
      if (n < b.length) {
        q[0] = b.subarray(n);
        return;
      }
      q.shift();
    }
    c.out = null;
    if (c.state.pump) this.schedulePump(c);
  }

  pumped(c: LanConn): void {
    c.pumping = false;
    // A backed-up socket, or one still sending the last slice where the stack can tell: the
    // next slice waits for flush() (one sealed slice at a time on the way).
    if (c.closed || !c.state.pump || c.out || (c.sock.pending && c.sock.pending() > 0)) return;
    try {
      c.state.pump(this, c);
    } catch (e) {
      this.fail(c, 'document could not be read: ' + (e as Error).message);
      return;
    }
    if (!c.closed && (c.state as ConnState).pump !== null && !c.out && !(c.sock.pending && c.sock.pending() > 0)) this.schedulePump(c);
  }

  readable(c: LanConn): void {
    if (c.closed) return;
    // Read one slice per dispatch; a state that does not read leaves the bytes in the socket.
    for (let guard = 0; guard < 8 && !c.closed && c.state.frame; guard++) {
      let f: Frame | null = null;
      try {
        f = c.reader.next();
        if (!f) {
          if (c.sock.readable() === 0) return;
          c.reader.push(c.sock.read(READ_BYTES));
          if (c.reader.buffered > this.stats.peakBuffered) this.stats.peakBuffered = c.reader.buffered;
          f = c.reader.next();
          if (!f) continue;
        }
      } catch (e) {
        return this.refuse(c, (e as LanError).code || 'frame', (e as Error).message);
      }
      try {
        c.state.frame(this, c, f);
      } catch (e) {
        return this.refuse(c, (e as LanError).code || 'malformed', (e as Error).message);
      }
    }
    if (!c.closed && c.state.frame && (c.reader.buffered > 0 || c.sock.readable() > 0)) this.post({ sig: 'READABLE', conn: c } as ConnEvt);
  }

  sockClosed(c: LanConn, error: string | null): void {
    if (c.closed) return;
    this.close(c, error ? 'connection lost: ' + error : 'peer closed the connection in ' + c.state.name);
  }

  checkDeadlines(): void {
    const now = this.now();
    for (let i = this.conns.length - 1; i >= 0; i--) {
      const c = this.conns[i];
      if (!c.closed && c.deadline > 0 && now >= c.deadline) {
        if (c.state === C_IDLE && !c.outbound) {
          this.put(c, encodeError('timeout', 'idle for ' + this.deps.settings().idleSeconds + ' s; closing'));
          this.close(c, 'idle timeout');
        } else this.refuse(c, 'timeout', 'no complete ' + (c.state === C_HELLO ? 'HELLO' : 'message') + ' in time (' + c.state.name + ')');
      }
    }
  }

  /** Ends a connection with a clear ERROR frame (nothing confidential in it). */
  refuse(c: LanConn, code: string, text: string): void {
    if (c.closed) return;
    this.stats.errors++;
    this.put(c, encodeError(code, text));
    this.close(c, code + ': ' + text);
  }

  /** An outbound delivery failed (the agent retries later). */
  fail(c: LanConn, reason: string): void {
    if (!c.closed) this.put(c, encodeError('aborted', 'delivery aborted'));
    this.close(c, reason);
  }

  close(c: LanConn, reason: string): void {
    if (c.closed) return;
    this.trace('conn ' + c.id + ' ' + c.state.name + ' -> CLOSED: ' + reason);
    c.closed = true;
    c.state = C_CLOSED;
    c.stream = null;
    if (c.upload) c.upload.abort();
    c.upload = null;
    c.sock.onReadable = null;
    c.sock.onWritable = null;
    c.sock.onClose = null;
    // What the socket never took is dropped: the peer stopped reading.
    c.out = null;
    c.sock.close();
    for (let i = 0; i < this.conns.length; i++) if (this.conns[i] === c) this.conns.splice(i, 1);
    if (c.outbound && c.result) this.resultEnded(c, false, reason);
    // An outbound delivery not yet acknowledged has failed; the agent retries it later.
    if (c.outbound && c.done) {
      this.outboundBusy = false;
      const done = c.done;
      c.done = null;
      done(false, reason);
    }
  }

  // ---- sealed messages --------------------------------------------------------------------

  private sendSealed(c: LanConn, to: string, type: number, body: unknown): void {
    const ctx = this.deps.crypto as CryptoContext;
    const sealed = sealMessage(sealParams(ctx, to, type, c.theirs), jsonBytes(body));
    this.put(c, encodeFrame(FRAME_MESSAGE, sealed));
  }

  /** After every answered request: a fresh challenge, so the next request cannot replay this one. */
  private nextExchange(c: LanConn, cause: string): void {
    this.sendHello(c);
    this.enter(c, C_IDLE, cause, this.idleMs());
  }

  private sealedRefusal(c: LanConn, to: string, r: Refusal, cause: string): void {
    this.sendSealed(c, to, MSG_REFUSAL, r);
    this.trace('conn ' + c.id + ' refused ' + r.code);
    this.nextExchange(c, cause);
  }

  /** Opens a sealed MESSAGE from the peer; null (and the connection closed) when refused. */
  private openFromPeer(c: LanConn, payload: Uint8Array): { sender: string; type: number; body: Uint8Array } | null {
    const ctx = this.deps.crypto as CryptoContext;
    const h = decodeHeader(payload);
    // Only owners of a box may talk to the appliance: a stranger's key is never even computed.
    if (!this.isOwner(h.sender) && !(c.job && c.job.box.owner === h.sender) && !(c.result && c.result.owner === h.sender) && !(this.deps.jobs && jobsPeer(this.deps.jobs, h.sender))) {
      journalAdd(this.deps.store, { t: ctx.clock.wall(), kind: 'lan', result: 'not owner', peer: h.sender, remote: c.sock.remote() });
      this.refuse(c, 'not-owner', h.sender + ' owns no box here');
      return null;
    }
    try {
      const m = openMessage(openPolicy(ctx, c.mine), payload);
      return { sender: m.header.sender, type: m.header.contentType, body: m.plain };
    } catch (e) {
      const code = (e as EnvelopeError).code || 'malformed';
      journalAdd(this.deps.store, { t: ctx.clock.wall(), kind: 'lan', result: 'refused ' + code, peer: h.sender, remote: c.sock.remote() });
      this.refuse(c, code, (e as Error).message);
      return null;
    }
  }

  isOwner(id: string): boolean {
    const boxes = this.deps.mailbox.boxes();
    for (let i = 0; i < boxes.length; i++) if (boxes[i].owner === id) return true;
    return false;
  }

  onRequest(c: LanConn, payload: Uint8Array): void {
    const m = this.openFromPeer(c, payload);
    if (!m) return;
    this.stats.requests++;
    const mb = this.deps.mailbox;
    if (isJobMessage(m.type) && this.deps.jobs) return this.jobs().onJobMessage(this.deps.jobs, this.deps.store, this.jobConn(c, m.sender), m.sender, m.type, m.body);
    if (m.type !== MSG_LIST && m.type !== MSG_REQUEST) return this.refuse(c, 'protocol', 'a ' + messageName(m.type) + ' is not a request');
    const req = m.type === MSG_LIST ? { box: parseList(m.body).box, doc: -1, code: '' } : parseRequest(m.body);
    const box = mb.box(req.box);
    if (!box) return this.sealedRefusal(c, m.sender, { code: 'unknown-box', text: 'there is no box ' + req.box }, messageName(m.type));
    if (box.owner !== m.sender) {
      journalAdd(this.deps.store, { t: (this.deps.crypto as CryptoContext).clock.wall(), kind: 'lan', box: box.number, result: 'not owner', peer: m.sender });
      return this.sealedRefusal(c, m.sender, { code: 'not-owner', text: 'box ' + box.number + ' belongs to someone else' }, messageName(m.type));
    }
    if (m.type === MSG_LIST) {
      const docs: DocSummary[] = [];
      const waiting = mb.waiting(box.number);
      for (let i = 0; i < waiting.length && docs.length < 100; i++) if (waiting[i].pages > 0) docs.push(docSummary(waiting[i], box.protection));
      this.sendSealed(c, m.sender, MSG_LISTING, { box: box.number, docs: docs });
      this.trace('conn ' + c.id + ' listed box ' + box.number + ': ' + docs.length + ' documents');
      return this.nextExchange(c, 'list');
    }
    // ¶0067: the pass code, checked with the panel's hashing and lockout, every attempt journaled.
    const r = mb.tryCode(box.number, req.code, 'lan');
    if (r.result === 'wrong') return this.sealedRefusal(c, m.sender, { code: 'wrong-code', text: 'wrong pass code', triesLeft: LOCK_AFTER - r.failures }, 'request');
    if (r.result === 'locked') return this.sealedRefusal(c, m.sender, { code: 'locked', text: 'box locked after wrong pass codes', lockedMs: r.lockedMs }, 'request');
    // The attempt could not be recorded before the check (docs/SECURITY.md, Lockout): refused unchecked.
    if (r.result === 'unavailable') return this.sealedRefusal(c, m.sender, { code: 'unavailable', text: 'the appliance cannot record the attempt (memory full?); the code was not checked: try later' }, 'request');
    if (r.result !== 'ok') return this.sealedRefusal(c, m.sender, { code: 'no-code', text: 'box ' + box.number + ' has no pass code set; open it at the panel' }, 'request');
    const info = this.deps.store.document(req.doc);
    if (!info || info.meta.box !== box.number || info.open || info.pages === 0) {
      return this.sealedRefusal(c, m.sender, { code: 'no-document', text: 'no document ' + req.doc + ' in box ' + box.number }, 'request');
    }
    this.startStream(c, info.id, 'request', box);
  }

  /** The connection as the fax server's job handler sees it (job-service.ts). */
  jobConn(c: LanConn, sender: string): JobConn {
    const me = this;
    const ctx = this.deps.crypto as CryptoContext;
    return {
      reply: function (type: number, body: unknown) {
        me.sendSealed(c, sender, type, body);
      },
      refusal: function (r: Refusal, cause: string) {
        me.sealedRefusal(c, sender, r, cause);
      },
      done: function (cause: string) {
        me.nextExchange(c, cause);
      },
      receive: function (up: JobUpload) {
        c.upload = up;
        me.sendHello(c);
        me.enter(c, C_UPLOAD, 'job', me.idleMs());
      },
      policy: function () {
        return openPolicy(ctx, c.mine);
      },
      wall: function () {
        return ctx.clock.wall();
      },
      remote: function () {
        return c.sock.remote();
      },
      seen: function (jobs: JobStatus[]) {
        const r = me.resultBox();
        if (r) r.seen(sender, jobs);
      },
    };
  }

  startJob(c: LanConn): void {
    const job = c.job as DeliveryJob;
    if (c.peer !== job.box.owner) return this.fail(c, 'the computer at that address is ' + c.peer + ', not ' + job.box.owner);
    if (job.item.kind === 'notice') {
      const s = docSummary(job.info, job.box.protection) as DocSummary & { kind: string };
      s.kind = 'notice';
      this.sendSealed(c, job.box.owner, MSG_NOTICE, s);
      c.awaitDoc = job.info.id;
      c.awaitOf = 'notice';
      this.enter(c, C_AWAIT_ACK, 'HELLO', this.idleMs());
    } else this.startStream(c, job.info.id, 'push', job.box);
  }

  startStream(c: LanConn, doc: number, purpose: string, box: BoxSettings): void {
    const info = this.deps.store.document(doc);
    if (!info) return this.fail(c, 'document ' + doc + ' is gone');
    const text = box.protection === 'text';
    c.stream = {
      doc: doc,
      purpose: purpose,
      source: text ? new TiffChunks(this.mod('tiff'), this.deps.store, info) : new DocumentSource(this.deps.store, info, box.protection),
      sealer: null,
      hash: text ? new Sha256() : null,
      hashing: text,
      summary: docSummary(info, box.protection),
      box: box,
    };
    if (!text) c.stream.sealer = new SealStream(sealParams(this.deps.crypto as CryptoContext, box.owner, MSG_DOCUMENT, c.theirs));
    this.enter(c, C_STREAM, purpose, 0);
  }

  /** One slice of a document: about one envelope segment sealed (or hashed) and sent. */
  streamSlice(c: LanConn): void {
    this.stats.slices++;
    const s = c.stream as Streaming;
    const seg = (this.deps.crypto as CryptoContext).segmentSize;
    if (s.hashing) {
      // protection "text", first pass: the SHA-256 of the TIFF-F file that will go in clear.
      let n = 0;
      while (n < seg) {
        const r = s.source.next();
        if (!r) break;
        (s.hash as Sha256).update(r);
        n += r.length;
      }
      if (!s.source.finished) return;
      s.hashing = false;
      const part = s.summary as DocSummary & { sha256: string };
      part.sha256 = toHex((s.hash as Sha256).digest());
      this.sendSealed(c, s.box.owner, MSG_TEXT_PART, part);
      const info = this.deps.store.document(s.doc);
      if (!info) throw new Error('document ' + s.doc + ' deleted while sending');
      s.source = new TiffChunks(this.mod('tiff'), this.deps.store, info);
      return;
    }
    const parts: Uint8Array[] = [];
    let n = 0;
    let end = false;
    while (n < seg) {
      const r = s.source.next();
      if (!r) {
        end = true;
        break;
      }
      const out = s.sealer ? s.sealer.push(r) : r;
      if (out.length) {
        parts.push(out);
        n += out.length;
      }
    }
    if (end && s.sealer) parts.push(s.sealer.finish());
    const type = s.sealer ? FRAME_CHUNK : FRAME_CLEAR;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      for (let o = 0; o < p.length; o += CHUNK_BYTES) this.put(c, encodeFrame(type, p.subarray(o, Math.min(p.length, o + CHUNK_BYTES))));
    }
    if (!end) return;
    this.put(c, encodeFrame(FRAME_END, new Uint8Array(0)));
    this.stats.documentsSent++;
    c.awaitDoc = s.doc;
    c.awaitOf = 'document';
    c.stream = null;
    this.enter(c, C_AWAIT_ACK, 'END', this.idleMs());
  }

  onAck(c: LanConn, payload: Uint8Array): void {
    const m = this.openFromPeer(c, payload);
    if (!m) return;
    if (m.type === MSG_REFUSAL) return this.fail(c, 'owner refused the message');
    if (m.type !== MSG_ACK) return this.refuse(c, 'protocol', 'expected an acknowledgement, got a ' + messageName(m.type));
    const a = parseAck(m.body);
    if (a.doc !== c.awaitDoc || a.of !== c.awaitOf) return this.refuse(c, 'protocol', 'acknowledgement of another message');
    this.trace('conn ' + c.id + ' ' + c.awaitOf + ' of document ' + a.doc + ' acknowledged');
    if (a.of === 'result' && c.outbound && c.result) {
      // The sender has its result; nothing more to say on this connection.
      this.resultEnded(c, true, '');
      return this.close(c, 'result acknowledged');
    }
    if (a.of === 'document' && this.deps.agent) this.deps.agent.delivered(a.doc, c.outbound ? 'push' : 'request');
    if (c.outbound && c.job && c.job.info.id === a.doc && c.job.item.kind === a.of) {
      const done = c.done;
      c.done = null;
      this.outboundBusy = false;
      if (done) done(true, '');
    }
    c.awaitDoc = -1;
    // The owner may now ask for the document on this same connection (S26–S35).
    this.nextExchange(c, 'ACK');
  }

  // ---- pair keys of the box owners, computed ahead in slices ---------------------------------
  // A POLY key is a few hundred GF(2^128) multiplications per share block: ~7 s for t = 255 on
  // a board (docs/FAXNIKS.md §8). The owners are known from the settings, so their keys are
  // computed at boot, KEY_BLOCKS share blocks per tick, and kept in the flash key cache.

  keyJob: PolyPairKeyJob | null = null;
  keyQueue: string[] = [];

  keyReady(peer: string): boolean {
    const ctx = this.deps.crypto as CryptoContext;
    const a = ctx.agreement;
    return ctx.cache.get(a.identity, peer, a.suite, a.epoch) !== null;
  }

  warmKeys(): void {
    const boxes = this.deps.mailbox.boxes();
    for (let i = 0; i < boxes.length; i++) {
      const o = boxes[i].owner;
      if (o && this.keyQueue.indexOf(o) < 0 && !this.keyReady(o)) this.keyQueue.push(o);
    }
  }

  stepKeys(): void {
    const ctx = this.deps.crypto as CryptoContext;
    if (!this.keyJob) {
      const peer = this.keyQueue.shift();
      if (peer === undefined) return;
      if (!(ctx.agreement instanceof PolyAgreement) || this.keyReady(peer)) return;
      this.keyJob = new PolyPairKeyJob(ctx.agreement, peer, ctx.cache);
    }
    // A few blocks at a time until this tick's share of the processor is used (a host finishes
    // at once, a board spreads a key over many ticks).
    const clock = ctx.clock;
    const t0 = clock.cpu();
    for (let guard = 0; guard < 4096; guard++) {
      if (this.keyJob.step(KEY_BLOCKS)) {
        this.trace('pair key with ' + this.keyJob.peer + ' ready');
        this.keyJob = null;
        return;
      }
      if (clock.cpu() - t0 >= KEY_SLICE_MS) return;
    }
  }

  /** Closes every connection and the listener (tests, shutdown). */
  shutdown(): void {
    for (let i = this.conns.length - 1; i >= 0; i--) this.close(this.conns[i], 'shutdown');
    if (this.listener) this.listener.close();
    this.listener = null;
  }
}

export const LAN_FRAME_ERROR = FRAME_ERROR;
