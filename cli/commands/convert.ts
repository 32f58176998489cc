// `faxvault convert IN OUT`: fax page files from one format to another (TIFF-F/FX, PBM, PNG),
// re-coded (MH, MR, MMR) and resized to what a fax machine takes.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from '../command.ts';
import { CommandFailure, UsageError } from '../command.ts';
import { FAX_WIDTHS, readPng } from '../../host/image/document.ts';
import { OutputError, checkOutputs, pageFileNames, writeOutputs } from '../../host/files/output.ts';
import type { OutputFile } from '../../host/files/output.ts';
import { describeFsError } from '../../host/files/errors.ts';
import { parseArgs } from '../args.ts';
import { readTiff, writeTiff, codePage, TiffError } from '../../host/image/tiff.ts';
import type { CodedPage, TiffCoding, TiffPage } from '../../host/image/tiff.ts';
import { readPbm, writePbm, PbmError } from '../../host/image/pbm.ts';
import { encodePngBitmap } from '../../host/image/png.ts';
import type { Bitmap } from '../../host/image/bitmap.ts';
import { FAX_YDPI, FAX_XDPI } from '../../host/image/bitmap.ts';
import { toResolution, toWidth } from '../../host/image/resample.ts';
import { readRawFax, writeRawFax } from '../../host/image/raw.ts';
import { writeFaxPdfFile } from '../../host/image/pdf.ts';
import { pageProgress } from '../progress.ts';
import type { T4Coding } from '../../firmware/fax/t4/index.ts';

const help = `usage: faxvault convert IN OUT [options]

Converts fax pages between file formats. IN is a TIFF (TIFF-F, TIFF-FX profile S/F: G3 1-D or
2-D, G4 or uncompressed, multi-page, either fill order) or a PBM (P1/P4, several images = several
pages), recognised from the content, or raw fax data (.g3, .g4, .fax: the T.4/T.6 bit stream as
on the modem line, pages ended by RTC/EOFB). OUT's extension chooses the output:
  .tif/.tiff   multi-page TIFF-F, one strip per page
  .pbm         raw PBM, pages one after another
  .png         one PNG per page: OUT itself for one page; OUT-1.png, OUT-2.png… for several
  .g3/.g4/.fax raw fax data (MH for .g3 and .fax, MMR for .g4 unless --coding says otherwise)
  .pdf         PDF, one page per fax page at its physical size; each page's T.4/T.6 data is
               embedded as it is (CCITTFaxDecode): a G3/G4 TIFF's pages are copied without
               re-coding, other input is coded (--coding, default MMR)

options:
  --coding mh|mr|mmr|none        TIFF, raw or PDF coding (default: the input's coding; for PBM
                                 input MH, or MMR in a PDF)
  --resolution standard|fine|superfine
                                 vertical resolution of the output (98, 196, 391 lines per
                                 inch): fine -> standard drops every other line, standard ->
                                 fine repeats each. PBM has no resolution: taken as fine.
  --width 1728|2048|2432|N       pixels per line: wider pages are scaled down (aspect kept),
                                 narrower ones centred on a white line
  --fill-order 1|2               TIFF bit order: 1 = MSB first (default), 2 = LSB first
  --byte-align                   G3 output: byte-aligned EOLs (T4Options bit 2)
  --bit-order lsb|msb            raw output bit order (default lsb: the Class 1 wire order)
  --min-line-bits N              raw MH/MR output: fill each line to N bits (T.30 minimum scan
                                 line time x bit rate, e.g. 288 for 20 ms at 14400 bit/s)
  --from mh|mr|mmr               raw input coding (default MH for .g3/.fax, MMR for .g4)
  --from-width N                 raw input pixels per line (default 1728)
  --from-bit-order lsb|msb       raw input bit order (default lsb)
  --from-resolution standard|fine|superfine
                                 raw input resolution (default fine)
  --force                        replace existing output files (never replaced otherwise)
  --quiet                        no summary line
IN may also be a PNG (a pixel is black when opaque and darker than mid-grey). Raw fax output
has T.4 line widths only (1728, 2048, 2432): other pages are scaled down to the next T.4
width, or centred on a white 1728-pixel line when narrower, as the fax line sends them. A raw
input whose lines mostly do not decode is refused (wrong --from, --from-width, --from-bit-order?).`;

