// Send jobs by e-mail (docs/FAX-SERVER.md §5): a mail to the appliance's address with two sealed
// attachments — the job (LAN message 0x20: number, SUB, SID, time, pages, bytes) and its pages
// (0x22: the document record stream) — from an identity that may send (lan.senders, or the box
// owners). The first attachment is opened as soon as it has arrived (within the MIME stream), so
// the pages of an allowed job stream straight into a store document (job-upload.ts) and are
// queued only when the whole mail was read and every segment authenticated; the answer goes back
// sealed (job accepted, or a refusal). A mail that is not sealed, or sealed by an identity that may
// not send, gets a plain refusal mail with nothing confidential in it — at most one per address
// an hour, and never to automatic mail (RFC 3834 §2: Auto-Submitted, list or bulk mail, bounces),
// so the appliance cannot be made a source of backscatter. Nothing is ever dialled for it.
import type { Store } from '../store/index.ts';
import { journalAdd } from '../store/index.ts';
import { decodeHeader, openMessage } from '../crypto/envelope-open.ts';
import type { OpenPolicy } from '../crypto/envelope-open.ts';
import { newJob, checkNumber, checkAddressField } from '../jobs/index.ts';
import { JobUpload } from '../lan/job-upload.ts';
import { MSG_JOB, MSG_JOB_ACCEPTED, MSG_JOB_PAGES, parseJobRequest } from '../lan/job-messages.ts';
import type { JobRequest } from '../lan/job-messages.ts';
import { maySend } from '../lan/job-service.ts';
import type { LanJobsDeps } from '../lan/job-service.ts';
import type { Refusal } from '../lan/messages.ts';

/** What one job mail collected while it streamed through the MIME reader. */
export interface JobMail {
  /** The identity that sealed the job ('' before the first attachment was opened). */
  sender: string;
  req: JobRequest | null;
  upload: JobUpload | null;
  /** Why the job is refused (a code for the refusal and the journal), '' when it is not. */
  error: Refusal | null;
  /** The sender may not send: a plain refusal, nothing sealed. */
  foreign: boolean;
}

/** What the job handling needs of the mail service. */
export interface JobMailHost {
  store: Store;
  jobs: LanJobsDeps;
  wall(): number;
  /** The policy for mail (no challenge; the timestamp window and the seen-cache). */
  policy(): OpenPolicy;
  /** A sealed answer to `identity` by mail. */
  sealedReply(identity: string, type: number, body: unknown, filename: string): void;
  /** A plain answer (nothing confidential) to a mail address. */
  plainReply(address: string, subject: string, text: string): void;
  say(what: string): void;
}

/** Largest job mail the appliance reads (decoded pages); more: use the LAN. */
export const MAX_JOB_MAIL = 256 * 1024;

/**
 * The first sealed attachment is complete: if it is a job, decide now whether its pages may
 * stream into the store. Returns null when the attachment is not a job (the request path).
 */
export function jobFromFirstPart(h: JobMailHost, env: Uint8Array): JobMail | null {
  let sender = '';
  let type = 0;
  try {
    const hd = decodeHeader(env);
    sender = hd.sender;
    type = hd.contentType;
  } catch (e) {
    return null;
  }
  if (type !== MSG_JOB) return null;
  const j: JobMail = { sender: sender, req: null, upload: null, error: null, foreign: false };
  // A stranger's key is never computed: the refusal goes out in plain words.
  if (!maySend(h.jobs, sender)) {
    j.foreign = true;
    j.error = { code: 'not-allowed', text: sender + ' may not send faxes through this appliance' };
    return j;
  }
  try {
    const m = openMessage(h.policy(), env);
    const req = parseJobRequest(m.plain);
    const bad = checkNumber(req.to) || checkAddressField('sub', req.sub) || checkAddressField('sid', req.sid) || (req.pages < 1 ? 'no pages' : '');
    if (bad) j.error = { code: 'bad-job', text: bad };
    else {
      const room = h.jobs.queue.room() || (req.bytes > h.store.available() || req.bytes > MAX_JOB_MAIL ? 'too large for mail (' + req.bytes + ' bytes); send it over the LAN' : '');
      if (room) j.error = { code: room.indexOf('queue') === 0 ? 'queue-full' : 'memory-full', text: room };
      else {
        j.req = req;
        j.upload = new JobUpload(h.store, h.policy(), req, sender, h.wall());
      }
    }
  } catch (e) {
    j.error = { code: (e as { code?: string }).code || 'malformed', text: (e as Error).message };
  }
  return j;
}

