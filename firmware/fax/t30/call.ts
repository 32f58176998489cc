// The call context of the T.30 session: what every state of a call shares (the call's
// parameters, the frames in and out, the journal record, the named T.30 timers) and the states
// that belong to no one side: setting the modem up, idle, the call as a whole (IN_CALL: line
// trouble and STOP for every state inside it), the wait for a response to a command (RESPONSE:
// T.30 §5.4.3's "response received?" with its three tries), cancelling, and phase E (DCN, hang
// up, the journal). The receiver (receiver.ts), the sender (sender.ts) and the ECM sender
// (ecm-sender.ts) are children of these states; session.ts puts them together and maps each
// state to its node in T.30's flow charts.
import { Active, TimeEvt, SUPER } from '../../kernel/index.ts';
import type { State, Evt, Kernel } from '../../kernel/index.ts';
import type { Class1, C1Frames, C1Why } from '../class1/driver.ts';
import type { HdlcDecoder } from '../class1/hdlc.ts';
import { dropHdlcTables } from '../class1/hdlc.ts';
import type { T4Decoder } from '../t4/index.ts';
import type { LineScanner } from '../t4/line-scan.ts';
import * as F from './fcf.ts';
import type { Frame } from './frame.ts';
import { makeFrame, frameBytes, parseFrame, describeFrame } from './frame.ts';
import type { Caps, Params } from './dis.ts';
import { decodeDis, decodeDcs, modulation, describeCaps, describeParams } from './dis.ts';
import type { TcfCheck } from './tcf.ts';
import type { PageSource } from './page-coder.ts';
import type { TxBlock, RxBlock } from './ecm.ts';
import type { SendJob, DocumentSink, Refusal, JournalRecord, ResultCode, BadLinePolicy, PageQuality, PageInfo } from './types.ts';

export interface SessionOptions {
  /** Local identity (CSI when answering, TSI when sending): digits, '+', space; 20 at most. */
  ident: string;
  caps: Caps;
  policy: BadLinePolicy;
  /** Answer after this many RINGs (0: only when answer() is called). */
  autoAnswerRings: number;
  /** ECM frames per block when sending (≤ 256; memory is frames × 256 octets). */
  ecmBlockFrames: number;
  /** Fastest rate offered in DIS and used in DCS (2400 … 14400; settings fax.maxRate). */
  maxRate?: number;
  /** ECM receive: frames kept out of order after a gap (default 256: never drop a good frame). */
  ecmRxWindow?: number;
  /**
   * Non-ECM receive: octets of page data held for the line-count decode, which runs in slices
   * behind the line (default 65536). A decode that falls further behind (a slow board) is
   * dropped and the page judged by the cheap line scan instead (docs/FAX-LINE.md, keeping up).
   */
  rxDecodeBacklog?: number;
  /** Octets decoded per slice (default 1024): each slice holds the CPU, so a slow board wants small ones. */
  rxDecodeSlice?: number;
  sink: DocumentSink;
  onCallEnd: (r: JournalRecord) => void;
  /**
   * The sending side (sender.ts, ecm-sender.ts, the page coder): `load` gives the state a send
   * starts in and holds that code until `release`, which comes when the send's call has ended.
   * A board keeps it as a module loaded for a send (firmware/app/send-module.ts), so a day of
   * receptions does not hold it; hosts and tests link it in (`linkedSender`, t30/linked-sender.ts).
   * Without it the session only receives: send() refuses every job.
   */
  sender?: SenderLink;
}

export interface SenderLink {
  load(): State<CallContext>;
  release(): void;
}

// The T.30 timers (§5.4.3.2), in ms, each a time event of the session (t1, t2, t4, t5). T2 and T4
// bound a receive (`listen`): the first flags or training of the far end (the modem's CONNECT,
// C1_CARRIER) stop them as T.30 does; running out, they end the receive. T3 (operator
// intervention, voice) is not used.
/** T1: phase B, from the call connecting until the other side is identified (35 ± 5 s). */
export const T1 = 35000;
/** T2: waiting for a command (6 ± 1 s). */
export const T2 = 6000;
/** T4: waiting for a response to a command (3 s ± 15 %). */
export const T4 = 3000;
/** T5: the receiver busy (RNR) after an ECM block (60 ± 5 s). */
export const T5 = 60000;
/** The driver's own bound on a receive under T2/T4, past the timer: only if the modem never stops. */
const RX_BACKSTOP = 2000;
/** Tries of a command that gets no response (T.30 §5.4.3.2: three, then DCN). */
export const TRIES = 3;
/** Gap before a high-speed or V.21 transmission after the other side's carrier (T.30 §5.3.2: 75 ± 20 ms). */
export const GAP = 75;
/** TCF lasts 1.5 s ± 10 % (T.30 §5.3.6.2.3). */
export const TCF_MS = 1500;

