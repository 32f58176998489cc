// PDF documents of fax pages, one PDF page per fax page, each an image XObject holding the
// page's T.4/T.6 data as it is (filter CCITTFaxDecode, ISO 32000-1 §7.4.6): nothing is decoded
// or rasterised here, the reader decodes the fax coding itself. The physical page size comes
// from the resolution (1728 pixels at 204 dpi is 8.47 in; 98 or 196 rows per inch).
//
// pdf-lib builds the objects (dictionaries, streams, cross-reference table, trailer); the
// writer serialises each page's objects as soon as the page is added and keeps only their
// offsets, so a document of many pages is written in the memory of one coded page:
//
//   const w = new FaxPdfWriter({ write: (bytes) => writeSync(fd, bytes), title: 'fax 12' });
//   for (const p of pages) w.addPage(p);   // CodedPage (host/image/tiff.ts): coded bytes + size
//   w.finish();                            // Pages tree, catalog, info, xref, trailer
//
// faxPdf(pages) does the same into one Uint8Array; writeFaxPdfFile(path, pages) into a file.
import {
  PDFArray, PDFContext, PDFCrossRefSection, PDFDict, PDFHeader, PDFName, PDFNumber, PDFObject,
  PDFHexString, PDFRef, PDFString, PDFTrailer, PDFTrailerDict,
} from 'pdf-lib';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { CodedPage } from './tiff.ts';

export class PdfError extends Error {}

export interface FaxPdfOptions {
  /**
   * Receives the document's bytes in order; the arrays may be kept (they are not reused; a
   * page's coded data in line order is handed on as the page's own array).
   */
  write: (bytes: Uint8Array) => void;
  /** Document information (Info dictionary). */
  title?: string;
  /** Creation time (ms since 1970); default: none written, so the same pages give the same file. */
  created?: number;
}

/** What the CCITTFaxDecode filter of one page is told (ISO 32000-1 Table 11). */
export interface CcittParams {
  /** 0: T.4 one-dimensional (MH); > 0: T.4 mixed one- and two-dimensional (MR); -1: T.6 (MMR). */
  K: number;
  Columns: number;
  Rows: number;
  /** Always false here: the decoded image has 0 for black, as DeviceGray wants. */
  BlackIs1: boolean;
  /** Lines begin on a byte boundary (TIFF T4Options bit 2, T.4 §4.1.2 fill). */
  EncodedByteAlign: boolean;
  /** T.4 data has an EOL before every line: the decoder may resynchronise on it after a damaged line. */
  EndOfLine: boolean;
  /** Damaged lines the reader should tolerate (pages received with errors). */
  DamagedRowsBeforeError: number;
}

/** The filter parameters for a coded page (exported for tests and for the documentation). */
export function ccittParams(p: CodedPage): CcittParams {
  if (p.coding === 'none') throw new PdfError('uncoded page: code it as MH, MR or MMR first (codePage in host/image/tiff.ts)');
  const k = p.coding === 'mh' ? 0 : p.coding === 'mmr' ? -1 : p.yDpi > 0 && p.yDpi < 150 ? 2 : 4;
  return {
    K: k,
    Columns: p.width,
    Rows: p.height,
    BlackIs1: false,
    // T.6 has no EOLs and no fill; a T.4 page's fill before each EOL is legal either way, and
    // the flag tells the reader it may skip to the byte boundary.
    EncodedByteAlign: p.coding !== 'mmr' && p.byteAligned === true,
    EndOfLine: p.coding !== 'mmr',
    DamagedRowsBeforeError: p.badLines ?? 0,
  };
}

/** Physical size in PDF points (1/72 in) from the pixel size and the resolution. */
export function pageSizePoints(p: { width: number; height: number; xDpi: number; yDpi: number }): { w: number; h: number } {
  const xDpi = p.xDpi > 0 ? p.xDpi : 204;
  const yDpi = p.yDpi > 0 ? p.yDpi : 196;
  return { w: (p.width * 72) / xDpi, h: (p.height * 72) / yDpi };
}

/** Each byte value with its bits in the other order (LSB-first line order <-> MSB-first). */
const REVERSED = (function (): Uint8Array {
  const t = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    let b = v;
    b = ((b & 0xf0) >> 4) | ((b & 0x0f) << 4);
    b = ((b & 0xcc) >> 2) | ((b & 0x33) << 2);
    t[v] = ((b & 0xaa) >> 1) | ((b & 0x55) << 1);
  }
  return t;
})();

function reverseBits(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = REVERSED[data[i]];
  return out;
}

/**
 * Rounded down to 1/10000 point: a reader rendering at the page's own resolution then gets
 * exactly width x height pixels, each the fax pixel (poppler makes the page ceil(size) pixels,
 * so 1728 x 72 / 204 rounded up would give a 1729th column and resample the image).
 */
