// A stored page read back as rows, pulled one at a time, in bounded work and bounded memory.
//
//   const r = new StoredPageRows(store, docId, page);         // null-free: check r.error
//   for (let row = r.next(); row; row = r.next()) printer.line(row);   // ≤ ring rows per refill
//   openSendPage(sp) → the rows of a page to send: sp.open(), or a stored page (stored-send-pages.ts)
//
// Why not push whole store chunks into the decoder: the T.4 decoder hands out every row a push
// completes, and a chunk of coded data can hold hundreds of rows (a white MH line is 29 bits,
// T.4 §4.1.1; a white MMR line 1 bit, V0 T.6 §2.2.4), and an MMR page shorter than one
// worst-case line (about `width` bytes) comes out whole at end(): one event would then print a
// whole page while the fax line's timers wait. So input goes in pieces small enough that the
// rows they can complete fit the free slots of a small ring:
//   MH/MR: an EOL is 12 bits (T.4 §4.1.2) and each EOL ends at most one row, so 8n bits make at
//          most floor((8n-1)/12)+1 rows, plus one for a line that overflows the decoder's buffer;
//   MMR:   the decoder only decodes a line once a worst-case line's bits follow its start (or at
//          end()); every line takes at least one bit, so n more bytes release at most 8n rows.
//          After the stored data, zero fill (which T.6 ignores after EOFB and which decodes to
//          nothing) is pushed the same way until every line is out, so end() releases none.
// Memory: the decoder's own buffers, one ring of `ringRows` rows (10 × 216 bytes for A4).
import type { Store, PageReader } from '../store/index.ts';
import { T4Decoder } from './t4/index.ts';
import type { T4Coding, T4BitOrder } from './t4/index.ts';
import type { SendPage, RowReader } from './t30/index.ts';

export interface StoredRowsOptions {
  /** Rows the ring holds (default DEFAULT_RING, at least 10). Larger: fewer, bigger decoder pushes. */
  ringRows?: number;
}

/**
 * Rows the ring holds by default: the fewest the bound above allows with a margin (10 × 216
 * bytes for A4; 16 rows held ~90 variables more on the board for the length of every print).
 */
export const DEFAULT_RING = 10;

/** Bytes of input that can complete at most `free` rows (see the header). */
function pieceFor(mmr: boolean, free: number): number {
  if (mmr) return free >> 3;
  if (free < 3) return 0;
  return Math.floor(((free - 2) * 12 + 1) / 8);
}

export class StoredPageRows implements RowReader {
  readonly width: number;
  readonly linesPerMm: number;
  readonly rowBytes: number;
  /** Why the page could not be read from the store to its end (damaged, deleted, no such page). */
  error: string | null = null;
  /**
   * The coded data itself went wrong: an MMR coding error ends the page early (T.6 has no
   * resynchronisation). The rows before it are good; a fax machine prints them, so this is not
   * an `error`. (Bad MH/MR lines are concealed by the decoder and only counted: badLines().)
   */
  codingError: string | null = null;
  /** Rows handed out by next(). */
  rows = 0;
  /** Decoder pushes (each bounded as above): the work done per refill is small and fixed. */
  pushes = 0;
  /** Most rows that were ever waiting in the ring (never more than its size). */
  maxBuffered = 0;
  /** Rows the decoder produced with no free slot (0 unless the bound above is wrong). */
  overflow = 0;
  readonly decoder: T4Decoder | null = null;

  private readonly mmr: boolean;
  private readonly cap: number;
  private readonly ring: Uint8Array;
  private readonly slots: Uint8Array[] = [];
  private readonly zeros = new Uint8Array(64);
  private reader: PageReader | null;
  private chunk: Uint8Array | null = null;
  private pos = 0;
  private padLeft: number;
  private head = 0;
  private count = 0;
  private ended = false;

