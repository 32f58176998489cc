// A stored document as the record stream of docs/LAN-PROTOCOL.md §4 (messages.ts),
// produced one record at a time straight from flash: a page header, then the page's coded data
// chunk by chunk as the store's PageReader hands it out. Nothing holds more than one chunk, so a
// document of any size streams in the RAM of one store chunk plus one envelope segment.
import type { Store, DocInfo } from '../store/index.ts';
import type { PageReader } from '../store/index.ts';
import { jsonBytes, record, REC_DATA, REC_DOC, REC_END, REC_PAGE } from './messages.ts';
import type { DocSummary } from './messages.ts';

/** The summary of a stored confidential document (what a notice and a listing show). */
export function docSummary(d: DocInfo, protection: string): DocSummary {
  return { box: d.meta.box, doc: d.id, from: d.meta.remote || '', time: Math.floor(d.meta.time), pages: d.pages, bytes: d.bytes, protection: protection };
}

export class DocumentSource {
  private page = -1;
  private reader: PageReader | null = null;
  private started = false;
  finished = false;
  /** Plaintext bytes produced so far. */
  produced = 0;

  constructor(readonly store: Store, readonly info: DocInfo, readonly protection: string) {}

  /** The next record, or null after the end record. Throws when a page cannot be read (damaged, deleted). */
  next(): Uint8Array | null {
    if (this.finished) return null;
    let out: Uint8Array;
    if (!this.started) {
      this.started = true;
      out = record(REC_DOC, jsonBytes(docSummary(this.info, this.protection)));
    } else {
      const chunk = this.reader ? this.reader.next() : null;
      if (this.reader && chunk) {
        out = record(REC_DATA, chunk);
      } else {
        if (this.reader && this.reader.error) throw new Error(this.reader.error);
        this.page++;
        if (this.page >= this.info.pages) {
          this.finished = true;
          out = record(REC_END, new Uint8Array(0));
        } else {
          const p = this.store.pageParams(this.info.id, this.page);
          this.reader = this.store.readPage(this.info.id, this.page);
          if (!p || !this.reader) throw new Error('document ' + this.info.id + ' page ' + (this.page + 1) + ' cannot be read');
          out = record(REC_PAGE, jsonBytes({ page: this.page + 1, coding: p.coding, width: p.width, linesPerMm: p.linesPerMm, bitOrder: p.bitOrder }));
        }
      }
    }
    this.produced += out.length;
    return out;
  }
}
