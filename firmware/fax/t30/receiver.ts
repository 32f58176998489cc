// The answering, receiving side of a T.30 call (T.30 §5, Figure 5-2: nodes R, B and F): answer,
// CSI + DIS until a command comes (T1), DCS and TCF, the pages (non-ECM: the coded data as it
// comes; ECM: blocks of HDLC frames, PPR for the missing ones), and the answer to each post-page
// command. Every state is a child of IN_CALL (call.ts), which ends the call on line trouble or
// STOP.
import { SUPER } from '../../kernel/index.ts';
import type { State, Evt } from '../../kernel/index.ts';
import type { C1DataEnd } from '../class1/driver.ts';
import { trainingMs } from '../class1/driver.ts';
import { HdlcDecoder } from '../class1/hdlc.ts';
import { rxDecoder } from './rx-decoder.ts';
import { LineScanner } from '../t4/line-scan.ts';
import * as F from './fcf.ts';
import type { Frame } from './frame.ts';
import { makeFrame, encodeIdent, decodeIdent } from './frame.ts';
import type { Caps, Params } from './dis.ts';
import { encodeDis, decodeDcs, describeParams } from './dis.ts';
import { TcfCheck } from './tcf.ts';
import { RxBlock } from './ecm.ts';
import type { CallContext } from './call.ts';
import { IN_CALL, HANGUP, DISCONNECT, T4, TRIES, TCF_MS, find, c1Why } from './call.ts';

/** Our DIS: the capabilities, with the modulations above the rate limit taken out. */
function offered(me: CallContext): Caps {
  const c = me.opts.caps;
  const max = me.opts.maxRate || 14400;
  return {
    v27: c.v27, v29: c.v29 && max >= 7200, v17: c.v17 && max >= 12000, fine: c.fine, mr: c.mr, mmr: c.mmr,
    ecm: c.ecm, widths: c.widths, lengths: c.lengths, minScanStd: c.minScanStd, minScanFine: c.minScanFine,
    sub: c.sub, pwd: c.pwd, canReceive: c.canReceive, canSend: c.canSend,
  };
}

/** Answer with a response frame and go on in `next` once it is out (R_RESPOND). */
function respond(me: CallContext, fcf: number, next: State<CallContext>, fif?: Uint8Array): void {
  const f = makeFrame(fcf | me.x(), fif || null, true);
  me.lastResp = f;
  me.next = next;
  me.sendFrames([f]);
  me.tran(R_RESPOND);
}

/** A page or block of data starts arriving from the modem: set up the checks. */
function openRxPage(me: CallContext): boolean {
  const p = me.params as Params;
  if (me.pageOpen) return true;
  me.quality = { lines: 0, badLines: 0, maxBadRun: 0 };
  me.pageBytes = 0;
  const no = me.opts.sink.pageStart(me.pageInfo());
  me.pageOpen = true;
  if (no) me.refusal = no;
  if (!p.ecm) {
    me.scanner = new LineScanner(p.width, p.coding === 'MR');
    me.backlog = [];
    me.backlogBytes = 0;
    me.rxDataEnded = false;
    me.decodeBehind = false;
    // A board that can never decode at line rate (docs/ESPRUINO.md, speed) allows no backlog,
    // and its build has no decoder here (rx-decoder-device.ts; its row buffers would cost a
    // board ~1,000 variables): the line scan judges.
    me.decoder = me.opts.rxDecodeBacklog === 0 ? null : rxDecoder({
      coding: p.coding === 'MR' ? 'mr' : p.coding === 'MMR' ? 'mmr' : 'mh',
      width: p.width,
      bitOrder: 'lsb-first',
      onEnd: function (d) {
        me.quality = { lines: d.lines, badLines: d.badLines, maxBadRun: d.maxBadRun };
      },
    });
    if (!me.decoder) {
      me.decodeBehind = true;
      me.trace('page ' + (me.pagesDone + 1) + ': no decode on this board: judged by the line scan');
      return !no;
    }
  }
  return !no;
}

/**
 * Page data in (non-ECM), in the driver's dispatch: stored first (the sink), scanned cheaply
 * (EOLs, RTC, lines of impossible length), and queued for the full decode, which runs in slices
 * (CHECK events, below the driver's priority) so that the line never waits for it. A decode
 * that falls more than `rxDecodeBacklog` octets behind is dropped: the page is then judged by
 * the scan (docs/FAX-LINE.md, keeping up with the line).
 */
