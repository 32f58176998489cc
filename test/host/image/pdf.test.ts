import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PDFDocument, PDFName, PDFDict, PDFRawStream, PDFNumber, PDFBool, PDFArray } from 'pdf-lib';
import { faxPdf, FaxPdfWriter, ccittParams, pageSizePoints, PdfError } from '../../../host/image/pdf.ts';
import { codePage } from '../../../host/image/tiff.ts';
import { makePage } from '../../../scripts/t4/patterns.ts';

const std = makePage(1728, 40, 'text', 1, 98);
const fine = makePage(2048, 60, 'mixed', 2, 196);

test('filter parameters follow the coding: K 0 for MH, > 0 for MR, -1 for MMR', () => {
  const mh = ccittParams(codePage(std, { coding: 'mh' }));
  assert.equal([mh.K, mh.Columns, mh.Rows, mh.BlackIs1, mh.EndOfLine, mh.EncodedByteAlign], [0, 1728, 40, false, true, false]);
  assert.is(ccittParams(codePage(std, { coding: 'mr' })).K, 2, 'MR at standard resolution: K = 2 (T.4 §4.2.1.1)');
  assert.is(ccittParams(codePage(fine, { coding: 'mr' })).K, 4, 'MR at fine resolution: K = 4');
  const mmr = ccittParams(codePage(fine, { coding: 'mmr', byteAligned: true }));
  assert.equal([mmr.K, mmr.Columns, mmr.Rows, mmr.EndOfLine, mmr.EncodedByteAlign], [-1, 2048, 60, false, false]);
  assert.ok(ccittParams(codePage(std, { coding: 'mh', byteAligned: true })).EncodedByteAlign);
  assert.throws(() => ccittParams(codePage(std, { coding: 'none' })), (e: unknown) => e instanceof PdfError && /uncoded/.test(String(e)));
});

test('page size from the resolution: 1728 pixels at 204 dpi, 98 and 196 rows per inch', () => {
  const a = pageSizePoints({ width: 1728, height: 1143, xDpi: 204, yDpi: 98 });
  assert.ok(Math.abs(a.w - 609.88) < 0.01 && Math.abs(a.h - 839.76) < 0.01, JSON.stringify(a));
  const b = pageSizePoints({ width: 1728, height: 2286, xDpi: 204, yDpi: 196 });
  assert.ok(Math.abs(b.h - a.h) < 0.01, 'fine has twice the rows on the same paper');
});

test('the document read back by pdf-lib: one page per fax page, the coded bytes embedded unchanged', async () => {
  const pages = [codePage(std, { coding: 'mh' }), codePage(fine, { coding: 'mmr', fillOrder: 2 }), codePage(std, { coding: 'mr', byteAligned: true })];
  const seen: number[] = [];
  const bytes = faxPdf(pages, { title: 'fax (box 12)', onPage: (n) => seen.push(n) });
  assert.equal(seen, [1, 2, 3]);
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  assert.is(doc.getPageCount(), 3);
  assert.is(doc.getTitle(), 'fax (box 12)');
  doc.getPages().forEach((page, i) => {
    const p = pages[i];
    const { w, h } = pageSizePoints(p);
    const size = page.getSize();
    assert.ok(Math.abs(size.width - w) < 0.001 && Math.abs(size.height - h) < 0.001, `page ${i + 1} size`);
    const xobjects = page.node.Resources()!.lookup(PDFName.of('XObject'), PDFDict);
    const image = xobjects.lookup(PDFName.of('Fax')) as PDFRawStream;
    assert.instance(image, PDFRawStream);
    assert.is(image.dict.lookup(PDFName.of('Filter')), PDFName.of('CCITTFaxDecode'));
    const parms = image.dict.lookup(PDFName.of('DecodeParms'), PDFDict);
    const k = parms.lookup(PDFName.of('K'), PDFNumber).asNumber();
    assert.is(k, ccittParams(p).K);
    assert.is(parms.lookup(PDFName.of('Columns'), PDFNumber).asNumber(), p.width);
    assert.is(parms.lookup(PDFName.of('Rows'), PDFNumber).asNumber(), p.height);
    assert.is(parms.lookup(PDFName.of('BlackIs1'), PDFBool).asBoolean(), false);
    const align = parms.lookup(PDFName.of('EncodedByteAlign'));
    assert.is(align instanceof PDFBool && align.asBoolean(), ccittParams(p).EncodedByteAlign, `page ${i + 1} EncodedByteAlign`);
    // FillOrder 2 (line order) is reversed to the PDF's most-significant-bit-first order.
    const want = p.fillOrder === 2 ? codePage(fine, { coding: 'mmr', fillOrder: 1 }).data : p.data;
    assert.equal(Buffer.from(image.contents).equals(Buffer.from(want)), true, `page ${i + 1} data`);
    assert.instance(page.node.MediaBox(), PDFArray);
  });
});

test('streaming: bytes go out page by page, the same as in one piece', () => {
  const pages = [codePage(std, { coding: 'mh' }), codePage(fine, { coding: 'mr' })];
  const chunks: number[] = [];
  const parts: Uint8Array[] = [];
  const w = new FaxPdfWriter({ write: (b) => { parts.push(b); chunks.push(b.length); } });
  w.addPage(pages[0]);
  const afterOne = w.bytes;
  assert.ok(afterOne > pages[0].data.length, 'the first page is written before the second is added');
  w.addPage(pages[1]);
  w.finish();
  assert.is(Buffer.concat(parts).equals(Buffer.from(faxPdf(pages))), true);
  assert.throws(() => w.addPage(pages[0]), /after finish/);
});

test('bad input: no pages, empty data, no size', () => {
  assert.throws(() => faxPdf([]), (e: unknown) => e instanceof PdfError && /no pages/.test(String(e)));
  const p = codePage(std, { coding: 'mh' });
  assert.throws(() => faxPdf([{ ...p, data: new Uint8Array(0) }]), /no coded data/);
  assert.throws(() => faxPdf([{ ...p, height: 0 }]), /no size/);
});

test.run();
