// The scanner path: feeder → line by line → T.4 encoder → store document (never a page in RAM).
//
//   const sc = new ScanAgent(PRIO.jobs, board.scanner, store, board.clock); kernel.add(sc);
//   sc.scan('copy', '', (ok, id, why) => ok && spooler.printDocument(id, true, null));
//   sc.scan('tx', '0301234567', (ok, id, why) => …hand document `id` to the fax line to send…);
// Stored as MH, lsb-first (the wire order), one page per sheet with the scanner's width and
// resolution; 'memory full' or 'no document in the feeder' when it cannot.
// At boot, dropUnsent(store, clock) removes (and journals) scanned documents whose send never ended.
export { ScanAgent, SC_IDLE, SC_SCANNING, LINES_PER_STEP, dropUnsent } from './scan-agent.ts';
export type { ScanDone } from './scan-agent.ts';
