// What a sending call chooses and codes (once methods of CallContext, call.ts): the session
// parameters for DCS from the far end's DIS and ours (T.30 §5.3.6.1, the fallback ladder), the
// coded data of the next page, the command after it. Only the sending side (sender.ts,
// ecm-sender.ts) uses these: on a board they are part of the send module.
import * as F from './fcf.ts';
import type { Caps, Params } from './dis.ts';
import { ladderStep, LADDER } from './dis.ts';
import { PageCoder, StoredCoding } from './page-coder.ts';
import type { SendJob } from './types.ts';
import type { CallContext } from './call.ts';

/** Choose DCS from the remote DIS, our caps, the job and the ladder position. */
export function chooseParams(me: CallContext): boolean {
  const l = me.opts.caps;
  const r = me.remoteCaps as Caps;
  let step = ladderStep(l, r, me.ladder);
  while (step >= 0 && me.opts.maxRate && LADDER[step].rate > me.opts.maxRate) step = ladderStep(l, r, step + 1);
  if (step < 0) return false;
  me.ladder = step;
  const job = me.job as SendJob;
  const ecm = l.ecm && r.ecm;
  const coding = ecm && l.mmr && r.mmr ? 'MMR' : l.mr && r.mr ? 'MR' : 'MH';
  const page = job.pages[me.pageIndex < job.pages.length ? me.pageIndex : 0];
  const fine = page.fine && r.fine;
  // T.4 §2.2 widths: keep a B4/A3 page's width when the receiver takes it, else scale to A4
  const width = page.width >= 2432 && r.widths >= 2 && l.widths >= 2 ? 2432 : page.width >= 2048 && r.widths >= 1 && l.widths >= 1 ? 2048 : 1728;
  me.params = {
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

/**
 * The page's coded data: as stored when the store has it in the negotiated coding, resolution
 * and width and no fill is needed (ECM, or no minimum scan-line time), else coded from its rows.
 */
export function newCoder(me: CallContext): void {
  const p = me.params as Params;
  const job = me.job as SendJob;
  const page = job.pages[me.pageIndex];
  const coding = p.coding === 'MMR' ? 'mmr' : p.coding === 'MR' ? 'mr' : 'mh';
  const stored = page.coded && (p.ecm || p.minScan === 0) ? page.coded(coding, p.fine, p.width) : null;
  if (stored) {
    me.coder = new StoredCoding(stored);
    return;
  }
  const bits = Math.ceil((p.rate * p.minScan) / 1000);
  me.coder = new PageCoder(page, coding, p.fine, bits, p.width);
}

export function postPageCommand(me: CallContext): number {
  const job = me.job as SendJob;
  return me.pageIndex + 1 < job.pages.length ? F.MPS : F.EOP;
}