function num(n: number): string {
  return String(Math.floor(n * 10000) / 10000);
}

export class FaxPdfWriter {
  /** Pages added. */
  pages = 0;
  /** Bytes written so far. */
  bytes = 0;

  private readonly ctx = PDFContext.create();
  private readonly write: (bytes: Uint8Array) => void;
  private readonly offsets: number[] = []; // by object number
  private readonly kids: PDFRef[] = [];
  private readonly catalogRef = PDFRef.of(1);
  private readonly pagesRef = PDFRef.of(2);
  private nextObject = 3;
  private finished = false;
  private readonly title?: string;
  private readonly created?: number;

  constructor(o: FaxPdfOptions) {
    this.write = o.write;
    this.title = o.title;
    this.created = o.created;
    const header = PDFHeader.forVersion(1, 4);
    const buf = new Uint8Array(header.sizeInBytes() + 1);
    header.copyBytesInto(buf, 0);
    buf[buf.length - 1] = 0x0a;
    this.out(buf);
  }

  private out(bytes: Uint8Array): void {
    this.write(bytes);
    this.bytes += bytes.length;
  }

  private emit(ref: PDFRef, obj: PDFObject): void {
    const head = `${ref.objectNumber} ${ref.generationNumber} obj\n`;
    const tail = '\nendobj\n';
    const buf = new Uint8Array(head.length + obj.sizeInBytes() + tail.length);
    let o = 0;
    for (let i = 0; i < head.length; i++) buf[o++] = head.charCodeAt(i);
    o += obj.copyBytesInto(buf, o);
    for (let i = 0; i < tail.length; i++) buf[o++] = tail.charCodeAt(i);
    this.offsets[ref.objectNumber] = this.bytes;
    this.out(buf);
  }

  /**
   * A stream object written in three pieces — dictionary, the data as given, end — so a page's
   * coded data is handed to `write` without being copied (ISO 32000-1 §7.3.8).
   */
  private emitStream(ref: PDFRef, dict: PDFDict, data: Uint8Array): void {
    dict.set(PDFName.of('Length'), PDFNumber.of(data.length));
    const head = `${ref.objectNumber} ${ref.generationNumber} obj\n`;
    const buf = new Uint8Array(head.length + dict.sizeInBytes() + 8);
    let o = 0;
    for (let i = 0; i < head.length; i++) buf[o++] = head.charCodeAt(i);
    o += dict.copyBytesInto(buf, o);
    const open = '\nstream\n';
    for (let i = 0; i < open.length; i++) buf[o++] = open.charCodeAt(i);
    this.offsets[ref.objectNumber] = this.bytes;
    this.out(buf);
    this.out(data);
    const tail = '\nendstream\nendobj\n';
    const end = new Uint8Array(tail.length);
    for (let i = 0; i < tail.length; i++) end[i] = tail.charCodeAt(i);
    this.out(end);
  }

  private newRef(): PDFRef {
    return PDFRef.of(this.nextObject++);
  }

  /** Writes one page: the coded data as an image XObject, a content stream drawing it, the page. */
  addPage(p: CodedPage): void {
    if (this.finished) throw new PdfError('page added after finish()');
    if (!(p.width > 0 && p.height > 0)) throw new PdfError(`page ${this.pages + 1}: no size (${p.width}x${p.height})`);
    if (p.data.length === 0) throw new PdfError(`page ${this.pages + 1}: no coded data`);
    const params = ccittParams(p);
    const ctx = this.ctx;
    const decodeParms: Record<string, number | boolean> = {
      K: params.K, Columns: params.Columns, Rows: params.Rows, BlackIs1: params.BlackIs1,
    };
    if (params.EncodedByteAlign) decodeParms.EncodedByteAlign = true;
    if (params.EndOfLine) decodeParms.EndOfLine = true;
    if (params.DamagedRowsBeforeError > 0) decodeParms.DamagedRowsBeforeError = params.DamagedRowsBeforeError;
    // PDF's CCITT data is read most significant bit first (TIFF FillOrder 1); the line's order
    // (least significant first, FillOrder 2) is turned around byte by byte.
    const data = p.fillOrder === 2 ? reverseBits(p.data) : p.data;
    const imageDict = ctx.obj({
      Type: 'XObject', Subtype: 'Image', Width: p.width, Height: p.height,
      ColorSpace: 'DeviceGray', BitsPerComponent: 1,
      Filter: 'CCITTFaxDecode', DecodeParms: ctx.obj(decodeParms),
    }) as PDFDict;
    const imageRef = this.newRef();
    this.emitStream(imageRef, imageDict, data);
    const { w, h } = pageSizePoints(p);
    const ops = `q ${num(w)} 0 0 ${num(h)} 0 0 cm /Fax Do Q\n`;
    const contentRef = this.newRef();
    const opBytes = new Uint8Array(ops.length);
    for (let i = 0; i < ops.length; i++) opBytes[i] = ops.charCodeAt(i);
    this.emitStream(contentRef, PDFDict.withContext(ctx), opBytes);
    const xobjects = PDFDict.withContext(ctx);
    xobjects.set(PDFName.of('Fax'), imageRef);
    const resources = PDFDict.withContext(ctx);
    resources.set(PDFName.of('XObject'), xobjects);
    const page = PDFDict.withContext(ctx);
    page.set(PDFName.of('Type'), PDFName.of('Page'));
    page.set(PDFName.of('Parent'), this.pagesRef);
    page.set(PDFName.of('MediaBox'), numbers(ctx, [0, 0, w, h]));
    page.set(PDFName.of('Resources'), resources);
    page.set(PDFName.of('Contents'), contentRef);
    const pageRef = this.newRef();
    this.emit(pageRef, page);
    this.kids.push(pageRef);
    this.pages++;
  }