export class CallContext extends Active {
  readonly c1: Class1;
  readonly opts: SessionOptions;
  /** T.30 timers as time events: T1 (phase B), T2 (a command), T4 (a response), T5 (RNR); one each, never shared. */
  readonly t1: TimeEvt;
  readonly t2: TimeEvt;
  readonly t4: TimeEvt;
  readonly t5: TimeEvt;
  /** Not T.30 timers: the gap after the last RING, the end of a TCF, short pauses (DCN's flags, a re-listen, RR's poll). */
  readonly ringGap: TimeEvt;
  readonly tcfEnd: TimeEvt;
  readonly pause: TimeEvt;
  /** The state that starts a call as answerer (set by session.ts: no import cycle). */
  answerState: State<CallContext> | null = null;
  /** The sending side is held (opts.sender.load) for the send under way. */
  senderHeld = false;
  ready = false;
  rings = 0;
  // call
  job: SendJob | null = null;
  direction: 'send' | 'receive' = 'receive';
  startWall = 0;
  startMs = 0;
  remoteIdent = '';
  remoteCaps: Caps | null = null;
  params: Params | null = null;
  ladder = 0;
  /** Tries of the command in `command` (or of listening for a command, in R_WAIT_CMD). */
  tries = 0;
  /** The command awaiting a response: the state that sends it again, the reason when it gets none, and the call's state for a DCN instead. */
  commandState: State<CallContext> | null = null;
  commandText = '';
  commandDcn = '';
  /** Frames of the last C1_FRAMES, parsed and traced. */
  rx: Frame[] = [];
  pagesDone = 0;
  sub = '';
  pwd = '';
  result: ResultCode = 'ok';
  reason = '';
  lineUp = false;
  // sender
  pageIndex = 0;
  pageTries = 0;
  coder: PageSource | null = null;
  postCmd = 0;
  block: TxBlock | null = null;
  txPool: TxBlock | null = null;
  blockNo = 0;
  pageEnded = false;
  pprCount = 0;
  /** The next high-speed data uses the long training (first data after CTC/CTR). */
  longTrain = false;
  /** Bad lines in pages kept under the bad-line policy, and which pages. */
  damagedLines = 0;
  damagedPages = '';
  // receiver
  tcf: TcfCheck | null = null;
  /** Non-ECM receive: the full decode (in slices behind the line) and the cheap line scan. */
  decoder: T4Decoder | null = null;
  scanner: LineScanner | null = null;
  /** Page data not yet decoded, its size, a CHECK event pending, the page's data ended. */
  backlog: Uint8Array[] = [];
  backlogBytes = 0;
  checkPosted = false;
  rxDataEnded = false;
  /** The decode fell too far behind on this page: it is judged by the line scan. */
  decodeBehind = false;
  pageOpen = false;
  pageBytes = 0;
  quality: PageQuality = { lines: 0, badLines: 0, maxBadRun: 0 };
  lastResp: Frame | null = null;
  next: State<CallContext> | null = null;
  rxBlock: RxBlock | null = null;
  hdlc: HdlcDecoder | null = null;
  /** Why the page under way cannot be kept: the sink's answer, or an internal error when it threw. */
  refusal: Refusal | null = null;
  lastPps = -1;
  /** PPS id (page × 256 + block) of the block being received and its largest frame count. */
  blockId = -1;
  blockCount = 0;
  /** The last post-page command answered (MPS/EOP/EOM), for a DCN that never comes. */
  lastPost = 0;
  pprMap = new Uint8Array(32);
  /** Documents waiting for the line. */
  readonly queued: SendJob[] = [];

