// The send queue (the fax server's outgoing side, patent ¶0003/¶0029): jobs from LAN clients,
// e-mail and the panel wait in the store and go out one call at a time, between receptions.
//
//   WAITING  no call of ours: the earliest due job is dialled as soon as the line is free
//            (no call, no ring, nothing else queued on the session); a job due later arms a
//            time event for it (at most a minute ahead: the calendar can be set meanwhile).
//   CALLING  one job's call is on the line; its end decides: sent, retry later, or failed.
//
// Retries follow HylaFAX's rules (settings `jobs`, schema.ts): every dial counts against
// maxDials; a call that reached a fax machine and failed also counts against maxTries; the
// pause depends on why (busy / no answer / failed). Pages the remote confirmed stay confirmed:
// a retry sends the rest. A job is marked 'dialling' (and the dial counted) in the store before
// the call starts, so a power cut mid-call brings it back queued and it is retried, never
// reported as sent. Each finished job is journaled (kind 'job') and its document deleted, and
// `onJobEnd` tells its owner (a sealed LAN notice or mail).
import { Active, TimeEvt } from '../kernel/index.ts';
import type { State, Evt } from '../kernel/index.ts';
import type { Clock } from '../../hal/clock.ts';
import type { Store } from '../store/index.ts';
import { journalAdd } from '../store/index.ts';
import type { SendJob, SendPage, JournalRecord } from '../fax/t30/index.ts';
import type { Job, JobView, JobState } from './job.ts';
import { JOB_DIR, jobOf, attemptOutcome, checkNumber, checkAddressField } from './job.ts';
import type { JobsSettings } from './schema.ts';

/** The fax line as the queue sees it. */
export interface QueueLine {
  /** True when a call of ours could start now (no call, no ring, nothing else waiting). */
  free(): boolean;
  /** Start the call; false when the line would not take it. */
  send(job: SendJob): boolean;
  /** Stop the call in progress (it ends with result 'cancelled'). */
  cancel(): void;
}

/** Pages of a stored document from page `from` on, for the T.30 sender. */
export type PagesOf = (store: Store, id: number, from: number) => SendPage[];

/** While the line is taken, how often to look again (ms). */
export const RECHECK_MS = 2000;
/** Longest wait armed for a job due later (ms): the calendar may be set meanwhile. */
export const MAX_WAIT_MS = 60000;

type CallEndEvt = Evt & { record: JournalRecord };

export class SendQueue extends Active {
  /** Document id of the job whose call is on the line (-1 none). */
  active = -1;
  /** The job's owner asked to cancel it while its call was on the line. */
  cancelling = false;
  readonly wake: TimeEvt;
  onJobEnd: ((job: JobView) => void) | null = null;

  constructor(
    prio: number,
    readonly store: Store,
    readonly clock: Clock,
    readonly line: QueueLine,
    readonly settings: () => JobsSettings,
    readonly pagesOf: PagesOf,
  ) {
    super('jobs', prio, 8, Q_WAITING);
    this.wake = new TimeEvt(this, 'WAKE');
  }

