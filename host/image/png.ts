// PNG writer for bilevel pages (the simulator's printer, the client's viewer): 1-bit greyscale,
// one IDAT, zlib from Node. PNG's 0 is black, so fax bits (1 = black) are inverted.
import { deflateSync } from 'node:zlib';
import { crc32Init, crc32Update, crc32Final } from '../../firmware/store/crc32.ts';

// PNG's chunk CRC is the same CRC-32 the flash store uses (ISO 3309 / IEEE 802.3).
function crc32(parts: Uint8Array[]): number {
  let c = crc32Init();
  for (const p of parts) c = crc32Update(c, p, 0, p.length);
  return crc32Final(c);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  const t = new TextEncoder().encode(type);
  out.set(t, 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32([t, data]));
  return out;
}

export interface PngOptions {
  /** Resolution, written as a pHYs chunk so viewers keep the page's aspect (fax standard
   * resolution is 204x98 dpi: pixels twice as tall as wide). */
  xDpi?: number;
  yDpi?: number;
}

/**
 * Encode a bilevel image. `rows` are packed 1-bit rows, MSB first, 1 = black, each at least
 * ceil(width/8) bytes.
 */
export function encodePng(width: number, height: number, rows: Uint8Array[], opts: PngOptions = {}): Uint8Array {
  if (rows.length !== height) throw new Error(`encodePng: ${rows.length} rows for height ${height}`);
  const stride = (width + 7) >> 3;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    raw[o] = 0; // filter: none
    const r = rows[y];
    for (let i = 0; i < stride; i++) raw[o + 1 + i] = ~r[i] & 0xff;
    // Padding bits past the width are white in fax terms; PNG ignores them.
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const sig = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const parts = [sig, chunk('IHDR', ihdr)];
  if (opts.xDpi && opts.yDpi) {
    const phys = new Uint8Array(9);
    const pv = new DataView(phys.buffer);
    pv.setUint32(0, Math.round(opts.xDpi / 0.0254)); // pixels per metre
    pv.setUint32(4, Math.round(opts.yDpi / 0.0254));
    phys[8] = 1; // unit: metre
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0)));
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A host page bitmap (host/image/bitmap.ts) as PNG, with its resolution. */
export function encodePngBitmap(b: { width: number; height: number; xDpi: number; yDpi: number; data: Uint8Array }): Uint8Array {
  const stride = (b.width + 7) >> 3;
  const rows: Uint8Array[] = [];
  for (let y = 0; y < b.height; y++) rows.push(b.data.subarray(y * stride, (y + 1) * stride));
  return encodePng(b.width, b.height, rows, { xDpi: b.xDpi, yDpi: b.yDpi });
}

/**
 * A page as PNG for people to look at: a standard-resolution page (98 lines per inch, pixels
 * twice as tall as wide) has each row written twice, so viewers that ignore pHYs still show it
 * at its shape (1728×1143 would look squashed as A4); pHYs says the doubled resolution.
 */
export function encodePngForViewing(b: { width: number; height: number; xDpi: number; yDpi: number; data: Uint8Array }): Uint8Array {
  if (!(b.yDpi > 0 && b.yDpi < 150)) return encodePngBitmap(b);
  const stride = (b.width + 7) >> 3;
  const rows: Uint8Array[] = [];
  for (let y = 0; y < b.height; y++) {
    const r = b.data.subarray(y * stride, (y + 1) * stride);
    rows.push(r, r);
  }
  return encodePng(b.width, rows.length, rows, { xDpi: b.xDpi, yDpi: b.yDpi * 2 });
}
