// The T.30 session (ITU-T T.30 §5, phases A–E), one active object for caller and answerer,
// transmitter and receiver, with and without ECM (Annex A). It drives the Class 1 driver by
// requests and reacts to its C1_* events; every state is a named object, the kernel writes one
// trace line per transition, and every frame sent or received is traced by name
// (`<- DIS 14400 fine MH MR ECM SUB`, `-> DCS 9600 std MR`). Every error path sends DCN when
// the line is still up and hangs up; every call ends in one journal record.
import { Active, TimeEvt } from '../../kernel/index.ts';
import type { State, Evt, Kernel } from '../../kernel/index.ts';
import type { Class1, C1Frames, C1Why, C1DataEnd } from '../class1/driver.ts';
import { trainingMs } from '../class1/driver.ts';
import { HdlcDecoder } from '../class1/hdlc.ts';
import { T4Decoder } from '../t4/index.ts';
import * as F from './fcf.ts';
import type { Frame } from './frame.ts';
import { makeFrame, frameBytes, parseFrame, encodeIdent, decodeIdent, describeFrame } from './frame.ts';
import type { Caps, Params } from './dis.ts';
import { encodeDis, decodeDis, encodeDcs, decodeDcs, ladderStep, LADDER, modulation, describeCaps, describeParams } from './dis.ts';
import { TcfCheck, tcfLength, zeros } from './tcf.ts';
import { PageCoder } from './page-coder.ts';
import { TxBlock, RxBlock } from './ecm.ts';
import type { SendJob, DocumentSink, JournalRecord, ResultCode, BadLinePolicy, PageQuality, PageInfo } from './types.ts';

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
  sink: DocumentSink;
  onCallEnd: (r: JournalRecord) => void;
}

// T.30 §5.4.3.2 timers (ms)
const T1 = 35000;
const T2 = 6000;
const T4 = 3000;
const T5 = 60000;
/** Gap before a high-speed or V.21 transmission after the other side's carrier (T.30 §5.3.2: 75 ± 20 ms). */
const GAP = 75;
const TRIES = 3;
/** TCF lasts 1.5 s ± 10 % (T.30 §5.3.6.2.3). */
const TCF_MS = 1500;

export class T30Session extends Active {
  readonly c1: Class1;
  readonly opts: SessionOptions;
  readonly t1: TimeEvt;
  readonly wait: TimeEvt;
  ready = false;
  rings = 0;
  // call
  job: SendJob | null = null;
  direction: 'send' | 'receive' = 'receive';
  startWall = 0;
  startMs = 0;
  t1Deadline = 0;
  remoteIdent = '';
  remoteCaps: Caps | null = null;
  params: Params | null = null;
  ladder = 0;
  tries = 0;
  pagesDone = 0;
  sub = '';
  pwd = '';
  result: ResultCode = 'ok';
  reason = '';
  lineUp = false;
  // sender
  pageIndex = 0;
  pageTries = 0;
  coder: PageCoder | null = null;
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
  decoder: T4Decoder | null = null;
  pageOpen = false;
  pageBytes = 0;
  quality: PageQuality = { lines: 0, badLines: 0, maxBadRun: 0 };
  lastResp: Frame | null = null;
  next: State<T30Session> | null = null;
  rxBlock: RxBlock | null = null;
  hdlc: HdlcDecoder | null = null;
  refused = false;
  lastPps = -1;
  /** PPS id (page × 256 + block) of the block being received and its largest frame count. */
  blockId = -1;
  blockCount = 0;
  /** The last post-page command answered (MPS/EOP/EOM), for a DCN that never comes. */
  lastPost = 0;
  pprMap = new Uint8Array(32);

  constructor(c1: Class1, prio: number, opts: SessionOptions) {
    super('t30', prio, 32, S_INIT);
    this.c1 = c1;
    this.opts = opts;
    c1.client = this;
    this.t1 = new TimeEvt(this, 'T1');
    this.wait = new TimeEvt(this, 'WAIT');
  }

  /** Queue a document to send; it goes out when the line is free (false: the queue is full). */
  send(job: SendJob): boolean {
    if (this.queued.length >= 8) return false;
    this.queued.push(job);
    return this.post({ sig: 'SEND' });
  }

  /** Documents waiting for the line. */
  readonly queued: SendJob[] = [];
  cancelling = false;
  /** What a throwing sink said ('' none). */
  faultText = '';

  /** Answer a ringing line now. */
  answer(): boolean {
    return this.post({ sig: 'ANSWER' });
  }

  /** Stop the call in progress (STOP at the panel): DCN at the next turn, result 'cancelled'. */
  cancel(): boolean {
    return this.post({ sig: 'CANCEL' });
  }

  /**
   * CANCEL is handled here for every state: a receive in progress is cut short, and whatever the
   * driver reports next ends the call with DCN (or just hangs up if the modem failed).
   */
  override dispatch(e: Evt): void {
    if (e.sig === 'CANCEL') {
      if (this.state === IDLE || this.state === S_INIT || this.state === HANGUP || this.state === DISCONNECT) {
        if (this.queued.length > 0) this.trace('cancel: ' + this.queued.length + ' queued job(s) dropped');
        this.queued.length = 0;
        return;
      }
      this.trace('cancel requested in ' + this.state.name);
      this.cancelling = true;
      this.fail('cancelled', 'stopped by the user in ' + this.state.name);
      if (this.c1.op === 'none' && this.c1.queue.length === 0) {
        // the modem is idle (a timed pause): end the call now
        this.cancelling = false;
        this.wait.disarm();
        this.tran(this.lineUp ? DISCONNECT : HANGUP);
        super.dispatch({ sig: 'CANCELLED' });
        return;
      }
      this.c1.stop();
      return;
    }
    if (this.cancelling && e.sig.indexOf('C1_') === 0 && e.sig !== 'C1_RING' && this.state !== HANGUP && this.state !== DISCONNECT) {
      this.cancelling = false;
      this.wait.disarm();
      this.tran(e.sig === 'C1_FAIL' || !this.lineUp ? HANGUP : DISCONNECT);
      super.dispatch({ sig: 'CANCELLED' });
      return;
    }
    super.dispatch(e);
  }

  // ---- helpers used by the states ----

  now(): number {
    return this.kernel ? this.kernel.now() : 0;
  }