  constructor(c1: Class1, prio: number, opts: SessionOptions, initial: State<CallContext>) {
    super('t30', prio, 32, initial);
    this.c1 = c1;
    this.opts = opts;
    c1.client = this;
    this.t1 = new TimeEvt(this, 'T1');
    this.t2 = new TimeEvt(this, 'T2');
    this.t4 = new TimeEvt(this, 'T4');
    this.t5 = new TimeEvt(this, 'T5');
    this.ringGap = new TimeEvt(this, 'RING_GAP');
    this.tcfEnd = new TimeEvt(this, 'TCF_END');
    this.pause = new TimeEvt(this, 'PAUSE');
  }

  /** Queue a document to send; it goes out when the line is free (false: the queue is full, or the session has no sending side). */
  send(job: SendJob): boolean {
    if (!this.opts.sender || this.queued.length >= 8) return false;
    this.queued.push(job);
    return this.post({ sig: 'SEND' });
  }

  /** Answer a ringing line now. */
  answer(): boolean {
    return this.post({ sig: 'ANSWER' });
  }

  /** Stop the call in progress (STOP at the panel): DCN at the next turn, result 'cancelled'. */
  cancel(): boolean {
    return this.post({ sig: 'CANCEL' });
  }

  now(): number {
    return this.kernel ? this.kernel.now() : 0;
  }

  /** Listen for V.21 frames under T2 (waiting for a command) or T4 (for a response). */
  listenFrames(timer: TimeEvt): void {
    this.c1.receiveFrames(this.armListen(timer) + RX_BACKSTOP);
  }

  /** Listen for high-speed data (TCF under T4, a page or ECM block under T2) at modulation `mod`. */
  listenData(timer: TimeEvt, mod: number, sink: (bytes: Uint8Array) => void): void {
    this.c1.receiveData(mod, this.armListen(timer) + RX_BACKSTOP, sink);
  }

  /** Arm T2 or T4 for a new receive (the other one is off); its length in ms. */
  private armListen(timer: TimeEvt): number {
    const ms = timer === this.t2 ? T2 : T4;
    this.t2.disarm();
    this.t4.disarm();
    timer.arm(ms);
    return ms;
  }

  beginCall(direction: 'send' | 'receive'): void {
    const k = this.kernel as Kernel;
    this.direction = direction;
    this.startWall = k.clock.wall();
    this.startMs = k.now();
    this.t1.arm(T1);
    this.remoteIdent = '';
    this.remoteCaps = null;
    this.params = null;
    this.ladder = 0;
    this.tries = 0;
    this.commandState = null;
    this.pagesDone = 0;
    this.pageIndex = 0;
    this.pageTries = 0;
    this.sub = '';
    this.pwd = '';
    this.result = 'ok';
    this.reason = '';
    this.lineUp = true;
    this.lastResp = null;
    this.refusal = null;
    this.pageOpen = false;
    this.lastPps = -1;
    this.blockId = -1;
    this.blockCount = 0;
    this.lastPost = 0;
    this.longTrain = false;
    this.damagedLines = 0;
    this.damagedPages = '';
    this.rings = 0;
  }

  /** The call's result: the first failure named stays. */
  fail(code: ResultCode, reason: string): void {
    if (this.result === 'ok') {
      this.result = code;
      this.reason = reason;
    }
  }

  /** Fail and end the call: DCN first while the line is up (T.30 §5.3.6.1.7), else just hang up. */
  abandon(code: ResultCode, reason: string): void {
    this.fail(code, reason);
    this.tran(DISCONNECT);
  }

  sendFrames(frames: Frame[]): void {
    const out: Uint8Array[] = [];
    for (let i = 0; i < frames.length; i++) {
      this.trace('-> ' + describeFrame(frames[i], capsText));
      out.push(frameBytes(frames[i]));
    }
    this.c1.sendFrames(out);
  }

  /** Parse and trace the frames of a C1_FRAMES event (kept in `rx` for the parent states). */
  frames(e: Evt): Frame[] {
    const raw = (e as C1Frames).frames;
    const out: Frame[] = [];
    for (let i = 0; i < raw.length; i++) {
      const f = parseFrame(raw[i], raw[i].length);
      if (!f) {
        this.trace('<- (not a T.30 frame, ' + raw[i].length + ' octets)');
        continue;
      }
      this.trace('<- ' + describeFrame(f, capsText));
      out.push(f);
    }
    if ((e as C1Frames).bad > 0) this.trace('<- ' + (e as C1Frames).bad + ' frame(s) with bad FCS dropped');
    this.rx = out;
    return out;
  }