function pageData(me: CallContext, b: Uint8Array): void {
  if (!me.pageOpen) openRxPage(me);
  me.pageBytes += b.length;
  if (!me.refusal) me.refusal = me.opts.sink.pageData(b);
  if (me.scanner) me.scanner.push(b);
  if (!me.decoder) return;
  const limit = me.opts.rxDecodeBacklog;
  if (me.backlogBytes + b.length > (limit === undefined ? 65536 : limit)) {
    me.trace('page ' + (me.pagesDone + 1) + ': the decode is ' + me.backlogBytes + ' octets behind the line: judged by the line scan');
    me.decoder = null;
    me.backlog = [];
    me.backlogBytes = 0;
    me.decodeBehind = true;
    return;
  }
  me.backlog.push(b.slice(0));
  me.backlogBytes += b.length;
  if (!me.checkPosted) me.checkPosted = me.post({ sig: 'CHECK' });
}

/** Octets of page data decoded per CHECK event (rxDecodeSlice): the driver gets the CPU between slices. */
const CHECK_SLICE = 1024;

/** One slice of the decode; the decode ends once the data has and the backlog is empty. */
function checkSlice(me: CallContext): void {
  me.checkPosted = false;
  const d = me.decoder;
  if (!d) return;
  let done = 0;
  const slice = me.opts.rxDecodeSlice || CHECK_SLICE;
  while (me.backlog.length > 0 && done < slice) {
    const c = me.backlog.shift() as Uint8Array;
    d.push(c);
    done += c.length;
    me.backlogBytes -= c.length;
  }
  if (me.backlog.length > 0) me.checkPosted = me.post({ sig: 'CHECK' });
  else if (me.rxDataEnded) endDecode(me);
}

function endDecode(me: CallContext): void {
  if (me.decoder) me.decoder.end(); // its onEnd sets the page's quality
  me.decoder = null;
}

/** The page's quality for MCF/RTP/RTN: the decode's when it kept up, else the line scan's. */
function pageQuality(me: CallContext): void {
  if (me.decoder && me.backlogBytes === 0) endDecode(me);
  if (!me.decoder && !me.decodeBehind) return;
  const s = me.scanner as LineScanner;
  if (me.decoder) me.trace('page ' + (me.pagesDone + 1) + ': the decode is ' + me.backlogBytes + ' octets behind: judged by the line scan');
  me.decoder = null;
  me.backlog = [];
  me.backlogBytes = 0;
  me.quality = { lines: s.lines, badLines: s.badLines, maxBadRun: s.maxBadRun };
}

/** The receiver's MCF/RTP/RTN choice for a non-ECM page (configurable policy). */
function judge(me: CallContext): number {
  const q = me.quality;
  const pol = me.opts.policy;
  if (q.lines === 0) return F.RTN;
  if (q.badLines === 0) return F.MCF;
  if (q.badLines * 100 > q.lines * pol.maxBadPercent || q.maxBadRun > pol.maxBadRun) return F.RTN;
  return pol.rtpOnErrors ? F.RTP : F.MCF;
}

/** The page could not be kept: refuse it and end the call with DCN (never MCF for it). */
function refusePage(me: CallContext): void {
  me.endPage(false);
  me.refuse();
  me.tran(DISCONNECT);
}

/** Every state of the receiving side: the page's decode goes on in slices whatever the state. */
export const RECEIVING: State<CallContext> = {
  name: 'RECEIVING',
  parent: IN_CALL,
  on(me, e) {
    if (e.sig === 'CHECK') {
      checkSlice(me);
      return;
    }
    return SUPER;
  },
};

export const R_ANSWER: State<CallContext> = {
  name: 'R_ANSWER',
  parent: RECEIVING,
  on(me, e) {
    if (e.sig === 'ENTRY') {
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
      return;
    }
    return SUPER;
  },
};

/** Phase B: CSI + DIS, repeated until DCS comes or T1 runs out. */
export const R_SEND_DIS: State<CallContext> = {
  name: 'R_SEND_DIS',
  parent: RECEIVING,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.sendFrames([makeFrame(F.CSI, encodeIdent(me.opts.ident), false), makeFrame(F.DIS, encodeDis(offered(me)), true)]);
      return;
    }
    if (e.sig === 'C1_SENT') {
      me.tran(R_WAIT_CMD);
      return;
    }
    return SUPER;
  },
};

