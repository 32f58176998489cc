// The record store's region of the board's SPI flash, through Espruino's Flash module.
import type { Flash } from '../flash.ts';
import type { PinMap } from './pins.ts';

export class EspruinoFlash implements Flash {
  readonly sectorSize = 4096;
  readonly sectorCount: number;
  private base: number;
  private dev: any;

  constructor(pins: PinMap) {
    this.base = pins.storeAddress;
    this.sectorCount = pins.storeSectors;
    this.dev = require('Flash');
  }
  read(addr: number, length: number): Uint8Array {
    // Flash.read returns undefined for a length of 0 (new Uint8Array(undefined) throws on the
    // interpreter), and a fresh Uint8Array otherwise: no second copy.
    if (length <= 0) return new Uint8Array(0);
    const d = this.dev.read(length, this.base + addr);
    return d instanceof Uint8Array ? d : new Uint8Array(d);
  }
  program(addr: number, data: Uint8Array): void {
    // The Flash module writes whole 32-bit words: pad with 0xFF (programs nothing).
    const pad = (4 - ((addr & 3) + data.length) % 4) % 4;
    const lead = addr & 3;
    if (lead === 0 && pad === 0) {
      this.dev.write(data, this.base + addr);
      return;
    }
    const buf = new Uint8Array(lead + data.length + pad);
    buf.fill(0xff);
    buf.set(data, lead);
    this.dev.write(buf, this.base + addr - lead);
  }
  erase(sector: number): void {
    this.dev.erasePage(this.base + sector * this.sectorSize);
  }
}
