// Random bytes: seeded and reproducible in tests and scripted runs, the OS generator otherwise.
import { randomFillSync } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Entropy } from '../../hal/entropy.ts';

/** SHA-256 in counter mode over a seed: deterministic, and good enough for simulated salts. */
export class SeededEntropy implements Entropy {
  private counter = 0;
  private pool = new Uint8Array(0);
  private pos = 0;
  constructor(private seed: string) {}
  fill(out: Uint8Array): void {
    for (let i = 0; i < out.length; i++) {
      if (this.pos >= this.pool.length) {
        this.pool = sha256(new TextEncoder().encode(this.seed + ':' + this.counter++));
        this.pos = 0;
      }
      out[i] = this.pool[this.pos++];
    }
  }
}

export class OsEntropy implements Entropy {
  fill(out: Uint8Array): void {
    randomFillSync(out);
  }
}