  /**
   * A command goes out (sent by `again`, which the RESPONSE state re-enters to repeat it): T.30
   * §5.4.3's command/response, SpanDSP's repeat_last_command. `noAnswer` is the call's reason
   * when the tries run out; `dcn` ends "the remote ended the call (DCN) …" when DCN answers.
   */
  command(again: State<CallContext>, noAnswer: string, dcn: string): void {
    this.commandState = again;
    this.commandText = noAnswer;
    this.commandDcn = dcn;
  }

  /** A response came: the next command starts its tries afresh. */
  responded(): void {
    this.tries = 0;
  }

  /** X bit for our commands: 1 when we received the DIS (T.30 §5.3.6.1). */
  x(): number {
    return this.direction === 'send' ? 1 : 0;
  }

  /** +FTM/+FRM code for TCF (V.17 long training). */
  mod(): number {
    const p = this.params as Params;
    return modulation(p.rate, p.v17);
  }

  /**
   * Code for page data: after a good TCF, V.17 page data uses the short training (T.31 Table 2:
   * 74/98/122/146). SpanDSP's terminal sends it so, and expects it: a receiver set for long
   * training misses a short one (+FCERROR), and one set for short training locks on in the middle
   * of a long one and decodes its tail as junk rows at the top of the page.
   */
  pageMod(): number {
    const p = this.params as Params;
    // after CTC/CTR there was no TCF at the new rate: that first block trains long (T.30 A.4.2)
    if (this.longTrain) {
      this.longTrain = false;
      return modulation(p.rate, p.v17);
    }
    return modulation(p.rate, p.v17) + (p.v17 ? 1 : 0);
  }

  /** Close the page in the sink (if open) with its outcome; false when a good page could not be kept. */
  endPage(confirmed: boolean): boolean {
    if (!this.pageOpen) return true;
    this.pageOpen = false;
    const no = this.opts.sink.pageEnd(confirmed, this.quality);
    if (!confirmed) return true;
    if (no) {
      this.refusal = no;
      return false;
    }
    this.pagesDone++;
    if (!(this.params as Params).ecm && this.quality.badLines > 0) {
      // accepted under the bad-line policy: said in the journal, never silent
      this.damagedLines += this.quality.badLines;
      this.damagedPages += (this.damagedPages ? ',' : '') + this.pagesDone;
    }
    return true;
  }

  /** "; 5 damaged line(s) concealed on page(s) 1" when a kept page had bad lines. */
  damageNote(): string {
    return this.damagedLines > 0 ? '; ' + this.damagedLines + ' damaged line(s) concealed on page(s) ' + this.damagedPages : '';
  }

  journal(): void {
    const k = this.kernel as Kernel;
    const p = this.params;
    if (this.pageOpen) this.endPage(false);
    const r: JournalRecord = {
      direction: this.direction,
      remoteIdent: this.remoteIdent,
      number: this.job ? this.job.number : '',
      pages: this.pagesDone,
      rate: p ? p.rate : 0,
      coding: p ? p.coding : '',
      ecm: p ? p.ecm : false,
      result: this.result,
      reason: this.result === 'ok' ? (this.direction === 'send' ? 'sent ' : 'received ') + this.pagesDone + ' page(s)' + this.damageNote() : this.reason + this.damageNote(),
      sub: this.sub,
      start: Math.floor(this.startWall),
      duration: Math.round(k.now() - this.startMs),
    };
    this.trace('call end: ' + r.result + ' (' + r.reason + '), ' + r.pages + ' page(s)');
    this.job = null;
    // the ECM buffers (up to 64 KB) are only held during a call
    this.txPool = null;
    this.block = null;
    this.rxBlock = null;
    this.hdlc = null;
    dropHdlcTables();
    this.coder = null;
    this.decoder = null;
    this.scanner = null;
    this.backlog = [];
    this.backlogBytes = 0;
    if (this.senderHeld) {
      this.senderHeld = false;
      (this.opts.sender as SenderLink).release();
    }
    this.opts.onCallEnd(r);
  }