  /** Every job in the store, by id (queue order). */
  jobs(): JobView[] {
    const docs = this.store.documents();
    const out: JobView[] = [];
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      if (d.meta.dir !== JOB_DIR || d.open) continue;
      const j = jobOf(d.state);
      if (!j) continue;
      const v = copyJob(j) as JobView;
      v.id = d.id;
      out.push(v);
    }
    return out;
  }

  job(id: number): JobView | null {
    const all = this.jobs();
    for (let i = 0; i < all.length; i++) if (all[i].id === id) return all[i];
    return null;
  }

  /** Room for another job? '' yes, else why not (said before the client sends its pages). */
  room(): string {
    if (this.jobs().length >= this.settings().maxJobs) return 'queue full (' + this.settings().maxJobs + ' jobs)';
    if (this.store.isFull()) return 'memory full';
    return '';
  }

  /**
   * Queue the closed document `id` (dir 'job', written by the caller) as `job`. '' when queued;
   * otherwise why not, and the document is deleted (nothing half-queued stays in the store).
   */
  add(id: number, job: Job): string {
    const d = this.store.document(id);
    let why = '';
    if (!d || d.meta.dir !== JOB_DIR || d.open) why = 'no such document';
    else if (d.pages < 1) why = 'the document has no pages';
    else why = checkNumber(job.to) || checkAddressField('sub', job.sub) || checkAddressField('sid', job.sid);
    if (!why && this.jobs().length >= this.settings().maxJobs) why = 'queue full (' + this.settings().maxJobs + ' jobs)';
    if (!why) {
      job.pages = (d as { pages: number }).pages;
      job.state = 'queued';
      if (job.next < job.at) job.next = job.at;
      if (!this.save(id, job)) why = 'memory full';
    }
    if (why) {
      this.store.deleteDocument(id);
      return why;
    }
    this.trace('job ' + id + ' queued: ' + job.pages + ' page' + (job.pages === 1 ? '' : 's') + ' to ' + job.to +
      (job.at ? ' at ' + job.at : ''));
    this.post({ sig: 'KICK' });
    return '';
  }

  /**
   * Cancel job `id` for `by` (its owner, or '' for the panel/administrator, who may cancel any).
   * '' when done or under way (a job on the line ends when its call does).
   */
  cancel(id: number, by: string | null): string {
    const j = this.job(id);
    if (!j) return 'no such job';
    if (by !== null && by !== '' && j.owner !== by) return 'not your job';
    if (id === this.active) {
      this.cancelling = true;
      this.line.cancel();
      return '';
    }
    j.result = 'cancelled';
    j.reason = 'cancelled by ' + (by ? by : 'the administrator');
    this.finish(id, j, 'cancelled');
    this.post({ sig: 'KICK' });
    return '';
  }

  /** Tell the queue a call ended (the appliance's onCallEnd). Only our own call concerns us. */
  callEnded(r: JournalRecord): void {
    if (r.direction === 'send' && this.active >= 0) this.post({ sig: 'CALL_END', record: r } as CallEndEvt);
    else this.post({ sig: 'KICK' });
  }

  /**
   * At boot, before start: a job whose call was on the line when the power went is queued again
   * (its dial was counted), and a job document whose upload never finished is dropped.
   */
  recover(): number {
    const docs = this.store.documents();
    let n = 0;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      if (d.meta.dir !== JOB_DIR) continue;
      const j = jobOf(d.state);
      if (!j || d.interrupted) {
        this.store.deleteDocument(d.id);
        continue;
      }
      if (j.state === 'dialling') {
        j.state = 'queued';
        j.reason = 'call cut short by a power failure';
        j.next = this.clock.wall();
        this.save(d.id, j);
        n++;
      }
    }
    return n;
  }

  save(id: number, job: Job): boolean {
    return this.store.setDocState(id, { job: job });
  }

  /** The job due first: queued, its time come; null when none. `soonest` gets the next due time. */
  due(soonest: { at: number }): JobView | null {
    const all = this.jobs();
    const now = this.clock.wall();
    let best: JobView | null = null;
    soonest.at = -1;
    for (let i = 0; i < all.length; i++) {
      const j = all[i];
      if (j.state !== 'queued') continue;
      if (j.next <= now) {
        if (!best || j.next < best.next) best = j;
      } else if (soonest.at < 0 || j.next < soonest.at) soonest.at = j.next;
    }
    return best;
  }

  /** Dial job `j`: counted and marked before the call starts. False if the line would not. */
  dial(j: JobView): boolean {
    const pages = this.pagesOf(this.store, j.id, j.pagesSent);
    if (pages.length === 0) {
      this.finish(j.id, j, 'sent');
      return false;
    }
    j.state = 'dialling';
    j.dials++;
    if (!this.save(j.id, j)) return false;
    const req: SendJob = { number: j.to, pages: pages };
    if (j.sub) req.sub = j.sub;
    if (j.sid) req.sid = j.sid;
    if (!this.line.send(req)) {
      j.state = 'queued';
      j.dials--;
      this.save(j.id, j);
      return false;
    }
    this.active = j.id;
    this.cancelling = false;
    this.trace('job ' + j.id + ': dial ' + j.dials + ' of ' + this.settings().maxDials + ' to ' + j.to);
    return true;
  }

  /** Apply the end of the active job's call. */
  attemptEnded(r: JournalRecord): void {
    const id = this.active;
    this.active = -1;
    const j = this.job(id);
    if (!j) return;
    const s = this.settings();
    j.pagesSent += r.pages;
    if (j.pagesSent > j.pages) j.pagesSent = j.pages;
    j.result = r.result;
    j.reason = r.reason;
    if (r.rate) j.rate = r.rate;
    let outcome = attemptOutcome(r.result);
    if (this.cancelling) outcome = 'final';
    this.cancelling = false;
    if (outcome === 'sent' || j.pagesSent >= j.pages) return this.finish(id, j, 'sent');
    if (outcome === 'final') return this.finish(id, j, r.result === 'cancelled' ? 'cancelled' : 'failed');
    if (outcome === 'failed') j.tries++;
    if (j.tries >= s.maxTries || j.dials >= s.maxDials) {
      j.reason = (j.reason ? j.reason + '; ' : '') + 'gave up after ' + j.dials + ' dial' + (j.dials === 1 ? '' : 's') +
        (j.tries ? ' and ' + j.tries + ' failed call' + (j.tries === 1 ? '' : 's') : '');
      return this.finish(id, j, 'failed');
    }
    const pause = r.result === 'busy' ? s.retryBusySeconds : outcome === 'nodial' ? s.retryNoAnswerSeconds : s.retryFailedSeconds;
    j.state = 'queued';
    j.next = Math.floor(this.clock.wall()) + pause * 1000;
    this.save(id, j);
    this.trace('job ' + id + ': ' + r.result + ', again in ' + pause + ' s');
  }

  /** A job ended: journaled, its document deleted, its owner told. */
  finish(id: number, j: Job, state: JobState): void {
    j.state = state;
    journalAdd(this.store, {
      t: this.clock.wall(), kind: 'job', job: id, to: j.to, owner: j.owner, state: state, pages: j.pagesSent,
      of: j.pages, dials: j.dials, tries: j.tries, rate: j.rate, result: j.result, reason: j.reason,
    });
    this.store.deleteDocument(id);
    this.trace('job ' + id + ' ' + state + ': ' + j.pagesSent + '/' + j.pages + ' pages' + (j.reason ? ' (' + j.reason + ')' : ''));
    const v = copyJob(j) as JobView;
    v.id = id;
    if (this.onJobEnd) this.onJobEnd(v);
  }
}

