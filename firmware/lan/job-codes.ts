// The fax server's message types on the LAN protocol (docs/FAX-SERVER.md §3), apart from their
// bodies (job-messages.ts): the LAN service tells a job message by its type without holding the
// job code, which is a module of its own (firmware/app/lan-jobs-module.ts).
export const MSG_JOB = 0x20; // sender → appliance: {to, sub, sid, at, pages, bytes, notify?}: may I send this?
export const MSG_JOB_READY = 0x21; // appliance → sender: {}: send the pages now
export const MSG_JOB_PAGES = 0x22; // sender → appliance: streamed; the document record stream of §4
export const MSG_JOB_ACCEPTED = 0x23; // appliance → sender: {job, pages}
export const MSG_STATUS = 0x24; // sender → appliance: {}: my jobs
export const MSG_JOBS = 0x25; // appliance → sender: {jobs: JobStatus[]}
export const MSG_CANCEL = 0x26; // sender → appliance: {job}
export const MSG_JOURNAL = 0x27; // administrator → appliance: {max}
export const MSG_JOURNAL_LIST = 0x28; // appliance → administrator: {entries, jobs}
export const MSG_JOB_RESULT = 0x29; // appliance → sender, pushed when a job ended: JobStatus; acknowledged {doc: job, of: "result"}

export function jobMessageName(t: number): string {
  const names = ['job', 'job ready', 'job pages', 'job accepted', 'status', 'jobs', 'cancel', 'journal', 'journal list', 'job result'];
  return t >= MSG_JOB && t <= MSG_JOB_RESULT ? names[t - MSG_JOB] : '';
}

export function isJobMessage(t: number): boolean {
  return t >= MSG_JOB && t <= MSG_JOB_RESULT;
}
