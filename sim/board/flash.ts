// The simulated board's flash: NOR semantics (erase to 0xFF, program only clears bits), kept in
// memory and, with a file, persisted after every operation so the next run (same --data) finds
// it. Power cuts can be injected at any write: the operation in progress is applied partially
// (a seeded prefix of it), then the board is "off" and every later operation throws PowerCut.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Flash } from '../../hal/flash.ts';

export class PowerCut extends Error {
  constructor() {
    super('power cut');
    this.name = 'PowerCut';
  }
}

export interface SimFlashOptions {
  sectorSize?: number;
  /** Sectors of the device; default: as many as an existing `file` holds, else 256 (1 MiB). */
  sectorCount?: number;
  /** Persist to this file (created erased when missing). */
  file?: string;
}

export class SimFlash implements Flash {
  readonly sectorSize: number;
  readonly sectorCount: number;
  readonly mem: Uint8Array;
  /** Program/erase operations so far (the index a power cut is aimed at). */
  writes = 0;
  erases: number[];
  private cutAt = -1;
  private cutRand: () => number = Math.random;
  private dead = false;
  private fd: number | null = null;

  constructor(opts: SimFlashOptions = {}) {
    this.sectorSize = opts.sectorSize ?? 4096;
    const existed = opts.file !== undefined && existsSync(opts.file);
    const data = existed ? readFileSync(opts.file!) : null;
    // A device's size is the image's: a larger board's flash is a larger file.
    const fromFile = data && data.length > 0 && data.length % this.sectorSize === 0 ? data.length / this.sectorSize : null;
    this.sectorCount = opts.sectorCount ?? fromFile ?? 256;
    this.mem = new Uint8Array(this.sectorSize * this.sectorCount).fill(0xff);
    this.erases = new Array(this.sectorCount).fill(0);
    if (opts.file) {
      if (data) {
        if (data.length !== this.mem.length) {
          throw new Error(`flash image ${opts.file} has ${data.length} bytes, expected ${this.mem.length} (${this.sectorCount} sectors of ${this.sectorSize})`);
        }
        this.mem.set(data);
      }
      this.fd = openSync(opts.file, existed ? 'r+' : 'w+');
      if (!existed) this.persist(0, this.mem.length);
    }
  }

  /** Cut the power during write number `n` (0-based count of program/erase calls from now on). */
  cutPowerAtWrite(n: number, rand: () => number): void {
    this.cutAt = this.writes + n;
    this.cutRand = rand;
  }

  /** Power back on (remount follows): operations work again, the cut is disarmed. */
  powerOn(): void {
    this.dead = false;
    this.cutAt = -1;
  }

  isDead(): boolean {
    return this.dead;
  }

  read(addr: number, length: number): Uint8Array {
    this.check(addr, length);
    if (this.dead) throw new PowerCut();
    return this.mem.slice(addr, addr + length);
  }

  program(addr: number, data: Uint8Array): void {
    this.check(addr, data.length);
    if (Math.floor(addr / this.sectorSize) !== Math.floor((addr + data.length - 1) / this.sectorSize)) {
      throw new Error(`flash program at ${addr} (+${data.length}) crosses a sector boundary`);
    }
    let n = data.length;
    const cut = this.beginWrite();
    if (cut) n = Math.floor(this.cutRand() * data.length); // a prefix reached the cells
    for (let i = 0; i < n; i++) this.mem[addr + i] &= data[i];
    this.persist(addr, n);
    if (cut) throw new PowerCut();
  }

  erase(sector: number): void {
    if (sector < 0 || sector >= this.sectorCount) throw new Error(`flash erase of sector ${sector} out of range`);
    const base = sector * this.sectorSize;
    const cut = this.beginWrite();
    // An interrupted erase leaves the sector partly erased: some bytes 0xFF, others as they were.
    const n = cut ? Math.floor(this.cutRand() * this.sectorSize) : this.sectorSize;
    this.mem.fill(0xff, base, base + n);
    this.erases[sector]++;
    this.persist(base, n);
    if (cut) throw new PowerCut();
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private beginWrite(): boolean {
    if (this.dead) throw new PowerCut();
    const cut = this.writes === this.cutAt;
    this.writes++;
    if (cut) this.dead = true;
    return cut;
  }

  private check(addr: number, length: number): void {
    if (addr < 0 || length < 0 || addr + length > this.mem.length) {
      throw new Error(`flash access ${addr}+${length} outside 0..${this.mem.length}`);
    }
  }

  private persist(addr: number, n: number): void {
    if (this.fd === null || n <= 0) return;
    writeSync(this.fd, this.mem, addr, n, addr);
    fsyncSync(this.fd);
  }
}
