// `faxvault convert … out.pdf` and `faxvault docs export … out.pdf`: the PDFs they write are read
// by poppler (pdftoppm) and ghostscript, rendered at each page's resolution, to the pixels of
// the pages that went in: a two-page fax received by the simulated appliance into box 12 (its
// stored T.4 data embedded as received), and files converted from PBM and from G3/G4 TIFF.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePbm, readPbm } from '../../host/image/pbm.ts';
import { writeTiff, readTiff } from '../../host/image/tiff.ts';
import { firstDifferentRow, FAX_YDPI } from '../../host/image/bitmap.ts';
import { toResolution } from '../../host/image/resample.ts';
import type { Bitmap } from '../../host/image/bitmap.ts';
import { makePage } from '../../scripts/t4/patterns.ts';

const dir = mkdtempSync(join(tmpdir(), 'fv-pdf-'));

function faxvault(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/faxvault.js', ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0 || r.stderr.trim()) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Renders page n of a PDF with poppler and with ghostscript at the given resolution. */
function render(pdf: string, n: number, xDpi: number, yDpi: number): Array<[string, Bitmap]> {
  const base = `${pdf}-${n}`;
  tool('pdftoppm', ['-mono', '-rx', String(xDpi), '-ry', String(yDpi), '-f', String(n), '-l', String(n), '-singlefile', pdf, base]);
  tool('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pbmraw', `-r${xDpi}x${yDpi}`, `-dFirstPage=${n}`, `-dLastPage=${n}`, `-sOutputFile=${base}-gs.pbm`, pdf]);
  return [['pdftoppm', readPbm(readFileSync(base + '.pbm'))[0]], ['ghostscript', readPbm(readFileSync(base + '-gs.pbm'))[0]]];
}

function assertRendersAs(pdf: string, pages: Bitmap[], what: string): void {
  assert.match(tool('pdfinfo', [pdf]), new RegExp(`Pages:\\s+${pages.length}\\b`), what + ': pages');
  pages.forEach((p, i) => {
    for (const [who, img] of render(pdf, i + 1, p.xDpi, p.yDpi)) {
      const where = `${what} page ${i + 1} by ${who}`;
      assert.is(`${img.width}x${img.height}`, `${p.width}x${p.height}`, where);
      assert.is(firstDifferentRow(p, img), -1, where);
    }
  });
}

test('docs export OUT.pdf: a confidential two-page reception, as stored, renders to the pages sent', () => {
  const pages = [makePage(1728, 220, 'text', 21, 196), makePage(1728, 160, 'mixed', 22, 196)];
  const doc = join(dir, 'doc.pbm');
  writeFileSync(doc, writePbm(pages));
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({ boxes: [{ number: '12', owner: 'mail:ann@example.com', code: '471100' }] }));
  const data = join(dir, 'data');
  const sim = faxvault(['sim', '--config', cfg, '--data', data, '--seed', 'pdf', '--remote-send', doc, '--remote-sub', '12', '--exit-after-calls', '1']);
  assert.is(sim.code, 0, sim.err);
  const id = /^\s+(\d+)\s+rx/m.exec(faxvault(['docs', '--data', data, 'list']).out)?.[1];
  assert.ok(id, 'the reception is listed');
  const out = join(dir, 'box12.pdf');
  const r = faxvault(['docs', '--data', data, 'export', id!, out, '--code', '471100']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /2 page\(s\) written/);
  assert.is(r.err, '', 'no progress line when stderr is not a terminal');
  assertRendersAs(out, pages, 'docs export');
  assert.not.ok(existsSync(out + '.part'));
});

test('convert PBM -> PDF in MH (standard), MR (fine) and MMR (standard)', () => {
  const src = [makePage(1728, 150, 'text', 31, 196), makePage(1728, 90, 'noise', 32, 196)];
  const pbm = join(dir, 'in.pbm');
  writeFileSync(pbm, writePbm(src));
  for (const [coding, res] of [['mh', 'standard'], ['mr', 'fine'], ['mmr', 'standard']] as const) {
    const out = join(dir, `conv-${coding}-${res}.pdf`);
    const r = faxvault(['convert', pbm, out, '--coding', coding, '--resolution', res]);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`PDF ${coding.toUpperCase()}`));
    // PBM is taken as fine; standard drops every other line.
    const want = src.map((b) => toResolution(b, FAX_YDPI[res]));
    assertRendersAs(out, want, `convert ${coding} ${res}`);
  }
});

test('convert G3/G4 TIFF -> PDF embeds the strips as they are, no re-coding', () => {
  const src = [makePage(2048, 120, 'mixed', 41, 98), makePage(1728, 140, 'text', 42, 196)];
  for (const coding of ['mh', 'mr', 'mmr'] as const) {
    const tif = join(dir, `in-${coding}.tif`);
    writeFileSync(tif, writeTiff(src, { coding, fillOrder: 1 }));
    const out = join(dir, `tif-${coding}.pdf`);
    const r = faxvault(['convert', tif, out]);
    assert.is(r.code, 0, r.err);
    const pdf = Buffer.from(readFileSync(out));
    for (const p of readTiff(readFileSync(tif))) {
      assert.ok(pdf.includes(Buffer.from(p.info.strips[0])), `${coding}: the TIFF strip is in the PDF byte for byte`);
    }
    assertRendersAs(out, src, `convert TIFF ${coding}`);
  }
});

test('bad PDF requests are named and leave no file', () => {
  const pbm = join(dir, 'one.pbm');
  writeFileSync(pbm, writePbm([makePage(1728, 10, 'text', 1, 196)]));
  const out = join(dir, 'bad.pdf');
  assert.match(faxvault(['convert', pbm, out, '--coding', 'none']).err, /PDF output needs --coding mh, mr or mmr/);
  assert.not.ok(existsSync(out));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
