// The calling, sending side of a T.30 call without ECM (T.30 §5, Figure 5-2: nodes T, B, D, I,
// II and III): dial, DIS (until T1), TSI/SUB/SID + DCS and TCF down the fallback ladder, each
// page coded on demand, the post-page command and its response. The commands that wait for a
// response (DCS, MPS/EOP) are sent with `command()` and their waits are children of RESPONSE
// (call.ts), which repeats them and gives up after three tries. With ECM the pages go through
// ecm-sender.ts instead.
import { SUPER } from '../../kernel/index.ts';
import type { State, Evt } from '../../kernel/index.ts';
import * as F from './fcf.ts';
import type { Frame } from './frame.ts';
import { makeFrame, encodeIdent, decodeIdent } from './frame.ts';
import type { Caps, Params } from './dis.ts';
import { encodeDcs, decodeDis, describeParams } from './dis.ts';
import { tcfLength, zeros } from './tcf.ts';
import type { PageSource } from './page-coder.ts';
import { chooseParams, newCoder, postPageCommand } from './send-page.ts';
import type { SendJob } from './types.ts';
import type { CallContext } from './call.ts';
import { IN_CALL, RESPONSE, HANGUP, DISCONNECT, T1, GAP, TRIES, find, c1Why, repeatLastCommand, commandState, dataState } from './call.ts';
import { T_ECM_BLOCK } from './ecm-sender.ts';

export const T_DIAL: State<CallContext> = {
  name: 'T_DIAL',
  parent: IN_CALL,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      const job = me.job as SendJob;
      me.beginCall('send');
      me.c1.dial(job.number, T1 + 25000);
      return;
    }
    if (e.sig === 'C1_CONNECT') {
      me.t1.arm(T1); // phase B starts with the connection (T.30 §5.4.3.2)
      return;
    }
    if (e.sig === 'C1_FAIL') {
      const w = c1Why(e);
      const number = (me.job as SendJob).number;
      if (w === 'busy') me.fail('busy', 'the number ' + number + ' is busy');
      else if (w === 'no answer' || w === 'timeout') me.fail('no-answer', 'no answer from ' + number);
      else if (w === 'no dialtone') me.fail('no-dialtone', 'no dial tone on the line');
      else me.fail('no-carrier', 'no fax machine answered at ' + number + ' (' + w + ')');
      me.tran(HANGUP);
      return;
    }
    if (onDisFrames(me, e)) return;
    return SUPER;
  },
};

/** Phase B for the caller: DIS (with CSI) arrived, or listen again until T1. True when handled. */
function onDisFrames(me: CallContext, e: Evt): boolean {
  if (e.sig === 'C1_NO_FRAMES') {
    if (!me.t1.isArmed()) me.abandon('no-dis', 'no DIS from the remote within T1 (35 s)');
    else me.tran(T_WAIT_DIS);
    return true;
  }
  if (e.sig !== 'C1_FRAMES') return false;
  const frames = me.frames(e);
  const dis = find(frames, F.DIS);
  const csi = find(frames, F.CSI);
  if (csi) me.remoteIdent = decodeIdent(csi.fif);
  if (find(frames, F.DCN)) {
    me.fail('remote-disconnected', 'the remote ended the call (DCN) in phase B');
    me.tran(HANGUP);
    return true;
  }
  if (!dis) {
    me.tran(T_WAIT_DIS);
    return true;
  }
  me.remoteCaps = decodeDis(dis.fif);
  if (!me.remoteCaps.canReceive) me.abandon('incompatible', 'the remote cannot receive (DIS bit 10 clear)');
  else if (!chooseParams(me)) me.abandon('incompatible', 'no common modulation');
  else {
    me.responded();
    me.tran(T_SEND_DCS);
  }
  return true;
}

/** After a DIS with a bad FCS (or none): wait a little and listen again, until T1. */
export const T_WAIT_DIS: State<CallContext> = {
  name: 'T_WAIT_DIS',
  parent: IN_CALL,
  on(me, e) {
    if (e.sig === 'ENTRY') {
      // a DIS with a bad FCS is repeated by the answerer: listen again after a moment
      me.pause.arm(200);
      return;
    }
    if (e.sig === 'PAUSE') {
      me.c1.receiveFrames(Math.max(1000, me.t1.deadline - me.now()));
      return;
    }
    if (onDisFrames(me, e)) return;
    return SUPER;
  },
};

/** TSI (+SUB, SID) + DCS, then TCF: the command whose response (CFR/FTT) T_WAIT_CFR awaits. */
export const T_SEND_DCS: State<CallContext> = commandState({
  name: 'T_SEND_DCS',
  gap: false,
  frames(me) {
    const job = me.job as SendJob;
    const r = me.remoteCaps as Caps;
    const frames: Frame[] = [makeFrame(F.TSI | 1, encodeIdent(me.opts.ident), false)];
    if (job.sub && r.sub) {
      frames.push(makeFrame(F.SUB | 1, encodeIdent(job.sub), false));
      me.sub = job.sub;
    }
    if (job.sid && r.pwd) frames.push(makeFrame(F.SID | 1, encodeIdent(job.sid), false));
    frames.push(makeFrame(F.DCS | 1, encodeDcs(me.params as Params), true));
    return frames;
  },
  then: () => T_TCF,
  noAnswer: () => 'no answer to DCS after ' + TRIES + ' tries',
  dcn: () => 'after DCS',
});

