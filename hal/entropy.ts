// Random bytes for salts, challenges and keys (a hardware RNG on the board; seeded in tests).

export interface Entropy {
  fill(out: Uint8Array): void;
}
