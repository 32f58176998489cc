// hal/espruino SpiNorFlash on a fake SPI bus with a serial NOR chip behind it, modelled on the
// datasheets of the common parts (W25Q32/W25Q128): JEDEC ID 9Fh, status 05h (WIP busy for a
// while after a program or erase, WEL), write enable 06h (cleared by each program/erase), read
// 03h, page program 02h (wraps inside its 256-byte page, only clears bits), 4 KB sector erase
// 20h, write status 01h (block protect bits). The store's size comes from the chip; the store
// runs on it; and the board builds it from the pin map's storeChip.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import { ESP32_APPLIANCE as P } from '../../../hal/espruino/pins.ts';
import type { Flash } from '../../../hal/flash.ts';
import type { Board } from '../../../hal/board.ts';
import { Store, storeCapacity } from '../../../firmware/store/index.ts';

const { SpiNorFlash } = await espruinoModule('spi-flash');
const { createEspruinoBoard } = await espruinoModule('board');

class FakeNorChip {
  mem: Uint8Array;
  wel = false;
  /** Status reads that still answer busy. */
  busy = 0;
  protect = 0x1c;
  ops: string[] = [];
  setups: Record<string, unknown>[] = [];
  constructor(readonly capacityCode: number, readonly busyReads = 3) {
    this.mem = new Uint8Array(Math.pow(2, capacityCode)).fill(0xff);
  }
  setup(o: Record<string, unknown>): void {
    this.setups.push(o);
  }
  /** One chip-select cycle: bytes out, bytes in (as SPI.send returns them). */
  send(data: number[] | Uint8Array, cs: string): Uint8Array {
    assert.is(cs, 'D5');
    const d = Uint8Array.from(data);
    const out = new Uint8Array(d.length);
    const addr = (d[1] << 16) | (d[2] << 8) | d[3];
    switch (d[0]) {
      case 0x9f:
        out.set([0, 0xef, 0x40, this.capacityCode].slice(0, d.length));
        break;
      case 0x05:
        if (d.length > 1) out[1] = (this.busy > 0 ? 1 : 0) | (this.wel ? 2 : 0) | this.protect;
        if (this.busy > 0) this.busy--;
        break;
      case 0x06:
        assert.is(this.busy, 0, 'write enable while busy');
        this.wel = true;
        break;
      case 0x01:
        if (this.wel) this.protect = d[1] & 0x1c;
        this.wel = false;
        this.busy = this.busyReads;
        break;
      case 0x03:
        assert.is(this.busy, 0, 'read while busy');
        for (let i = 4; i < d.length; i++) out[i] = this.mem[(addr + i - 4) % this.mem.length];
        break;
      case 0x02: {
        assert.is(this.busy, 0, 'program while busy');
        this.ops.push('program ' + addr + '+' + (d.length - 4));
        if (this.wel && !this.protect) {
          const page = addr & ~255;
          for (let i = 4; i < d.length; i++) this.mem[page + ((addr + i - 4) & 255)] &= d[i];
        }
        this.wel = false;
        this.busy = this.busyReads;
        break;
      }
      case 0x20:
        assert.is(this.busy, 0, 'erase while busy');
        this.ops.push('erase ' + addr);
        if (this.wel && !this.protect) this.mem.fill(0xff, addr & ~4095, (addr & ~4095) + 4096);
        this.wel = false;
        this.busy = this.busyReads * 10;
        break;
      default:
        throw new Error('unknown command ' + d[0]);
    }
    return out;
  }
  write(data: number[] | Uint8Array, cs: string): void {
    this.send(data, cs);
  }
}

const WIRING = { spi: 'SPI2', sck: 'D18', miso: 'D19', mosi: 'D23', cs: 'D5' };

function withChip(chip: FakeNorChip, f: (fk: FakeEspruino) => void): void {
  const fk = new FakeEspruino();
  fk.install();
  (globalThis as Record<string, unknown>).SPI2 = chip;
  try {
    f(fk);
  } finally {
    delete (globalThis as Record<string, unknown>).SPI2;
    fk.uninstall();
  }
}

