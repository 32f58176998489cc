// Documents for the simulated scanner: PBM, TIFF (fax or not), PNG or PDF files become sheets of
// packed rows at a fax width and resolution, as a real sheet feeder's sensor would deliver them.
import { readDocumentFile, FAX_WIDTHS } from '../../host/image/document.ts';
import { strideOf } from '../../host/image/bitmap.ts';
import type { Bitmap } from '../../host/image/bitmap.ts';
import { toWidth, toResolution } from '../../host/image/resample.ts';
import type { SheetImage } from './scanner.ts';

/** Read a document file (PBM, PNG, TIFF, PDF) into pages: host/image/document.ts. */
export { readDocumentFile };

/** Pages as the scanner sees them: fax width (1728 unless already 2048/2432), fine unless stated. */
export function toSheets(pages: Bitmap[]): SheetImage[] {
  return pages.map((p) => {
    let b = p;
    if (!FAX_WIDTHS.includes(b.width)) b = toWidth(b, 1728);
    if (b.yDpi !== 98 && b.yDpi !== 196 && b.yDpi !== 391) b = toResolution({ ...b, yDpi: b.yDpi || 196 }, 196);
    const stride = strideOf(b.width);
    const rows: Uint8Array[] = [];
    for (let y = 0; y < b.height; y++) rows.push(b.data.slice(y * stride, (y + 1) * stride));
    const linesPerMm = b.yDpi === 98 ? 3.85 : b.yDpi === 391 ? 15.4 : 7.7;
    return { width: b.width, linesPerMm, rows };
  });
}
