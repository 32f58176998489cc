// A stored fax document as a TIFF-F file (TIFF 6.0 Class F, RFC 3949 — the form T.37 fax mail
// and most fax software read), produced a piece at a time straight from flash: the pages' coded
// data go out as stored (MH, MR or MMR, one strip per page, FillOrder as stored), never decoded
// into pixels and never whole in RAM.
//
// Layout: header | page 1 data | … | page n data | IFD 1 | … | IFD n.
// The header must say where the first IFD is: the store knows the document's total bytes, so that
// offset is known before the first byte goes out, and every IFD has the same size. What an IFD
// needs that is only known after its page went by — the row count (ImageLength) — is counted
// while the page streams (a T4Decoder without rows: it only counts lines, T.4 §4.1 EOLs / T.6).
import type { Store, DocInfo, PageReader } from '../store/index.ts';
import { T4Decoder } from '../fax/t4/index.ts';
import type { T4Coding, T4BitOrder } from '../fax/t4/index.ts';

/** Tags per IFD (see ifd()) and the two RATIONALs after them. */
const TAGS = 16;
export const IFD_BYTES = 2 + TAGS * 12 + 4 + 16;

interface PageDone {
  offset: number;
  bytes: number;
  rows: number;
  width: number;
  coding: string;
  lsbFirst: boolean;
  yDpi: number;
}

function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >> 8) & 0xff;
}

function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >> 8) & 0xff;
  b[o + 2] = (v >> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

export class TiffSource {
  /** Bytes of the whole file (known before the first byte). */
  readonly size: number;
  private pos = 0;
  private page = -1;
  private reader: PageReader | null = null;
  private decoder: T4Decoder | null = null;
  private cur: PageDone | null = null;
  private pending: Uint8Array | null = null;
  private done: PageDone[] = [];
  private ifd = 0;
  /** Set when a page could not be read (the file is then cut short: the sender must abandon it). */
  error = '';

  constructor(readonly store: Store, readonly info: DocInfo) {
    this.size = 8 + info.bytes + info.pages * IFD_BYTES;
  }

  /** Up to `max` more bytes of the file, null at its end (ByteSource, firmware/mail/source.ts). Throws on a damaged page. */
  read(max: number): Uint8Array | null {
    if (max < 1) max = 1;
    if (!this.pending) {
      if (this.pos === 0) this.pending = this.header();
      else if (this.page < this.info.pages) this.pending = this.nextData();
      if (!this.pending && this.ifd < this.done.length) this.pending = this.ifdBytes(this.ifd++);
      if (!this.pending) return null;
    }
    return this.take(max);
  }

  private emit(b: Uint8Array): Uint8Array {
    this.pos += b.length;
    return b;
  }

  private take(max: number): Uint8Array {
    const p = this.pending as Uint8Array;
    if (p.length <= max) {
      this.pending = null;
      return this.emit(p);
    }
    this.pending = p.subarray(max);
    return this.emit(p.subarray(0, max));
  }

  private header(): Uint8Array {
    const h = new Uint8Array(8);
    h[0] = 0x49; // 'II': little-endian
    h[1] = 0x49;
    put16(h, 2, 42);
    put32(h, 4, 8 + this.info.bytes);
    return h;
  }

  /** The next piece of page data, opening pages as needed; null when every page went out. */
  private nextData(): Uint8Array | null {
    for (;;) {
      if (this.reader) {
        const chunk = this.reader.next();
        if (chunk) {
          (this.cur as PageDone).bytes += chunk.length;
          (this.decoder as T4Decoder).push(chunk);
          return chunk;
        }
        if (this.reader.error) {
          this.error = 'page ' + (this.page + 1) + ': ' + this.reader.error;
          throw new Error(this.error);
        }
        (this.decoder as T4Decoder).end();
        const c = this.cur as PageDone;
        c.rows = (this.decoder as T4Decoder).lines;
        this.done.push(c);
        this.reader = null;
        this.decoder = null;
      }
      this.page++;
      if (this.page >= this.info.pages) return null;
      const p = this.store.pageParams(this.info.id, this.page);
      this.reader = this.store.readPage(this.info.id, this.page);
      if (!p || !this.reader) {
        this.error = 'page ' + (this.page + 1) + ' cannot be read';
        throw new Error(this.error);
      }
      const lsb = p.bitOrder !== 'msb-first';
      this.cur = {
        offset: this.pos, bytes: 0, rows: 0, width: p.width, coding: p.coding, lsbFirst: lsb,
        yDpi: p.linesPerMm > 10 ? 391 : p.linesPerMm > 5 ? 196 : 98,
      };
      this.decoder = new T4Decoder({ coding: p.coding as T4Coding, width: p.width, bitOrder: (lsb ? 'lsb-first' : 'msb-first') as T4BitOrder });
    }
  }

  /** IFD k: the TIFF Class F fields (TIFF 6.0 §3, Section 11; RFC 3949 §2), ascending tag order. */
  private ifdBytes(k: number): Uint8Array {
    const p = this.done[k];
    const at = 8 + this.info.bytes + k * IFD_BYTES;
    const b = new Uint8Array(IFD_BYTES);
    put16(b, 0, TAGS);
    let o = 2;
    const tag = function (t: number, type: number, v: number, v2?: number): void {
      put16(b, o, t);
      put16(b, o + 2, type);
      put32(b, o + 4, 1);
      if (type === 3) {
        put16(b, o + 8, v);
        if (v2 !== undefined) {
          put32(b, o + 4, 2);
          put16(b, o + 10, v2);
        }
      } else put32(b, o + 8, v);
      o += 12;
    };
    const SHORT = 3;
    const LONG = 4;
    const RATIONAL = 5;
    const mmr = p.coding === 'mmr';
    const rationals = at + 2 + TAGS * 12 + 4;
    tag(254, LONG, 2); // NewSubfileType: a page of a multi-page document
    tag(256, LONG, p.width); // ImageWidth
    tag(257, LONG, p.rows); // ImageLength
    tag(258, SHORT, 1); // BitsPerSample
    tag(259, SHORT, mmr ? 4 : 3); // Compression: 3 = T.4, 4 = T.6
    tag(262, SHORT, 0); // PhotometricInterpretation: WhiteIsZero
    tag(266, SHORT, p.lsbFirst ? 2 : 1); // FillOrder (2: the first bit is the byte's LSB, as on the line)
    tag(273, LONG, p.offset); // StripOffsets
    tag(277, SHORT, 1); // SamplesPerPixel
    tag(278, LONG, p.rows); // RowsPerStrip: one strip per page
    tag(279, LONG, p.bytes); // StripByteCounts
    tag(282, RATIONAL, rationals); // XResolution
    tag(283, RATIONAL, rationals + 8); // YResolution
    // T4Options bit 0: 2-D coding (MR); T6Options: 0. EOLs may or may not be byte-aligned as received.
    tag(mmr ? 293 : 292, LONG, p.coding === 'mr' ? 1 : 0);
    tag(296, SHORT, 2); // ResolutionUnit: inch
    tag(297, SHORT, k, this.info.pages); // PageNumber: this page (0-based), of n
    put32(b, o, k + 1 < this.info.pages ? at + IFD_BYTES : 0); // next IFD
    o += 4;
    put32(b, o, 204);
    put32(b, o + 4, 1);
    put32(b, o + 8, p.yDpi);
    put32(b, o + 12, 1);
    return b;
  }
}