  constructor(readonly store: Store, readonly docId: number, readonly page: number, opts?: StoredRowsOptions) {
    const o = opts || {};
    const p = store.pageParams(docId, page);
    this.cap = o.ringRows && o.ringRows >= 10 ? o.ringRows : DEFAULT_RING;
    this.width = p ? p.width : 1728;
    this.linesPerMm = p ? p.linesPerMm : 3.85;
    this.rowBytes = (this.width + 7) >> 3;
    this.mmr = !!p && p.coding === 'mmr';
    // Enough zero fill to make the decoder take every line: one worst-case line (8·width+64
    // bits in decoder.ts) plus its 24-bit margin, rounded up.
    this.padLeft = this.mmr ? this.width + 16 : 0;
    this.ring = new Uint8Array(this.cap * this.rowBytes);
    for (let i = 0; i < this.cap; i++) this.slots.push(this.ring.subarray(i * this.rowBytes, (i + 1) * this.rowBytes));
    this.reader = p ? store.readPage(docId, page) : null;
    if (!p || !this.reader) {
      this.error = 'document ' + docId + ' page ' + (page + 1) + ': no such page';
      this.ended = true;
      return;
    }
    if (p.coding !== 'mh' && p.coding !== 'mr' && p.coding !== 'mmr') {
      this.error = 'document ' + docId + ' page ' + (page + 1) + ': unknown coding ' + p.coding;
      this.ended = true;
      return;
    }
    const self = this;
    this.decoder = new T4Decoder({
      coding: p.coding as T4Coding,
      width: p.width,
      bitOrder: p.bitOrder as T4BitOrder,
      onRow: function (row: Uint8Array) {
        self.keep(row);
      },
    });
  }

  /** The next row (valid until the next call), or null at the end of the page or on error. */
  next(): Uint8Array | null {
    while (this.count === 0 && !this.ended) this.refill();
    if (this.count === 0) return null;
    const row = this.slots[this.head];
    this.head = (this.head + 1) % this.cap;
    this.count--;
    this.rows++;
    return row;
  }

  /** Lines the decoder could not decode (concealed by repeating the previous row). */
  badLines(): number {
    return this.decoder ? this.decoder.badLines : 0;
  }

  private keep(row: Uint8Array): void {
    if (this.count === this.cap) {
      this.overflow++;
      return;
    }
    this.slots[(this.head + this.count) % this.cap].set(row);
    this.count++;
    if (this.count > this.maxBuffered) this.maxBuffered = this.count;
  }

  /** One bounded push into the decoder (or the end of the page). */
  private refill(): void {
    const d = this.decoder as T4Decoder;
    if (d.done) {
      this.finish();
      return;
    }
    const n = pieceFor(this.mmr, this.cap - this.count);
    if (this.chunk === null || this.pos >= this.chunk.length) {
      this.chunk = this.reader ? this.reader.next() : null;
      this.pos = 0;
      if (this.chunk === null) {
        if (this.reader && this.reader.error) {
          this.error = this.reader.error;
          this.reader = null;
          d.end();
          this.finish();
          return;
        }
        this.reader = null;
      }
    }
    if (this.chunk !== null) {
      const m = this.chunk.length - this.pos < n ? this.chunk.length - this.pos : n;
      d.push(this.chunk.subarray(this.pos, this.pos + m));
      this.pos += m;
      this.pushes++;
      return;
    }
    if (this.padLeft > 0) {
      const m = this.padLeft < n ? this.padLeft : n;
      d.push(this.zeros.subarray(0, m));
      this.padLeft -= m;
      this.pushes++;
      return;
    }
    d.end();
    this.finish();
  }

  private finish(): void {
    this.ended = true;
    const d = this.decoder;
    if (d && d.fatal) this.codingError = 'document ' + this.docId + ' page ' + (this.page + 1) + ': coding error after line ' + d.lines;
    if (this.overflow && !this.error) this.error = 'row ring overflow (' + this.overflow + ' rows lost)';
  }
}

/** Every other row of a superfine page (15.4 l/mm) makes a fine one: T.30 sends only fine or standard here. */
class HalvedRows implements RowReader {
  private row: Uint8Array | null = null;
  constructor(readonly inner: StoredPageRows) {}
  next(): Uint8Array | null {
    const a = this.inner.next();
    if (!a) return null;
    // Copy: the inner row is only valid until the inner reader's next call.
    if (!this.row) this.row = new Uint8Array(a.length);
    this.row.set(a);
    this.inner.next();
    return this.row;
  }
}

/**
 * Opens a page for the T.30 sender: its own open(), or for a page of a stored document
 * (stored-send-pages.ts) the stored rows, every other row of a superfine one (T.30 here sends
 * only standard and fine). Called by the sending side (fax/t30/page-coder.ts), which holds the
 * decoder's code.
 */
export function openSendPage(sp: SendPage): RowReader {
  if (sp.open) return sp.open();
  const ref = sp.stored;
  if (!ref) throw new Error('a page to send with neither rows nor a stored page');
  const r = new StoredPageRows(ref.store, ref.doc, ref.page);
  return r.linesPerMm > 10 ? new HalvedRows(r) : r;
}
