// The simulated print engine: each page becomes a PNG file (page-0001.png, …) in a folder, and
// the rows are kept for tests. Paper can run out at any line: the page in progress is lost
// (the spooler must print it again), exactly as on a real engine.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Printer, PrintPageInfo } from '../../hal/printer.ts';
import { encodePngForViewing } from '../../host/image/png.ts';

export interface PrintedPage {
  width: number;
  linesPerMm: number;
  rows: Uint8Array[];
  file: string | null;
}

export class SimPrinter implements Printer {
  pages: PrintedPage[] = [];
  onPaper: ((present: boolean) => void) | null = null;
  /** Sheets left in the tray (Infinity by default). */
  sheets = Infinity;
  /** Run out of paper after this many more lines (for tests), or -1. */
  outAfterLines = -1;
  private current: PrintedPage | null = null;
  private paper = true;

  /** Number of the next page file: a later run with the same --data goes on after the last. */
  private nextFile = 1;

  constructor(private dir: string | null) {
    if (dir) {
      mkdirSync(dir, { recursive: true });
      for (const f of readdirSync(dir)) {
        const m = /^page-(\d+)\.png$/.exec(f);
        if (m && Number(m[1]) >= this.nextFile) this.nextFile = Number(m[1]) + 1;
      }
    }
  }

  /** The page being printed (rows so far), or null: the web panel shows it growing. */
  inProgress(): PrintedPage | null {
    return this.current;
  }

  paperPresent(): boolean {
    return this.paper && this.sheets > 0;
  }

  setPaper(present: boolean, sheets = Infinity): void {
    this.paper = present;
    this.sheets = present ? sheets : 0;
    if (this.onPaper) this.onPaper(present);
  }

  beginPage(info: PrintPageInfo): boolean {
    if (!this.paperPresent()) return false;
    this.current = { width: info.width, linesPerMm: info.linesPerMm, rows: [], file: null };
    return true;
  }

  line(row: Uint8Array): boolean {
    if (!this.current) throw new Error('printer: line() outside a page');
    if (this.outAfterLines === 0) {
      this.current = null;
      this.outAfterLines = -1;
      this.setPaper(false);
      return false;
    }
    if (this.outAfterLines > 0) this.outAfterLines--;
    this.current.rows.push(row.slice());
    return true;
  }

  endPage(): boolean {
    const p = this.current;
    if (!p) return false;
    this.current = null;
    this.sheets--;
    if (this.dir) {
      p.file = join(this.dir, `page-${String(this.nextFile++).padStart(4, '0')}.png`);
      // The sheet as it looks: pHYs with the page's resolution, a standard page's rows doubled.
      const yDpi = p.linesPerMm < 5 ? 98 : p.linesPerMm > 10 ? 391 : 196;
      const stride = (p.width + 7) >> 3;
      const data = new Uint8Array(stride * p.rows.length);
      p.rows.forEach((r, y) => data.set(r.subarray(0, stride), y * stride));
      writeFileSync(p.file, encodePngForViewing({ width: p.width, height: p.rows.length, xDpi: 204, yDpi, data }));
    }
    this.pages.push(p);
    if (this.sheets <= 0 && this.onPaper) this.onPaper(false);
    return true;
  }
}