/** Waiting for the sender's next command (T2; T4 in phase B): DCS, a post-page command, PPS, CTC, RR, DCN. */
export const R_WAIT_CMD: State<CallContext> = {
  name: 'R_WAIT_CMD',
  parent: RECEIVING,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      me.listenFrames(me.params ? me.t2 : me.t4);
      return;
    }
    if (e.sig === 'C1_NO_FRAMES') {
      noCommand(me, e);
      return;
    }
    if (e.sig === 'C1_FRAMES') {
      me.tries = 0;
      onCommand(me, me.frames(e));
      return;
    }
    return SUPER;
  },
};

/** No command within T2 (T4 in phase B): DIS again until T1, or listen again, three times. */
function noCommand(me: CallContext, e: Evt): void {
  if (!me.params) {
    // still in phase B: DIS again until T1 (T.30 §5.3.2)
    if (!me.t1.isArmed()) {
      me.fail('no-dcs', 'the caller sent no DCS within T1 (35 s)');
      me.tran(HANGUP);
    } else me.tran(R_SEND_DIS);
    return;
  }
  if (me.lastPageConfirmed()) {
    // the last page is confirmed: a sender that hangs up without DCN loses nothing
    me.trace('no DCN after EOP/MCF (' + c1Why(e) + '): the call is complete');
    me.tran(HANGUP);
    return;
  }
  me.tries++;
  if (me.tries >= TRIES || c1Why(e) === 'error') {
    me.abandon('line-dropped', 'the line went quiet ' + (me.pageOpen ? 'during page ' + (me.pagesDone + 1) : 'after page ' + me.pagesDone) + ' (' + c1Why(e) + ')');
    return;
  }
  // listen again (the sender repeats its command after T4)
  me.listenFrames(me.t2);
}

function onCommand(me: CallContext, frames: Frame[]): void {
  const dcs = find(frames, F.DCS);
  if (dcs) {
    onDcs(me, frames, dcs);
    return;
  }
  if (find(frames, F.DCN)) {
    if (!me.lastPageConfirmed()) {
      if (me.pagesDone === 0 && !me.pageOpen) me.fail('remote-disconnected', 'the caller ended the call (DCN) before any page was confirmed');
      else me.fail('remote-disconnected', 'the caller ended the call (DCN) after ' + me.pagesDone + ' confirmed page(s), before EOP');
    }
    me.tran(HANGUP);
    return;
  }
  const ecm = me.params !== null && me.params.ecm;
  const pps = find(frames, F.PPS);
  if (pps && ecm) {
    onPps(me, pps);
    return;
  }
  const eor = find(frames, F.EOR);
  if (eor && ecm) {
    onEor(me, eor);
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
    respond(me, F.CTR, R_PAGE);
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
    me.abandon('incompatible', 'the remote sent DIS/DTC: polling or two answering stations');
    return;
  }
  // nothing we can act on: listen again
  me.tran(R_WAIT_CMD); // a self-transition: ENTRY listens again
}

/** DCS (with TSI, SUB, SID): the call's parameters; the sink may refuse the call here. */
function onDcs(me: CallContext, frames: Frame[], dcs: Frame): void {
  const tsi = find(frames, F.TSI);
  if (tsi) me.remoteIdent = decodeIdent(tsi.fif);
  const sub = find(frames, F.SUB);
  if (sub) me.sub = decodeIdent(sub.fif);
  const sid = find(frames, F.SID);
  if (sid) me.pwd = decodeIdent(sid.fif);
  me.params = decodeDcs(dcs.fif);
  if (me.params.rate === 0) {
    me.abandon('incompatible', 'DCS asks for a rate this terminal does not know');
    return;
  }
  const sink = me.opts.sink;
  const no = sink.accept ? sink.accept(me.pageInfo()) : null;
  if (no) {
    // refused before any page (e.g. an unknown subaddress or a wrong password): DCN now
    me.abandon('refused', 'call refused: ' + no.reason);
    return;
  }
  me.tran(R_TCF);
}

/** Where a post-page command leads after our answer (T.30 Figure 5-2, node F). */
function afterPost(pc: number, resp: number): State<CallContext> {
  if (resp === F.MCF) return pc === F.MPS || pc === F.NULL_FCF ? R_PAGE : pc === F.EOM ? R_SEND_DIS : R_WAIT_CMD;
  // RTP / RTN: the sender goes back to phase B (DCS + TCF) or ends
  return R_WAIT_CMD;
}