type Format = 'tiff' | 'pbm' | 'png' | 'raw' | 'pdf';
const RAW_EXT = ['.g3', '.g4', '.fax'];

function outputFormat(path: string): Format {
  const ext = extname(path).toLowerCase();
  if (ext === '.tif' || ext === '.tiff') return 'tiff';
  if (ext === '.pbm') return 'pbm';
  if (ext === '.png') return 'png';
  if (ext === '.pdf') return 'pdf';
  if (RAW_EXT.includes(ext)) return 'raw';
  throw new UsageError(`cannot tell the output format of '${path}' (use .tif, .tiff, .pbm, .png, .g3, .g4, .fax or .pdf)`);
}

interface RawIn {
  coding: T4Coding;
  width: number;
  lsb: boolean;
  yDpi: number;
}

function readInput(path: string, raw: RawIn): { pages: Bitmap[]; coding: TiffCoding | null; kind: string } {
  let buf: Uint8Array;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new CommandFailure(`cannot read '${path}': ${describeFsError(e)}`);
  }
  if (RAW_EXT.includes(extname(path).toLowerCase())) {
    const pages = readRawFax(buf, { coding: raw.coding, width: raw.width, bitOrder: raw.lsb ? 'lsb-first' : 'msb-first', yDpi: raw.yDpi });
    if (pages.length === 0) throw new UsageError(`'${path}': no ${raw.coding.toUpperCase()} lines of ${raw.width} pixels found (see --from, --from-width, --from-bit-order)`);
    const bad = pages.reduce((s, p) => s + p.badLines, 0);
    const lines = pages.reduce((s, p) => s + p.height, 0);
    // Mostly damaged: the data is not what the options say (a blank page with exit 0 hid this).
    if (bad * 2 > lines) {
      throw new CommandFailure(`'${path}': ${bad} of ${lines} lines do not decode as ${raw.coding.toUpperCase()} of ${raw.width} pixels — not read (see --from, --from-width, --from-bit-order)`);
    }
    if (bad > 0) console.error(`faxvault convert: warning: '${path}' has ${bad} damaged lines (concealed)`);
    return { pages, coding: raw.coding, kind: 'raw ' + raw.coding.toUpperCase() };
  }
  const isTiff = buf.length >= 4 && ((buf[0] === 0x49 && buf[1] === 0x49) || (buf[0] === 0x4d && buf[1] === 0x4d));
  const isPbm = buf.length >= 2 && buf[0] === 0x50 && (buf[1] === 0x31 || buf[1] === 0x34);
  try {
    if (isTiff) {
      const pages: TiffPage[] = readTiff(buf);
      const bad = pages.reduce((s, p) => s + p.info.badLines + p.info.missingRows, 0);
      if (bad > 0) console.error(`faxvault convert: warning: '${path}' has ${bad} damaged or missing lines (concealed)`);
      return { pages, coding: pages[0].info.coding, kind: 'TIFF ' + pages[0].info.coding.toUpperCase() };
    }
    if (isPbm) return { pages: readPbm(buf).map((p) => ({ ...p, xDpi: FAX_XDPI, yDpi: FAX_YDPI.fine })), coding: null, kind: 'PBM' };
  } catch (e) {
    if (e instanceof TiffError || e instanceof PbmError) throw new CommandFailure(`'${path}': ${e.message}`);
    throw e;
  }
  if (buf.length >= 8 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) {
    try {
      return { pages: readPng(buf).map((p) => ({ ...p, xDpi: FAX_XDPI, yDpi: FAX_YDPI.fine })), coding: null, kind: 'PNG' };
    } catch (e) {
      throw new CommandFailure(`'${path}': not a readable PNG (${(e as Error).message})`);
    }
  }
  throw new CommandFailure(`'${path}' is neither a TIFF, a PBM nor a PNG file`);
}

