// The print path as a module loaded on demand (firmware/app/modules.ts): stored pages decoded
// into printer rows, reports set in the report font. The spooler stays resident; print-jobs.ts
// loads this for its jobs and lets it go when the spooler is idle (docs/ESPRUINO.md).
export { PRINT_JOBS } from '../print/job-maker.ts';
