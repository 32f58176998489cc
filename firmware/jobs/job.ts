// A send job: a document in the store (dir 'job', its pages coded as they will go out) whose
// state record carries the job. Every change of the job is one state record, so a power cut
// leaves either the old or the new job, never a mix (the store's record guarantee). A job that
// ended is written to the journal and its document deleted: the journal is the jobs' history.
import type { ResultCode } from '../fax/t30/index.ts';

/** The document direction of queued jobs (scanned-to-send documents of the panel are 'tx'). */
export const JOB_DIR = 'job';

export type JobState = 'queued' | 'dialling' | 'sent' | 'failed' | 'cancelled';

export interface Job {
  /** Number to dial. */
  to: string;
  /** T.30 subaddress and the password that goes with DCS (SID), sent when the remote's DIS allows. */
  sub: string;
  sid: string;
  /** FAXNIKS identity that asked for it ('' = the front panel). */
  owner: string;
  /** Not before this calendar time (Unix ms; 0 = at once). */
  at: number;
  state: JobState;
  /** Dial attempts so far, and attempts that reached a fax machine and failed. */
  dials: number;
  tries: number;
  /** Calendar time of the next attempt (Unix ms). */
  next: number;
  /** Pages confirmed by the remote in earlier calls: a retry sends the rest (as HylaFAX does). */
  pagesSent: number;
  /** Pages of the document. */
  pages: number;
  /** Of the last attempt: result code, reason for a person, rate. */
  result: string;
  reason: string;
  rate: number;
  /**
   * Where the owner's computer listens for the pushed result (HOST:PORT, given with the job by
   * `client send --notify`); absent: found from the owner's identity (firmware/lan/result-push.ts).
   */
  notify?: string;
}

/** What a job's owner sees (`faxvault client status`, the panel, the result notice). */
export interface JobView extends Job {
  id: number;
}

export function newJob(to: string, pages: number, opts: { sub?: string; sid?: string; owner?: string; at?: number; notify?: string }): Job {
  const j: Job = {
    to: to,
    sub: opts.sub || '',
    sid: opts.sid || '',
    owner: opts.owner || '',
    at: opts.at || 0,
    state: 'queued',
    dials: 0,
    tries: 0,
    next: opts.at || 0,
    pagesSent: 0,
    pages: pages,
    result: '',
    reason: '',
    rate: 0,
  };
  if (opts.notify) j.notify = opts.notify;
  return j;
}

/**
 * How an attempt ended, for the retry rule:
 * - 'sent': every page confirmed;
 * - 'nodial': no fax machine was reached (busy, no answer, no dial tone, no fax carrier) — counts
 *   against maxDials only;
 * - 'failed': a fax machine answered and the call failed — counts against maxTries too;
 * - 'final': retrying cannot help (the remote refused us, cannot take the pages, or the job
 *   was cancelled).
 */
export type AttemptOutcome = 'sent' | 'nodial' | 'failed' | 'final';

export function attemptOutcome(result: ResultCode | string): AttemptOutcome {
  switch (result) {
    case 'ok':
      return 'sent';
    case 'busy':
    case 'no-answer':
    case 'no-dialtone':
    case 'no-carrier':
      return 'nodial';
    case 'refused':
    case 'incompatible':
    case 'cancelled':
      return 'final';
    default:
      return 'failed';
  }
}

/** The T.30 subaddress (T.30 §5.3.6.2.10) and SID: digits, space, # and *, at most 20. */
export function checkAddressField(name: string, v: string): string {
  if (v.length > 20) return name + ': at most 20 characters';
  for (let i = 0; i < v.length; i++) {
    const c = v.charAt(i);
    if (!((c >= '0' && c <= '9') || c === ' ' || c === '#' || c === '*')) return name + ': digits, space, # and * only';
  }
  return '';
}

/** A number to dial: digits, and the dial modifiers a Class 1 modem takes (V.250 §6.3.1). */
export function checkNumber(v: string): string {
  if (!v) return 'no number to dial';
  if (v.length > 40) return 'number: at most 40 characters';
  for (let i = 0; i < v.length; i++) {
    const c = v.charAt(i);
    if (!((c >= '0' && c <= '9') || c === '+' || c === '#' || c === '*' || c === ',' || c === 'W' || c === 'w' || c === 'P' || c === 'p' || c === 'T' || c === 't' || c === ' ' || c === '-')) {
      return 'number: digits and dial modifiers (+ # * , W P T) only';
    }
  }
  return '';
}

/** A job read back from a document's state record; null when the record is not a job's. */
export function jobOf(state: { [k: string]: unknown }): Job | null {
  const j = state.job as Job | undefined;
  if (!j || typeof j !== 'object' || typeof j.to !== 'string' || typeof j.state !== 'string') return null;
  return j;
}
