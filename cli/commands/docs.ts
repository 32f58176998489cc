// `faxvault docs`: look into a simulated appliance's flash image (the --data folder of
// `faxvault sim`): list the stored documents, export one as TIFF, PDF, PBM or PNG. A confidential
// document is exported only with its box's pass code, checked (and journaled, and locked out
// after repeated failures) exactly as at the front panel.
import { basename, extname, join } from 'node:path';
import type { Command } from '../command.ts';
import { CommandFailure, UsageError } from '../command.ts';
import { parseArgs } from '../args.ts';
import { SimFlash } from '../../sim/board/flash.ts';
import { ImageError, openImage } from '../../sim/board/image.ts';
import { Store, SETTINGS_RECORD, journalAdd, journalEntries } from '../../firmware/store/index.ts';
import type { DocInfo } from '../../firmware/store/index.ts';
import { validateSettings, defaultSettings } from '../../firmware/app/settings.ts';
import type { Settings } from '../../firmware/config/settings.ts';
import { Mailbox } from '../../firmware/mailbox/index.ts';
import { deviceSecret, SECRET_NAME } from '../../firmware/auth/index.ts';
import { sealAtRest, atRestKeys } from '../../firmware/auth/at-rest.ts';
import { SimKeyStore } from '../../sim/board/key-store.ts';
import { OsEntropy } from '../../sim/board/entropy.ts';
import { StoredPageRows } from '../../firmware/fax/page-rows.ts';
import { callJournal } from '../../firmware/print/reports.ts';
import { RealClock } from '../../hal/node/clock.ts';
import { fmtDateTime } from '../../firmware/clock/calendar.ts';
import { writeCodedTiff } from '../../host/image/tiff.ts';
import { faxPdf } from '../../host/image/pdf.ts';
import { pageProgress } from '../progress.ts';
import type { CodedPage } from '../../host/image/tiff.ts';
import { writePbm } from '../../host/image/pbm.ts';
import { encodePngForViewing } from '../../host/image/png.ts';
import { newBitmap, strideOf } from '../../host/image/bitmap.ts';
import type { Bitmap } from '../../host/image/bitmap.ts';
import { OutputError, checkOutputs, pageFileNames, writeOutputs } from '../../host/files/output.ts';
import type { OutputFile } from '../../host/files/output.ts';

const help = `usage: faxvault docs --data DIR list
       faxvault docs --data DIR journal
       faxvault docs --data DIR export ID OUT [--code CODE] [--force]

Reads the flash image DIR/flash.bin that \`faxvault sim --data DIR\` keeps.

  list            every stored document: id, direction, time (UTC), remote ident, box, pages,
                  state and the call's result
  journal         the appliance's journal (calls, pass code attempts, prints, exports), oldest
                  first, as the panel's journal report prints it (times in UTC)
  export ID OUT   write document ID to OUT: .tif/.tiff keeps the pages exactly as received
                  (T.4/T.6 coded, FillOrder 2 as on the line), .pdf embeds the same coded
                  data (CCITTFaxDecode) at the pages' physical size, .pbm and .png decode them (PNG:
                  one file per page, OUT itself for one page, OUT-1.png, OUT-2.png… for more).
                  Written with mode 0600, never over an existing file unless --force; every
                  export is journaled in the image
  --code CODE     the box's pass code: needed to export a confidential document; checked
                  like the panel does (5 wrong codes lock the box, every try is journaled).
                  The codes are those kept in the image: docs never takes settings or codes
                  from anywhere else (an image without settings exports no confidential
                  document)
  --force         replace existing output files`;

function openStore(dir: string): { store: Store; flash: SimFlash; foreign: boolean } {
  try {
    return openImage(dir);
  } catch (e) {
    if (e instanceof ImageError) throw new CommandFailure(e.message);
    throw e;
  }
}

/** The settings the image keeps (null when it keeps none or they do not validate). */
function imageSettings(store: Store): Settings | null {
  const text = store.getSetting(SETTINGS_RECORD);
  if (!text) return null;
  try {
    return validateSettings(JSON.parse(text)).settings ?? null;
  } catch {
    return null;
  }
}

const LIST_HEADER = ['  ID', 'DIR ', 'TIME (UTC)      ', 'REMOTE'.padEnd(20), 'BOX'.padEnd(9), 'PAGES', 'STATE'.padEnd(10), 'RESULT'].join('  ');