  beginCall(direction: 'send' | 'receive'): void {
    const k = this.kernel as Kernel;
    this.direction = direction;
    this.startWall = k.clock.wall();
    this.startMs = k.now();
    this.t1Deadline = k.now() + T1;
    this.remoteIdent = '';
    this.remoteCaps = null;
    this.params = null;
    this.ladder = 0;
    this.tries = 0;
    this.pagesDone = 0;
    this.pageIndex = 0;
    this.pageTries = 0;
    this.sub = '';
    this.pwd = '';
    this.result = 'ok';
    this.reason = '';
    this.lineUp = true;
    this.lastResp = null;
    this.refused = false;
    this.pageOpen = false;
    this.lastPps = -1;
    this.blockId = -1;
    this.blockCount = 0;
    this.lastPost = 0;
    this.longTrain = false;
    this.cancelling = false;
    this.faultText = '';
    this.damagedLines = 0;
    this.damagedPages = '';
    this.rings = 0;
  }

  fail(code: ResultCode, reason: string): void {
    if (this.result === 'ok') {
      this.result = code;
      this.reason = reason;
    }
  }

  sendFrames(frames: Frame[]): void {
    const out: Uint8Array[] = [];
    for (let i = 0; i < frames.length; i++) {
      this.trace('-> ' + describeFrame(frames[i], capsText));
      out.push(frameBytes(frames[i]));
    }
    this.c1.sendFrames(out);
  }

  /** Parse and trace the frames of a C1_FRAMES event. */
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
    return out;
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
    const sink = this.opts.sink;
    const before = sink.refusal || '';
    const kept = sink.pageEnd(confirmed, this.quality);
    // a sink that returns nothing but sets its refusal has not kept the page either
    const refusedNow = (sink.refusal || '') !== before && (sink.refusal || '') !== '';
    if (confirmed && kept !== false && !refusedNow) {
      this.pagesDone++;
      if (!(this.params as Params).ecm && this.quality.badLines > 0) {
        // accepted under the bad-line policy: said in the journal, never silent
        this.damagedLines += this.quality.badLines;
        this.damagedPages += (this.damagedPages ? ',' : '') + this.pagesDone;
      }
      return true;
    }
    return !confirmed;
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
    this.coder = null;
    this.decoder = null;
    this.opts.onCallEnd(r);
  }

  /** Respond with a frame and go on in `next` once it is out. */
  respond(fcf: number, next: State<T30Session>): void {
    const f = makeFrame(fcf | this.x(), null, true);
    this.lastResp = f;
    this.next = next;
    this.sendFrames([f]);
    this.tran(R_RESPOND);
  }

  /** The sink threw (in the driver's dispatch): the page is refused, the call ends with the reason. */
  sinkFault(x: unknown): void {
    const msg = x && (x as Error).message ? (x as Error).message : String(x);
    this.trace('sink fault: ' + msg);
    this.refused = true;
    this.faultText = msg;
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
    const why = this.faultText ? 'internal error: ' + this.faultText : this.opts.sink.refusal || '';
    if (why === '' || why.indexOf('memory') >= 0) this.fail('memory-full', 'page ' + (this.pagesDone + 1) + ' could not be stored (memory full)');
    else this.fail('refused', 'page ' + (this.pagesDone + 1) + ' refused: ' + why);
  }

  /** A page or block of data starts arriving from the modem: set up the checks. */
  openRxPage(): boolean {
    const p = this.params as Params;
    if (this.pageOpen) return true;
    this.quality = { lines: 0, badLines: 0, maxBadRun: 0 };
    this.pageBytes = 0;
    const ok = this.opts.sink.pageStart(this.pageInfo());
    this.pageOpen = true;
    if (!ok) this.refused = true;
    if (!p.ecm) {
      const self = this;
      this.decoder = new T4Decoder({
        coding: p.coding === 'MR' ? 'mr' : p.coding === 'MMR' ? 'mmr' : 'mh',
        width: p.width,
        bitOrder: 'lsb-first',
        onEnd: function (d) {
          self.quality = { lines: d.lines, badLines: d.badLines, maxBadRun: d.maxBadRun };
        },
      });
    }
    return ok;
  }

  /** The receiver's MCF/RTP/RTN choice for a non-ECM page (configurable policy). */
  judge(): number {
    const q = this.quality;
    const pol = this.opts.policy;
    if (q.lines === 0) return F.RTN;
    if (q.badLines === 0) return F.MCF;
    if (q.badLines * 100 > q.lines * pol.maxBadPercent || q.maxBadRun > pol.maxBadRun) return F.RTN;
    return pol.rtpOnErrors ? F.RTP : F.MCF;
  }

  /** Choose DCS from the remote DIS, our caps, the job and the ladder position. */
  chooseParams(): boolean {
    const l = this.opts.caps;
    const r = this.remoteCaps as Caps;
    let step = ladderStep(l, r, this.ladder);
    while (step >= 0 && this.opts.maxRate && LADDER[step].rate > this.opts.maxRate) step = ladderStep(l, r, step + 1);
    if (step < 0) return false;
    this.ladder = step;
    const job = this.job as SendJob;
    const ecm = l.ecm && r.ecm;
    const coding = ecm && l.mmr && r.mmr ? 'MMR' : l.mr && r.mr ? 'MR' : 'MH';
    const page = job.pages[this.pageIndex < job.pages.length ? this.pageIndex : 0];
    const fine = page.fine && r.fine;
    // T.4 §2.2 widths: keep a B4/A3 page's width when the receiver takes it, else scale to A4
    const width = page.width >= 2432 && r.widths >= 2 && l.widths >= 2 ? 2432 : page.width >= 2048 && r.widths >= 1 && l.widths >= 1 ? 2048 : 1728;
    this.params = {
      rate: LADDER[step].rate,
      v17: LADDER[step].v17,
      fine: fine,
      coding: coding,
      ecm: ecm,
      frameSize: 256,
      width: width,
      length: r.lengths === 1 ? 1 : 0,
      minScan: ecm ? 0 : fine ? r.minScanFine : r.minScanStd,
    };
    return true;
  }

  newCoder(): void {
    const p = this.params as Params;
    const job = this.job as SendJob;
    const page = job.pages[this.pageIndex];
    const bits = Math.ceil((p.rate * p.minScan) / 1000);
    this.coder = new PageCoder(page, p.coding === 'MMR' ? 'mmr' : p.coding === 'MR' ? 'mr' : 'mh', p.fine, bits, p.width);
  }

  postPageCommand(): number {
    const job = this.job as SendJob;
    return this.pageIndex + 1 < job.pages.length ? F.MPS : F.EOP;
  }
}

