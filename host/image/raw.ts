// Raw fax page data: the T.4/T.6 bit stream exactly as it crosses the Class 1 modem (no file
// header), e.g. a capture of received page data, or what fax2tiff and g3topbm read. Pages
// follow one another, each ended by RTC (MH/MR) or EOFB (MMR).
import { T4Decoder, T4Encoder } from '../../firmware/fax/t4/index.ts';
import type { T4Coding, T4BitOrder } from '../../firmware/fax/t4/index.ts';
import type { Bitmap } from './bitmap.ts';
import { strideOf, FAX_XDPI } from './bitmap.ts';

export interface RawFaxOptions {
  coding: T4Coding;
  /** Default 1728. */
  width?: number;
  /** Default 'lsb-first', the wire order. */
  bitOrder?: T4BitOrder;
  /** Vertical resolution to record in the pages (raw data does not say). Default 196. */
  yDpi?: number;
}

export interface RawPage extends Bitmap {
  badLines: number;
  endMarker: boolean;
}

/** Decodes every page of a raw stream (a page ends at RTC/EOFB; the next starts after it). */
export function readRawFax(buf: Uint8Array, o: RawFaxOptions): RawPage[] {
  const width = o.width ?? 1728;
  const s = strideOf(width);
  const pages: RawPage[] = [];
  let offset = 0;
  while (offset < buf.length && pages.length < 10000) {
    const rows: Uint8Array[] = [];
    const d = new T4Decoder({ coding: o.coding, width, bitOrder: o.bitOrder ?? 'lsb-first', onRow: (r) => rows.push(r.slice()) });
    d.push(buf.subarray(offset));
    d.end();
    if (rows.length === 0) break;
    const data = new Uint8Array(s * rows.length);
    rows.forEach((r, y) => data.set(r, y * s));
    pages.push({ width, height: rows.length, xDpi: FAX_XDPI, yDpi: o.yDpi ?? 196, data, badLines: d.badLines, endMarker: d.endMarker });
    const used = buf.length - offset - d.trailingBytes;
    if (!d.endMarker || used <= 0) break;
    offset += used;
  }
  return pages;
}

export interface RawWriteOptions {
  coding: T4Coding;
  bitOrder?: T4BitOrder;
  k?: number;
  byteAlignedEol?: boolean;
  minLineBits?: number;
}

/** Codes pages one after another, each ended by RTC/EOFB. */
export function writeRawFax(pages: Bitmap[], o: RawWriteOptions): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const p of pages) {
    const e = new T4Encoder({
      coding: o.coding, width: p.width, bitOrder: o.bitOrder ?? 'lsb-first',
      k: o.k ?? (p.yDpi > 0 && p.yDpi < 150 ? 2 : 4), byteAlignedEol: o.byteAlignedEol, minLineBits: o.minLineBits,
      onData: (b) => { parts.push(b.slice()); total += b.length; },
    });
    const s = strideOf(p.width);
    for (let y = 0; y < p.height; y++) e.encodeRow(p.data.subarray(y * s, (y + 1) * s));
    e.finish();
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}
