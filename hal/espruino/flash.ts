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
    return new Uint8Array(this.dev.read(length, this.base + addr));
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