test('the size is the chip\'s (JEDEC ID), block protection is cleared, the bus is set up as wired', () => {
  for (const [code, sectors] of [[0x16, 1024], [0x18, 4096], [0x19, 4096]]) {
    const chip = new FakeNorChip(Math.min(code, 0x18));
    (chip as { capacityCode: number }).capacityCode = code; // a 32 MB chip answers 0x19: used as its first 16 MB
    withChip(chip, () => {
      const fl = new SpiNorFlash(WIRING) as Flash;
      assert.is(fl.sectorSize, 4096);
      assert.is(fl.sectorCount, sectors, 'capacity code ' + code);
      assert.is(chip.protect, 0);
      assert.equal(chip.setups[0], { sck: 'D18', miso: 'D19', mosi: 'D23', baud: 8000000, mode: 0 });
    });
  }
  const capped = new FakeNorChip(0x16);
  withChip(capped, () => assert.is((new SpiNorFlash({ ...WIRING, maxBytes: 1 << 20 }) as Flash).sectorCount, 256));
});

test('no chip on the bus (all ones or all zeros) is an error, not a store of nothing', () => {
  for (const code of [0xff, 0]) {
    const chip = new FakeNorChip(0x10);
    chip.send = (d) => new Uint8Array(d.length).fill(code);
    withChip(chip, () => assert.throws(() => new SpiNorFlash(WIRING), /no SPI flash answers on SPI2/));
  }
});

test('programs split at 256-byte pages, wait for the chip, only clear bits; erase hits its sector', () => {
  const chip = new FakeNorChip(0x14);
  withChip(chip, () => {
    const fl = new SpiNorFlash(WIRING) as Flash;
    const data = new Uint8Array(600).map((_, i) => (i * 7) & 0xff);
    fl.program(4096 + 200, data);
    assert.equal(chip.ops, ['program 4296+56', 'program 4352+256', 'program 4608+256', 'program 4864+32']);
    assert.equal([...fl.read(4096 + 200, 600)], [...data]);
    fl.program(4096 + 200, new Uint8Array([0xf0]));
    assert.is(fl.read(4096 + 200, 1)[0], data[0] & 0xf0);
    assert.equal([...fl.read(4096 + 199, 1)], [0xff]);
    fl.erase(1);
    assert.equal(chip.ops[chip.ops.length - 1], 'erase 4096');
    assert.ok(fl.read(4096, 4096).every((b) => b === 0xff));
    assert.is(fl.read(0, 0).length, 0);
  });
});

test('the store runs on the chip: a document written, remounted, the capacity from the chip', () => {
  const chip = new FakeNorChip(0x16); // 4 MB
  withChip(chip, () => {
    const fl = new SpiNorFlash(WIRING) as Flash;
    const s = new Store(fl);
    s.mount();
    const w = s.beginDocument({ dir: 'rx', time: 0, remote: 'x', sub: '', box: '' })!;
    w.beginPage({ coding: 'mh', width: 1728, linesPerMm: 7.7, bitOrder: 'lsb-first' });
    const page = new Uint8Array(20000).map((_, i) => i & 0xff);
    assert.ok(w.write(page));
    assert.ok(w.endPage());
    w.close('ok');
    const again = new Store(new SpiNorFlash(WIRING) as Flash);
    again.mount();
    assert.is(again.documents().length, 1);
    const r = again.readPage(again.documents()[0].id, 0)!;
    const got: number[] = [];
    for (let b = r.next(); b; b = r.next()) got.push(...b);
    assert.equal(got, [...page]);
    const c = storeCapacity(again);
    assert.is(c.flashBytes, 4 << 20);
    assert.ok(c.totalPages >= 68 && c.totalPages <= 70, String(c.totalPages));
  });
});

test('the board takes the store chip from the pin map (and the internal region without one)', () => {
  const chip = new FakeNorChip(0x16);
  withChip(chip, () => {
    const b = createEspruinoBoard({ ...P, storeChip: WIRING }) as Board;
    assert.is(b.flash.sectorCount, 1024);
    assert.is((createEspruinoBoard(P) as Board).flash.sectorCount, P.storeSectors);
  });
});

test.run();
