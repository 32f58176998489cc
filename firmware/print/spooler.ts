// The print spooler: one active object that owns the print engine. Jobs print in order, a
// bounded slice per event (a few rows of a document page or of a report), so the
// fax line is never kept waiting. When paper runs out the page in progress is lost on the
// engine; the spooler waits in NO_PAPER and prints that page again from its first row when
// paper is back. Documents stay in the store until their job is done, so a power cut loses
// nothing either: at boot resume() queues every ordinary reception not yet printed.
import { Active, TimeEvt } from '../kernel/index.ts';
import type { State, Evt } from '../kernel/index.ts';
import type { Printer } from '../../hal/printer.ts';
import type { Store } from '../store/index.ts';
import type { PrintJob, RowSink, DocJobOptions } from './jobs.ts';

/**
 * Makes the spooler's jobs (job-maker.ts: PRINT_JOBS). The appliance's maker loads the print
 * code as a module for the jobs and lets it go when the spooler is idle again
 * (firmware/app/print-jobs.ts, docs/ESPRUINO.md).
 */
export interface PrintJobMaker {
  document(store: Store, id: number, opts: DocJobOptions): PrintJob;
  report(name: string, lines: string[], onDone: ((ok: boolean) => void) | null): PrintJob;
  /** Nothing is waiting or printing any more. */
  idle?: () => void;
}

interface PaperEvt extends Evt {
  present: boolean;
}

/** While waiting for paper, look again this often (an engine may not report paper loaded). */
const PAPER_POLL_MS = 5000;

export class Spooler extends Active {
  readonly jobs: PrintJob[] = [];
  job: PrintJob | null = null;
  page = 0;
  paperLost = false;
  /** Pages that came out whole since boot. */
  pagesPrinted = 0;
  readonly poll: TimeEvt;
  readonly sink: RowSink;
  /** Told when the spooler starts or stops waiting for paper (the panel shows it). */
  onStatus: ((status: string) => void) | null = null;

  constructor(prio: number, readonly printer: Printer, readonly store: Store, readonly maker: PrintJobMaker) {
    super('printer', prio, 16, SP_IDLE);
    this.poll = new TimeEvt(this, 'PAPER_POLL');
    const self = this;
    this.sink = function (row: Uint8Array): boolean {
      if (self.paperLost) return false;
      if (!self.printer.line(row)) {
        self.paperLost = true;
        return false;
      }
      return true;
    };
    printer.onPaper = function (present: boolean) {
      if (self.kernel) self.post({ sig: 'PAPER', present: present } as PaperEvt);
    };
  }

  add(job: PrintJob): void {
    this.jobs.push(job);
    if (this.kernel) this.post({ sig: 'WORK' });
  }

  /** Print a stored document (ordinary reception, a confidential one after its pass code, a copy). */
  printDocument(id: number, deleteAfter: boolean, onDone: ((ok: boolean, id: number) => void) | null): void {
    // Rows from StoredPageRows: a bounded number of rows per step whatever the coding.
    this.add(this.maker.document(this.store, id, { deleteAfter: deleteAfter, onDone: onDone }));
  }

  printReport(name: string, lines: string[], onDone: ((ok: boolean) => void) | null): void {
    this.add(this.maker.report(name, lines, onDone));
  }

