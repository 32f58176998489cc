// The sender's side of the fax server (docs/FAX-SERVER.md §3): document files coded into fax
// pages on the client computer (T.6/MMR, the smallest coding; the appliance re-codes each page
// for the remote machine as it sends), sent sealed as a job; the sender's jobs listed and
// cancelled; the journal read by an administrator. Over one ClientSession (session.ts).
import { codePage } from '../image/tiff.ts';
import type { Bitmap } from '../image/bitmap.ts';
import { readDocumentFile, toFaxPages } from '../image/document.ts';
import { jsonBytes, record, REC_DATA, REC_DOC, REC_END, REC_PAGE, REC_MAX_DATA } from '../../firmware/lan/messages.ts';
import {
  MSG_CANCEL, MSG_JOB, MSG_JOBS, MSG_JOB_ACCEPTED, MSG_JOB_PAGES, MSG_JOB_READY, MSG_JOURNAL, MSG_JOURNAL_LIST, MSG_STATUS,
  parseJobs, parseJournalList,
} from '../../firmware/lan/job-messages.ts';
import type { JobStatus, JournalList } from '../../firmware/lan/job-messages.ts';
import { parseBody } from '../../firmware/lan/messages-parse.ts';
import type { ClientError, ClientSession } from './session.ts';

export interface JobPages {
  /** The document record stream (§4) of the pages, to be sealed and streamed. */
  stream: Uint8Array;
  pages: number;
  /** Coded bytes of all pages. */
  bytes: number;
}

/** Fax pages (1728 wide, at the chosen resolution) as the record stream a job carries. */
export function jobPages(pages: Bitmap[], time: number): JobPages {
  const coded = pages.map((p) => codePage(p, { coding: 'mmr', fillOrder: 2, endMarker: true }));
  let bytes = 0;
  for (const c of coded) bytes += c.data.length;
  const parts: Uint8Array[] = [record(REC_DOC, jsonBytes({ box: '', doc: 0, from: '', time, pages: coded.length, bytes, protection: 'all' }))];
  coded.forEach((c, i) => {
    parts.push(record(REC_PAGE, jsonBytes({ page: i + 1, coding: 'mmr', width: c.width, linesPerMm: c.yDpi < 150 ? 3.85 : 7.7, bitOrder: 'lsb-first' })));
    for (let o = 0; o < c.data.length; o += REC_MAX_DATA) parts.push(record(REC_DATA, c.data.subarray(o, Math.min(c.data.length, o + REC_MAX_DATA))));
  });
  parts.push(record(REC_END, new Uint8Array(0)));
  let n = 0;
  for (const p of parts) n += p.length;
  const stream = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { stream.set(p, o); o += p.length; }
  return { stream, pages: coded.length, bytes };
}

/** Document files (PBM, PNG, TIFF, PDF) as fax pages at `resolution`. Throws DocumentError. */
export function readJobFiles(files: string[], resolution: 'fine' | 'standard'): Bitmap[] {
  const yDpi = resolution === 'standard' ? 98 : 196;
  const out: Bitmap[] = [];
  for (const f of files) for (const p of toFaxPages(readDocumentFile(f, yDpi), yDpi)) out.push(p);
  return out;
}

export interface SendOptions {
  to: string;
  sub?: string;
  sid?: string;
  /** Not before (calendar ms); 0 = at once. */
  at?: number;
  /** Where `client listen` runs for the pushed result: PORT (this computer) or HOST:PORT; absent: the appliance finds it from the identity. */
  notify?: string;
}

/** Ask, then stream the pages; the callback gets the job number. */
export function sendJob(c: ClientSession, o: SendOptions, p: JobPages, cb: (err: ClientError | null, job: number) => void): void {
  const req: { [k: string]: unknown } = { to: o.to, sub: o.sub || '', sid: o.sid || '', at: o.at || 0, pages: p.pages, bytes: p.bytes };
  if (o.notify) req.notify = o.notify;
  c.exchange(MSG_JOB, req, null, [MSG_JOB_READY], (err) => {
    if (err) return cb(err, -1);
    c.exchange(MSG_JOB_PAGES, null, p.stream, [MSG_JOB_ACCEPTED], (err2, r) => {
      if (err2 || !r) return cb(err2, -1);
      cb(null, parseBody(r.plain).job as number);
    });
  });
}

/** The sender's jobs: queued ones and the latest finished (an administrator: everyone's). */
export function jobStatus(c: ClientSession, cb: (err: ClientError | null, jobs: JobStatus[]) => void): void {
  c.exchange(MSG_STATUS, {}, null, [MSG_JOBS], (err, r) => cb(err, err || !r ? [] : parseJobs(r.plain)));
}

export function cancelJob(c: ClientSession, job: number, cb: (err: ClientError | null, jobs: JobStatus[]) => void): void {
  c.exchange(MSG_CANCEL, { job }, null, [MSG_JOBS], (err, r) => cb(err, err || !r ? [] : parseJobs(r.plain)));
}

export function readJournal(c: ClientSession, max: number, cb: (err: ClientError | null, j: JournalList | null) => void): void {
  c.exchange(MSG_JOURNAL, { max }, null, [MSG_JOURNAL_LIST], (err, r) => cb(err, err || !r ? null : parseJournalList(r.plain)));
}

/** One line a person reads: `#17 5551234 sent 2/2 pages 14400 (1 dial)`. */
export function jobLine(j: JobStatus, fmtTime: (ms: number) => string): string {
  const dials = j.dials + ' dial' + (j.dials === 1 ? '' : 's');
  let what = j.state;
  if (j.state === 'queued') what = (j.dials ? 'retry ' : 'queued for ') + (j.time ? fmtTime(j.time) : 'now');
  if (j.state === 'dialling') what = 'dialling';
  return '#' + j.job + ' ' + j.to + ' ' + what + ' ' + j.pages + '/' + j.of + ' pages' + (j.rate ? ' ' + j.rate : '') + ' (' + dials + ')' +
    (j.reason && j.state !== 'sent' ? ': ' + j.reason : '');
}
