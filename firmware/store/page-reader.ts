// Reads a committed page back from the log, chunk by chunk, checking each chunk's record and
// at the end the page check (layout.ts: PAGE_END), so damage is reported, never printed.
import type { DocumentIndex } from './document-index.ts';
import { chainCrc } from './document-index.ts';
import { crc32, crc32Final, crc32Init } from './crc32.ts';
import { REC, RECORD_HEADER, rd16, rd32 } from './layout.ts';

/** Reads a committed page chunk by chunk; checks every chunk's CRC and the page's at the end. */
export class PageReader {
  private chunk = 0;
  private crc = crc32Init();
  private bytes = 0;
  /** Set when the page is damaged or was deleted while reading; next() then returns null. */
  error: string | null = null;
  done = false;

  constructor(readonly docs: DocumentIndex, readonly id: number, readonly page: number) {}

  /** The next piece of coded page data, or null at the end (or on error). */
  next(): Uint8Array | null {
    if (this.done) return null;
    const pe = this.docs.page(this.id, this.page);
    if (!pe) return this.fail('document deleted');
    if (this.chunk >= pe.chunks) {
      this.done = true;
      if (this.bytes !== pe.bytes || crc32Final(this.crc) !== pe.crc) return this.fail('page check failed');
      return null;
    }
    const addr = this.docs.chunkAddr(this.id, pe.slot, this.chunk);
    if (!(addr >= 0)) return this.fail('chunk ' + this.chunk + ' missing');
    const log = this.docs.log;
    const h = log.flash.read(addr, RECORD_HEADER);
    const len = rd16(h, 2);
    if (h[0] !== REC.PAGE_DATA || rd32(h, 4) !== this.id || crc32(h, 0, 8) !== rd32(h, 8)) return this.fail('chunk ' + this.chunk + ' header damaged');
    const p = log.flash.read(addr + RECORD_HEADER, len);
    if (log.crcOf(p) !== rd32(h, 12) || rd16(p, 0) !== pe.slot || rd16(p, 2) !== this.chunk) return this.fail('chunk ' + this.chunk + ' damaged');
    this.chunk++;
    this.crc = chainCrc(this.crc, rd32(h, 12));
    this.bytes += len - 4;
    return p.subarray(4);
  }

  private fail(what: string): null {
    this.error = 'document ' + this.id + ' page ' + (this.page + 1) + ': ' + what;
    this.done = true;
    return null;
  }
}
