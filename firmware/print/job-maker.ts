// The spooler's jobs made directly (tests, benches, the host): a stored document in rows a
// bounded number per step (row-doc-job.ts), a report as text pages (jobs.ts).
import type { PrintJobMaker } from './spooler.ts';
import { ReportJob } from './jobs.ts';
import { RowDocJob } from './row-doc-job.ts';

export const PRINT_JOBS: PrintJobMaker = {
  document: function (store, id, opts) {
    return new RowDocJob(store, id, opts);
  },
  report: function (name, lines, onDone) {
    return new ReportJob(name, lines, onDone);
  },
};
