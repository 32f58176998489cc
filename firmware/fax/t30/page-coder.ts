// Codes a page to send, on demand: rows come from the job's page source, go through the T.4/T.6
// encoder in the negotiated coding (fine pages are halved for a standard-only receiver) and come
// out in chunks as the modem asks for them. Only a few coded lines are ever buffered.
import { T4Encoder, LineDropper } from '../t4/index.ts';
import type { T4Coding } from '../t4/index.ts';
import type { SendPage, RowReader } from './types.ts';

export class PageCoder {
  private fifo: Uint8Array[] = [];
  private head = 0;
  private enc: T4Encoder;
  private rows: RowReader;
  private dropper: LineDropper | null = null;
  private finished = false;
  /** Octets produced so far. */
  bytes = 0;
  lines = 0;

  constructor(page: SendPage, coding: T4Coding, fine: boolean, minLineBits: number) {
    const self = this;
    this.enc = new T4Encoder({
      coding: coding,
      width: page.width,
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
    this.rows = page.open();
    if (page.fine && !fine) {
      this.dropper = new LineDropper(function (row: Uint8Array) {
        self.enc.encodeRow(row);
        self.lines++;
      });
    }
  }

  /** Up to `max` coded octets; null once the page (with RTC/EOFB) has been handed out. */
  read(max: number): Uint8Array | null {
    while (this.fifo.length === 0) {
      if (this.finished) return null;
      const row = this.rows.next();
      if (row === null) {
        this.enc.finish();
        this.finished = true;
      } else if (this.dropper) this.dropper.push(row);
      else {
        this.enc.encodeRow(row);
        this.lines++;
      }
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
