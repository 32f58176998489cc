// PDF of fax pages (host/image/pdf.ts): what embedding the coded data as it is costs, against
// references in the same run — writing the same coded pages as a TIFF (writeCodedTiff), and
// libtiff's tiff2pdf making a PDF of that TIFF (CCITTFaxDecode too; it re-codes G3 pages as G4,
// so for MH and MR its file has the MMR size while ours embeds the pages as they are).
// Ten fine A4 pages of synthetic text (scripts/t4/patterns.ts) in MH, MR and MMR: time per
// document, file size, and the largest single write of the streaming writer (the memory a
// document needs beyond one page).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaxPdfWriter, faxPdf } from '../host/image/pdf.ts';
import { codePage, writeCodedTiff } from '../host/image/tiff.ts';
import type { CodedPage } from '../host/image/tiff.ts';
import { makePage } from '../scripts/t4/patterns.ts';

function best(times: number, f: () => void): number {
  let min = Infinity;
  for (let i = 0; i < times; i++) {
    const t0 = process.hrtime.bigint();
    f();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return min;
}

export default function bench(): void {
  const bitmaps = [];
  for (let i = 0; i < 10; i++) bitmaps.push(makePage(1728, 2200, 'text', 100 + i, 196));
  const dir = mkdtempSync(join(tmpdir(), 'fv-bench-pdf-'));
  try {
    for (const coding of ['mh', 'mr', 'mmr'] as const) {
      const pages: CodedPage[] = bitmaps.map((b) => codePage(b, { coding, fillOrder: 2 }));
      const coded = pages.reduce((s, p) => s + p.data.length, 0);
      let pdf: Uint8Array = new Uint8Array(0);
      const tPdf = best(20, () => { pdf = faxPdf(pages); });
      let tif: Uint8Array = new Uint8Array(0);
      const tTif = best(20, () => { tif = writeCodedTiff(pages); });
      let biggest = 0;
      const w = new FaxPdfWriter({ write: (b) => { if (b.length > biggest) biggest = b.length; } });
      for (const p of pages) w.addPage(p);
      w.finish();
      const maxPage = Math.max(...pages.map((p) => p.data.length));
      let ref = '';
      const tifFile = join(dir, coding + '.tif');
      writeFileSync(tifFile, tif);
      const t0 = process.hrtime.bigint();
      const r = spawnSync('tiff2pdf', ['-o', join(dir, coding + '.pdf'), tifFile], { encoding: 'utf8' });
      const tRef = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status === 0) {
        const size = readFileSync(join(dir, coding + '.pdf')).length;
        ref = `; tiff2pdf's PDF ${size} bytes (ours x${(pdf.length / size).toFixed(3)}), tiff2pdf process ${tRef.toFixed(0)} ms`;
      } else ref = '; tiff2pdf not available (libtiff-tools)';
      console.log(`${coding.toUpperCase()} 10 fine A4 pages, ${coded} coded bytes: PDF ${pdf.length} bytes (overhead ${pdf.length - coded} bytes), ` +
        `${tPdf.toFixed(1)} ms = x${(tPdf / tTif).toFixed(2)} the TIFF writer (${tTif.toFixed(1)} ms); largest single write ${biggest} bytes ` +
        `(largest page ${maxPage} bytes)${ref}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
