// Writes one document into the log: pages of coded bytes in chunks of PAGE_DATA, each page
// committed by its PAGE_END, the document by its DOC_CLOSE (record formats in layout.ts).
import type { DocumentIndex, PageParams } from './document-index.ts';
import { chainCrc } from './document-index.ts';
import { crc32Final, crc32Init } from './crc32.ts';
import { REC, asciiJson, textBytes, wr16, wr32 } from './layout.ts';

/**
 * Writes one document: pages of coded bytes, each committed by endPage(). A false return means
 * the store is full: the page in progress is lost (call abortPage), committed pages stay.
 */
export class DocWriter {
  private slot = -1;
  private chunk = 0;
  private buf: Uint8Array;
  private len = 0;
  private bytes = 0;
  private crc = 0;
  private params: PageParams | null = null;
  /** The store refused data for the current page. */
  failed = false;
  closed = false;

  constructor(readonly docs: DocumentIndex, readonly id: number) {
    this.buf = new Uint8Array(docs.chunkBytes);
  }

  /** Committed pages so far. */
  pages(): number {
    return this.docs.pageCount(this.id);
  }

  beginPage(params: PageParams): void {
    if (this.slot >= 0) this.abortPage();
    const slot = this.docs.newSlot(this.id);
    if (slot < 0) throw new Error('store: document ' + this.id + ' was deleted while being written');
    this.slot = slot;
    this.params = params;
    this.chunk = 0;
    this.len = 0;
    this.bytes = 0;
    this.crc = crc32Init();
    this.failed = false;
  }

  /** Add coded bytes to the page. False when the store is full. */
  write(data: Uint8Array): boolean {
    if (this.slot < 0) throw new Error('store: write outside a page');
    if (this.failed) return false;
    this.bytes += data.length;
    let i = 0;
    while (i < data.length) {
      const n = Math.min(data.length - i, this.buf.length - this.len);
      this.buf.set(data.subarray(i, i + n), this.len);
      this.len += n;
      i += n;
      if (this.len === this.buf.length && !this.flush(false)) return false;
    }
    return true;
  }

  private flush(all: boolean): boolean {
    const log = this.docs.log;
    while (this.len > 0 && (all || this.len === this.buf.length)) {
      let n = this.len;
      // Fill the head sector's tail rather than leave it unused.
      const room = log.headRoom() - 4;
      if (room >= 64 && room < n) n = room;
      const rec = new Uint8Array(4 + n);
      wr16(rec, 0, this.slot);
      wr16(rec, 2, this.chunk);
      rec.set(this.buf.subarray(0, n), 4);
      if (log.append(REC.PAGE_DATA, this.id, rec, 'bulk') < 0) {
        this.failed = true;
        return false;
      }
      this.crc = chainCrc(this.crc, log.lastCrc);
      this.chunk++;
      for (let j = n; j < this.len; j++) this.buf[j - n] = this.buf[j];
      this.len -= n;
    }
    return true;
  }

  /** Commit the page: once this returns true the page survives any power cut (T.30 may send MCF). */
  endPage(): boolean {
    if (this.slot < 0 || !this.params) throw new Error('store: endPage outside a page');
    if (this.failed || !this.flush(true)) return false;
    const pj = textBytes(asciiJson(this.params));
    const rec = new Uint8Array(12 + pj.length);
    wr16(rec, 0, this.slot);
    wr16(rec, 2, this.chunk);
    wr32(rec, 4, this.bytes);
    wr32(rec, 8, crc32Final(this.crc));
    rec.set(pj, 12);
    if (this.docs.log.append(REC.PAGE_END, this.id, rec, 'meta') < 0) {
      this.failed = true;
      return false;
    }
    if (!this.docs.has(this.id)) throw new Error('store: document ' + this.id + ' was deleted while being written');
    this.slot = -1;
    return true;
  }

  /** Forget the page being written (bad page, the store is full, the call dropped). */
  abortPage(): void {
    if (this.slot < 0) return;
    this.docs.dropSlot(this.id, this.slot);
    this.slot = -1;
    this.len = 0;
  }

  /** Commit the document with its result (e.g. 'ok', 'partial', 'line dropped'). */
  close(result: string): boolean {
    this.abortPage();
    this.closed = true;
    return this.docs.log.append(REC.DOC_CLOSE, this.id, textBytes(asciiJson({ result: result })), 'meta') >= 0;
  }

  /** Throw the document away (nothing was committed worth keeping). */
  discard(): void {
    this.abortPage();
    this.closed = true;
    this.docs.remove(this.id);
  }
}
