// `faxvault docs`: look into a simulated appliance's flash image (the --data folder of
// `faxvault sim`): list the stored documents, export one as TIFF, PBM or PNG. A confidential
// document is exported only with its box's pass code, checked (and journaled, and locked out
// after repeated failures) exactly as at the front panel.
import { existsSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseArgs } from '../args.ts';
import { SimFlash } from '../../sim/board/flash.ts';
import { SeededEntropy, OsEntropy } from '../../sim/board/entropy.ts';
import { loadSettings } from '../../sim/config.ts';
import { Store } from '../../firmware/store/index.ts';
import { loadStoredSettings } from '../../firmware/app/stored-settings.ts';
import type { DocInfo } from '../../firmware/store/index.ts';
import { Mailbox, prepareBoxes } from '../../firmware/mailbox/index.ts';
import { deviceSecret } from '../../firmware/auth/index.ts';
import { SimKeyStore } from '../../sim/board/key-store.ts';
import { StoredPageRows } from '../../firmware/print/page-rows.ts';
import { RealClock } from '../../hal/node/clock.ts';
import { fmtDateTime } from '../../firmware/clock/calendar.ts';
import { writeCodedTiff } from '../../host/image/tiff.ts';
import { writeFaxPdfFile } from '../../host/image/pdf.ts';
import { pageProgress } from '../progress.ts';
import type { CodedPage } from '../../host/image/tiff.ts';
import { writePbm } from '../../host/image/pbm.ts';
import { encodePngBitmap } from '../../host/image/png.ts';
import { newBitmap, strideOf } from '../../host/image/bitmap.ts';
import type { Bitmap } from '../../host/image/bitmap.ts';

const help = `usage: faxvault docs --data DIR [--config FILE] list
       faxvault docs --data DIR [--config FILE] export ID OUT [--code CODE]

Reads the flash image DIR/flash.bin that \`faxvault sim --data DIR\` keeps.

  list            every stored document: id, direction, time (UTC), remote ident, box, pages,
                  state and the call's result
  export ID OUT   write document ID to OUT: .tif/.tiff keeps the pages exactly as received
                  (T.4/T.6 coded, FillOrder 2 as on the line), .pdf embeds the same coded
                  data (CCITTFaxDecode) at the pages' physical size, .pbm and .png decode them
  --code CODE     the box's pass code: needed to export a confidential document; checked
                  like the panel does (5 wrong codes lock the box, every try is journaled)
  --config FILE   the settings the simulator ran with (the boxes); default: the embedded demo
                  settings. Settings changed at the panel are read from the flash image.`;

function openStore(dir: string): { store: Store; flash: SimFlash } {
  const file = join(dir, 'flash.bin');
  if (!existsSync(file)) throw new UsageError(`no flash image in ${dir} (expected ${file}; run faxvault sim --data ${dir} first)`);
  const flash = new SimFlash({ file });
  const store = new Store(flash);
  store.mount();
  return { store, flash };
}

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

/** Page i of a stored document as it was received: its coded bytes, size and resolution. */
function codedPage(store: Store, d: DocInfo, i: number): CodedPage {
  const p = store.pageParams(d.id, i);
  if (!p) throw new Error(`page ${i + 1} of document ${d.id} has no parameters`);
  const r = store.readPage(d.id, i);
  if (!r) throw new Error(`page ${i + 1} of document ${d.id} cannot be read`);
  const parts: Uint8Array[] = [];
  for (let b = r.next(); b; b = r.next()) parts.push(b.slice());
  if (r.error) throw new Error(`page ${i + 1}: ${r.error}`);
  const data = Buffer.concat(parts);
  // Count rows by decoding: TIFF and PDF need the height.
  const rows = new StoredPageRows(store, d.id, i);
  let h = 0;
  while (rows.next()) h++;
  return {
    width: p.width, height: h, xDpi: 204, yDpi: p.linesPerMm < 5 ? 98 : p.linesPerMm > 10 ? 391 : 196,
    coding: p.coding as 'mh' | 'mr' | 'mmr', fillOrder: p.bitOrder === 'lsb-first' ? 2 : 1, byteAligned: false, data,
  };
}