/** Our DIS: the capabilities, with the modulations above the rate limit taken out. */
function offered(me: T30Session): Caps {
  const c = me.opts.caps;
  const max = me.opts.maxRate || 14400;
  return {
    v27: c.v27, v29: c.v29 && max >= 7200, v17: c.v17 && max >= 12000, fine: c.fine, mr: c.mr, mmr: c.mmr,
    ecm: c.ecm, widths: c.widths, lengths: c.lengths, minScanStd: c.minScanStd, minScanFine: c.minScanFine,
    sub: c.sub, pwd: c.pwd, canReceive: c.canReceive, canSend: c.canSend,
  };
}

function capsText(f: Frame): string {
  const k = F.fcfKind(f.fcf);
  if (k === F.DIS || k === F.DTC) return describeCaps(decodeDis(f.fif));
  if (k === F.DCS) return describeParams(decodeDcs(f.fif));
  return '';
}

function find(frames: Frame[], kind: number): Frame | null {
  for (let i = 0; i < frames.length; i++) if (F.fcfKind(frames[i].fcf) === kind) return frames[i];
  return null;
}

function c1Why(e: Evt): string {
  return (e as C1Why).why;
}

/** Driver failures and hang-ups common to every in-call state. True when handled. */
function lineTrouble(me: T30Session, e: Evt): boolean {
  if (e.sig === 'C1_FAIL') {
    const w = c1Why(e);
    me.trace('modem: ' + w);
    // a Class 1 modem answers ERROR / NO CARRIER once the far end has gone: the line dropped
    if (w === 'error' || w === 'no carrier') me.fail('line-dropped', 'the line dropped (' + w + ' in ' + me.state.name + ') after ' + me.pagesDone + ' confirmed page(s)');
    else me.fail('modem-error', 'the modem did not answer (' + w + ') in ' + me.state.name);
    me.tran(HANGUP);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- idle

const S_INIT: State<T30Session> = {
  name: 'INIT',
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
      me.wait.arm(5000);
      return;
    }
    if (e.sig === 'WAIT') me.c1.init();
    // SEND before the modem is up: the job waits in the queue (IDLE looks at it on entry)
  },
};

const IDLE: State<T30Session> = {
  name: 'IDLE',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      // a job queued during the last call (or before the modem was up) goes next
      if (me.queued.length > 0) me.post({ sig: 'SEND' });
      return;
    }
    if (e.sig === 'C1_RING') {
      me.rings++;
      me.trace('RING ' + me.rings);
      me.wait.arm(10000); // rings are 6 s apart: a longer gap means the caller gave up
      if (me.opts.autoAnswerRings > 0 && me.rings >= me.opts.autoAnswerRings) me.tran(R_ANSWER);
      return;
    }
    if (e.sig === 'WAIT') {
      me.rings = 0;
      return;
    }
    if (e.sig === 'ANSWER') {
      me.tran(R_ANSWER);
      return;
    }
    if (e.sig === 'SEND' && me.queued.length > 0) {
      me.job = me.queued.shift() as SendJob;
      me.tran(T_DIAL);
    }
  },
};

/** Phase E: DCN is out (or the line is gone); hang up and write the journal. */
const HANGUP: State<T30Session> = {
  name: 'HANGUP',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.wait.disarm();
      me.t1.disarm();
      me.c1.hangup();
      return;
    }
    if (e.sig === 'C1_HUNG_UP' || e.sig === 'C1_FAIL') {
      me.lineUp = false;
      me.journal();
      me.tran(IDLE);
    }
  },
};

/** Send DCN, then hang up (T.30 §5.3.6.1.7: the normal and the abnormal end of a call). */
const DISCONNECT: State<T30Session> = {
  name: 'DISCONNECT',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.sendFrames([makeFrame(F.DCN | me.x(), null, true)]);
      return;
    }
    // let the DCN's closing flags cross the line before going on hook (the far end still listens)
    if (e.sig === 'C1_SENT' || e.sig === 'C1_FAIL') me.wait.arm(200);
    if (e.sig === 'WAIT') me.tran(HANGUP);
  },
};

// ---------------------------------------------------------------- answerer / receiver

const R_ANSWER: State<T30Session> = {
  name: 'R_ANSWER',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.wait.disarm();
      me.job = null;
      me.beginCall('receive');
      me.c1.answer();
      return;
    }
    if (e.sig === 'C1_CONNECT') {
      me.tran(R_SEND_DIS);
      return;
    }
    if (e.sig === 'C1_FAIL') {
      me.fail('no-carrier', 'answered but no fax tone exchange (' + c1Why(e) + ')');
      me.tran(HANGUP);
    }
  },
};

/** Phase B: CSI + DIS, repeated until DCS comes or T1 runs out. */
const R_SEND_DIS: State<T30Session> = {
  name: 'R_SEND_DIS',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.sendFrames([makeFrame(F.CSI, encodeIdent(me.opts.ident), false), makeFrame(F.DIS, encodeDis(offered(me)), true)]);
      return;
    }
    if (e.sig === 'C1_SENT') {
      me.tran(R_WAIT_CMD);
      return;
    }
    lineTrouble(me, e);
  },
};

/** Waiting for the sender's next command: DCS, a post-page command, PPS, CTC, RR, DCN. */
const R_WAIT_CMD: State<T30Session> = {
  name: 'R_WAIT_CMD',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.c1.receiveFrames(me.params ? T2 : T4);
      return;
    }
    if (lineTrouble(me, e)) return;
    if (e.sig === 'C1_NO_FRAMES') {
      if (!me.params) {
        // still in phase B: DIS again until T1 (T.30 §5.3.2)
        if (me.now() > me.t1Deadline) {
          me.fail('no-dcs', 'the caller sent no DCS within T1 (35 s)');
          me.tran(HANGUP);
        } else me.tran(R_SEND_DIS);
        return;
      }
      if (me.lastPost === F.EOP && me.lastResp && F.fcfKind(me.lastResp.fcf) === F.MCF) {
        // the last page is confirmed: a sender that hangs up without DCN loses nothing
        me.trace('no DCN after EOP/MCF (' + c1Why(e) + '): the call is complete');
        me.tran(HANGUP);
        return;
      }
      me.tries++;
      if (me.tries >= TRIES || c1Why(e) === 'error') {
        me.fail('line-dropped', 'the line went quiet ' + (me.pageOpen ? 'during page ' + (me.pagesDone + 1) : 'after page ' + me.pagesDone) + ' (' + c1Why(e) + ')');
        me.tran(DISCONNECT);
        return;
      }
      // re-arm the wait (the sender repeats its command after T4)
      me.c1.receiveFrames(T2);
      return;
    }
    if (e.sig !== 'C1_FRAMES') return;
    me.tries = 0;
    const frames = me.frames(e);
    onCommand(me, frames);
  },
};

