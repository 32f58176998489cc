// Print jobs: a stored document (pages decoded from their T.4/T.6 coding, one stored chunk per
// step) or a text report (one text line per step). The spooler asks a job to (re)start a page
// and then for steps until the page ends; a page is always restarted from its first row after
// paper ran out, so nothing is lost.
import type { PrintPageInfo } from '../../hal/printer.ts';
import type { Store, PageReader } from '../store/index.ts';
import { T4Decoder } from '../fax/t4/index.ts';
import type { T4Coding, T4BitOrder } from '../fax/t4/index.ts';
import { CELL_H, MARGIN_Y, REPORT_PAGE, paginate, paintTextRow } from './text-page.ts';

/** Takes one pixel row; false when the printer could not print it (paper out). */
export type RowSink = (row: Uint8Array) => boolean;

export interface PrintJob {
  name: string;
  pageCount(): number;
  pageInfo(page: number): PrintPageInfo;
  startPage(page: number): boolean;
  /** Print a bounded amount: 'more', 'end' of the page, or 'error' (the page cannot be read). */
  step(sink: RowSink): string;
  /** Why the last step failed. */
  error: string;
  /** Called once when the job ends (every page printed, or given up). */
  done(ok: boolean): void;
}

export interface DocJobOptions {
  /** Delete the document once printed (ordinary receptions, copies). */
  deleteAfter: boolean;
  onDone: ((ok: boolean, id: number) => void) | null;
}

export class DocJob implements PrintJob {
  name: string;
  error = '';
  private reader: PageReader | null = null;
  private decoder: T4Decoder | null = null;
  private sink: RowSink | null = null;
  private stopped = false;

  constructor(readonly store: Store, readonly id: number, readonly opts: DocJobOptions) {
    this.name = 'document ' + id;
  }

  pageCount(): number {
    const d = this.store.document(this.id);
    return d ? d.pages : 0;
  }

  pageInfo(page: number): PrintPageInfo {
    const p = this.store.pageParams(this.id, page);
    return { width: p ? p.width : 1728, linesPerMm: p ? p.linesPerMm : 3.85 };
  }

  startPage(page: number): boolean {
    const p = this.store.pageParams(this.id, page);
    this.reader = this.store.readPage(this.id, page);
    if (!p || !this.reader) {
      this.error = 'page ' + (page + 1) + ' is gone';
      return false;
    }
    const self = this;
    this.stopped = false;
    this.decoder = new T4Decoder({
      coding: p.coding as T4Coding,
      width: p.width,
      bitOrder: p.bitOrder as T4BitOrder,
      onRow: function (row: Uint8Array) {
        if (self.stopped || !self.sink) return;
        if (!self.sink(row)) self.stopped = true;
      },
    });
    return true;
  }

  step(sink: RowSink): string {
    const r = this.reader;
    const d = this.decoder;
    if (!r || !d) return 'error';
    this.sink = sink;
    const b = r.next();
    if (b) {
      d.push(b);
      return 'more';
    }
    if (r.error) {
      this.error = r.error;
      return 'error';
    }
    d.end();
    return 'end';
  }

  done(ok: boolean): void {
    const d = this.store.document(this.id);
    if (ok && d) {
      if (this.opts.deleteAfter) this.store.deleteDocument(this.id);
      else {
        const st: { [k: string]: unknown } = {};
        const keys = Object.keys(d.state);
        for (let i = 0; i < keys.length; i++) st[keys[i]] = d.state[keys[i]];
        st.printed = true;
        this.store.setDocState(this.id, st);
      }
    }
    if (this.opts.onDone) this.opts.onDone(ok, this.id);
  }
}

export const REPORT_ROWS_PER_STEP = 9;

export class ReportJob implements PrintJob {
  error = '';
  private pages: string[][];
  private lines: string[] = [];
  private y = 0;
  private row = new Uint8Array(REPORT_PAGE.width >> 3);

  constructor(readonly name: string, lines: string[], readonly onDone: ((ok: boolean) => void) | null) {
    this.pages = paginate(lines);
  }

  pageCount(): number {
    return this.pages.length;
  }

  pageInfo(page: number): PrintPageInfo {
    return REPORT_PAGE;
  }

  startPage(page: number): boolean {
    this.lines = this.pages[page];
    this.y = 0;
    return true;
  }

  /** A third of a text line (or of a margin) per step: painting a row is ~90 glyph lookups. */
  step(sink: RowSink): string {
    const total = MARGIN_Y * 2 + this.lines.length * CELL_H;
    if (this.y >= total) return 'end';
    for (let i = 0; i < REPORT_ROWS_PER_STEP && this.y < total; i++, this.y++) {
      const t = this.y - MARGIN_Y;
      if (t >= 0 && t < this.lines.length * CELL_H) paintTextRow(this.lines[Math.floor(t / CELL_H)], t % CELL_H, this.row);
      else this.row.fill(0);
      if (!sink(this.row)) return 'more';
    }
    return this.y >= total ? 'end' : 'more';
  }

  done(ok: boolean): void {
    if (this.onDone) this.onDone(ok);
  }
}