/** TCF: 1.5 s of zeros at the rate of the DCS (T.30 §5.3.6.2.3). */
export const T_TCF: State<CallContext> = dataState({
  name: 'T_TCF',
  start(me) {
    const p = me.params as Params;
    me.trace('-> TCF ' + describeParams(p) + ' (1.5 s of zeros)');
    me.c1.sendData(me.mod(), zeros(tcfLength(p.rate)));
  },
  sent(me) {
    me.tran(T_WAIT_CFR);
  },
});

/** CFR: on to the page. FTT: one step down the ladder. DIS again: our DCS was not heard. */
export const T_WAIT_CFR: State<CallContext> = {
  name: 'T_WAIT_CFR',
  parent: RESPONSE,
  on(me, e) {
    if (e.sig !== 'C1_FRAMES') return SUPER;
    const frames = me.frames(e);
    if (find(frames, F.CFR)) {
      me.responded();
      me.pprCount = 0;
      me.tran((me.params as Params).ecm ? T_ECM_BLOCK : T_PAGE);
      return;
    }
    if (find(frames, F.FTT)) {
      me.ladder++;
      if (!chooseParams(me)) {
        me.abandon('training-failed', 'training failed at every rate down to 2400 (FTT)');
        return;
      }
      me.responded();
      me.tran(T_SEND_DCS);
      return;
    }
    if (find(frames, F.DIS)) {
      // the remote did not hear our DCS and repeated DIS: a try of DCS like no answer at all
      me.commandText = 'the remote kept repeating DIS: it does not hear our DCS';
      repeatLastCommand(me);
      return;
    }
    return SUPER;
  },
};

/** Phase C, non-ECM: the coded page at the trained rate, then the post-page command. */
export const T_PAGE: State<CallContext> = dataState({
  name: 'T_PAGE',
  start(me) {
    newCoder(me);
    const coder = me.coder as PageSource;
    me.trace('-> page ' + (me.pageIndex + 1) + ' ' + describeParams(me.params as Params));
    me.c1.sendData(me.pageMod(), function () {
      return coder.read(256);
    });
  },
  sent(me) {
    const c = me.coder as PageSource;
    me.trace('page ' + (me.pageIndex + 1) + ' sent: ' + (c.lines >= 0 ? c.lines + ' lines, ' : 'as stored, ') + c.bytes + ' octets');
    me.postCmd = postPageCommand(me);
    me.responded();
    me.tran(T_SEND_POST);
  },
});

/** MPS or EOP: the command whose response T_WAIT_MCF awaits. */
export const T_SEND_POST: State<CallContext> = commandState({
  name: 'T_SEND_POST',
  gap: true,
  frames: (me) => [makeFrame(me.postCmd | 1, null, true)],
  then: () => T_WAIT_MCF,
  noAnswer: (me) => 'no answer to ' + F.fcfName(me.postCmd) + ' after page ' + (me.pageIndex + 1) + ' (' + TRIES + ' tries); the page is not confirmed',
  dcn: (me) => 'with page ' + (me.pageIndex + 1) + ' unconfirmed',
});

/** MCF/RTP/PIP: page confirmed. RTN/PIN: retrain one step lower and send it again (three tries). */
export const T_WAIT_MCF: State<CallContext> = {
  name: 'T_WAIT_MCF',
  parent: RESPONSE,
  on(me, e) {
    if (e.sig !== 'C1_FRAMES') return SUPER;
    const frames = me.frames(e);
    const job = me.job as SendJob;
    if (find(frames, F.MCF) || find(frames, F.RTP) || find(frames, F.PIP)) {
      // PIP: the page is good, the operator wants the line: treated as RTP (no voice here)
      const rtp = !find(frames, F.MCF);
      me.pagesDone++;
      me.pageIndex++;
      me.pageTries = 0;
      me.responded();
      if (me.pageIndex >= job.pages.length) me.tran(DISCONNECT);
      else if (rtp) me.tran(T_SEND_DCS);
      else me.tran(T_PAGE);
      return;
    }
    if (find(frames, F.RTN) || find(frames, F.PIN)) {
      me.pageTries++;
      if (me.pageTries >= TRIES) {
        me.abandon('page-rejected', 'page ' + (me.pageIndex + 1) + ' refused ' + TRIES + ' times (RTN): the line is too noisy');
        return;
      }
      // retrain one step lower and send the page again (T.30 §5.3.6.1.8)
      me.ladder++;
      if (!chooseParams(me)) {
        me.ladder--;
        chooseParams(me);
      }
      me.responded();
      me.tran(T_SEND_DCS);
      return;
    }
    return SUPER;
  },
};