function onCommand(me: T30Session, frames: Frame[]): void {
  const dcs = find(frames, F.DCS);
  if (dcs) {
    const tsi = find(frames, F.TSI);
    if (tsi) me.remoteIdent = decodeIdent(tsi.fif);
    const sub = find(frames, F.SUB);
    if (sub) me.sub = decodeIdent(sub.fif);
    const sid = find(frames, F.SID);
    if (sid) me.pwd = decodeIdent(sid.fif);
    me.params = decodeDcs(dcs.fif);
    if (me.params.rate === 0) {
      me.fail('incompatible', 'DCS asks for a rate this terminal does not know');
      me.tran(DISCONNECT);
      return;
    }
    const sink = me.opts.sink;
    if (sink.accept && !sink.accept(me.pageInfo())) {
      // refused before any page (e.g. an unknown subaddress or a wrong password): DCN now
      me.fail('refused', 'call refused: ' + (sink.refusal || 'not accepted'));
      me.tran(DISCONNECT);
      return;
    }
    me.tran(R_TCF);
    return;
  }
  if (find(frames, F.DCN)) {
    const confirmedLast = me.lastPost === F.EOP && me.lastResp !== null && F.fcfKind(me.lastResp.fcf) === F.MCF;
    if (!confirmedLast) {
      if (me.pagesDone === 0 && !me.pageOpen) me.fail('remote-disconnected', 'the caller ended the call (DCN) before any page was confirmed');
      else me.fail('remote-disconnected', 'the caller ended the call (DCN) after ' + me.pagesDone + ' confirmed page(s), before EOP');
    }
    me.tran(HANGUP);
    return;
  }
  const pps = find(frames, F.PPS);
  if (pps && me.params && me.params.ecm) {
    onPps(me, pps);
    return;
  }
  const eor = find(frames, F.EOR);
  if (eor && me.params && me.params.ecm) {
    // the sender gives up on this block: keep what came, mark the page as damaged (Annex A.4)
    if (me.rxBlock) {
      me.rxBlock.flushGaps();
      me.rxBlock.reset();
    }
    me.quality.badLines++;
    const pc = eor.fif.length > 0 ? F.fcfKind(eor.fif[0]) : F.NULL_FCF;
    if (pc !== F.NULL_FCF) me.endPage(false);
    me.respond(F.ERR, pc === F.EOP ? R_WAIT_CMD : pc === F.EOM ? R_SEND_DIS : R_PAGE);
    return;
  }
  const ctc = find(frames, F.CTC);
  if (ctc && me.params) {
    // continue to correct at the rate in the CTC's DCS octets (bits 11-14)
    const d = new Uint8Array(3);
    if (ctc.fif.length >= 2) d[1] = ctc.fif[1];
    const np = decodeDcs(d);
    me.params.rate = np.rate;
    me.params.v17 = np.v17;
    me.longTrain = true;
    me.respond(F.CTR, R_PAGE);
    return;
  }
  if ((find(frames, F.RR) || find(frames, F.CRP)) && me.lastResp) {
    // RR (after RNR) or CRP (our answer was garbled): the same answer again, FIF included (a PPR map)
    me.trace('repeat ' + F.fcfName(me.lastResp.fcf));
    me.sendFrames([me.lastResp]);
    me.tran(R_RESPOND);
    return;
  }
  let post = find(frames, F.MPS) || find(frames, F.EOP) || find(frames, F.EOM);
  if (!post) post = find(frames, F.PRI_MPS) || find(frames, F.PRI_EOP) || find(frames, F.PRI_EOM);
  if (post && me.params && !me.params.ecm) {
    onPostPage(me, F.fcfKind(post.fcf));
    return;
  }
  if (find(frames, F.DIS) || find(frames, F.DTC)) {
    me.fail('incompatible', 'the remote sent DIS/DTC: polling or two answering stations');
    me.tran(DISCONNECT);
    return;
  }
  // nothing we can act on: listen again
  me.tran(R_WAIT_CMD); // a self-transition: ENTRY listens again
}

/** Non-ECM post-page command: judge the page and answer MCF/RTP/RTN. */
function onPostPage(me: T30Session, cmd: number): void {
  const pc = cmd === F.PRI_MPS ? F.MPS : cmd === F.PRI_EOP ? F.EOP : cmd === F.PRI_EOM ? F.EOM : cmd;
  me.lastPost = pc;
  if (!me.pageOpen) {
    // a repeated command: our answer was lost, answer the same again (T.30 §5.3.2 three tries)
    const last = me.lastResp ? F.fcfKind(me.lastResp.fcf) : 0;
    if (last === F.MCF || last === F.RTP || last === F.RTN) {
      me.respond(last, afterPost(pc, last));
      return;
    }
    // no page data came at all (after CFR): not confirmed
    me.respond(F.RTN, R_WAIT_CMD);
    return;
  }
  if (me.refused) {
    me.endPage(false);
    me.refuse();
    me.tran(DISCONNECT);
    return;
  }
  const resp = me.judge();
  me.trace('page ' + (me.pagesDone + 1) + ': ' + me.quality.lines + ' lines, ' + me.quality.badLines + ' bad, longest bad run ' + me.quality.maxBadRun);
  if (!me.endPage(resp !== F.RTN)) {
    me.refuse();
    me.tran(DISCONNECT);
    return;
  }
  me.respond(resp, afterPost(pc, resp));
}

