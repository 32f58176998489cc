// Printing: the spooler (an active object owning the print engine), print jobs and reports.
//
//   const sp = new Spooler(PRIO.printer, board.printer, store, PRINT_JOBS); kernel.add(sp);
//   sp.resume();                              // after boot: ordinary receptions not yet printed
//   sp.printDocument(id, deleteAfter, onDone) // ordinary: deleteAfter = true; confidential: only
//                                             //   after mailbox.tryCode() said ok (the panel does it)
//   sp.printReport('journal', lines, onDone)  // lines from reports.ts
//   sp.status() 'IDLE' | 'PRINTING' | 'NO PAPER', sp.waitingJobs()
// Paper out: the page in progress is printed again from its first row once paper is back;
// documents leave the store only when their last page came out (deleteAfter) or get
// state.printed (kept, e.g. a confidential box until the owner deletes it).
// Reports: confidentialList(docs, settings, localNow, offsetMs), callJournal(entries, …),
// settingsList(settings, localNow) → text lines; printed with the 5×7 font in font.ts.
// Stored pages as rows in bounded work (fax/page-rows.ts): new StoredPageRows(store, id, page).next();
// storedSendPages(store, id) → SendPage[] for T30Session.send (a scanned 'tx' document), opened
// by the sending side: openSendPage(sp).
export { Spooler, SP_IDLE, SP_PRINTING, SP_NO_PAPER } from './spooler.ts';
export type { PrintJobMaker } from './spooler.ts';
export { DocJob, ReportJob } from './jobs.ts';
export type { PrintJob, RowSink } from './jobs.ts';
export { confidentialList, callJournal, settingsList } from './reports.ts';
// The confidential reception notice, durable across power cuts: printNotice(ctx) after a
// confidential reception, resumeNotice(ctx) at boot (prints it if the last never came out).
export { printNotice, resumeNotice, NOTICE_PENDING } from './notice.ts';
export type { NoticeContext } from './notice.ts';
export { paintTextRow, paginate, REPORT_PAGE, COLUMNS, LINES_PER_PAGE } from './text-page.ts';
export { glyphRow } from './font.ts';
export { StoredPageRows, openSendPage } from '../fax/page-rows.ts';
export { storedSendPages } from './stored-send-pages.ts';
export { RowDocJob, LINES_PER_STEP } from './row-doc-job.ts';
