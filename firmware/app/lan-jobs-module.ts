// The fax server's side of the LAN service as a module loaded on demand (firmware/app/modules.ts):
// a sender's job messages and uploads (lan/job-service.ts, job-upload.ts) and the job results
// pushed back to senders' computers (lan/result-push.ts). The LAN service loads it when a job
// message arrives, a result is to be queued or pushed, or a sender's status marks results seen,
// and lets it go with its engine; so a box owner's fetch or a delivery, which need none of it,
// does not hold its code (docs/ESPRUINO.md, "Modules loaded on demand").
export { onJobMessage, onJobUploaded, statusOf } from '../lan/job-service.ts';
export { ResultOutbox, resultAddress } from '../lan/result-push.ts';