  /** The sink threw (in the driver's dispatch): the page is refused, the call ends with the reason. */
  sinkFault(x: unknown): void {
    const msg = x && (x as Error).message ? (x as Error).message : String(x);
    this.trace('sink fault: ' + msg);
    this.refusal = { full: false, reason: 'internal error: ' + msg };
  }

  /**
   * After a fault in one of our handlers the kernel restarts us in INIT: the call under way is
   * lost, so hang the modem up and still write the call's journal record.
   */
  override onRestart(): void {
    this.c1.forceHangup();
    if (this.lineUp) {
      this.lineUp = false;
      this.fail('modem-error', 'internal fault in ' + this.state.name + ': call abandoned');
      try {
        this.journal();
      } catch (x) {
        // the record is lost; the kernel's fault list has the cause
      }
    }
    // A fault between the dial's load and the call's start: the sending side is let go too.
    if (this.senderHeld) {
      this.senderHeld = false;
      (this.opts.sender as SenderLink).release();
    }
  }

  /** The next page's parameters as the sink sees them. */
  pageInfo(): PageInfo {
    const p = this.params as Params;
    return {
      page: this.pagesDone + 1,
      width: p.width,
      fine: p.fine,
      coding: p.coding,
      ecm: p.ecm,
      rate: p.rate,
      bitOrder: 'lsb-first',
      remoteIdent: this.remoteIdent,
      sub: this.sub,
      pwd: this.pwd,
    };
  }

  /** The sink could not keep page N: 'memory-full', or 'refused' with the sink's own reason. */
  refuse(): void {
    const no = this.refusal;
    if (!no || no.full) this.fail('memory-full', 'page ' + (this.pagesDone + 1) + ' could not be stored (memory full)');
    else this.fail('refused', 'page ' + (this.pagesDone + 1) + ' refused: ' + no.reason);
  }

  /** The last page is confirmed: what comes next is only the far end's DCN. */
  lastPageConfirmed(): boolean {
    return this.lastPost === F.EOP && this.lastResp !== null && F.fcfKind(this.lastResp.fcf) === F.MCF;
  }
}

export function capsText(f: Frame): string {
  const k = F.fcfKind(f.fcf);
  if (k === F.DIS || k === F.DTC) return describeCaps(decodeDis(f.fif));
  if (k === F.DCS) return describeParams(decodeDcs(f.fif));
  return '';
}

export function find(frames: Frame[], kind: number): Frame | null {
  for (let i = 0; i < frames.length; i++) if (F.fcfKind(frames[i].fcf) === kind) return frames[i];
  return null;
}

export function c1Why(e: Evt): string {
  return (e as C1Why).why;
}

// ---------------------------------------------------------------- states shared by both sides

/** The top: STOP with no call under way drops the jobs waiting for the line. */
export const FAX: State<CallContext> = {
  name: 'FAX',
  on(me, e) {
    if (e.sig === 'CANCEL') {
      if (me.queued.length > 0) me.trace('cancel: ' + me.queued.length + ' queued job(s) dropped');
      me.queued.splice(0); // not .length = 0: the interpreter refuses assigning an array length
    }
  },
};

/** The modem is being set up (again every 5 s until it answers). */
export const INIT: State<CallContext> = {
  name: 'INIT',
  parent: FAX,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.c1.init();
      return;
    }
    if (e.sig === 'C1_READY') {
      me.ready = true;
      me.tran(IDLE);
      return;
    }
    if (e.sig === 'C1_FAIL') {
      me.pause.arm(5000);
      return;
    }
    if (e.sig === 'PAUSE') {
      me.c1.init();
      return;
    }
    // SEND before the modem is up: the job waits in the queue (IDLE looks at it on entry)
    return SUPER;
  },
};

/** On hook: RINGs counted (auto-answer), ANSWER, or a queued job to send. */
export const IDLE: State<CallContext> = {
  name: 'IDLE',
  parent: FAX,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      // a job queued during the last call (or before the modem was up) goes next
      if (me.queued.length > 0) me.post({ sig: 'SEND' });
      return;
    }
    if (e.sig === 'C1_RING') {
      me.rings++;
      me.trace('RING ' + me.rings);
      me.ringGap.arm(10000); // rings are 6 s apart: a longer gap means the caller gave up
      if (me.opts.autoAnswerRings > 0 && me.rings >= me.opts.autoAnswerRings) me.tran(me.answerState as State<CallContext>);
      return;
    }
    if (e.sig === 'RING_GAP') {
      me.rings = 0;
      return;
    }
    if (e.sig === 'ANSWER') {
      me.tran(me.answerState as State<CallContext>);
      return;
    }
    if (e.sig === 'SEND' && me.queued.length > 0) {
      me.job = me.queued.shift() as SendJob;
      const dial = (me.opts.sender as SenderLink).load();
      me.senderHeld = true;
      me.tran(dial);
      return;
    }
    return SUPER;
  },
};