function afterPost(pc: number, resp: number): State<T30Session> {
  if (resp === F.MCF) return pc === F.MPS ? R_PAGE : pc === F.EOM ? R_SEND_DIS : R_WAIT_CMD;
  // RTP / RTN: the sender goes back to phase B (DCS + TCF) or ends
  return R_WAIT_CMD;
}

/** ECM: PPS after a block. All frames there: deliver, MCF. Else PPR with the missing ones. */
function onPps(me: T30Session, pps: Frame): void {
  const p = me.params as Params;
  if (pps.fif.length < 4) {
    me.tran(R_WAIT_CMD); // a self-transition: ENTRY listens again
    return;
  }
  const pc = F.fcfKind(pps.fif[0]);
  me.lastPost = pc;
  const id = pps.fif[1] * 256 + pps.fif[2];
  let count = pps.fif[3] + 1;
  // SpanDSP counts only the frames of the retransmission in the PPS that follows it: the block
  // is as long as the largest count seen for it (T.30 Annex A PPS quirks, INTEROP.md)
  if (id === me.blockId && me.blockCount > count) count = me.blockCount;
  me.blockId = id;
  me.blockCount = count;
  const blk = me.rxBlock;
  if (id === me.lastPps || !blk) {
    // repeated PPS for a block already confirmed: confirm again
    me.respond(F.MCF, pc === F.NULL_FCF || pc === F.MPS ? R_PAGE : pc === F.EOM ? R_SEND_DIS : R_WAIT_CMD);
    return;
  }
  const missing = blk.missing(count, me.pprMap);
  me.trace('block p' + pps.fif[1] + ' b' + pps.fif[2] + ': ' + (count - missing) + '/' + count + ' frames' + (blk.dropped ? ' (' + blk.dropped + ' beyond the window so far)' : ''));
  if (blk.refused || (me.pageOpen && me.refused)) {
    me.refuse();
    me.endPage(false);
    me.tran(DISCONNECT);
    return;
  }
  if (missing > 0) {
    const copy = new Uint8Array(32);
    copy.set(me.pprMap);
    const f = makeFrame(F.PPR | me.x(), copy, true);
    me.lastResp = f;
    me.next = R_PAGE;
    me.sendFrames([f]);
    me.tran(R_RESPOND);
    return;
  }
  // every frame of the block has been handed on in order
  me.lastPps = id;
  me.blockId = -1;
  me.blockCount = 0;
  blk.reset();
  if (pc !== F.NULL_FCF) {
    if (!me.pageOpen) me.openRxPage(); // an empty page
    me.quality.lines = me.pageBytes; // ECM: the frames are error-free; report octets
    if (!me.endPage(true)) {
      me.refuse();
      me.tran(DISCONNECT);
      return;
    }
  }
  me.respond(F.MCF, pc === F.NULL_FCF || pc === F.MPS ? R_PAGE : pc === F.EOM ? R_SEND_DIS : R_WAIT_CMD);
}

/** A response frame is going out; then on to the state chosen with it. */
const R_RESPOND: State<T30Session> = {
  name: 'R_RESPOND',
  on(me, e) {
    if (e.sig === 'C1_SENT') {
      const n = me.next || R_WAIT_CMD;
      if (n === R_SEND_DIS) me.params = null;
      me.tran(n);
      return;
    }
    lineTrouble(me, e);
  },
};

/** TCF: 1.5 s of zeros at the new rate; the receiver checks it (T.30 §5.3.6.2.3). */
const R_TCF: State<T30Session> = {
  name: 'R_TCF',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      const chk = new TcfCheck();
      me.tcf = chk;
      me.c1.receiveData(me.mod(), T4, function (b: Uint8Array) {
        chk.push(b);
      });
      // T4 for its carrier, its training, 1.5 s of TCF and a second of slack: never wait for ever for its end
      me.wait.arm(T4 + trainingMs(me.mod()) + TCF_MS + 1000);
      return;
    }
    if (e.sig === 'WAIT') {
      me.c1.stop();
      return;
    }
    if (lineTrouble(me, e)) return;
    if (e.sig === 'C1_DATA_END') {
      me.wait.disarm();
      const chk = me.tcf as TcfCheck;
      const p = me.params as Params;
      const good = chk.good(p.rate);
      me.trace('TCF ' + describeParams(p) + ': ' + chk.total + ' octets, zero run ' + chk.longest + ' (' + (good ? 'good' : 'bad') + ', ' + (e as C1DataEnd).why + ')');
      if (good) {
        me.lastResp = makeFrame(F.CFR, null, true);
        me.next = R_PAGE;
        me.sendFrames([me.lastResp]);
      } else {
        me.lastResp = makeFrame(F.FTT, null, true);
        me.next = R_WAIT_CMD;
        me.sendFrames([me.lastResp]);
      }
      me.tran(R_RESPOND);
    }
  },
};

/** Phase C: page data (or an ECM block) arrives at the negotiated rate. */
const R_PAGE: State<T30Session> = {
  name: 'R_PAGE',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      const p = me.params as Params;
      if (p.ecm) {
        if (!me.rxBlock || me.rxBlock.frameSize !== p.frameSize) {
          me.rxBlock = new RxBlock(me.opts.ecmRxWindow || 256, p.frameSize, function (b: Uint8Array) {
            try {
              if (!me.pageOpen && !me.openRxPage()) return false;
              me.pageBytes += b.length;
              return me.opts.sink.pageData(b);
            } catch (x) {
              me.sinkFault(x);
              return false;
            }
          });
        }
        const blk = me.rxBlock;
        me.hdlc = new HdlcDecoder(function (b: Uint8Array, len: number, ok: boolean) {
          if (ok) blk.put(b, len - 2);
        }, p.frameSize + 8);
        const dec = me.hdlc;
        me.c1.receiveData(me.pageMod(), T2, function (b: Uint8Array) {
          dec.push(b);
        });
        return;
      }
      me.c1.receiveData(me.pageMod(), T2, function (b: Uint8Array) {
        // runs in the driver's dispatch: a fault in the sink must not take the driver down
        try {
          if (!me.pageOpen) me.openRxPage();
          me.pageBytes += b.length;
          if (me.decoder) me.decoder.push(b);
          if (!me.refused && !me.opts.sink.pageData(b)) me.refused = true;
        } catch (x) {
          me.sinkFault(x);
        }
      });
      return;
    }
    if (lineTrouble(me, e)) return;
    if (e.sig === 'C1_DATA_END') {
      const why = (e as C1DataEnd).why;
      const p = me.params as Params;
      if (p.ecm) {
        const blk = me.rxBlock as RxBlock;
        me.trace('ECM data: ' + blk.framesSeen + ' good frame(s)' + (blk.rcp ? ', RCP' : '') + ', ' + (me.hdlc ? me.hdlc.bad : 0) + ' bad (' + why + ')');
      } else if (me.pageOpen && me.decoder) {
        me.decoder.end();
        me.decoder = null;
        me.trace('page data: ' + me.pageBytes + ' octets (' + why + ')');
      } else me.trace('no page data (' + why + ')');
      me.tran(R_WAIT_CMD);
    }
  },
};

