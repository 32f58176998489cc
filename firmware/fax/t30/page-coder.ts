// Codes a page to send, on demand: rows come from the job's page source, go through the T.4/T.6
// encoder in the negotiated coding (fine pages are halved for a standard-only receiver, pages
// wider or narrower than the negotiated width are scaled or padded) and come out in chunks as
// the modem asks for them. Only a few coded lines are ever buffered.
import { T4Encoder, LineDropper, WidthScaler, WidthPadder } from '../t4/index.ts';
import type { T4Coding } from '../t4/index.ts';
import type { SendPage, RowReader, CodedReader } from './types.ts';
// A stored document's page is read back through the decoder here, on the sending side (a module
// on the board), not by resident code: fax/page-rows.ts.
import { openSendPage } from '../page-rows.ts';

/** What the sender reads a page's coded data from: coded now (PageCoder) or as stored (StoredCoding). */
export interface PageSource {
  /** Up to `max` coded octets; null once the page (with RTC/EOFB) has been handed out. */
  read(max: number): Uint8Array | null;
  /** Octets handed out so far. */
  bytes: number;
  /** Rows coded so far (-1: sent as stored, not counted). */
  lines: number;
}

/** A stored page sent as it is coded: its pieces cut to what the modem asks for. */
export class StoredCoding implements PageSource {
  private piece: Uint8Array | null = null;
  private at = 0;
  bytes = 0;
  lines = -1;
  constructor(private readonly reader: CodedReader) {}

  read(max: number): Uint8Array | null {
    while (!this.piece || this.at >= this.piece.length) {
      this.piece = this.reader.next();
      this.at = 0;
      if (!this.piece) return null;
    }
    const n = Math.min(max, this.piece.length - this.at);
    const out = this.piece.subarray(this.at, this.at + n);
    this.at += n;
    this.bytes += n;
    return out;
  }
}

export class PageCoder implements PageSource {
  private fifo: Uint8Array[] = [];
  private head = 0;
  private enc: T4Encoder;
  private rows: RowReader;
  private finished = false;
  /** Octets produced so far. */
  bytes = 0;
  lines = 0;

  private push: (row: Uint8Array) => void;

  constructor(page: SendPage, coding: T4Coding, fine: boolean, minLineBits: number, width?: number) {
    const self = this;
    const w = width || page.width;
    this.enc = new T4Encoder({
      coding: coding,
      width: w,
      k: fine ? 4 : 2,
      bitOrder: 'lsb-first',
      minLineBits: coding === 'mmr' ? 0 : minLineBits,
      onData: function (b: Uint8Array) {
        const c = new Uint8Array(b.length);
        c.set(b);
        self.fifo.push(c);
        self.bytes += b.length;
      },
    });
    this.rows = openSendPage(page);
    // the chain, built back to front: [width] -> [fine to standard] -> encoder
    let next = function (row: Uint8Array): void {
      self.enc.encodeRow(row);
      self.lines++;
    };
    if (page.fine && !fine) {
      const dropper = new LineDropper(next);
      next = function (row: Uint8Array): void {
        dropper.push(row);
      };
    }
    if (page.width > w) {
      const scaler = new WidthScaler(page.width, w, next);
      next = function (row: Uint8Array): void {
        scaler.push(row);
      };
    } else if (page.width < w) {
      const padder = new WidthPadder(page.width, w, next);
      next = function (row: Uint8Array): void {
        padder.push(row);
      };
    }
    this.push = next;
  }

  /** Up to `max` coded octets; null once the page (with RTC/EOFB) has been handed out. */
  read(max: number): Uint8Array | null {
    while (this.fifo.length === 0) {
      if (this.finished) return null;
      const row = this.rows.next();
      if (row === null) {
        this.enc.finish();
        this.finished = true;
      } else this.push(row);
    }
    const c = this.fifo[0];
    const left = c.length - this.head;
    if (left <= max) {
      this.fifo.shift();
      const out = this.head === 0 ? c : c.subarray(this.head);
      this.head = 0;
      return out;
    }
    const out = c.subarray(this.head, this.head + max);
    this.head += max;
    return out;
  }
}