/** A piece of the second sealed attachment (the pages). */
export function jobPagesData(j: JobMail, b: Uint8Array): void {
  if (!j.upload || j.error) return;
  try {
    j.upload.push(b);
  } catch (e) {
    j.error = { code: (e as { code?: string }).code || 'malformed', text: (e as Error).message };
    j.upload.abort();
    j.upload = null;
  }
}

/** The whole mail was read: queue the job, or refuse it; journaled either way. */
export function finishJobMail(h: JobMailHost, j: JobMail, from: string, sealedParts: number): void {
  const now = h.wall();
  if (!j.error && j.upload && sealedParts !== 2) j.error = { code: 'malformed', text: 'a job mail has the job and its pages (2 sealed attachments), this one has ' + sealedParts };
  let id = -1;
  if (!j.error && j.upload) {
    const up = j.upload;
    j.upload = null;
    try {
      if (!up.opener.header || up.opener.header.contentType !== MSG_JOB_PAGES) throw new Error('the second attachment is not the job\'s pages');
      id = up.finish();
    } catch (e) {
      up.abort();
      j.error = { code: (e as { code?: string }).code || 'malformed', text: (e as Error).message };
    }
    if (!j.error) {
      const req = j.req as JobRequest;
      const why = h.jobs.queue.add(id, newJob(req.to, up.pages, { sub: req.sub, sid: req.sid, owner: j.sender, at: req.at }));
      if (why) j.error = { code: why.indexOf('queue') === 0 ? 'queue-full' : 'bad-job', text: why };
    }
  }
  if (j.upload) j.upload.abort();
  if (j.error) {
    journalAdd(h.store, { t: now, kind: 'mail', result: 'job refused: ' + j.error.code, peer: j.sender.substring(0, 80) });
    h.say('job mail from ' + j.sender + ' refused: ' + j.error.code);
    if (j.foreign) return refusePlain(h, from, 'Your fax was not sent', 'This fax appliance sends faxes only for its registered senders (' + j.error.text + ').\r\nNothing was dialled.\r\n');
    return h.sealedReply(j.sender, 0x07, j.error, 'refusal.fxv');
  }
  journalAdd(h.store, { t: now, kind: 'mail', result: 'job queued', job: id, peer: j.sender.substring(0, 80) });
  h.say('job ' + id + ' from ' + j.sender + ' queued (by mail)');
  h.sealedReply(j.sender, MSG_JOB_ACCEPTED, { job: id, pages: (j.req as JobRequest).pages }, 'job-accepted.fxv');
}

/** Addresses answered with a plain refusal, and when (calendar ms): one an hour each. */
const answered: { a: string; t: number }[] = [];
export const PLAIN_REFUSAL_INTERVAL_MS = 3600000;

/** RFC 3834 §2: no automatic answer to automatic mail. */
export function isAutomatic(headers: { [name: string]: string }, from: string): boolean {
  const auto = (headers['auto-submitted'] || '').toLowerCase();
  if (auto && auto !== 'no') return true;
  const prec = (headers['precedence'] || '').toLowerCase();
  if (prec === 'bulk' || prec === 'junk' || prec === 'list') return true;
  if (headers['list-id'] || headers['list-unsubscribe']) return true;
  const f = from.toLowerCase();
  return !f || f.indexOf('mailer-daemon@') === 0 || f.indexOf('postmaster@') === 0 || f.indexOf('noreply') >= 0 || f.indexOf('no-reply') >= 0;
}

export function refusePlain(h: JobMailHost, from: string, subject: string, text: string): void {
  if (!from) return;
  const now = h.wall();
  for (let i = answered.length - 1; i >= 0; i--) if (now - answered[i].t > PLAIN_REFUSAL_INTERVAL_MS) answered.splice(i, 1);
  for (let i = 0; i < answered.length; i++) if (answered[i].a === from) return;
  if (answered.length >= 32) answered.shift();
  answered.push({ a: from, t: now });
  h.plainReply(from, subject, text);
}

/** For tests: forget who was answered. */
export function resetPlainRefusals(): void {
  answered.splice(0, answered.length); // not `length = 0`: the Espruino interpreter refuses it
}