  /** Writes the page tree, catalog, information, cross-reference table and trailer. */
  finish(): void {
    if (this.finished) return;
    if (this.pages === 0) throw new PdfError('no pages to write');
    this.finished = true;
    const ctx = this.ctx;
    const kids = PDFArray.withContext(ctx);
    for (const k of this.kids) kids.push(k);
    const pages = PDFDict.withContext(ctx);
    pages.set(PDFName.of('Type'), PDFName.of('Pages'));
    pages.set(PDFName.of('Kids'), kids);
    pages.set(PDFName.of('Count'), PDFNumber.of(this.pages));
    this.emit(this.pagesRef, pages);
    const catalog = PDFDict.withContext(ctx);
    catalog.set(PDFName.of('Type'), PDFName.of('Catalog'));
    catalog.set(PDFName.of('Pages'), this.pagesRef);
    this.emit(this.catalogRef, catalog);
    const info = PDFDict.withContext(ctx);
    info.set(PDFName.of('Producer'), PDFString.of('faxvault'));
    if (this.title !== undefined) info.set(PDFName.of('Title'), PDFHexString.fromText(this.title));
    if (this.created !== undefined) info.set(PDFName.of('CreationDate'), PDFString.fromDate(new Date(this.created)));
    const infoRef = this.newRef();
    this.emit(infoRef, info);
    // Cross-reference table (ISO 32000-1 §7.5.4): entries in ascending object number.
    const xref = PDFCrossRefSection.create();
    for (let n = 1; n < this.nextObject; n++) xref.addEntry(PDFRef.of(n), this.offsets[n]);
    const xrefAt = this.bytes;
    const trailerDict = PDFTrailerDict.of(ctx.obj({ Size: this.nextObject, Root: this.catalogRef, Info: infoRef }) as PDFDict);
    const trailer = PDFTrailer.forLastCrossRefSectionOffset(xrefAt);
    const buf = new Uint8Array(xref.sizeInBytes() + 1 + trailerDict.sizeInBytes() + 1 + trailer.sizeInBytes());
    let o = xref.copyBytesInto(buf, 0);
    buf[o++] = 0x0a;
    o += trailerDict.copyBytesInto(buf, o);
    buf[o++] = 0x0a;
    trailer.copyBytesInto(buf, o);
    this.out(buf);
  }
}

function numbers(ctx: PDFContext, values: number[]): PDFArray {
  const a = PDFArray.withContext(ctx);
  for (const v of values) a.push(PDFNumber.of(Number(num(v))));
  return a;
}

/** A whole document in memory. */
export function faxPdf(pages: Iterable<CodedPage>, o: Omit<FaxPdfOptions, 'write'> & { onPage?: (n: number) => void } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const w = new FaxPdfWriter({ ...o, write: (b) => parts.push(b) });
  for (const p of pages) {
    w.addPage(p);
    o.onPage?.(w.pages);
  }
  w.finish();
  const out = new Uint8Array(w.bytes);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * Writes the document to a file page by page (pages may be a generator that reads and codes
 * each page only when asked). The file appears under its name only when complete: it is
 * written as PATH.part and renamed; on an error the part is removed and an earlier file of
 * that name is left as it was.
 */
export function writeFaxPdfFile(path: string, pages: Iterable<CodedPage>, o: Omit<FaxPdfOptions, 'write'> = {}): number {
  const part = path + '.part';
  const fd = openSync(part, 'w');
  let ok = false;
  try {
    const w = new FaxPdfWriter({ ...o, write: (b) => { writeSync(fd, b); } });
    for (const p of pages) w.addPage(p);
    w.finish();
    ok = true;
    return w.pages;
  } finally {
    closeSync(fd);
    if (ok) renameSync(part, path);
    else rmSync(part, { force: true });
  }
}
