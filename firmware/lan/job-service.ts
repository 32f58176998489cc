// The fax server on the LAN service (docs/FAX-SERVER.md §3): what the appliance does with a
// sender's job messages. Who may send is the setting `lan.senders` (FAXNIKS identities; empty:
// the box owners) — an appliance must never be a free long-distance dialler, so a stranger is
// refused before any key is computed, and every refusal is journaled. `lan.admins` may read
// the journal and every job. The pages of a job arrive sealed (job-upload.ts) and are queued
// only once they are whole and authenticated.
import type { Store } from '../store/index.ts';
import { journalAdd, journalEntries } from '../store/index.ts';
import type { SendQueue, Job, JobView } from '../jobs/index.ts';
import { newJob, checkNumber, checkAddressField } from '../jobs/index.ts';
import { parseBody } from './messages-parse.ts';
import type { Refusal } from './messages.ts';
import {
  MSG_CANCEL, MSG_JOB, MSG_JOBS, MSG_JOB_ACCEPTED, MSG_JOB_READY, MSG_JOURNAL, MSG_JOURNAL_LIST, MSG_STATUS,
  jobMessageName, parseJobNumber, parseJobRequest,
} from './job-messages.ts';
import type { JobRequest, JobStatus } from './job-messages.ts';
import { JobUpload } from './job-upload.ts';
import type { OpenPolicy } from '../crypto/envelope-open.ts';
import { checkNotify, notifyAddress } from './result-push.ts';
import { isAdmin, maySend } from './job-peers.ts';

export { isAdmin, maySend, jobsPeer } from './job-peers.ts';

export type { LanJobsDeps } from './job-peers.ts';
import type { LanJobsDeps } from './job-peers.ts';

/** What the job handler needs of the LAN service for one connection (service.ts implements it). */
export interface JobConn {
  /** Seal `body` as content `type` to the peer, echoing its challenge. */
  reply(type: number, body: unknown): void;
  /** A sealed refusal, then a fresh challenge for the next request. */
  refusal(r: Refusal, cause: string): void;
  /** The exchange is done: a fresh challenge, back to serving requests. */
  done(cause: string): void;
  /** Receive the pages: a fresh challenge, then CHUNK frames go to `up` until END. */
  receive(up: JobUpload): void;
  /**
   * The policy to open the peer's next sealed message with: it must echo this connection's
   * challenge, the buffer `receive` refills before the pages may come.
   */
  policy(): OpenPolicy;
  wall(): number;
  /** Where the connection comes from (journal; a bare `notify` port goes to this host). */
  remote(): string;
  /** The sender got these job states (status): results waiting to be pushed to it are done. */
  seen?: (jobs: JobStatus[]) => void;
}

/** Journal lines and jobs an administrator gets at most. */
export const JOURNAL_MAX = 200;
/** Finished jobs a sender's status lists (newest). */
export const STATUS_FINISHED = 20;

export function statusOf(j: JobView): JobStatus {
  return {
    job: j.id, to: j.to, state: j.state, pages: j.pagesSent, of: j.pages, dials: j.dials, tries: j.tries,
    rate: j.rate, result: j.result, reason: j.reason, time: Math.floor(j.state === 'queued' ? j.next : 0),
  };
}

/** Jobs in the queue and, newest first, the finished ones in the journal; of `owner` ('' = all). */
export function jobStatuses(store: Store, queue: SendQueue, owner: string, finishedMax: number): JobStatus[] {
  const out: JobStatus[] = [];
  const q = queue.jobs();
  for (let i = 0; i < q.length; i++) if (!owner || q[i].owner === owner) out.push(statusOf(q[i]));
  const j = journalEntries(store);
  let n = 0;
  for (let i = j.length - 1; i >= 0 && n < finishedMax; i--) {
    const e = j[i];
    if (e.kind !== 'job' || (owner && e.owner !== owner)) continue;
    out.push({
      job: e.job as number, to: e.to as string, state: e.state as string, pages: e.pages as number, of: e.of as number,
      dials: e.dials as number, tries: e.tries as number, rate: (e.rate as number) || 0, result: (e.result as string) || '',
      reason: (e.reason as string) || '', time: Math.floor(e.t),
    });
    n++;
  }
  return out;
}

