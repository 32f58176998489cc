// Test flash for the store: NOR semantics in memory, with a power cut aimed at write number N.
// Harsher than the simulator's flash on purpose: an interrupted program clears a random subset
// of the bits it was going to clear (anywhere in the range, not only a prefix), an interrupted
// erase sets a random subset of the sector's bytes to 0xFF; after the cut every access fails
// until powerOn(). Optionally some cells are stuck (never take a 0) to test read-back.
import type { Flash } from '../../../hal/flash.ts';

export class Cut extends Error {
  constructor() {
    super('power cut');
  }
}

/** Small seeded PRNG (mulberry32) for reproducible runs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type CutMode = 'prefix' | 'bits';

export class CutFlash implements Flash {
  readonly mem: Uint8Array;
  writes = 0;
  erases: number[];
  stuck: { [addr: number]: boolean } = {};
  private cutAt = -1;
  private dead = false;
  private rand: () => number = Math.random;

  constructor(readonly sectorSize: number, readonly sectorCount: number, public mode: CutMode = 'bits') {
    this.mem = new Uint8Array(sectorSize * sectorCount).fill(0xff);
    this.erases = new Array(sectorCount).fill(0);
  }

  cutPowerAtWrite(n: number, rand: () => number): void {
    this.cutAt = this.writes + n;
    this.rand = rand;
  }

  powerOn(): void {
    this.dead = false;
    this.cutAt = -1;
  }

  snapshot(): Uint8Array {
    return this.mem.slice();
  }

  restore(img: Uint8Array, erases: number[]): void {
    this.mem.set(img);
    this.erases = erases.slice();
    this.powerOn();
  }

  read(addr: number, length: number): Uint8Array {
    if (this.dead) throw new Cut();
    if (addr < 0 || addr + length > this.mem.length) throw new Error('read out of range ' + addr + '+' + length);
    return this.mem.slice(addr, addr + length);
  }

  program(addr: number, data: Uint8Array): void {
    if (this.dead) throw new Cut();
    if (Math.floor(addr / this.sectorSize) !== Math.floor((addr + data.length - 1) / this.sectorSize)) throw new Error('program crosses a sector');
    const cut = this.writes++ === this.cutAt;
    if (!cut) {
      for (let i = 0; i < data.length; i++) {
        let v = this.mem[addr + i] & data[i];
        if (this.stuck[addr + i]) v = this.mem[addr + i];
        this.mem[addr + i] = v;
      }
      return;
    }
    this.dead = true;
    if (this.mode === 'prefix') {
      const n = Math.floor(this.rand() * data.length);
      for (let i = 0; i < n; i++) this.mem[addr + i] &= data[i];
    } else {
      const p = this.rand();
      for (let i = 0; i < data.length; i++) {
        const clear = ~data[i] & this.mem[addr + i] & 0xff;
        let m = 0;
        for (let b = 0; b < 8; b++) if (clear & (1 << b) && this.rand() < p) m |= 1 << b;
        this.mem[addr + i] &= ~m & 0xff;
      }
    }
    throw new Cut();
  }

  erase(sector: number): void {
    if (this.dead) throw new Cut();
    const base = sector * this.sectorSize;
    const cut = this.writes++ === this.cutAt;
    this.erases[sector]++;
    if (!cut) {
      this.mem.fill(0xff, base, base + this.sectorSize);
      return;
    }
    this.dead = true;
    if (this.mode === 'prefix') this.mem.fill(0xff, base, base + Math.floor(this.rand() * this.sectorSize));
    else {
      const p = this.rand();
      for (let i = 0; i < this.sectorSize; i++) if (this.rand() < p) this.mem[base + i] = 0xff;
    }
    throw new Cut();
  }
}
