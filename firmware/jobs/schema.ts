// The send queue's settings (section `jobs`). The names and defaults follow what offices know from
// HylaFAX: MaxDials (every attempt counts), MaxTries (attempts that reached the remote fax and
// then failed), and a pause before the next attempt that depends on why the last one failed.
import type { Schema } from '../config/schema.ts';

export interface JobsSettings {
  /** Most dial attempts for one job, whatever their outcome (HylaFAX MaxDials, default 12). */
  maxDials: number;
  /** Most attempts that connected to a fax machine and then failed (HylaFAX MaxTries, default 3). */
  maxTries: number;
  /** Seconds before redialling a busy number (HylaFAX JobReqBusy: 180). */
  retryBusySeconds: number;
  /** Seconds before redialling after no answer, no dial tone or no fax carrier (JobReqNoAnswer: 300). */
  retryNoAnswerSeconds: number;
  /** Seconds before another try after a call that connected and failed (JobReqProto: 60). */
  retryFailedSeconds: number;
  /** Jobs waiting at once; a client asking for more is refused ("queue full"). */
  maxJobs: number;
}

export function jobsSchema(): Schema {
  return {
    type: 'object',
    fields: {
      maxDials: { type: 'int', min: 1, max: 99, def: 12 },
      maxTries: { type: 'int', min: 1, max: 99, def: 3 },
      retryBusySeconds: { type: 'int', min: 10, max: 86400, def: 180 },
      retryNoAnswerSeconds: { type: 'int', min: 10, max: 86400, def: 300 },
      retryFailedSeconds: { type: 'int', min: 10, max: 86400, def: 60 },
      maxJobs: { type: 'int', min: 1, max: 64, def: 16 },
    },
  };
}

export function defaultJobsSettings(): JobsSettings {
  return { maxDials: 12, maxTries: 3, retryBusySeconds: 180, retryNoAnswerSeconds: 300, retryFailedSeconds: 60, maxJobs: 16 };
}