/**
 * A TIFF page's own coded data when it can go into the PDF as it is: one strip in the wanted
 * coding, decoded without damage, white is zero. Otherwise null (the page is coded afresh).
 */
function asCoded(b: Bitmap, coding: TiffCoding): CodedPage | null {
  const info = (b as Partial<TiffPage>).info;
  if (!info || info.coding !== coding || info.strips.length !== 1 || info.photometric !== 0) return null;
  if (info.badLines || info.missingRows || info.fatal) return null;
  return { width: b.width, height: b.height, xDpi: b.xDpi, yDpi: b.yDpi, coding, fillOrder: info.fillOrder, byteAligned: info.byteAligned, data: info.strips[0] };
}

function choice<T extends string>(v: string | boolean | undefined, name: string, allowed: readonly T[]): T | null {
  if (v === undefined) return null;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)})`);
  }
  return v as T;
}

function numberOption(v: string | boolean | undefined, name: string, min: number, max: number): number | null {
  if (v === undefined) return null;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`);
  }
  return Number(v);
}

const command: Command = {
  name: 'convert',
  summary: 'convert fax pages between TIFF-F/FX, PBM, PNG and raw fax data (MH/MR/MMR, resolution, width)',
  help,
  run(argv: string[]): number {
    const args = parseArgs(argv, {
      coding: 'value', resolution: 'value', width: 'value', 'fill-order': 'value', 'byte-align': 'flag', quiet: 'flag', force: 'flag',
      'bit-order': 'value', 'min-line-bits': 'value', from: 'value', 'from-width': 'value', 'from-bit-order': 'value', 'from-resolution': 'value',
    });
    if (args.positional.length !== 2) throw new UsageError('needs IN and OUT (faxvault convert --help)');
    const [inPath, outPath] = args.positional;
    const format = outputFormat(outPath);
    const coding = choice(args.opts.coding, 'coding', ['mh', 'mr', 'mmr', 'none'] as const);
    const resolution = choice(args.opts.resolution, 'resolution', ['standard', 'fine', 'superfine'] as const);
    const fillOrder = choice(args.opts['fill-order'], 'fill-order', ['1', '2'] as const);
    const width = numberOption(args.opts.width, 'width', 8, 16384);
    if (format !== 'tiff' && fillOrder) throw new UsageError('--fill-order applies to TIFF output only');
    if (format !== 'tiff' && format !== 'raw' && format !== 'pdf' && (coding || args.opts['byte-align'])) {
      throw new UsageError('--coding and --byte-align apply to TIFF, raw fax and PDF output only');
    }
    if ((format === 'raw' || format === 'pdf') && coding === 'none') throw new UsageError(`${format === 'raw' ? 'raw fax' : 'PDF'} output needs --coding mh, mr or mmr`);
    const bitOrder = choice(args.opts['bit-order'], 'bit-order', ['lsb', 'msb'] as const);
    if (format !== 'raw' && (bitOrder || args.opts['min-line-bits'] !== undefined)) throw new UsageError('--bit-order and --min-line-bits apply to raw fax output only');
    const minLineBits = numberOption(args.opts['min-line-bits'], 'min-line-bits', 0, 100000);
    const inExt = extname(inPath).toLowerCase();
    const fromWidth = numberOption(args.opts['from-width'], 'from-width', 1, 16384);
    const fromRes = choice(args.opts['from-resolution'], 'from-resolution', ['standard', 'fine', 'superfine'] as const);
    const raw: RawIn = {
      coding: choice(args.opts.from, 'from', ['mh', 'mr', 'mmr'] as const) ?? (inExt === '.g4' ? 'mmr' : 'mh'),
      width: fromWidth ?? 1728,
      lsb: (choice(args.opts['from-bit-order'], 'from-bit-order', ['lsb', 'msb'] as const) ?? 'lsb') === 'lsb',
      yDpi: FAX_YDPI[fromRes ?? 'fine'],
    };
    const input = readInput(inPath, raw);
    let pages = input.pages;
    if (resolution) pages = pages.map((p) => toResolution(p, FAX_YDPI[resolution]));
    if (width !== null) pages = pages.map((p) => toWidth(p, width!));
    if (format === 'raw') {
      // Raw fax data carries no width: a reader assumes a T.4 width (T.4 §2.2), as the line sends.
      pages = pages.map((p) => {
        if (FAX_WIDTHS.includes(p.width)) return p;
        const to = [...FAX_WIDTHS].reverse().find((w) => w <= p.width) ?? FAX_WIDTHS[0];
        console.error(`faxvault convert: ${p.width}-pixel lines ${to < p.width ? 'scaled down' : 'centred'} to ${to} (raw fax data has T.4 widths only)`);
        return toWidth(p, to);
      });
    }
    const force = args.opts.force === true;
    const targets = format === 'png' ? pageFileNames(outPath, pages.length) : [outPath];
    try {
      checkOutputs(targets, force);
    } catch (e) {
      if (e instanceof OutputError) throw new CommandFailure(e.message);
      throw e;
    }
    const outCoding: TiffCoding = coding ?? (format === 'raw' ? (extname(outPath).toLowerCase() === '.g4' ? 'mmr' : 'mh')
      : format === 'pdf' ? (input.coding && input.coding !== 'none' ? input.coding : 'mmr') : input.coding ?? 'mh');
    const unchanged = !resolution && width === null && args.opts['byte-align'] === undefined;
    const written: string[] = [];
    const write = (files: OutputFile[]) => {
      writeOutputs(files, { force, mode: 0o644 });
      for (const f of files) written.push(f.path);
    };
    try {
      if (format === 'tiff') {
        write([{ path: outPath, data: writeTiff(pages, {
          coding: outCoding, fillOrder: fillOrder === '2' ? 2 : 1, byteAligned: args.opts['byte-align'] === true, software: 'faxvault',
        }) }]);
      } else if (format === 'raw') {
        write([{ path: outPath, data: writeRawFax(pages, {
          coding: outCoding as T4Coding, bitOrder: bitOrder === 'msb' ? 'msb-first' : 'lsb-first',
          byteAlignedEol: args.opts['byte-align'] === true, minLineBits: minLineBits ?? 0,
        }) }]);
      } else if (format === 'pdf') {
        const progress = pageProgress(`writing ${outPath}`, pages.length);
        const coded = function* (): Generator<CodedPage> {
          for (let i = 0; i < pages.length; i++) {
            progress.page(i + 1);
            yield (unchanged && asCoded(pages[i], outCoding)) || codePage(pages[i], { coding: outCoding, byteAligned: args.opts['byte-align'] === true });
          }
        };
        try {
          writeFaxPdfFile(outPath, coded(), { title: basename(inPath) });
        } finally {
          progress.done();
        }
        written.push(outPath);
      } else if (format === 'pbm') {
        write([{ path: outPath, data: writePbm(pages) }]);
      } else {
        write(pages.map((p, i) => ({ path: targets[i], data: encodePngBitmap(p) })));
      }
    } catch (e) {
      if (e instanceof OutputError) throw new CommandFailure(e.message);
      if ((e as NodeJS.ErrnoException).syscall) throw new CommandFailure(`cannot write '${outPath}': ${describeFsError(e)}`);
      throw e;
    }
    if (args.opts.quiet !== true) {
      const p = pages[0];
      const what = format === 'tiff' || format === 'raw' || format === 'pdf' ? `${format === 'raw' ? 'raw' : format === 'pdf' ? 'PDF' : 'TIFF'} ${outCoding.toUpperCase()}` : format.toUpperCase();
      console.log(`${inPath} (${input.kind}, ${input.pages.length} page${input.pages.length === 1 ? '' : 's'}) -> ${written.join(', ')} (${what}, ${p.width}x${p.height}, ${p.xDpi}x${p.yDpi} dpi)`);
    }
    return 0;
  },
};

export default command;
