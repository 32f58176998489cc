// The send queue: jobs for the fax line from LAN clients, e-mail and the panel.
//   const q = new SendQueue(prio, store, clock, line, () => settings.jobs, pagesFrom);
//   q.recover();                       // at boot, before the kernel starts it
//   const w = store.beginDocument({ dir: JOB_DIR, … }); … w.close('ok');
//   q.add(w.id, newJob(number, 0, { sub, sid, owner, at }))   // '' queued, else why not
//   q.cancel(id, identity) / q.jobs() / q.callEnded(journalRecord) / q.onJobEnd = …
export { SendQueue, Q_WAITING, Q_CALLING, RECHECK_MS, MAX_WAIT_MS } from './send-queue.ts';
export type { QueueLine, PagesOf } from './send-queue.ts';
export { JOB_DIR, newJob, jobOf, attemptOutcome, checkNumber, checkAddressField } from './job.ts';
export type { Job, JobView, JobState, AttemptOutcome } from './job.ts';
export { jobsSchema, defaultJobsSettings } from './schema.ts';
export type { JobsSettings } from './schema.ts';