function copyJob(j: Job): Job {
  const c: Job = {
    to: j.to, sub: j.sub, sid: j.sid, owner: j.owner, at: j.at, state: j.state, dials: j.dials, tries: j.tries,
    next: j.next, pagesSent: j.pagesSent, pages: j.pages, result: j.result, reason: j.reason, rate: j.rate,
  };
  if (j.notify) c.notify = j.notify;
  return c;
}

/** No call of ours: dial the earliest due job when the line is free, else wait for it. */
export const Q_WAITING: State<SendQueue> = {
  name: 'WAITING',
  on: function (me: SendQueue, e: Evt) {
    if (e.sig !== 'ENTRY' && e.sig !== 'KICK' && e.sig !== 'WAKE') return;
    me.wake.disarm();
    const soonest = { at: -1 };
    const j = me.due(soonest);
    if (j) {
      if (me.line.free() && me.dial(j)) return me.tran(Q_CALLING);
      return me.wake.arm(RECHECK_MS);
    }
    if (soonest.at >= 0) {
      let wait = soonest.at - me.clock.wall();
      if (wait > MAX_WAIT_MS) wait = MAX_WAIT_MS;
      me.wake.arm(wait < 1 ? 1 : wait);
    }
  },
};

/** One job's call is on the line; its end decides what comes next. */
export const Q_CALLING: State<SendQueue> = {
  name: 'CALLING',
  on: function (me: SendQueue, e: Evt) {
    if (e.sig === 'CALL_END') {
      me.attemptEnded((e as CallEndEvt).record);
      return me.tran(Q_WAITING);
    }
  },
};
