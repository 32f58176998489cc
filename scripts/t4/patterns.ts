// Test-page generator for the page codec tests and bench: deterministic pages from a seed, with
// the patterns that stress a T.4/T.6 coder (runs of one pixel, checkerboards that defeat 2-D
// coding, long runs that need make-up codes, sparse "text", pure noise).
import type { Bitmap } from '../../host/image/bitmap.ts';
import { newBitmap, strideOf } from '../../host/image/bitmap.ts';

/** A small deterministic PRNG (LCG); the same seed gives the same page everywhere. */
export function prng(seed: number): () => number {
  let s = (seed >>> 0) || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export type Pattern = 'white' | 'black' | 'noise' | 'sparse' | 'alternate' | 'checker' | 'stripes' | 'text' | 'mixed';

function setPx(b: Bitmap, x: number, y: number): void {
  b.data[y * strideOf(b.width) + (x >> 3)] |= 0x80 >> (x & 7);
}

/**
 * Pixel rule of each pattern. "alternate" keeps the first pixel of every row white (libtiff's
 * MH decoder cannot hold the width+1 runs of a row that starts black and alternates); "checker"
 * starts black on every other row, for decoders that can.
 */
export function makePage(width: number, height: number, pattern: Pattern, seed = 1, yDpi = 196): Bitmap {
  const b = newBitmap(width, height, 204, yDpi);
  const r = prng(seed);
  for (let y = 0; y < height; y++) {
    let p: Pattern = pattern;
    if (pattern === 'mixed') {
      const kinds: Pattern[] = ['text', 'noise', 'alternate', 'stripes', 'white', 'sparse', 'black', 'text'];
      p = kinds[Math.floor(y / 24) % kinds.length];
    }
    switch (p) {
      case 'white': break;
      case 'black': for (let x = 0; x < width; x++) setPx(b, x, y); break;
      case 'noise': for (let x = 0; x < width; x++) if (r() < 0.5) setPx(b, x, y); break;
      case 'sparse': for (let x = 0; x < width; x++) if (r() < 0.02) setPx(b, x, y); break;
      case 'alternate': for (let x = 0; x < width; x++) if ((y & 1) === 0 ? (x & 1) === 1 : ((x >> 1) & 1) === 1) setPx(b, x, y); break;
      case 'checker': for (let x = y & 1; x < width; x += 2) setPx(b, x, y); break;
      case 'stripes': for (let x = 0; x < width; x++) if ((((x + y) >> 3) & 1) === 0) setPx(b, x, y); break;
      case 'text': {
        // Glyph-like blobs: rows of short black runs with ragged edges, repeating per "line of text".
        const line = Math.floor(y / 24);
        const inLine = y % 24;
        if (inLine < 4 || inLine > 19) break;
        const rr = prng(seed * 7919 + line * 131 + (inLine >> 2));
        let x = 40 + Math.floor(rr() * 20);
        while (x < width - 40) {
          const w = 1 + Math.floor(rr() * 7);
          if (rr() < 0.7) for (let k = 0; k < w && x + k < width; k++) setPx(b, x + k, y);
          x += w + 1 + Math.floor(rr() * 6);
          if (rr() < 0.05) x += 30; // word gap
        }
        break;
      }
      default: break;
    }
  }
  return b;
}

/** A multi-page corpus mixing every pattern at the given width (the bench and interop tests). */
export function corpus(width: number, pages: number, height = 1100, seed = 1): Bitmap[] {
  const kinds: Pattern[] = ['text', 'mixed', 'text', 'sparse', 'text', 'stripes'];
  const out: Bitmap[] = [];
  for (let i = 0; i < pages; i++) out.push(makePage(width, height, kinds[i % kinds.length], seed + i));
  return out;
}
