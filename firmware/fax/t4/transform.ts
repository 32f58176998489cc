// Page transformations the T.30 sender needs when the remote cannot take a document as it is
// (its DIS lacks fine resolution or the page width, T.30 Table 2 bits 15 and 17-20). Both work
// row by row on packed rows (MSB first, 1 = black) and hold one output row at most.

/**
 * Fine -> standard (7.7 -> 3.85 lines/mm): keeps every other row, the first of each pair.
 * Superfine -> fine uses the same filter; chain two for superfine -> standard.
 */
export class LineDropper {
  private n = 0;
  constructor(private readonly onRow: (row: Uint8Array) => void) {}

  push(row: Uint8Array): void {
    if ((this.n++ & 1) === 0) this.onRow(row);
  }
}

/**
 * Wider -> narrower (e.g. 2432 or 2048 -> 1728 pixels, T.4 §2.2): each output pixel covers a span of
 * input pixels and is black when any of them is, so thin strokes survive. With `keepAspect`
 * (default true) rows are dropped in the same ratio, so the page keeps its proportions (a B4
 * page becomes an A4 page) instead of being squeezed sideways.
 */
export class WidthScaler {
  private readonly out: Uint8Array;
  private readonly from: Int32Array; // first input pixel of each output pixel
  private readonly to: Int32Array; // one past the last
  private acc = 0; // Bresenham accumulator for row dropping
  private readonly keepAspect: boolean;

  constructor(
    private readonly inWidth: number,
    private readonly outWidth: number,
    private readonly onRow: (row: Uint8Array) => void,
    keepAspect?: boolean,
  ) {
    this.keepAspect = keepAspect === undefined ? true : keepAspect;
    this.out = new Uint8Array((outWidth + 7) >> 3);
    this.from = new Int32Array(outWidth);
    this.to = new Int32Array(outWidth);
    for (let x = 0; x < outWidth; x++) {
      const a = Math.floor((x * inWidth) / outWidth);
      let b = Math.floor(((x + 1) * inWidth) / outWidth);
      if (b <= a) b = a + 1;
      this.from[x] = a;
      this.to[x] = b;
    }
  }

  push(row: Uint8Array): void {
    if (this.keepAspect && this.outWidth < this.inWidth) {
      // Emit outWidth rows for every inWidth rows.
      this.acc += this.outWidth;
      if (this.acc < this.inWidth) return;
      this.acc -= this.inWidth;
    }
    const out = this.out;
    out.fill(0);
    for (let x = 0; x < this.outWidth; x++) {
      let black = 0;
      for (let p = this.from[x]; p < this.to[x]; p++) {
        if (row[p >> 3] & (0x80 >> (p & 7))) {
          black = 1;
          break;
        }
      }
      if (black) out[x >> 3] |= 0x80 >> (x & 7);
    }
    this.onRow(out);
  }
}

/** Narrower -> wider: the row is centred on a white line of `outWidth` pixels. */
export class WidthPadder {
  private readonly out: Uint8Array;
  private readonly left: number;
  constructor(private readonly inWidth: number, outWidth: number, private readonly onRow: (row: Uint8Array) => void) {
    this.out = new Uint8Array((outWidth + 7) >> 3);
    this.left = (outWidth - inWidth) >> 1;
  }

  push(row: Uint8Array): void {
    const out = this.out;
    out.fill(0);
    for (let x = 0; x < this.inWidth; x++) {
      if (row[x >> 3] & (0x80 >> (x & 7))) {
        const y = x + this.left;
        out[y >> 3] |= 0x80 >> (y & 7);
      }
    }
    this.onRow(out);
  }
}
