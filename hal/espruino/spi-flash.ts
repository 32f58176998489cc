// A larger store: an external SPI NOR flash chip (Winbond W25Q, Macronix MX25L, GigaDevice
// GD25Q and the like) on one of the board's SPI buses, driven with the commands these chips share
// (JESD216-era serial NOR: 9Fh read ID, 05h read status, 06h write enable, 03h read, 02h page
// program, 20h 4 KB sector erase, 01h write status). The store's size is the chip's: the third
// byte of the JEDEC ID is log2 of its bytes. Chips above 16 MB need 4-byte addresses and are used
// as their first 16 MB. An erase takes the chip tens of milliseconds: the driver does not wait
// for it, but before the next command (the status register's WIP bit), so the kernel runs on.
import type { Flash } from '../flash.ts';
import type { StoreChip } from './pins.ts';

const READ_ID = 0x9f;
const READ_STATUS = 0x05;
const WRITE_STATUS = 0x01;
const WRITE_ENABLE = 0x06;
const READ = 0x03;
const PAGE_PROGRAM = 0x02;
const SECTOR_ERASE = 0x20;
/** Status register bits: write in progress; the block-protect bits BP0–BP2 (set by some chips at power-up). */
const WIP = 0x01;
const BLOCK_PROTECT = 0x1c;
/** A page program may not cross a 256-byte page (the chip wraps inside the page). */
const PAGE = 256;
/** 3-byte addresses reach 16 MB. */
const MAX_BYTES = 16 * 1024 * 1024;
/** Status polls before a chip is taken as hung (a sector erase is at most ~400 ms by the datasheets). */
const MAX_POLLS = 200000;

export class SpiNorFlash implements Flash {
  readonly sectorSize = 4096;
  readonly sectorCount: number;
  /** Manufacturer, memory type and capacity bytes of the JEDEC ID. */
  readonly jedecId: number[];
  private spi: any;
  private cs: string;

  constructor(chip: StoreChip) {
    this.spi = (global as any)[chip.spi];
    this.cs = chip.cs;
    this.spi.setup({ sck: chip.sck, miso: chip.miso, mosi: chip.mosi, baud: chip.baud || 8000000, mode: 0 });
    const id = this.spi.send([READ_ID, 0, 0, 0], this.cs);
    this.jedecId = [id[1], id[2], id[3]];
    // No chip answers all ones (MISO pulled up) or all zeros: the store must not run on nothing.
    if ((id[1] === 0xff && id[3] === 0xff) || (id[1] === 0 && id[3] === 0) || id[3] < 16 || id[3] > 31) {
      throw new Error('store chip: no SPI flash answers on ' + chip.spi + ' (JEDEC ID ' + id[1] + ',' + id[2] + ',' + id[3] + ')');
    }
    let bytes = Math.pow(2, id[3]);
    if (bytes > MAX_BYTES) bytes = MAX_BYTES;
    if (chip.maxBytes && chip.maxBytes < bytes) bytes = chip.maxBytes;
    this.sectorCount = Math.floor(bytes / this.sectorSize);
    // Block protection left on would make every program and erase fail silently.
    if (this.status() & BLOCK_PROTECT) {
      this.spi.send([WRITE_ENABLE], this.cs);
      this.spi.send([WRITE_STATUS, 0], this.cs);
      this.waitReady();
    }
  }

  read(addr: number, length: number): Uint8Array {
    if (length <= 0) return new Uint8Array(0);
    this.waitReady();
    const cmd = new Uint8Array(4 + length);
    cmd[0] = READ;
    this.address(cmd, addr);
    const d = this.spi.send(cmd, this.cs);
    return new Uint8Array(d.buffer, d.byteOffset + 4, length);
  }

  program(addr: number, data: Uint8Array): void {
    let off = 0;
    while (off < data.length) {
      const at = addr + off;
      let n = PAGE - (at % PAGE);
      if (n > data.length - off) n = data.length - off;
      const cmd = new Uint8Array(4 + n);
      cmd[0] = PAGE_PROGRAM;
      this.address(cmd, at);
      cmd.set(data.subarray(off, off + n), 4);
      this.waitReady();
      this.spi.send([WRITE_ENABLE], this.cs);
      this.spi.write(cmd, this.cs);
      off += n;
    }
  }

  erase(sector: number): void {
    const cmd = new Uint8Array(4);
    cmd[0] = SECTOR_ERASE;
    this.address(cmd, sector * this.sectorSize);
    this.waitReady();
    this.spi.send([WRITE_ENABLE], this.cs);
    this.spi.write(cmd, this.cs);
  }

  private address(cmd: Uint8Array, addr: number): void {
    cmd[1] = (addr >> 16) & 0xff;
    cmd[2] = (addr >> 8) & 0xff;
    cmd[3] = addr & 0xff;
  }

  private status(): number {
    return this.spi.send([READ_STATUS, 0], this.cs)[1];
  }

  /** Wait for the previous program or erase to finish (WIP clear). */
  private waitReady(): void {
    for (let i = 0; i < MAX_POLLS; i++) if ((this.status() & WIP) === 0) return;
    throw new Error('store chip: still busy after ' + MAX_POLLS + ' status reads');
  }
}