/**
 * A call, from answering or dialling to phase E: the driver failing (the line dropped, the
 * modem stuck) ends it in whatever state, and STOP cancels it. The states of both sides are
 * inside this one; what they do not handle ends here.
 */
export const IN_CALL: State<CallContext> = {
  name: 'IN_CALL',
  parent: FAX,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.ringGap.disarm();
      return;
    }
    if (e.sig === 'C1_FAIL') {
      const w = c1Why(e);
      me.trace('modem: ' + w);
      // a Class 1 modem answers ERROR / NO CARRIER once the far end has gone: the line dropped
      if (w === 'error' || w === 'no carrier') me.fail('line-dropped', 'the line dropped (' + w + ' in ' + me.state.name + ') after ' + me.pagesDone + ' confirmed page(s)');
      else me.fail('modem-error', 'the modem did not answer (' + w + ') in ' + me.state.name);
      me.tran(HANGUP);
      return;
    }
    if (e.sig === 'C1_CARRIER') {
      // the far end's flags or training: T2/T4 stop (T.30 §5.4.3.2), the receive goes on
      me.t2.disarm();
      me.t4.disarm();
      return;
    }
    if (e.sig === 'T2' || e.sig === 'T4') {
      // nothing came: the receive ends as 'timeout' and the waiting state decides (repeat, DIS, DCN)
      me.trace(e.sig + ' ran out in ' + me.state.name);
      me.c1.endReceive('timeout');
      return;
    }
    if (e.sig === 'T5') {
      // T5 (armed at the first RNR, disarmed by the block's MCF) ran out in whatever state
      me.abandon('no-response', 'the receiver stayed busy (RNR) for T5 (60 s)');
      return;
    }
    if (e.sig === 'CANCEL') {
      me.trace('cancel requested in ' + me.state.name);
      me.fail('cancelled', 'stopped by the user in ' + me.state.name);
      me.tran(CANCELLING);
      return;
    }
    return SUPER;
  },
};

/**
 * A command is out and its response awaited (T.30 §5.4.3, "response received?"): nothing within
 * T4 sends it again, three tries in all, then DCN; CRP (our command was garbled) sends it again
 * untried; DCN ends the call; anything else is not an answer and we listen again. Each waiting
 * state handles its own responses and leaves the rest to this one.
 */
export const RESPONSE: State<CallContext> = {
  name: 'RESPONSE',
  parent: IN_CALL,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.listenFrames(me.t4);
      return;
    }
    if (e.sig === 'C1_NO_FRAMES') {
      repeatLastCommand(me);
      return;
    }
    if (e.sig === 'C1_FRAMES') {
      if (find(me.rx, F.DCN)) {
        me.fail('remote-disconnected', 'the remote ended the call (DCN) ' + me.commandDcn);
        me.tran(HANGUP);
        return;
      }
      if (find(me.rx, F.CRP)) {
        me.tran(me.commandState as State<CallContext>);
        return;
      }
      me.listenFrames(me.t4); // not an answer: listen again
      return;
    }
    return SUPER;
  },
};

/** What a command state sends and where it goes on (see `commandState`). */
export interface Command {
  name: string;
  /** Leave the line quiet for GAP first (after the far end's carrier or our page data). */
  gap: boolean;
  /** The frames, built when they go out (again with the same content when repeated). */
  frames: (me: CallContext) => Frame[];
  /** The state once they are out: the wait for the response (a child of RESPONSE), or TCF before it. */
  then: () => State<CallContext>;
  /** The call's reason when no response comes after the last try. */
  noAnswer: (me: CallContext) => string;
  /** How "the remote ended the call (DCN) …" goes on when DCN is the response. */
  dcn: (me: CallContext) => string;
}

