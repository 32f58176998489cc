// The results of LAN senders' jobs, pushed (docs/FAX-SERVER.md §3, "The result, pushed"): when a
// job of a `host:`/`ip4:` sender ends, its result (the status record, sealed as MSG_JOB_RESULT)
// waits here until the sender's computer has acknowledged it, as notices wait for box owners
// (firmware/delivery/outbox.ts). The list is kept in the flash store as one named value
// (`lan.results`), rewritten on every change, so a power cut loses nothing queued. A failed
// attempt (computer off, connection lost, no acknowledgement) is retried after 30 s, doubling
// up to hourly, at most RESULT_TRIES times; a sender who asks for its jobs meanwhile (`client
// status`, `send --wait`) has the result, and the push is dropped. Nothing is lost either way:
// the journal keeps every job, and `client status` reads it.
import type { JobStatus } from './job-messages.ts';
import { parseJobStatus } from './job-messages.ts';
import { retryDelay, savedList } from '../delivery/outbox.ts';
import type { OutboxStore } from '../delivery/outbox.ts';

export interface PendingResult {
  /** The sender's identity (the pair key the result is sealed with). */
  owner: string;
  /** Where its computer listens, HOST:PORT. */
  address: string;
  status: JobStatus;
  /** Failed attempts so far, the calendar time (Unix ms) of the next one, why the last failed. */
  tries: number;
  at: number;
  last: string;
}

import { RESULTS_SETTING } from './settings.ts';

export { RESULTS_SETTING };
/** Results waiting at most (the queue's own bound, `jobs.maxJobs`, is 16 by default): the oldest goes first. */
export const RESULTS_MAX = 32;
/** Attempts per result: 30 s doubling to an hour, 12 tries span about a day. */
export const RESULT_TRIES = 12;

/**
 * Where a sender's computer listens, as the client gave it with the job (`notify`): 'PORT' (the
 * computer that sent the job, at that port) or 'HOST:PORT'. '' when valid (or empty), else why not.
 */
export function checkNotify(v: string): string {
  if (!v) return '';
  const i = v.lastIndexOf(':');
  const port = i < 0 ? v : v.substring(i + 1);
  const host = i < 0 ? '' : v.substring(0, i);
  if (!/^[0-9]{1,5}$/.test(port) || +port < 1 || +port > 65535) return 'notify: a port from 1 to 65535 (or HOST:PORT)';
  if (i >= 0 && !/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(host)) return 'notify: HOST must be a host name or IPv4 address';
  return '';
}

/** `notify` made whole: a bare port goes to the host the job came from (`remote` is HOST:PORT). */
export function notifyAddress(notify: string, remote: string): string {
  if (!notify || notify.indexOf(':') >= 0) return notify;
  const i = remote.lastIndexOf(':');
  return (i < 0 ? remote : remote.substring(0, i)) + ':' + notify;
}

/**
 * Where a LAN sender's result goes: the address given with the job; else the address of a box
 * the sender owns (where its notices go); else its `host:`/`ip4:` identity at `clientPort`.
 * '' for other senders (mail senders get their result by mail; the panel's jobs have no owner).
 */
export function resultAddress(owner: string, notify: string, boxAddress: string, clientPort: number): string {
  if (owner.indexOf('host:') !== 0 && owner.indexOf('ip4:') !== 0) return '';
  if (notify) return notify;
  if (boxAddress) return boxAddress;
  return owner.substring(owner.indexOf(':') + 1) + ':' + clientPort;
}

export class ResultOutbox {
  items: PendingResult[] = [];
  /** A save the store refused (settings reserve used up): tried again on the next change. */
  unsaved = false;

  constructor(readonly store: OutboxStore) {
    this.load();
  }

  /** Reads the saved list (at boot: whatever waited before a power cut comes back). */
  load(): void {
    this.items = [];
    const list = savedList(this.store, RESULTS_SETTING);
    for (let i = 0; i < list.length && this.items.length < RESULTS_MAX; i++) {
      const o = list[i] as PendingResult;
      if (!o || typeof o.owner !== 'string' || typeof o.address !== 'string') continue;
      try {
        this.items.push({ owner: o.owner, address: o.address, status: parseJobStatus(o.status as unknown as { [k: string]: unknown }), tries: o.tries | 0, at: +o.at || 0, last: typeof o.last === 'string' ? o.last : '' });
      } catch (e) {
        // A damaged entry is dropped; the journal still has the job.
      }
    }
  }

  private save(): void {
    this.unsaved = !this.store.setSetting(RESULTS_SETTING, JSON.stringify(this.items));
  }

  /** Queue a job's result for its sender (the oldest waiting result makes room when full). */
  add(owner: string, address: string, status: JobStatus): void {
    this.removeQuiet(status.job);
    if (this.items.length >= RESULTS_MAX) this.items.shift();
    this.items.push({ owner: owner, address: address, status: status, tries: 0, at: 0, last: '' });
    this.save();
  }

  find(job: number): PendingResult | null {
    for (let i = 0; i < this.items.length; i++) if (this.items[i].status.job === job) return this.items[i];
    return null;
  }

  private removeQuiet(job: number): boolean {
    for (let i = 0; i < this.items.length; i++) {
      if (this.items[i].status.job === job) {
        this.items.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** Acknowledged (or no longer wanted): the result leaves the list. */
  done(job: number): void {
    if (this.removeQuiet(job)) this.save();
  }

  /** The sender asked for its jobs and got these: their pushes are no longer needed. */
  seen(owner: string, jobs: JobStatus[]): void {
    let changed = false;
    for (let i = 0; i < jobs.length; i++) {
      const it = this.find(jobs[i].job);
      if (it && it.owner === owner && jobs[i].state === it.status.state) changed = this.removeQuiet(it.status.job) || changed;
    }
    if (changed) this.save();
  }

  /** An attempt failed: retry after the back-off; false when the result was given up (tries used up). */
  failed(job: number, now: number, reason: string): boolean {
    const it = this.find(job);
    if (!it) return true;
    it.tries++;
    it.last = reason;
    if (it.tries >= RESULT_TRIES) {
      this.removeQuiet(job);
      this.save();
      return false;
    }
    it.at = now + retryDelay(it.tries);
    this.save();
    return true;
  }

  /** The result due first at `now`, or null. */
  due(now: number): PendingResult | null {
    let best: PendingResult | null = null;
    for (let i = 0; i < this.items.length; i++) {
      const it = this.items[i];
      if (it.at <= now && (!best || it.at < best.at)) best = it;
    }
    return best;
  }

  size(): number {
    return this.items.length;
  }
}