function describe(d: DocInfo): string {
  const state = Object.keys(d.state).filter((k) => d.state[k]).join(',') || (d.interrupted ? 'cut short' : '-');
  return [
    String(d.id).padStart(4),
    d.meta.dir.padEnd(4),
    fmtDateTime(d.meta.time),
    (d.meta.remote || '(no ident)').padEnd(20),
    (d.meta.box ? 'box ' + d.meta.box : d.meta.sub ? 'sub ' + d.meta.sub : 'ordinary').padEnd(9),
    String(d.pages).padStart(3) + ' p',
    state.padEnd(10),
    d.result || (d.open ? 'open' : ''),
  ].join('  ');
}

type ExportFormat = 'tiff' | 'pdf' | 'pbm' | 'png';

function exportFormat(out: string): ExportFormat {
  const ext = extname(out).toLowerCase();
  if (ext === '.tif' || ext === '.tiff') return 'tiff';
  if (ext === '.pdf') return 'pdf';
  if (ext === '.pbm') return 'pbm';
  if (ext === '.png') return 'png';
  throw new UsageError(`cannot write '${ext || out}': use .tif, .pdf, .pbm or .png`);
}

function yDpiOf(linesPerMm: number): number {
  return linesPerMm < 5 ? 98 : linesPerMm > 10 ? 391 : 196;
}

/** Page i of a stored document as it was received: its coded bytes, size and resolution. */
function codedPage(store: Store, d: DocInfo, i: number): CodedPage {
  const p = store.pageParams(d.id, i);
  if (!p) throw new UsageError(`page ${i + 1} of document ${d.id} has no parameters (damaged image)`);
  const r = store.readPage(d.id, i);
  if (!r) throw new UsageError(`page ${i + 1} of document ${d.id} cannot be read (damaged image)`);
  const parts: Uint8Array[] = [];
  for (let b = r.next(); b; b = r.next()) parts.push(b.slice());
  if (r.error) throw new UsageError(`page ${i + 1} of document ${d.id}: ${r.error}`);
  const data = Buffer.concat(parts);
  // Count rows by decoding: TIFF and PDF need the height.
  const rows = new StoredPageRows(store, d.id, i);
  let h = 0;
  while (rows.next()) h++;
  return {
    width: p.width, height: h, xDpi: 204, yDpi: yDpiOf(p.linesPerMm),
    coding: p.coding as 'mh' | 'mr' | 'mmr', fillOrder: p.bitOrder === 'lsb-first' ? 2 : 1, byteAligned: false, data,
  };
}

/** The files document D becomes in `format` (nothing written yet). */
function exportFiles(store: Store, d: DocInfo, format: ExportFormat, out: string): OutputFile[] {
  if (format === 'tiff' || format === 'pdf') {
    // Kept as received: the coded data of each page, never decoded and re-coded.
    const progress = pageProgress(`reading ${out}`, d.pages);
    const pages: CodedPage[] = [];
    try {
      for (let i = 0; i < d.pages; i++) {
        progress.page(i + 1);
        pages.push(codedPage(store, d, i));
      }
    } finally {
      progress.done();
    }
    const data = format === 'pdf' ? faxPdf(pages, { title: `faxvault document ${d.id}` }) : writeCodedTiff(pages, 'faxvault docs');
    return [{ path: out, data }];
  }
  const bitmaps: Bitmap[] = [];
  for (let i = 0; i < d.pages; i++) {
    const p = store.pageParams(d.id, i);
    if (!p) throw new UsageError(`page ${i + 1} of document ${d.id} has no parameters (damaged image)`);
    const r = new StoredPageRows(store, d.id, i);
    const rows: Uint8Array[] = [];
    for (let row = r.next(); row; row = r.next()) rows.push(row.slice());
    if (r.error) throw new UsageError(`page ${i + 1} of document ${d.id}: ${r.error}`);
    const b = newBitmap(p.width, rows.length, 204, yDpiOf(p.linesPerMm));
    const s = strideOf(p.width);
    rows.forEach((row, y) => b.data.set(row.subarray(0, s), y * s));
    bitmaps.push(b);
  }
  if (format === 'pbm') return [{ path: out, data: writePbm(bitmaps) }];
  const names = pageFileNames(out, bitmaps.length);
  return bitmaps.map((b, i) => ({ path: names[i], data: encodePngForViewing(b) }));
}