function exportDoc(store: Store, d: DocInfo, out: string): number {
  const ext = extname(out).toLowerCase();
  if (ext === '.tif' || ext === '.tiff' || ext === '.pdf') {
    const progress = pageProgress(`writing ${out}`, d.pages);
    const pages = function* (): Generator<CodedPage> {
      for (let i = 0; i < d.pages; i++) {
        progress.page(i + 1);
        yield codedPage(store, d, i);
      }
    };
    try {
      if (ext === '.pdf') return writeFaxPdfFile(out, pages(), { title: `faxvault document ${d.id}` });
      const all = [...pages()];
      writeFileSync(out, writeCodedTiff(all, 'faxvault docs'));
      return all.length;
    } finally {
      progress.done();
    }
  }
  if (ext !== '.pbm' && ext !== '.png') throw new UsageError(`cannot write '${ext || out}': use .tif, .pdf, .pbm or .png`);
  const bitmaps: Bitmap[] = [];
  for (let i = 0; i < d.pages; i++) {
    const p = store.pageParams(d.id, i)!;
    const r = new StoredPageRows(store, d.id, i);
    const rows: Uint8Array[] = [];
    for (let row = r.next(); row; row = r.next()) rows.push(row.slice());
    if (r.error) throw new Error(`page ${i + 1}: ${r.error}`);
    const b = newBitmap(p.width, rows.length, 204, p.linesPerMm < 5 ? 98 : p.linesPerMm > 10 ? 391 : 196);
    const s = strideOf(p.width);
    rows.forEach((row, y) => b.data.set(row.subarray(0, s), y * s));
    bitmaps.push(b);
  }
  if (ext === '.pbm') writeFileSync(out, writePbm(bitmaps));
  else {
    if (bitmaps.length > 1) {
      bitmaps.forEach((b, i) => writeFileSync(out.replace(/\.png$/i, `-${i + 1}.png`), encodePngBitmap(b)));
      return bitmaps.length;
    }
    writeFileSync(out, encodePngBitmap(bitmaps[0]));
  }
  return bitmaps.length;
}

const command: Command = {
  name: 'docs',
  summary: 'list or export the documents in a simulated appliance\'s flash image',
  help,
  run(argv) {
    const args = parseArgs(argv, { data: 'value', config: 'value', code: 'value', seed: 'value' });
    const dir = args.opts.data as string | undefined;
    if (!dir) throw new UsageError('--data DIR is required (the folder given to faxvault sim --data)');
    const [verb, id, out] = args.positional;
    if (verb !== 'list' && verb !== 'export') throw new UsageError(`expected 'list' or 'export ID OUT' (got '${verb ?? ''}')`);
    const { store, flash } = openStore(dir);
    try {
      if (verb === 'list') {
        const docs = store.documents();
        if (docs.length === 0) console.log('(no documents)');
        for (const d of docs) console.log(describe(d));
        return 0;
      }
      if (!id || !out) throw new UsageError('export needs ID and OUT');
      if (!/^\d+$/.test(id)) throw new UsageError(`ID must be a document number from 'list' (got '${id}')`);
      const d = store.documents().find((x) => x.id === Number(id));
      if (!d) throw new UsageError(`no document ${id} (see faxvault docs --data ${dir} list)`);
      if (d.meta.box) {
        const code = args.opts.code as string | undefined;
        if (!code) throw new UsageError(`document ${id} is confidential (box ${d.meta.box}): give the box's pass code with --code`);
        const settings = loadSettings((args.opts.config as string) ?? null);
        loadStoredSettings(store, settings);
        // Codes are bound to the simulated board's device secret (DIR/keystore.json).
        const entropy = args.opts.seed ? new SeededEntropy(args.opts.seed as string) : new OsEntropy();
        const secret = deviceSecret(new SimKeyStore(join(dir, 'keystore.json')), store, entropy);
        const keys = { pepper: secret ? secret.bytes : null, entropy };
        prepareBoxes(settings, keys);
        const mb = new Mailbox(store, new RealClock(), () => settings, keys);
        const r = mb.tryCode(d.meta.box, code, 'host');
        if (r.result !== 'ok') {
          const why = r.result === 'locked' ? `box ${d.meta.box} is locked for ${Math.ceil(r.lockedMs / 1000)} s after repeated wrong codes` : `pass code refused (${r.result})`;
          throw new UsageError(why);
        }
      }
      const n = exportDoc(store, d, out);
      console.log(`document ${id}: ${n} page(s) written to ${out}`);
      return 0;
    } finally {
      flash.close();
    }
  },
};

export default command;
