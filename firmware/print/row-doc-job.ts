// A document print job whose every step prints at most LINES_PER_STEP rows, whatever the coding.
//
//   spooler.add(new RowDocJob(store, id, { deleteAfter: true, onDone: null }));
//
// DocJob (jobs.ts) pushes one stored chunk per step; the decoder then prints every row that
// chunk completes: about 140 white lines per step for MH, 230 for MR, and a whole MMR page
// (2287 lines of a fine A4 page) in the one step that calls end(), because the MMR decoder waits
// for a worst-case line's bits before it decodes a line (see fax/page-rows.ts). This job takes rows
// from StoredPageRows instead, so a step is bounded in rows and the fax line's events (higher
// priority, served between steps) wait at most one slice. Page counting, deletion after
// printing and the printed mark are DocJob's.
import type { Store } from '../store/index.ts';
import { DocJob } from './jobs.ts';
import type { DocJobOptions, RowSink } from './jobs.ts';
import { StoredPageRows } from '../fax/page-rows.ts';

/**
 * Rows per step. Measured on the Espruino interpreter (its Linux build on a PC): a dense text
 * row of an A4 page takes about 40 ms to decode (MH and MMR alike), a white row far less; 8 rows
 * keep a step near a third of a second there, well inside the T.30 response timer T4
 * (3 s ± 15 %), and about a millisecond on a PC.
 */
export const LINES_PER_STEP = 8;

export class RowDocJob extends DocJob {
  /** Most rows any one step sent to the printer (tests and the trace check the bound). */
  maxRowsPerStep = 0;
  private rowsIn: StoredPageRows | null = null;

  constructor(store: Store, id: number, opts: DocJobOptions) {
    super(store, id, opts);
  }

  override startPage(page: number): boolean {
    this.rowsIn = new StoredPageRows(this.store, this.id, page);
    if (this.rowsIn.error) {
      this.error = this.rowsIn.error;
      return false;
    }
    return true;
  }

  override step(sink: RowSink): string {
    const r = this.rowsIn;
    if (!r) return 'error';
    let n = 0;
    let ended = false;
    while (n < LINES_PER_STEP) {
      const row = r.next();
      if (!row) {
        ended = true;
        break;
      }
      n++;
      if (!sink(row)) break; // paper out: the spooler sees it and starts the page over later
    }
    if (n > this.maxRowsPerStep) this.maxRowsPerStep = n;
    if (!ended) return 'more';
    if (r.error) {
      this.error = r.error;
      return 'error';
    }
    return 'end';
  }
}
