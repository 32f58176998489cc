// TIFF for fax pages: TIFF-F (RFC 2306) and TIFF-FX profiles S and F (RFC 3949) read and write,
// multi-page. Reads bilevel pages coded uncompressed (1), T.4 (3: MH or MR per T4Options) or
// T.6 (4), either FillOrder, any number of strips (each strip is coded on its own, so MR/MMR
// start from a white reference line per strip, TIFF 6.0 §11). Writes one strip per page with
// the tags the profiles require. Coding goes through the firmware codec (firmware/fax/t4).
import { T4Decoder, T4Encoder } from '../../firmware/fax/t4/index.ts';
import type { T4Coding } from '../../firmware/fax/t4/index.ts';
import type { Bitmap } from './bitmap.ts';
import { strideOf, FAX_XDPI } from './bitmap.ts';

export class TiffError extends Error {}

/** Largest page bitmap a file may ask for (64 MB: 16384 x 32768 pixels). */
/** Decoded bytes one page may take, and all pages of a file together (T.6 codes a white line in
 * one bit: a few KB of file can ask for gigabytes — refused before anything is allocated). */
const MAX_PAGE_BYTES = 1 << 25;
const MAX_FILE_BYTES = 1 << 27;

const T = {
  NewSubfileType: 254, ImageWidth: 256, ImageLength: 257, BitsPerSample: 258, Compression: 259,
  Photometric: 262, FillOrder: 266, StripOffsets: 273, SamplesPerPixel: 277, RowsPerStrip: 278,
  StripByteCounts: 279, XResolution: 282, YResolution: 283, PlanarConfig: 284, T4Options: 292,
  T6Options: 293, ResolutionUnit: 296, PageNumber: 297, Software: 305, TileWidth: 322,
  BadFaxLines: 326, CleanFaxData: 327, ConsecutiveBadFaxLines: 328,
} as const;

export type TiffCoding = 'none' | T4Coding;

/** What a page was stored as, and what decoding it found. */
export interface TiffPageInfo {
  coding: TiffCoding;
  fillOrder: 1 | 2;
  /** T4Options bit 2: EOLs byte-aligned. */
  byteAligned: boolean;
  /** Lines the codec found bad (concealed) while reading this page. */
  badLines: number;
  maxBadRun: number;
  /** MMR coding error: rows after it are white. */
  fatal: boolean;
  /** Rows the strips did not deliver (truncated data, MMR error): left white. */
  missingRows: number;
  /** The coded bytes of each strip, as stored (views into the file). */
  strips: Uint8Array[];
  /** PhotometricInterpretation: 0 = white is zero (fax), 1 = black is zero (the strips' pixels inverted). */
  photometric: 0 | 1;
}

export interface TiffPage extends Bitmap {
  info: TiffPageInfo;
}

// ---- reading -----------------------------------------------------------------------------

interface Entry {
  type: number;
  count: number;
  valueOffset: number; // file offset of the value(s)
}

