// Where a received document goes on the owner's computer: a multi-page TIFF with the pages'
// coding exactly as received (MH, MR or MMR, no re-coding) and a PDF embedding the same coded
// data with CCITTFaxDecode (host/image/pdf.ts), both named so a person can tell them apart:
//   2026-12-05_1412_+49-89-5550123_box12_doc7.tif / .pdf
// (local date and time of the reception, the sender's fax ident, the box, the appliance's
// document number). Written atomically with mode 0600 — they are the confidential content.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { T4Decoder } from '../../firmware/fax/t4/index.ts';
import type { T4Coding } from '../../firmware/fax/t4/index.ts';
import { writeCodedTiff } from '../image/tiff.ts';
import type { CodedPage } from '../image/tiff.ts';
import { faxPdf } from '../image/pdf.ts';
import { writeOutputs } from '../files/output.ts';
import type { DocSummary } from '../../firmware/lan/messages.ts';
import type { ReceivedDocument } from './session.ts';

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** The file name stem of a document (no extension). */
export function documentStem(s: DocSummary): string {
  const d = new Date(s.time);
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}_${two(d.getHours())}${two(d.getMinutes())}`;
  const from = s.from.trim().replace(/\s+/g, '-').replace(/[^0-9A-Za-z+\-]/g, '') || 'unknown-sender';
  return `${date}_${from}_box${s.box}_doc${s.doc}`;
}

/** One line a person reads: box, sender, time, pages. */
export function describeDocument(s: DocSummary): string {
  const d = new Date(s.time);
  const when = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
  return `box ${s.box}  document ${s.doc}  from ${s.from || '(no ident)'}  ${when}  ${s.pages} page${s.pages === 1 ? '' : 's'}` +
    (s.protection === 'text' ? '  (image not encrypted: text-only protection)' : '');
}

/** The received pages as TIFF/PDF pages: the height comes from decoding (TIFF needs it). */
export function codedPages(d: ReceivedDocument): CodedPage[] {
  return d.pages.map((p) => {
    const coding = p.head.coding as T4Coding;
    if (coding !== 'mh' && coding !== 'mr' && coding !== 'mmr') throw new Error(`page ${p.head.page}: unknown coding ${p.head.coding}`);
    const dec = new T4Decoder({ coding, width: p.head.width, bitOrder: p.head.bitOrder === 'lsb-first' ? 'lsb-first' : 'msb-first' });
    dec.push(p.data);
    dec.end();
    return {
      width: p.head.width,
      height: dec.lines,
      xDpi: 204,
      yDpi: p.head.linesPerMm < 5 ? 98 : p.head.linesPerMm > 10 ? 391 : 196,
      coding,
      fillOrder: p.head.bitOrder === 'lsb-first' ? 2 : 1,
      byteAligned: false,
      data: p.data,
    };
  });
}

export interface SavedDocument {
  tiff: string;
  pdf: string;
}

/** Writes DIR/<stem>.tif and .pdf; a second copy of the same document gets -2, -3 … */
export function saveDocument(d: ReceivedDocument, dir: string): SavedDocument {
  if (d.pages.length === 0) throw new Error('the document has no pages');
  const pages = codedPages(d);
  let stem = join(dir, documentStem(d.summary));
  for (let n = 2; existsSync(stem + '.tif') || existsSync(stem + '.pdf'); n++) stem = join(dir, `${documentStem(d.summary)}-${n}`);
  const tiff = stem + '.tif';
  const pdf = stem + '.pdf';
  writeOutputs([
    { path: tiff, data: writeCodedTiff(pages, 'faxvault client') },
    { path: pdf, data: faxPdf(pages, { title: `fax from ${d.summary.from || 'unknown'}, box ${d.summary.box}` }) },
  ], { force: false, mode: 0o600 });
  return { tiff, pdf };
}