  /** Queue every ordinary reception still in the store (after a boot: paper out, power cut). */
  resume(): number {
    const docs = this.store.documents();
    let n = 0;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      // noPrint: an ordinary reception only mailed (settings `ordinary`, firmware/faxmail).
      if (d.meta.box || d.open || d.pages === 0 || d.state.printed || d.state.noPrint) continue;
      if (d.meta.dir !== 'rx' && d.meta.dir !== 'copy') continue;
      if (this.queued(d.id)) continue;
      // One also to be mailed stays after printing; the fax mailer deletes it once mailed.
      this.printDocument(d.id, !d.state.mail, null);
      n++;
    }
    return n;
  }

  queued(id: number): boolean {
    const all = this.job ? [this.job].concat(this.jobs) : this.jobs;
    for (let i = 0; i < all.length; i++) if ((all[i] as PrintJob & { id?: number }).id === id) return true;
    return false;
  }

  /** Jobs waiting or printing. */
  waitingJobs(): number {
    return this.jobs.length + (this.job ? 1 : 0);
  }

  status(): string {
    return this.state === SP_NO_PAPER ? 'NO PAPER' : this.job ? 'PRINTING' : 'IDLE';
  }

  /** Start the current page from its first row; false when there is no paper. */
  beginPage(): boolean {
    const job = this.job as PrintJob;
    this.paperLost = false;
    if (!job.startPage(this.page)) return true; // unreadable: step() reports it
    return this.printer.beginPage(job.pageInfo(this.page));
  }

  finishJob(ok: boolean): void {
    const job = this.job as PrintJob;
    this.job = null;
    this.trace(job.name + (ok ? ' printed' : ' failed: ' + job.error));
    job.done(ok);
  }
}

export const SP_IDLE: State<Spooler> = {
  name: 'IDLE',
  on: function (me: Spooler, e: Evt) {
    if (e.sig === 'ENTRY' || e.sig === 'WORK') {
      if (me.jobs.length) me.tran(SP_PRINTING);
      else if (e.sig === 'ENTRY' && me.maker.idle) me.maker.idle();
    }
  },
};

export const SP_PRINTING: State<Spooler> = {
  name: 'PRINTING',
  on: function (me: Spooler, e: Evt) {
    switch (e.sig) {
      case 'ENTRY':
        if (!me.job) {
          me.job = me.jobs.shift() || null;
          me.page = 0;
          if (!me.job) {
            me.tran(SP_IDLE);
            return;
          }
          me.trace('start ' + me.job.name + ', ' + me.job.pageCount() + ' page(s)');
          if (me.job.pageCount() === 0) {
            me.finishJob(false);
            me.tran(SP_PRINTING);
            return;
          }
        }
        if (!me.beginPage()) {
          me.tran(SP_NO_PAPER);
          return;
        }
        me.post({ sig: 'STEP' });
        break;
      case 'STEP': {
        const job = me.job as PrintJob;
        const r = job.step(me.sink);
        if (me.paperLost) {
          me.trace(job.name + ': paper ran out on page ' + (me.page + 1) + ', it will be printed again');
          me.tran(SP_NO_PAPER);
          return;
        }
        if (r === 'more') {
          me.post({ sig: 'STEP' });
          return;
        }
        if (r === 'error') {
          me.printer.endPage();
          me.finishJob(false);
          me.tran(SP_PRINTING);
          return;
        }
        if (!me.printer.endPage()) {
          me.tran(SP_NO_PAPER);
          return;
        }
        me.pagesPrinted++;
        me.page++;
        if (me.page < job.pageCount()) {
          if (!me.beginPage()) me.tran(SP_NO_PAPER);
          else me.post({ sig: 'STEP' });
          return;
        }
        me.finishJob(true);
        me.tran(SP_PRINTING); // the next job, or IDLE
        break;
      }
    }
  },
};

export const SP_NO_PAPER: State<Spooler> = {
  name: 'NO_PAPER',
  on: function (me: Spooler, e: Evt) {
    switch (e.sig) {
      case 'ENTRY':
        if (me.onStatus) me.onStatus('NO PAPER');
        me.poll.arm(PAPER_POLL_MS, PAPER_POLL_MS);
        break;
      case 'EXIT':
        me.poll.disarm();
        if (me.onStatus) me.onStatus('PRINTING');
        break;
      case 'PAPER':
        if ((e as PaperEvt).present) me.tran(SP_PRINTING);
        break;
      case 'PAPER_POLL':
        if (me.printer.paperPresent()) me.tran(SP_PRINTING);
        break;
    }
  },
};
