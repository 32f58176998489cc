// The sending side of a T.30 call with ECM (T.30 Annex A; Figure A.7's node IV): each page in
// blocks of up to `ecmBlockFrames` HDLC frames of 256 octets, PPS after each block; MCF moves
// on, PPR names the frames to send again (after the fourth PPR of a block: CTC one rate lower,
// or give up at the bottom), RNR asks again with RR until T5. PPS, RR and CTC are commands sent
// with `command()`; their waits are children of RESPONSE (call.ts), which repeats them and gives
// up after three tries.
import { SUPER } from '../../kernel/index.ts';
import type { State } from '../../kernel/index.ts';
import * as F from './fcf.ts';
import type { Frame } from './frame.ts';
import { makeFrame } from './frame.ts';
import type { Caps, Params } from './dis.ts';
import { encodeDcs, ladderStep } from './dis.ts';
import type { PageSource } from './page-coder.ts';
import { TxBlock } from './ecm.ts';
import type { SendJob } from './types.ts';
import type { CallContext } from './call.ts';
import { chooseParams, newCoder, postPageCommand } from './send-page.ts';
import { RESPONSE, DISCONNECT, T5, TRIES, find, commandState, dataState } from './call.ts';

/** Send a block (all frames, or those the last PPR named) as HDLC over +FTM. */
export const T_ECM_BLOCK: State<CallContext> = dataState({
  name: 'T_ECM_BLOCK',
  enter(me) {
    if (!me.block) nextBlock(me);
  },
  start(me) {
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
  },
  sent(me) {
    me.responded();
    me.postCmd = me.pageEnded ? postPageCommand(me) : F.NULL_FCF;
    me.tran(T_ECM_PPS);
  },
});

/** A new page or the next block of this page, into the call's one block buffer (no garbage per block). */
function nextBlock(me: CallContext): void {
  if (!me.coder) {
    newCoder(me);
    me.blockNo = 0;
  }
  const fs = (me.params as Params).frameSize;
  if (!me.txPool || me.txPool.frameSize !== fs) me.txPool = new TxBlock(fs, me.opts.ecmBlockFrames);
  me.block = me.txPool;
  const coder = me.coder as PageSource;
  me.pageEnded = me.block.fill(function (max: number) {
    return coder.read(max);
  });
  me.pprCount = 0;
}

/** PPS (with the post-page command, or NULL between blocks of a page): T_ECM_WAIT awaits its response. */
export const T_ECM_PPS: State<CallContext> = commandState({
  name: 'T_ECM_PPS',
  gap: true,
  frames(me) {
    const blk = me.block as TxBlock;
    const fif = new Uint8Array(4);
    fif[0] = me.postCmd === F.NULL_FCF ? 0 : me.postCmd | 1;
    fif[1] = me.pageIndex & 0xff;
    fif[2] = me.blockNo & 0xff;
    fif[3] = blk.frames - 1;
    return [makeFrame(F.PPS | 1, fif, true)];
  },
  then: () => T_ECM_WAIT,
  noAnswer: (me) => 'no answer to PPS for page ' + (me.pageIndex + 1) + ' block ' + me.blockNo + ' (' + TRIES + ' tries)',
  dcn: (me) => 'with page ' + (me.pageIndex + 1) + ' unconfirmed',
});

/** MCF: block confirmed. PPR: resend those frames (after four PPRs, CTC at a lower rate). RNR: RR until T5. */
export const T_ECM_WAIT: State<CallContext> = {
  name: 'T_ECM_WAIT',
  parent: RESPONSE,
  on(me, e) {
    if (e.sig === 'PAUSE') {
      // T5 running: ask again whether the receiver is ready
      me.tran(T_ECM_RR);
      return;
    }
    if (e.sig !== 'C1_FRAMES') return SUPER;
    const frames = me.frames(e);
    if (find(frames, F.MCF)) {
      blockConfirmed(me);
      return;
    }
    const ppr = find(frames, F.PPR);
    if (ppr) {
      onPpr(me, ppr);
      return;
    }
    if (find(frames, F.RNR)) {
      // the receiver is busy: RR in a second, until T5 (T.30 Annex A.4.3)
      if (!me.t5.isArmed()) me.t5.arm(T5);
      me.responded();
      me.pause.arm(1000);
      return;
    }
    return SUPER;
  },
};

function blockConfirmed(me: CallContext): void {
  const job = me.job as SendJob;
  me.t5.disarm();
  me.block = null;
  me.blockNo++;
  me.responded();
  if (!me.pageEnded) {
    me.tran(T_ECM_BLOCK);
    return;
  }
  me.coder = null;
  me.pagesDone++;
  me.pageIndex++;
  me.tran(me.pageIndex >= job.pages.length ? DISCONNECT : T_ECM_BLOCK);
}

function onPpr(me: CallContext, ppr: Frame): void {
  const blk = me.block as TxBlock;
  const n = blk.applyPpr(ppr.fif);
  me.pprCount++;
  me.responded();
  // a PPR naming nothing we sent: resend the whole block
  if (n === 0) blk.applyPpr(new Uint8Array(32).fill(0xff));
  if (me.pprCount < 4) {
    me.tran(T_ECM_BLOCK);
    return;
  }
  // Annex A.4: four PPRs for one block: continue to correct at a lower rate, or give up on it
  const lower = ladderStep(me.opts.caps, me.remoteCaps as Caps, me.ladder + 1);
  me.pprCount = 0;
  if (lower < 0) {
    me.abandon('ecm-failed', 'page ' + (me.pageIndex + 1) + ': frames still wrong after four PPRs at the lowest rate');
    return;
  }
  me.ladder = lower;
  chooseParams(me);
  me.tran(T_ECM_CTC);
}

/** RR (the receiver said RNR): its answer is awaited as PPS's, in T_ECM_WAIT, until T5. */
export const T_ECM_RR: State<CallContext> = commandState({
  name: 'T_ECM_RR',
  gap: false,
  frames: () => [makeFrame(F.RR | 1, null, true)],
  then: () => T_ECM_WAIT,
  noAnswer: (me) => 'no answer to RR for page ' + (me.pageIndex + 1) + ' (' + TRIES + ' tries)',
  dcn: (me) => 'with page ' + (me.pageIndex + 1) + ' unconfirmed',
});

/** CTC with the new rate (DCS octet 2, bits 11–14); T_ECM_CTR awaits CTR. */
export const T_ECM_CTC: State<CallContext> = commandState({
  name: 'T_ECM_CTC',
  gap: false,
  frames(me) {
    const fif = new Uint8Array(2);
    fif[1] = encodeDcs(me.params as Params)[1] & 0x3c;
    return [makeFrame(F.CTC | 1, fif, true)];
  },
  then: () => T_ECM_CTR,
  noAnswer: () => 'no answer to CTC',
  dcn: () => 'after CTC',
});

/** CTR: retrain (long) and resend the block at the new rate. */
export const T_ECM_CTR: State<CallContext> = {
  name: 'T_ECM_CTR',
  parent: RESPONSE,
  on(me, e) {
    if (e.sig !== 'C1_FRAMES') return SUPER;
    if (find(me.frames(e), F.CTR)) {
      me.responded();
      me.longTrain = true;
      me.tran(T_ECM_BLOCK);
      return;
    }
    return SUPER;
  },
};