function outputs<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof OutputError) throw new CommandFailure(e.message);
    throw e;
  }
}

const command: Command = {
  name: 'docs',
  summary: 'list or export the documents in a simulated appliance\'s flash image',
  help,
  run(argv) {
    const args = parseArgs(argv, { data: 'value', config: 'value', code: 'value', force: 'flag' });
    const dir = args.opts.data as string | undefined;
    if (!dir) throw new UsageError('--data DIR is required (the folder given to faxvault sim --data)');
    if (args.opts.config !== undefined) {
      throw new UsageError('--config is not taken: docs reads the settings and box codes only from the flash image (the ones sim ran with)');
    }
    const [verb, id, out, ...extra] = args.positional;
    if (verb !== 'list' && verb !== 'export' && verb !== 'journal') throw new UsageError(`expected 'list', 'journal' or 'export ID OUT' (got '${verb ?? ''}')`);
    if (verb !== 'export' && id !== undefined) throw new UsageError(`${verb} takes no argument (got '${id}')`);
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
    // Everything about the output is checked before the image is opened (and a code journaled).
    let format: ExportFormat | null = null;
    if (verb === 'export') {
      if (!id || !out) throw new UsageError('export needs ID and OUT');
      if (!/^\d+$/.test(id)) throw new UsageError(`ID must be a document number from 'list' (got '${id}')`);
      format = exportFormat(out);
      outputs(() => checkOutputs([out], args.opts.force === true));
    }
    const { store, flash, foreign } = openStore(dir);
    // Confidential pages are sealed in flash under the board's device secret, which the simulator
    // keeps apart from flash.bin (DIR/keystore.json; firmware/auth/at-rest.ts).
    const sealKey = new SimKeyStore(join(dir, 'keystore.json')).read(SECRET_NAME);
    sealAtRest(store, sealKey ? atRestKeys(sealKey, null, new OsEntropy()) : null);
    try {
      if (foreign) console.error(`faxvault docs: warning: ${dir}/flash.bin holds no faxvault store (not an image a simulator run left?)`);
      if (verb === 'list') {
        const docs = store.documents();
        if (docs.length === 0) console.log('(no documents)');
        else console.log(LIST_HEADER);
        for (const d of docs) console.log(describe(d));
        return 0;
      }
      if (verb === 'journal') {
        const lines = callJournal(journalEntries(store), imageSettings(store) ?? defaultSettings(), Date.now(), 0);
        for (const l of lines) console.log(l);
        return 0;
      }
      const d = store.documents().find((x) => x.id === Number(id));
      if (!d) throw new UsageError(`no document ${id} (see faxvault docs --data ${dir} list)`);
      const files = exportFiles(store, d, format!, out!);
      outputs(() => checkOutputs(files.map((f) => f.path), args.opts.force === true));
      const clock = new RealClock();
      if (d.meta.box) {
        const code = args.opts.code as string | undefined;
        if (!code) throw new UsageError(`document ${id} is confidential (box ${d.meta.box}): give the box's pass code with --code`);
        const settings = imageSettings(store);
        if (!settings) {
          throw new UsageError(`${dir}/flash.bin holds no settings (an image from before they were kept): the box codes are unknown, so no confidential document is exported`);
        }
        // Codes are bound to the simulated board's device secret (DIR/keystore.json).
        const entropy = new OsEntropy();
        const secret = deviceSecret(new SimKeyStore(join(dir, 'keystore.json')), store, entropy);
        const mb = new Mailbox(store, clock, () => settings, { pepper: secret ? secret.bytes : null, entropy });
        const r = mb.tryCode(d.meta.box, code, 'host');
        if (r.result !== 'ok') {
          const why = r.result === 'locked' ? `box ${d.meta.box} is locked for ${Math.ceil(r.lockedMs / 1000)} s after repeated wrong codes` : `pass code refused (${r.result})`;
          throw new UsageError(why);
        }
      }
      outputs(() => writeOutputs(files, { force: args.opts.force === true, mode: 0o600 }));
      journalAdd(store, { t: clock.wall(), kind: 'export', doc: d.id, box: d.meta.box || '', pages: d.pages, src: 'host', file: basename(out!) });
      console.log(`document ${id}: ${d.pages} page(s) written to ${files.map((f) => f.path).join(', ')}`);
      return 0;
    } finally {
      flash.close();
    }
  },
};

export default command;