/** Non-ECM post-page command: judge the page and answer MCF/RTP/RTN. */
function onPostPage(me: CallContext, cmd: number): void {
  const pc = cmd === F.PRI_MPS ? F.MPS : cmd === F.PRI_EOP ? F.EOP : cmd === F.PRI_EOM ? F.EOM : cmd;
  me.lastPost = pc;
  if (!me.pageOpen) {
    // a repeated command: our answer was lost, answer the same again (T.30 §5.3.2 three tries)
    const last = me.lastResp ? F.fcfKind(me.lastResp.fcf) : 0;
    if (last === F.MCF || last === F.RTP || last === F.RTN) {
      respond(me, last, afterPost(pc, last));
      return;
    }
    // no page data came at all (after CFR): not confirmed
    respond(me, F.RTN, R_WAIT_CMD);
    return;
  }
  if (me.refusal) {
    refusePage(me);
    return;
  }
  pageQuality(me);
  const resp = judge(me);
  me.trace('page ' + (me.pagesDone + 1) + ': ' + me.quality.lines + ' lines, ' + me.quality.badLines + ' bad, longest bad run ' + me.quality.maxBadRun);
  if (!me.endPage(resp !== F.RTN)) {
    me.refuse();
    me.tran(DISCONNECT);
    return;
  }
  respond(me, resp, afterPost(pc, resp));
}

/** ECM: PPS after a block. All frames there: deliver, MCF. Else PPR with the missing ones. */
function onPps(me: CallContext, pps: Frame): void {
  if (pps.fif.length < 4) {
    me.tran(R_WAIT_CMD); // a self-transition: ENTRY listens again
    return;
  }
  const pc = F.fcfKind(pps.fif[0]);
  me.lastPost = pc;
  const id = pps.fif[1] * 256 + pps.fif[2];
  let count = pps.fif[3] + 1;
  // SpanDSP counts only the frames of the retransmission in the PPS that follows it: the block
  // is as long as the largest count seen for it (docs/FAX-LINE.md, ECM blocks)
  if (id === me.blockId && me.blockCount > count) count = me.blockCount;
  me.blockId = id;
  me.blockCount = count;
  const blk = me.rxBlock;
  if (id === me.lastPps || !blk) {
    // repeated PPS for a block already confirmed: confirm again
    respond(me, F.MCF, afterPost(pc, F.MCF));
    return;
  }
  const missing = blk.missing(count, me.pprMap);
  me.trace('block p' + pps.fif[1] + ' b' + pps.fif[2] + ': ' + (count - missing) + '/' + count + ' frames' + (blk.dropped ? ' (' + blk.dropped + ' beyond the window so far)' : ''));
  if (blk.refused || (me.pageOpen && me.refusal)) {
    me.refuse();
    me.endPage(false);
    me.tran(DISCONNECT);
    return;
  }
  if (missing > 0) {
    const copy = new Uint8Array(32);
    copy.set(me.pprMap);
    respond(me, F.PPR, R_PAGE, copy);
    return;
  }
  // every frame of the block has been handed on in order
  me.lastPps = id;
  me.blockId = -1;
  me.blockCount = 0;
  blk.reset();
  if (pc !== F.NULL_FCF) {
    if (!me.pageOpen) openRxPage(me); // an empty page
    me.quality.lines = me.pageBytes; // ECM: the frames are error-free; report octets
    if (!me.endPage(true)) {
      me.refuse();
      me.tran(DISCONNECT);
      return;
    }
  }
  respond(me, F.MCF, afterPost(pc, F.MCF));
}

/** EOR: the sender gives up on this block: keep what came, mark the page as damaged (Annex A.4). */
function onEor(me: CallContext, eor: Frame): void {
  if (me.rxBlock) {
    me.rxBlock.flushGaps();
    me.rxBlock.reset();
  }
  me.quality.badLines++;
  const pc = eor.fif.length > 0 ? F.fcfKind(eor.fif[0]) : F.NULL_FCF;
  if (pc !== F.NULL_FCF) me.endPage(false);
  respond(me, F.ERR, pc === F.EOP ? R_WAIT_CMD : pc === F.EOM ? R_SEND_DIS : R_PAGE);
}