// ---------------------------------------------------------------- caller / transmitter

const T_DIAL: State<T30Session> = {
  name: 'T_DIAL',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      const job = me.job as SendJob;
      me.beginCall('send');
      me.c1.dial(job.number, T1 + 25000);
      return;
    }
    if (e.sig === 'C1_CONNECT') {
      me.t1Deadline = me.now() + T1;
      return;
    }
    if (e.sig === 'C1_FAIL') {
      const w = c1Why(e);
      if (w === 'busy') me.fail('busy', 'the number ' + (me.job as SendJob).number + ' is busy');
      else if (w === 'no answer' || w === 'timeout') me.fail('no-answer', 'no answer from ' + (me.job as SendJob).number);
      else if (w === 'no dialtone') me.fail('no-dialtone', 'no dial tone on the line');
      else me.fail('no-carrier', 'no fax machine answered at ' + (me.job as SendJob).number + ' (' + w + ')');
      me.tran(HANGUP);
      return;
    }
    onDisFrames(me, e);
  },
};

/** Phase B for the caller: DIS (with CSI) arrived, or listen again until T1. */
function onDisFrames(me: T30Session, e: Evt): void {
  if (e.sig === 'C1_NO_FRAMES') {
    if (me.now() > me.t1Deadline) {
      me.fail('no-dis', 'no DIS from the remote within T1 (35 s)');
      me.tran(DISCONNECT);
      return;
    }
    me.tran(T_WAIT_DIS);
    return;
  }
  if (e.sig !== 'C1_FRAMES') return;
  const frames = me.frames(e);
  const dis = find(frames, F.DIS);
  const csi = find(frames, F.CSI);
  if (csi) me.remoteIdent = decodeIdent(csi.fif);
  if (find(frames, F.DCN)) {
    me.fail('remote-disconnected', 'the remote ended the call (DCN) in phase B');
    me.tran(HANGUP);
    return;
  }
  if (!dis) {
    me.tran(T_WAIT_DIS);
    return;
  }
  me.remoteCaps = decodeDis(dis.fif);
  if (!me.remoteCaps.canReceive) {
    me.fail('incompatible', 'the remote cannot receive (DIS bit 10 clear)');
    me.tran(DISCONNECT);
    return;
  }
  if (!me.chooseParams()) {
    me.fail('incompatible', 'no common modulation');
    me.tran(DISCONNECT);
    return;
  }
  me.tries = 0;
  me.tran(T_SEND_DCS);
}

const T_WAIT_DIS: State<T30Session> = {
  name: 'T_WAIT_DIS',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      // INTEROP.md: after a DIS with a bad FCS, wait a little and listen again
      me.wait.arm(200);
      return;
    }
    if (e.sig === 'WAIT') {
      me.c1.receiveFrames(Math.max(1000, me.t1Deadline - me.now()));
      return;
    }
    if (lineTrouble(me, e)) return;
    onDisFrames(me, e);
  },
};

/** TSI (+SUB, SID) + DCS, then TCF. */
const T_SEND_DCS: State<T30Session> = {
  name: 'T_SEND_DCS',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      const job = me.job as SendJob;
      const r = me.remoteCaps as Caps;
      const frames: Frame[] = [makeFrame(F.TSI | 1, encodeIdent(me.opts.ident), false)];
      if (job.sub && r.sub) {
        frames.push(makeFrame(F.SUB | 1, encodeIdent(job.sub), false));
        me.sub = job.sub;
      }
      if (job.sid && r.pwd) frames.push(makeFrame(F.SID | 1, encodeIdent(job.sid), false));
      frames.push(makeFrame(F.DCS | 1, encodeDcs(me.params as Params), true));
      me.sendFrames(frames);
      return;
    }
    if (e.sig === 'C1_SENT') {
      me.tran(T_TCF);
      return;
    }
    lineTrouble(me, e);
  },
};

const T_TCF: State<T30Session> = {
  name: 'T_TCF',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.c1.silence(GAP);
      return;
    }
    if (e.sig === 'C1_SILENCE') {
      const p = me.params as Params;
      me.trace('-> TCF ' + describeParams(p) + ' (1.5 s of zeros)');
      me.c1.sendData(me.mod(), zeros(tcfLength(p.rate)));
      return;
    }
    if (e.sig === 'C1_SENT') {
      me.tran(T_WAIT_CFR);
      return;
    }
    lineTrouble(me, e);
  },
};

/** CFR: on to the page. FTT: one step down the ladder. Nothing: DCS again (three tries). */
const T_WAIT_CFR: State<T30Session> = {
  name: 'T_WAIT_CFR',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.c1.receiveFrames(T4);
      return;
    }
    if (lineTrouble(me, e)) return;
    if (e.sig === 'C1_NO_FRAMES') {
      me.tries++;
      if (me.tries >= TRIES) {
        me.fail('no-response', 'no answer to DCS after ' + TRIES + ' tries');
        me.tran(DISCONNECT);
      } else me.tran(T_SEND_DCS);
      return;
    }
    if (e.sig !== 'C1_FRAMES') return;
    const frames = me.frames(e);
    if (find(frames, F.CFR)) {
      me.tries = 0;
      me.pprCount = 0;
      me.tran((me.params as Params).ecm ? T_ECM_BLOCK : T_PAGE);
      return;
    }
    if (find(frames, F.FTT)) {
      me.ladder++;
      if (!me.chooseParams()) {
        me.fail('training-failed', 'training failed at every rate down to 2400 (FTT)');
        me.tran(DISCONNECT);
        return;
      }
      me.tries = 0;
      me.tran(T_SEND_DCS);
      return;
    }
    if (find(frames, F.DCN)) {
      me.fail('remote-disconnected', 'the remote ended the call (DCN) after DCS');
      me.tran(HANGUP);
      return;
    }
    if (find(frames, F.DIS)) {
      // the remote did not hear our DCS and repeated DIS
      me.tries++;
      if (me.tries >= TRIES) {
        me.fail('no-response', 'the remote kept repeating DIS: it does not hear our DCS');
        me.tran(DISCONNECT);
      } else me.tran(T_SEND_DCS);
      return;
    }
    me.tran(T_WAIT_CFR); // a self-transition: ENTRY listens again
  },
};