/**
 * A state that sends a command (T.30 §5.4.3: DCS, MPS/EOP, PPS, RR, CTC) and goes on to the wait
 * for its response; RESPONSE re-enters it to repeat the command. One pattern for all of them.
 */
export function commandState(c: Command): State<CallContext> {
  const self: State<CallContext> = {
    name: c.name,
    parent: IN_CALL,
    on(me, e) {
      if (e.sig === 'ENTRY') {
        me.command(self, c.noAnswer(me), c.dcn(me));
        if (c.gap) me.c1.silence(GAP);
        else me.sendFrames(c.frames(me));
        return;
      }
      if (e.sig === 'C1_SILENCE') {
        me.sendFrames(c.frames(me));
        return;
      }
      if (e.sig === 'C1_SENT') {
        me.tran(c.then());
        return;
      }
      return SUPER;
    },
  };
  return self;
}

/** What a data state sends at high speed (see `dataState`). */
export interface DataOut {
  name: string;
  /** On entry, before the gap (the next ECM block is filled here). */
  enter?: (me: CallContext) => void;
  /** After the gap: trace it and hand the driver its modulation and data (`c1.sendData`). */
  start: (me: CallContext) => void;
  /** Once the modem has put all of it on the line: on to the next state. */
  sent: (me: CallContext) => void;
}

/** A state that sends high-speed data (TCF, a page, an ECM block) after the 75 ms gap (T.30 §5.3.2). */
export function dataState(d: DataOut): State<CallContext> {
  return {
    name: d.name,
    parent: IN_CALL,
    on(me, e) {
      if (e.sig === 'ENTRY') {
        if (d.enter) d.enter(me);
        me.c1.silence(GAP);
        return;
      }
      if (e.sig === 'C1_SILENCE') {
        d.start(me);
        return;
      }
      if (e.sig === 'C1_SENT') {
        d.sent(me);
        return;
      }
      return SUPER;
    },
  };
}

/** No response within T4: the same command again, or after the third try DCN (T.30 §5.4.3.2). */
export function repeatLastCommand(me: CallContext): void {
  me.tries++;
  if (me.tries >= TRIES) me.abandon('no-response', me.commandText);
  else me.tran(me.commandState as State<CallContext>);
}

/** STOP in a call: whatever the driver is doing is cut short, and its report ends the call. */
export const CANCELLING: State<CallContext> = {
  name: 'CANCELLING',
  parent: FAX,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.pause.disarm();
      me.tcfEnd.disarm();
      me.t2.disarm();
      me.t4.disarm();
      if (me.c1.idle()) {
        // the modem is idle (a timed pause): end the call now
        me.tran(me.lineUp ? DISCONNECT : HANGUP);
        return;
      }
      me.c1.stop();
      return;
    }
    if (e.sig.indexOf('C1_') === 0 && e.sig !== 'C1_RING' && e.sig !== 'C1_CARRIER') {
      me.tran(e.sig === 'C1_FAIL' || !me.lineUp ? HANGUP : DISCONNECT);
      return;
    }
    return SUPER;
  },
};

/** Phase E: DCN (T.30 §5.3.6.1.7: the normal and the abnormal end of a call), then hang up. */
export const DISCONNECT: State<CallContext> = {
  name: 'DISCONNECT',
  parent: FAX,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.sendFrames([makeFrame(F.DCN | me.x(), null, true)]);
      return;
    }
    // let the DCN's closing flags cross the line before going on hook (the far end still listens)
    if (e.sig === 'C1_SENT' || e.sig === 'C1_FAIL') {
      me.pause.arm(200);
      return;
    }
    if (e.sig === 'PAUSE') {
      me.tran(HANGUP);
      return;
    }
    return SUPER;
  },
};

/** On hook and the journal record written; then idle again. */
export const HANGUP: State<CallContext> = {
  name: 'HANGUP',
  parent: FAX,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.pause.disarm();
      me.tcfEnd.disarm();
      me.t1.disarm();
      me.t2.disarm();
      me.t4.disarm();
      me.t5.disarm();
      me.c1.hangup();
      return;
    }
    if (e.sig === 'C1_HUNG_UP' || e.sig === 'C1_FAIL') {
      me.lineUp = false;
      me.journal();
      me.tran(IDLE);
      return;
    }
    return SUPER;
  },
};