function journalRefusal(store: Store, c: JobConn, sender: string, what: string, why: string): void {
  journalAdd(store, { t: c.wall(), kind: 'lan', result: 'refused ' + what + ': ' + why, peer: sender, remote: c.remote() });
}

/** A job message from `sender` (authenticated: it opened with the pair key and echoed my challenge). */
export function onJobMessage(d: LanJobsDeps, store: Store, c: JobConn, sender: string, type: number, body: Uint8Array): void {
  const name = jobMessageName(type);
  if (type === MSG_JOB) {
    if (!maySend(d, sender)) {
      journalRefusal(store, c, sender, 'job', 'not a sender');
      return c.refusal({ code: 'not-allowed', text: sender + ' may not send faxes through this appliance' }, name);
    }
    const req: JobRequest = parseJobRequest(body);
    const bad = checkNumber(req.to) || checkAddressField('sub', req.sub) || checkAddressField('sid', req.sid) || checkNotify(req.notify) || (req.pages < 1 ? 'no pages' : '');
    if (bad) return c.refusal({ code: 'bad-job', text: bad }, name);
    const room = d.queue.room() || (req.bytes > store.available() ? 'memory full (' + req.bytes + ' bytes asked)' : '');
    if (room) return c.refusal({ code: room.indexOf('queue') === 0 ? 'queue-full' : 'memory-full', text: room }, name);
    const up = new JobUpload(store, c.policy(), req, sender, c.wall());
    c.reply(MSG_JOB_READY, {});
    return c.receive(up);
  }
  if (type === MSG_STATUS) {
    const jobs = jobStatuses(store, d.queue, isAdmin(d, sender) ? '' : sender, STATUS_FINISHED);
    c.reply(MSG_JOBS, { jobs: jobs });
    if (c.seen) c.seen(jobs);
    return c.done(name);
  }
  if (type === MSG_CANCEL) {
    const id = parseJobNumber(body);
    const why = d.queue.cancel(id, isAdmin(d, sender) ? '' : sender);
    journalAdd(store, { t: c.wall(), kind: 'lan', result: 'cancel job ' + id + (why ? ': ' + why : ''), peer: sender });
    if (why) return c.refusal({ code: why === 'not your job' ? 'not-owner' : 'no-job', text: why }, name);
    c.reply(MSG_JOBS, { jobs: jobStatuses(store, d.queue, sender, 0) });
    return c.done(name);
  }
  if (type === MSG_JOURNAL) {
    if (!isAdmin(d, sender)) {
      journalRefusal(store, c, sender, 'journal', 'not an administrator');
      return c.refusal({ code: 'not-allowed', text: sender + ' is not an administrator of this appliance' }, name);
    }
    const o = parseBody(body);
    const max = typeof o.max === 'number' && o.max > 0 && o.max <= JOURNAL_MAX ? o.max : JOURNAL_MAX;
    const all = journalEntries(store);
    c.reply(MSG_JOURNAL_LIST, { entries: all.slice(Math.max(0, all.length - max)), jobs: jobStatuses(store, d.queue, '', STATUS_FINISHED) });
    return c.done(name);
  }
  c.refusal({ code: 'protocol', text: 'a ' + name + ' is not a request' }, name);
}

/** The pages arrived whole: queue them; the reply says the job number or why not. */
export function onJobUploaded(d: LanJobsDeps, c: JobConn, up: JobUpload): void {
  const id = up.finish();
  const job: Job = newJob(up.req.to, up.pages, { sub: up.req.sub, sid: up.req.sid, owner: up.sender, at: up.req.at, notify: notifyAddress(up.req.notify, c.remote()) });
  const why = d.queue.add(id, job);
  if (why) return c.refusal({ code: why.indexOf('queue') === 0 ? 'queue-full' : 'bad-job', text: why }, 'job pages');
  c.reply(MSG_JOB_ACCEPTED, { job: id, pages: up.pages });
  c.done('job pages');
}