/** Phase C, non-ECM: the coded page at the trained rate, then the post-page command. */
const T_PAGE: State<T30Session> = {
  name: 'T_PAGE',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.c1.silence(GAP);
      return;
    }
    if (e.sig === 'C1_SILENCE') {
      me.newCoder();
      const coder = me.coder as PageCoder;
      me.trace('-> page ' + (me.pageIndex + 1) + ' ' + describeParams(me.params as Params));
      me.c1.sendData(me.pageMod(), function () {
        return coder.read(256);
      });
      return;
    }
    if (e.sig === 'C1_SENT') {
      const c = me.coder as PageCoder;
      me.trace('page ' + (me.pageIndex + 1) + ' sent: ' + c.lines + ' lines, ' + c.bytes + ' octets');
      me.postCmd = me.postPageCommand();
      me.tries = 0;
      me.tran(T_SEND_POST);
      return;
    }
    lineTrouble(me, e);
  },
};

const T_SEND_POST: State<T30Session> = {
  name: 'T_SEND_POST',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.c1.silence(GAP);
      return;
    }
    if (e.sig === 'C1_SILENCE') {
      me.sendFrames([makeFrame(me.postCmd | 1, null, true)]);
      return;
    }
    if (e.sig === 'C1_SENT') {
      me.tran(T_WAIT_MCF);
      return;
    }
    lineTrouble(me, e);
  },
};

/** MCF/RTP: page confirmed. RTN: retrain and send it again (three tries). Nothing: repeat the command. */
const T_WAIT_MCF: State<T30Session> = {
  name: 'T_WAIT_MCF',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.c1.receiveFrames(T4);
      return;
    }
    if (lineTrouble(me, e)) return;
    if (e.sig === 'C1_NO_FRAMES') {
      me.tries++;
      if (me.tries >= TRIES) {
        me.fail('no-response', 'no answer to ' + F.fcfName(me.postCmd) + ' after page ' + (me.pageIndex + 1) + ' (' + TRIES + ' tries); the page is not confirmed');
        me.tran(DISCONNECT);
      } else me.tran(T_SEND_POST);
      return;
    }
    if (e.sig !== 'C1_FRAMES') return;
    const frames = me.frames(e);
    const job = me.job as SendJob;
    if (find(frames, F.MCF) || find(frames, F.RTP) || find(frames, F.PIP)) {
      // PIP: the page is good, the operator wants the line: treated as RTP (no voice here)
      const rtp = !find(frames, F.MCF);
      me.pagesDone++;
      me.pageIndex++;
      me.pageTries = 0;
      me.tries = 0;
      if (me.pageIndex >= job.pages.length) me.tran(DISCONNECT);
      else if (rtp) me.tran(T_SEND_DCS);
      else me.tran(T_PAGE);
      return;
    }
    if (find(frames, F.RTN) || find(frames, F.PIN)) {
      me.pageTries++;
      if (me.pageTries >= TRIES) {
        me.fail('page-rejected', 'page ' + (me.pageIndex + 1) + ' refused ' + TRIES + ' times (RTN): the line is too noisy');
        me.tran(DISCONNECT);
        return;
      }
      // retrain one step lower and send the page again (T.30 §5.3.6.1.8)
      me.ladder++;
      if (!me.chooseParams()) {
        me.ladder--;
        me.chooseParams();
      }
      me.tries = 0;
      me.tran(T_SEND_DCS);
      return;
    }
    if (find(frames, F.DCN)) {
      me.fail('remote-disconnected', 'the remote ended the call (DCN) with page ' + (me.pageIndex + 1) + ' unconfirmed');
      me.tran(HANGUP);
      return;
    }
    if (find(frames, F.CRP)) {
      me.tran(T_SEND_POST);
      return;
    }
    me.tran(T_WAIT_MCF); // a self-transition: ENTRY listens again
  },
};

// ---------------------------------------------------------------- ECM transmitter (T.30 Annex A)

/** Send a block (all frames, or those the last PPR named) as HDLC over +FTM. */
const T_ECM_BLOCK: State<T30Session> = {
  name: 'T_ECM_BLOCK',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      if (!me.block) {
        // a new page or the next block of this page
        if (!me.coder) {
          me.newCoder();
          me.blockNo = 0;
        }
        // one block buffer per call, refilled block after block (no garbage per block)
        const fs = (me.params as Params).frameSize;
        if (!me.txPool || me.txPool.frameSize !== fs) me.txPool = new TxBlock(fs, me.opts.ecmBlockFrames);
        me.block = me.txPool;
        const coder = me.coder as PageCoder;
        me.pageEnded = me.block.fill(function (max: number) {
          return coder.read(max);
        });
        me.pprCount = 0;
      }
      me.c1.silence(GAP);
      return;
    }
    if (e.sig === 'C1_SILENCE') {
      const blk = me.block as TxBlock;
      const chunks: Uint8Array[] = [];
      // ~200 ms of flags first so the receiver's HDLC locks on (T.4 Annex A)
      blk.stream(function (b: Uint8Array) {
        chunks.push(b);
      }, Math.ceil(((me.params as Params).rate * 0.2) / 8));
      me.trace('-> ECM block p' + (me.pageIndex + 1) + ' b' + me.blockNo + ': ' + blk.frames + ' frame(s)' + (me.pprCount > 0 ? ' (resend)' : ''));
      let i = 0;
      me.c1.sendData(me.pageMod(), function () {
        return i < chunks.length ? chunks[i++] : null;
      });
      return;
    }
    if (e.sig === 'C1_SENT') {
      me.tries = 0;
      me.postCmd = me.pageEnded ? me.postPageCommand() : F.NULL_FCF;
      me.tran(T_ECM_PPS);
      return;
    }
    lineTrouble(me, e);
  },
};