/** A response frame is going out; then on to the state chosen with it. */
export const R_RESPOND: State<CallContext> = {
  name: 'R_RESPOND',
  parent: RECEIVING,
  on(me, e) {
    if (e.sig === 'C1_SENT') {
      const n = me.next || R_WAIT_CMD;
      if (n === R_SEND_DIS) me.params = null;
      me.tran(n);
      return;
    }
    return SUPER;
  },
};

/** TCF: 1.5 s of zeros at the new rate; the receiver checks it (T.30 §5.3.6.2.3), then CFR or FTT. */
export const R_TCF: State<CallContext> = {
  name: 'R_TCF',
  parent: RECEIVING,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      const chk = new TcfCheck();
      me.tcf = chk;
      me.listenData(me.t4, me.mod(), function (b: Uint8Array) {
        chk.push(b);
      });
      // T4 for its carrier, its training, 1.5 s of TCF and a second of slack: never wait for ever for its end
      me.tcfEnd.arm(T4 + trainingMs(me.mod()) + TCF_MS + 1000);
      return;
    }
    if (e.sig === 'TCF_END') {
      me.c1.stop();
      return;
    }
    if (e.sig === 'C1_DATA_END') {
      me.tcfEnd.disarm();
      const chk = me.tcf as TcfCheck;
      const p = me.params as Params;
      const good = chk.good(p.rate);
      me.trace('TCF ' + describeParams(p) + ': ' + chk.total + ' octets, zero run ' + chk.longest + ' (' + (good ? 'good' : 'bad') + ', ' + (e as C1DataEnd).why + ')');
      if (good) respond(me, F.CFR, R_PAGE);
      else respond(me, F.FTT, R_WAIT_CMD);
      return;
    }
    return SUPER;
  },
};

/** Phase C: page data (or an ECM block) arrives at the negotiated rate. */
export const R_PAGE: State<CallContext> = {
  name: 'R_PAGE',
  parent: RECEIVING,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      if ((me.params as Params).ecm) receiveBlock(me);
      else receivePage(me);
      return;
    }
    if (e.sig === 'C1_DATA_END') {
      const why = (e as C1DataEnd).why;
      const p = me.params as Params;
      if (p.ecm) {
        const blk = me.rxBlock as RxBlock;
        me.trace('ECM data: ' + blk.framesSeen + ' good frame(s)' + (blk.rcp ? ', RCP' : '') + ', ' + (me.hdlc ? me.hdlc.bad : 0) + ' bad (' + why + ')');
      } else if (me.pageOpen && !p.ecm) {
        me.rxDataEnded = true;
        if (me.backlogBytes === 0) endDecode(me);
        me.trace('page data: ' + me.pageBytes + ' octets, ' + (me.scanner as LineScanner).lines + ' lines scanned (' + why + ')');
      } else me.trace('no page data (' + why + ')');
      me.tran(R_WAIT_CMD);
      return;
    }
    return SUPER;
  },
};

/** Non-ECM page data: to the sink as it comes, and through the T.4 decoder for the line count. */
function receivePage(me: CallContext): void {
  me.listenData(me.t2, me.pageMod(), function (b: Uint8Array) {
    // runs in the driver's dispatch: a fault in the sink must not take the driver down
    try {
      pageData(me, b);
    } catch (x) {
      me.sinkFault(x);
    }
  });
}

/** An ECM block: HDLC frames checked by their FCS, handed on in order through the receive window. */
function receiveBlock(me: CallContext): void {
  const p = me.params as Params;
  if (!me.rxBlock || me.rxBlock.frameSize !== p.frameSize) {
    me.rxBlock = new RxBlock(me.opts.ecmRxWindow || 256, p.frameSize, function (b: Uint8Array) {
      try {
        if (!me.pageOpen && !openRxPage(me)) return false;
        me.pageBytes += b.length;
        const no = me.opts.sink.pageData(b);
        if (no) me.refusal = no;
        return !no;
      } catch (x) {
        me.sinkFault(x);
        return false;
      }
    });
  }
  const blk = me.rxBlock;
  const hdlc = new HdlcDecoder(function (b: Uint8Array, len: number, ok: boolean) {
    if (ok) blk.put(b, len - 2);
  }, p.frameSize + 8);
  me.hdlc = hdlc;
  me.listenData(me.t2, me.pageMod(), function (b: Uint8Array) {
    hdlc.push(b);
  });
}
