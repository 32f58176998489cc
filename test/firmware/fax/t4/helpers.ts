// Shared by the codec tests: whole-page encode/decode through the streaming objects.
import { T4Decoder, T4Encoder } from '../../../../firmware/fax/t4/index.ts';
import type { T4DecoderOptions, T4EncoderOptions } from '../../../../firmware/fax/t4/index.ts';
import type { Bitmap } from '../../../../host/image/bitmap.ts';
import { strideOf } from '../../../../host/image/bitmap.ts';

export function encodePage(b: Bitmap, o: Omit<T4EncoderOptions, 'onData' | 'width'>): Uint8Array {
  const parts: number[] = [];
  const e = new T4Encoder({ ...o, width: b.width, onData: (bytes) => { for (let i = 0; i < bytes.length; i++) parts.push(bytes[i]); } });
  const s = strideOf(b.width);
  for (let y = 0; y < b.height; y++) e.encodeRow(b.data.subarray(y * s, (y + 1) * s));
  e.finish();
  return Uint8Array.from(parts);
}

export interface Decoded {
  page: Bitmap;
  d: T4Decoder;
}

/** Decodes `bytes` fed in chunks of `chunk` bytes (0 = all at once). */
export function decodePage(bytes: Uint8Array, width: number, o: Omit<T4DecoderOptions, 'onRow' | 'width'>, chunk = 0): Decoded {
  const rows: Uint8Array[] = [];
  const d = new T4Decoder({ ...o, width, onRow: (row) => rows.push(row.slice()) });
  if (chunk <= 0) d.push(bytes);
  else for (let i = 0; i < bytes.length; i += chunk) d.push(bytes.subarray(i, i + chunk));
  d.end();
  const s = strideOf(width);
  const data = new Uint8Array(rows.length * s);
  rows.forEach((r, y) => data.set(r, y * s));
  return { page: { width, height: rows.length, xDpi: 204, yDpi: 196, data }, d };
}

/** The bits of `bytes` as a '0'/'1' string, MSB first. */
export function bitString(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(2).padStart(8, '0');
  return s;
}

/** Bytes from a '0'/'1' string, zero-padded to a whole byte. */
export function fromBits(bits: string): Uint8Array {
  const out = new Uint8Array((bits.length + 7) >> 3);
  for (let i = 0; i < bits.length; i++) if (bits[i] === '1') out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}