class Reader {
  readonly le: boolean;
  constructor(readonly buf: Uint8Array) {
    if (buf.length < 8) throw new TiffError('not a TIFF file (too short)');
    if (buf[0] === 0x49 && buf[1] === 0x49) this.le = true;
    else if (buf[0] === 0x4d && buf[1] === 0x4d) this.le = false;
    else throw new TiffError('not a TIFF file (no II/MM byte order mark)');
    const magic = this.u16(2);
    if (magic === 43) throw new TiffError('BigTIFF is not supported');
    if (magic !== 42) throw new TiffError('not a TIFF file (magic number ' + magic + ')');
  }
  check(off: number, n: number): void {
    if (off < 0 || off + n > this.buf.length) throw new TiffError('TIFF structure points past the end of the file (offset ' + off + ')');
  }
  u16(off: number): number {
    this.check(off, 2);
    const b = this.buf;
    return this.le ? b[off] | (b[off + 1] << 8) : (b[off] << 8) | b[off + 1];
  }
  u32(off: number): number {
    this.check(off, 4);
    const b = this.buf;
    return this.le
      ? (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0
      : ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
  }
  /** Value i of an entry as a number (BYTE, SHORT, LONG; RATIONAL as a fraction). */
  value(e: Entry, i: number): number {
    switch (e.type) {
      case 1: case 7: this.check(e.valueOffset + i, 1); return this.buf[e.valueOffset + i];
      case 3: return this.u16(e.valueOffset + 2 * i);
      case 4: case 13: return this.u32(e.valueOffset + 4 * i);
      case 5: {
        const d = this.u32(e.valueOffset + 8 * i + 4);
        return d === 0 ? 0 : this.u32(e.valueOffset + 8 * i) / d;
      }
      default: throw new TiffError('TIFF tag of unexpected type ' + e.type);
    }
  }
  /**
   * Value i of a field that counts something (sizes, offsets, codes): TIFF 6.0 §2 allows only
   * SHORT or LONG there (BYTE taken too). A RATIONAL would give a fractional page height.
   */
  whole(e: Entry, i: number, tag: number, where = ''): number {
    if (e.type !== 1 && e.type !== 3 && e.type !== 4) throw new TiffError(where + 'TIFF tag ' + tag + ' has type ' + e.type + ', not an integer type (SHORT or LONG)');
    return this.value(e, i);
  }
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };

function readIfd(r: Reader, off: number): { entries: Record<number, Entry>; next: number } {
  const n = r.u16(off);
  const entries: Record<number, Entry> = {};
  for (let i = 0; i < n; i++) {
    const p = off + 2 + 12 * i;
    const tag = r.u16(p);
    const type = r.u16(p + 2);
    const count = r.u32(p + 4);
    const size = (TYPE_SIZE[type] ?? 1) * count;
    const valueOffset = size <= 4 ? p + 8 : r.u32(p + 8);
    entries[tag] = { type, count, valueOffset };
  }
  return { entries, next: r.u32(off + 2 + 12 * n) };
}

/** Reads every page of a TIFF file (all top-level IFDs). */
export function readTiff(buf: Uint8Array): TiffPage[] {
  const r = new Reader(buf);
  const pages: TiffPage[] = [];
  const seen = new Set<number>();
  const budget = { left: MAX_FILE_BYTES };
  let off = r.u32(4);
  while (off !== 0) {
    if (seen.has(off) || seen.size > 100000) throw new TiffError('TIFF directory chain loops');
    seen.add(off);
    const { entries, next } = readIfd(r, off);
    pages.push(readPage(r, entries, pages.length + 1, budget));
    off = next;
  }
  if (pages.length === 0) throw new TiffError('TIFF file has no pages');
  return pages;
}

function readPage(r: Reader, e: Record<number, Entry>, n: number, budget: { left: number }): TiffPage {
  const where = 'page ' + n + ': ';
  const num = (tag: number, dflt?: number): number => {
    const en = e[tag];
    if (!en || en.count < 1) {
      if (dflt === undefined) throw new TiffError(where + 'required TIFF tag ' + tag + ' is missing');
      return dflt;
    }
    return r.whole(en, 0, tag, where);
  };
  const width = num(T.ImageWidth);
  const height = num(T.ImageLength);
  if (width < 1 || width > 16384 || height < 1 || height > 1000000) throw new TiffError(where + 'unsupported size ' + width + 'x' + height);
  if (num(T.BitsPerSample, 1) !== 1 || num(T.SamplesPerPixel, 1) !== 1) throw new TiffError(where + 'not a bilevel image (BitsPerSample/SamplesPerPixel)');
  if (e[T.TileWidth]) throw new TiffError(where + 'tiled TIFF is not supported');
  const compression = num(T.Compression, 1);
  const photometric = num(T.Photometric, 0);
  if (photometric !== 0 && photometric !== 1) throw new TiffError(where + 'unsupported PhotometricInterpretation ' + photometric);
  const fillOrder = num(T.FillOrder, 1) === 2 ? 2 : 1;
  const t4 = num(T.T4Options, 0);
  let coding: TiffCoding;
  if (compression === 1) coding = 'none';
  else if (compression === 3) coding = t4 & 1 ? 'mr' : 'mh';
  else if (compression === 4) coding = 'mmr';
  else throw new TiffError(where + 'unsupported TIFF compression ' + compression + ' (fax pages use 3 = T.4 or 4 = T.6)');
  const rowsPerStrip = Math.min(num(T.RowsPerStrip, height) || height, height);
  const so = e[T.StripOffsets];
  const sc = e[T.StripByteCounts];
  if (!so) throw new TiffError(where + 'no StripOffsets');
  const strips = Math.ceil(height / rowsPerStrip);
  if (so.count < strips) throw new TiffError(where + so.count + ' strips for ' + strips);
  let xDpi = r.value(e[T.XResolution] ?? { type: 4, count: 0, valueOffset: 0 }, 0);
  let yDpi = e[T.YResolution] ? r.value(e[T.YResolution], 0) : 0;
  if (!e[T.XResolution]) xDpi = 0;
  if (num(T.ResolutionUnit, 2) === 3) {
    xDpi *= 2.54;
    yDpi *= 2.54;
  }
  const stride = strideOf(width);
  if (stride * height > MAX_PAGE_BYTES) throw new TiffError(where + 'page of ' + width + 'x' + height + ' pixels is too large');
  if (stride * height > budget.left) throw new TiffError(where + 'the pages of this file together are too large (more than ' + (MAX_FILE_BYTES >> 20) + ' MB decoded)');
  budget.left -= stride * height;
  const data = new Uint8Array(stride * height);
  const info: TiffPageInfo = { coding, fillOrder, byteAligned: (t4 & 4) !== 0, badLines: 0, maxBadRun: 0, fatal: false, missingRows: 0, strips: [], photometric: photometric === 1 ? 1 : 0 };
  for (let s = 0; s < strips; s++) {
    const off = r.whole(so, s, T.StripOffsets, where);
    let count = sc && sc.count > s ? r.whole(sc, s, T.StripByteCounts, where) : r.buf.length - off;
    if (off > r.buf.length) throw new TiffError(where + 'strip ' + s + ' starts past the end of the file');
    if (off + count > r.buf.length) count = r.buf.length - off; // truncated file: decode what is there
    const bytes = r.buf.subarray(off, off + count);
    info.strips.push(bytes);
    const y0 = s * rowsPerStrip;
    const rows = Math.min(rowsPerStrip, height - y0);
    if (coding === 'none') {
      for (let y = 0; y < rows; y++) {
        const row = bytes.subarray(y * stride, (y + 1) * stride);
        for (let i = 0; i < row.length; i++) data[(y0 + y) * stride + i] = fillOrder === 2 ? reverseByte(row[i]) : row[i];
      }
    } else {
      const d = new T4Decoder({
        coding, width, rows, bitOrder: fillOrder === 2 ? 'lsb-first' : 'msb-first',
        page: data.subarray(y0 * stride, (y0 + rows) * stride),
      });
      d.push(bytes);
      d.end();
      info.badLines += d.badLines;
      if (d.lines < rows) info.missingRows += rows - d.lines;
      if (d.maxBadRun > info.maxBadRun) info.maxBadRun = d.maxBadRun;
      if (d.fatal) info.fatal = true;
    }
  }
  if (photometric === 1) for (let i = 0; i < data.length; i++) data[i] ^= 0xff;
  const rem = width & 7;
  if (rem) for (let y = 0; y < height; y++) data[y * stride + stride - 1] &= (0xff00 >> rem) & 0xff;
  return { width, height, xDpi: Math.round(xDpi), yDpi: Math.round(yDpi), data, info };
}

function reverseByte(b: number): number {
  b = ((b & 0xf0) >> 4) | ((b & 0x0f) << 4);
  b = ((b & 0xcc) >> 2) | ((b & 0x33) << 2);
  return ((b & 0xaa) >> 1) | ((b & 0x55) << 1);
}

// ---- writing -----------------------------------------------------------------------------

export interface TiffWriteOptions {
  /** Default 'mh' (TIFF-F / profile S). */
  coding?: TiffCoding;
  /** Default 1 (MSB first, what most readers expect); 2 is the wire order. */
  fillOrder?: 1 | 2;
  /** T4Options bit 2: byte-aligned EOLs. Default false. */
  byteAligned?: boolean;
  /** MR K; default 2 below 150 lines per inch, else 4 (T.4 §4.2.1.1). */
  k?: number;
  /** Write RTC (MH/MR) at the end of each strip. Default false, as libtiff (TIFF-F does not need it: the row count ends the page). MMR strips always end with EOFB. */
  endMarker?: boolean;
  software?: string;
}

/** A page already coded (e.g. kept coded in the store): written as is. */
export interface CodedPage {
  width: number;
  height: number;
  xDpi: number;
  yDpi: number;
  coding: TiffCoding;
  fillOrder: 1 | 2;
  byteAligned?: boolean;
  data: Uint8Array;
  /** TIFF-FX profile F quality tags (RFC 2306 §BadFaxLines…), written when given. */
  badLines?: number;
  maxBadRun?: number;
}

/** Codes a bitmap for a TIFF strip. */
export function codePage(b: Bitmap, o: TiffWriteOptions = {}): CodedPage {
  const coding = o.coding ?? 'mh';
  const fillOrder = o.fillOrder ?? 1;
  const stride = strideOf(b.width);
  let data: Uint8Array;
  if (coding === 'none') {
    data = b.data.slice(0, stride * b.height);
    if (fillOrder === 2) for (let i = 0; i < data.length; i++) data[i] = reverseByte(data[i]);
  } else {
    const parts: Uint8Array[] = [];
    let total = 0;
    const e = new T4Encoder({
      coding, width: b.width, k: o.k ?? (b.yDpi > 0 && b.yDpi < 150 ? 2 : 4),
      bitOrder: fillOrder === 2 ? 'lsb-first' : 'msb-first', byteAlignedEol: o.byteAligned ?? false,
      endMarker: coding === 'mmr' ? true : (o.endMarker ?? false),
      onData: (bytes) => { parts.push(bytes.slice()); total += bytes.length; },
    });
    for (let y = 0; y < b.height; y++) e.encodeRow(b.data.subarray(y * stride, (y + 1) * stride));
    e.finish();
    data = new Uint8Array(total);
    let p = 0;
    for (const part of parts) { data.set(part, p); p += part.length; }
  }
  return { width: b.width, height: b.height, xDpi: b.xDpi || FAX_XDPI, yDpi: b.yDpi || 196, coding, fillOrder, byteAligned: o.byteAligned ?? false, data };
}

/** Writes bitmaps as a multi-page TIFF (one strip per page). */
export function writeTiff(pages: Bitmap[], o: TiffWriteOptions = {}): Uint8Array {
  return writeCodedTiff(pages.map((p) => codePage(p, o)), o.software);
}

/** Writes already-coded pages as a multi-page little-endian TIFF. */
export function writeCodedTiff(pages: CodedPage[], software?: string): Uint8Array {
  if (pages.length === 0) throw new TiffError('no pages to write');
  if (pages.length > 65535) throw new TiffError('too many pages');
  const chunks: Uint8Array[] = [];
  let size = 8;
  const header = new Uint8Array(8);
  chunks.push(header);
  const put = (u: Uint8Array): number => {
    const at = size;
    chunks.push(u);
    size += u.length;
    if (size & 1) { chunks.push(new Uint8Array(1)); size++; } // word alignment (TIFF 6.0 §2)
    return at;
  };
  const sw = software === undefined ? null : new TextEncoder().encode(software + '\0');
  let prevNextField = 4; // where to write this IFD's offset
  const fixups: Array<{ at: number; value: number }> = [];
  for (let i = 0; i < pages.length; i++) {
    const p = pages[i];
    const stripAt = put(p.data);
    const extra: Array<[number, number, number, number[] | Uint8Array]> = []; // tag, type, count, values
    const comp = p.coding === 'none' ? 1 : p.coding === 'mmr' ? 4 : 3;
    extra.push([T.NewSubfileType, 4, 1, [2]]);
    extra.push([T.ImageWidth, 4, 1, [p.width]]);
    extra.push([T.ImageLength, 4, 1, [p.height]]);
    extra.push([T.BitsPerSample, 3, 1, [1]]);
    extra.push([T.Compression, 3, 1, [comp]]);
    extra.push([T.Photometric, 3, 1, [0]]);
    extra.push([T.FillOrder, 3, 1, [p.fillOrder]]);
    extra.push([T.StripOffsets, 4, 1, [stripAt]]);
    extra.push([T.SamplesPerPixel, 3, 1, [1]]);
    extra.push([T.RowsPerStrip, 4, 1, [p.height]]);
    extra.push([T.StripByteCounts, 4, 1, [p.data.length]]);
    extra.push([T.XResolution, 5, 1, [Math.round(p.xDpi), 1]]);
    extra.push([T.YResolution, 5, 1, [Math.round(p.yDpi), 1]]);
    if (comp === 3) extra.push([T.T4Options, 4, 1, [(p.coding === 'mr' ? 1 : 0) | (p.byteAligned ? 4 : 0)]]);
    if (comp === 4) extra.push([T.T6Options, 4, 1, [0]]);
    extra.push([T.ResolutionUnit, 3, 1, [2]]);
    extra.push([T.PageNumber, 3, 2, [i, pages.length]]);
    if (sw) extra.push([T.Software, 2, sw.length, sw]);
    if (p.badLines !== undefined) {
      extra.push([T.BadFaxLines, 4, 1, [p.badLines]]);
      extra.push([T.CleanFaxData, 3, 1, [p.badLines === 0 ? 0 : 1]]); // 0 clean, 1 regenerated
      extra.push([T.ConsecutiveBadFaxLines, 4, 1, [p.maxBadRun ?? 0]]);
    }
    extra.sort((a, b) => a[0] - b[0]);
    // Values longer than 4 bytes go after the IFD.
    const ifdSize = 2 + 12 * extra.length + 4;
    const ifdAt = size;
    const ifd = new Uint8Array(ifdSize);
    const dv = new DataView(ifd.buffer);
    dv.setUint16(0, extra.length, true);
    const tail: Uint8Array[] = [];
    let tailAt = ifdAt + ifdSize + (ifdSize & 1);
    extra.forEach(([tag, type, count, values], k) => {
      const p0 = 2 + 12 * k;
      dv.setUint16(p0, tag, true);
      dv.setUint16(p0 + 2, type, true);
      dv.setUint32(p0 + 4, count, true);
      const bytes = (TYPE_SIZE[type] ?? 1) * count;
      const v = new Uint8Array(bytes);
      const vd = new DataView(v.buffer);
      for (let j = 0; j < values.length; j++) {
        if (type === 3) vd.setUint16(2 * j, values[j], true);
        else if (type === 4 || type === 5) vd.setUint32(4 * j, values[j], true);
        else v[j] = values[j];
      }
      if (bytes <= 4) ifd.set(v, p0 + 8);
      else {
        dv.setUint32(p0 + 8, tailAt, true);
        tail.push(v);
        tailAt += v.length + (v.length & 1);
      }
    });
    fixups.push({ at: prevNextField, value: ifdAt });
    prevNextField = ifdAt + ifdSize - 4;
    put(ifd);
    for (const t of tail) put(t);
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  out[0] = 0x49; out[1] = 0x49; out[2] = 42; out[3] = 0;
  const dv = new DataView(out.buffer);
  for (const f of fixups) dv.setUint32(f.at, f.value, true);
  return out;
}
