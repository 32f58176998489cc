// The fax server's messages on the LAN protocol (docs/FAX-SERVER.md §3): a sender's computer
// queues a fax, asks for its jobs, cancels one; an administrator reads the journal. Like the
// delivery messages, each is a FAXNIKS envelope with an ASCII JSON body — except the pages of a
// job, which travel as the document record stream of §4 in a streamed envelope (CHUNK…END).
import { lanError } from './frame.ts';
import { parseBody } from './messages-parse.ts';

export {
  MSG_JOB, MSG_JOB_READY, MSG_JOB_PAGES, MSG_JOB_ACCEPTED, MSG_STATUS, MSG_JOBS, MSG_CANCEL, MSG_JOURNAL, MSG_JOURNAL_LIST,
  MSG_JOB_RESULT, jobMessageName, isJobMessage,
} from './job-codes.ts';
/** What a sender asks: the pages follow once the appliance said MSG_JOB_READY. */
export interface JobRequest {
  to: string;
  sub: string;
  sid: string;
  /** Not before this calendar time (Unix ms); 0 = as soon as the line is free. */
  at: number;
  pages: number;
  /** Coded bytes of all pages (the appliance checks its room before the upload). */
  bytes: number;
  /** Where the sender's computer listens for the pushed result: PORT (this computer) or HOST:PORT; '' = found from the identity. */
  notify: string;
}

/** A job as its sender sees it (`faxvault client status`, the pushed result). */
export interface JobStatus {
  job: number;
  to: string;
  /** queued | dialling | sent | failed | cancelled */
  state: string;
  /** Pages confirmed by the remote, of the pages in the job. */
  pages: number;
  of: number;
  dials: number;
  tries: number;
  rate: number;
  result: string;
  reason: string;
  /** Next attempt (queued) or the end (finished), calendar ms. */
  time: number;
}

export interface JournalList {
  entries: { [k: string]: unknown }[];
  jobs: JobStatus[];
}

function str(o: { [k: string]: unknown }, k: string, max: number, def?: string): string {
  const v = o[k];
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== 'string' || v.length > max) throw lanError('malformed', 'field ' + k + ' must be a string of at most ' + max + ' characters');
  return v;
}

function int(o: { [k: string]: unknown }, k: string, max: number, def?: number): number {
  const v = o[k];
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== 'number' || v % 1 !== 0 || v < 0 || v > max) throw lanError('malformed', 'field ' + k + ' must be a whole number up to ' + max);
  return v;
}

export function parseJobRequest(b: Uint8Array): JobRequest {
  const o = parseBody(b);
  return {
    to: str(o, 'to', 40),
    sub: str(o, 'sub', 20, ''),
    sid: str(o, 'sid', 20, ''),
    at: int(o, 'at', 9007199254740991, 0),
    pages: int(o, 'pages', 999),
    bytes: int(o, 'bytes', 1 << 30),
    notify: o.notify === undefined ? '' : typeof o.notify === 'number' ? String(int(o, 'notify', 65535)) : str(o, 'notify', 80),
  };
}

export function parseJobStatus(o: { [k: string]: unknown }): JobStatus {
  // A list entry that is not an object ({"jobs":[null]}) is malformed, not a TypeError (found by test/fuzz/lan).
  if (!o || typeof o !== 'object') throw lanError('malformed', 'job status must be an object');
  return {
    job: int(o, 'job', 1 << 30),
    to: str(o, 'to', 40),
    state: str(o, 'state', 16),
    pages: int(o, 'pages', 999),
    of: int(o, 'of', 999),
    dials: int(o, 'dials', 999),
    tries: int(o, 'tries', 999),
    rate: int(o, 'rate', 33600),
    result: str(o, 'result', 32),
    reason: str(o, 'reason', 300),
    time: int(o, 'time', 9007199254740991),
  };
}

export function parseJobs(b: Uint8Array): JobStatus[] {
  const list = parseBody(b).jobs;
  if (!Array.isArray(list) || list.length > 1000) throw lanError('malformed', 'jobs list expected');
  const out: JobStatus[] = [];
  for (let i = 0; i < list.length; i++) out.push(parseJobStatus(list[i] as { [k: string]: unknown }));
  return out;
}

export function parseJobNumber(b: Uint8Array): number {
  return int(parseBody(b), 'job', 1 << 30);
}

export function parseJournalList(b: Uint8Array): JournalList {
  const o = parseBody(b);
  const e = o.entries;
  if (!Array.isArray(e) || e.length > 10000) throw lanError('malformed', 'journal entries expected');
  const j = o.jobs;
  if (!Array.isArray(j) || j.length > 1000) throw lanError('malformed', 'jobs list expected');
  const jobs: JobStatus[] = [];
  for (let i = 0; i < j.length; i++) jobs.push(parseJobStatus(j[i] as { [k: string]: unknown }));
  return { entries: e as { [k: string]: unknown }[], jobs: jobs };
}