function ppsFrame(me: T30Session): Frame {
  const blk = me.block as TxBlock;
  const fif = new Uint8Array(4);
  fif[0] = me.postCmd === F.NULL_FCF ? 0 : me.postCmd | 1;
  fif[1] = me.pageIndex & 0xff;
  fif[2] = me.blockNo & 0xff;
  fif[3] = blk.frames - 1;
  return makeFrame(F.PPS | 1, fif, true);
}

const T_ECM_PPS: State<T30Session> = {
  name: 'T_ECM_PPS',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.c1.silence(GAP);
      return;
    }
    if (e.sig === 'C1_SILENCE') {
      me.sendFrames([ppsFrame(me)]);
      return;
    }
    if (e.sig === 'C1_SENT') {
      me.tran(T_ECM_WAIT);
      return;
    }
    lineTrouble(me, e);
  },
};

/** MCF: block confirmed. PPR: resend those frames (after four PPRs, CTC at a lower rate or EOR). RNR: RR until ready. */
const T_ECM_WAIT: State<T30Session> = {
  name: 'T_ECM_WAIT',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.c1.receiveFrames(T4);
      return;
    }
    if (lineTrouble(me, e)) return;
    if (e.sig === 'C1_NO_FRAMES') {
      me.tries++;
      if (me.tries >= TRIES) {
        me.fail('no-response', 'no answer to PPS for page ' + (me.pageIndex + 1) + ' block ' + me.blockNo + ' (' + TRIES + ' tries)');
        me.tran(DISCONNECT);
      } else me.tran(T_ECM_PPS);
      return;
    }
    if (e.sig === 'WAIT') {
      // T5 running: ask again whether the receiver is ready
      me.sendFrames([makeFrame(F.RR | 1, null, true)]);
      me.tran(T_ECM_RR);
      return;
    }
    if (e.sig === 'T1') {
      // T5 (on the t1 timer) ran out while the receiver kept saying RNR
      me.wait.disarm();
      me.fail('no-response', 'the receiver stayed busy (RNR) for T5 (60 s)');
      me.tran(DISCONNECT);
      return;
    }
    if (e.sig !== 'C1_FRAMES') return;
    const frames = me.frames(e);
    const job = me.job as SendJob;
    if (find(frames, F.MCF)) {
      me.t1.disarm();
      me.block = null;
      me.blockNo++;
      me.tries = 0;
      if (!me.pageEnded) {
        me.tran(T_ECM_BLOCK);
        return;
      }
      me.coder = null;
      me.pagesDone++;
      me.pageIndex++;
      if (me.pageIndex >= job.pages.length) me.tran(DISCONNECT);
      else me.tran(T_ECM_BLOCK);
      return;
    }
    const ppr = find(frames, F.PPR);
    if (ppr) {
      const blk = me.block as TxBlock;
      const n = blk.applyPpr(ppr.fif);
      me.pprCount++;
      me.tries = 0;
      if (n === 0) {
        // a PPR naming nothing we sent: resend the whole block
        blk.applyPpr(new Uint8Array(32).fill(0xff));
      }
      if (me.pprCount >= 4) {
        // Annex A.4: four PPRs for one block: continue to correct at a lower rate, or give up on it
        const lower = ladderStep(me.opts.caps, me.remoteCaps as Caps, me.ladder + 1);
        me.pprCount = 0;
        if (lower >= 0) {
          me.ladder = lower;
          me.chooseParams();
          me.tran(T_ECM_CTC);
        } else {
          me.fail('ecm-failed', 'page ' + (me.pageIndex + 1) + ': frames still wrong after four PPRs at the lowest rate');
          me.tran(DISCONNECT);
        }
        return;
      }
      me.tran(T_ECM_BLOCK);
      return;
    }
    if (find(frames, F.RNR)) {
      if (!me.t1.isArmed()) me.t1.arm(T5);
      me.wait.arm(1000);
      return;
    }
    if (find(frames, F.DCN)) {
      me.fail('remote-disconnected', 'the remote ended the call (DCN) with page ' + (me.pageIndex + 1) + ' unconfirmed');
      me.tran(HANGUP);
      return;
    }
    if (find(frames, F.CRP)) {
      me.tran(T_ECM_PPS);
      return;
    }
    me.tran(T_ECM_WAIT); // a self-transition: ENTRY listens again
  },
};

/** RR is out (the receiver said RNR); its answer is handled as for PPS, until T5. */
const T_ECM_RR: State<T30Session> = {
  name: 'T_ECM_RR',
  on(me, e) {
    if (e.sig === 'C1_SENT') {
      me.tran(T_ECM_WAIT);
      return;
    }
    if (e.sig === 'T1') {
      me.fail('no-response', 'the receiver stayed busy (RNR) for T5 (60 s)');
      me.tran(DISCONNECT);
      return;
    }
    lineTrouble(me, e);
  },
};

/** CTC with the new rate (DCS octet 2), wait for CTR, then retrain and resend the block. */
const T_ECM_CTC: State<T30Session> = {
  name: 'T_ECM_CTC',
  on(me, e) {
    if (e.sig === 'ENTRY') {
      const dcs = encodeDcs(me.params as Params);
      const fif = new Uint8Array(2);
      fif[1] = dcs[1] & 0x3c;
      me.sendFrames([makeFrame(F.CTC | 1, fif, true)]);
      return;
    }
    if (e.sig === 'C1_SENT') {
      me.c1.receiveFrames(T4);
      return;
    }
    if (lineTrouble(me, e)) return;
    if (e.sig === 'C1_NO_FRAMES') {
      me.tries++;
      if (me.tries >= TRIES) {
        me.fail('no-response', 'no answer to CTC');
        me.tran(DISCONNECT);
      } else me.tran(T_ECM_CTC);
      return;
    }
    if (e.sig === 'C1_FRAMES') {
      const frames = me.frames(e);
      if (find(frames, F.CTR)) {
        me.tries = 0;
        me.longTrain = true;
        me.tran(T_ECM_BLOCK);
        return;
      }
      if (find(frames, F.DCN)) {
        me.fail('remote-disconnected', 'the remote ended the call (DCN) after CTC');
        me.tran(HANGUP);
        return;
      }
      me.c1.receiveFrames(T4);
    }
  },
};
