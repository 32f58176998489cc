// Training check (T.30 §5.3.6.2.3 / §5.3.8): the sender sends 1.5 s of zeros at the chosen rate
// after DCS; the receiver accepts when it saw a long enough clean run.

/** Octets of zeros in 1.5 s at `rate` bit/s. */
export function tcfLength(rate: number): number {
  return Math.floor((rate * 1.5) / 8);
}

/** A pull source of `n` zero octets in chunks (for Class1.sendData). */
export function zeros(n: number): () => Uint8Array | null {
  let left = n;
  const chunk = new Uint8Array(256);
  return function () {
    if (left <= 0) return null;
    const k = left < chunk.length ? left : chunk.length;
    left -= k;
    return k === chunk.length ? chunk : chunk.subarray(0, k);
  };
}

/** Counts the longest run of zero octets in received training data. */
export class TcfCheck {
  total = 0;
  run = 0;
  longest = 0;

  push(b: Uint8Array): void {
    for (let i = 0; i < b.length; i++) {
      if (b[i] === 0) {
        this.run++;
        if (this.run > this.longest) this.longest = this.run;
      } else this.run = 0;
    }
    this.total += b.length;
  }

  /** Good when at least 1 s of the 1.5 s came through as an unbroken run of zeros. */
  good(rate: number): boolean {
    return this.longest >= Math.floor(rate / 8);
  }
}
