// hal/espruino EspruinoFlash on a fake Flash module (4 KB pages, whole aligned 32-bit words that
// only clear bits): unaligned programs are padded with 0xFF and leave neighbours alone, erase
// hits the right page, the region is where the pin map says and clear of Espruino's own Storage.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import { ESP32_APPLIANCE as P } from '../../../hal/espruino/pins.ts';
import type { Flash } from '../../../hal/flash.ts';

const { EspruinoFlash } = await espruinoModule('flash');

function withFlash(f: (fk: FakeEspruino, fl: Flash) => void): void {
  const fk = new FakeEspruino();
  fk.install();
  try {
    f(fk, new EspruinoFlash(P) as Flash);
  } finally {
    fk.uninstall();
  }
}

test('geometry from the pin map; read is relative to the region', () => {
  withFlash((fk, fl) => {
    assert.is(fl.sectorSize, 4096);
    assert.is(fl.sectorCount, P.storeSectors);
    fk.flash.mem.set([1, 2, 3], P.storeAddress + 10);
    assert.equal([...fl.read(9, 5)], [0xff, 1, 2, 3, 0xff]);
    const empty = fl.read(9, 0);
    assert.instance(empty, Uint8Array);
    assert.is(empty.length, 0);
  });
});

test('programs of every alignment and length: whole words written, the bytes asked for set, neighbours unchanged', () => {
  withFlash((fk, fl) => {
    for (let lead = 0; lead < 4; lead++) {
      for (let len = 1; len <= 9; len++) {
        fk.flash.mem.fill(0xff, P.storeAddress, P.storeAddress + 64);
        // neighbours already programmed: they must survive (a pad byte other than 0xFF would clear bits)
        fk.flash.mem.fill(0x5a, P.storeAddress, P.storeAddress + 64);
        const at = 16 + lead;
        fk.flash.mem.fill(0xff, P.storeAddress + at, P.storeAddress + at + len);
        const data = new Uint8Array(len).map((_, i) => 0xa0 + i);
        fk.flash.writes.length = 0;
        fl.program(at, data);
        for (const w of fk.flash.writes) {
          assert.is(w.addr % 4, 0);
          assert.is(w.length % 4, 0);
          assert.ok(w.addr <= P.storeAddress + at && w.addr + w.length >= P.storeAddress + at + len);
          assert.ok(w.length - len < 8, 'padding of at most 3 bytes each side');
        }
        const got = fl.read(0, 64);
        for (let i = 0; i < 64; i++) {
          const want = i >= at && i < at + len ? 0xa0 + i - at : 0x5a;
          if (got[i] !== want) assert.unreachable(`lead ${lead} len ${len}: byte ${i} is ${got[i]}, want ${want}`);
        }
      }
    }
  });
});

test('a program from a subarray writes the view, not the buffer behind it', () => {
  withFlash((fk, fl) => {
    const buf = new Uint8Array([9, 9, 9, 9, 1, 2, 3, 4, 9, 9, 9, 9]);
    fl.program(8, buf.subarray(4, 8));
    assert.equal([...fl.read(4, 12)], [0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 0xff, 0xff, 0xff, 0xff]);
  });
});

test('erase(n) erases the page at the region start + n × 4096', () => {
  withFlash((fk, fl) => {
    fl.program(3 * 4096 + 8, new Uint8Array([0, 0, 0, 0]));
    fl.erase(3);
    assert.equal(fk.flash.erased, [P.storeAddress + 3 * 4096]);
    assert.equal([...fl.read(3 * 4096 + 8, 4)], [0xff, 0xff, 0xff, 0xff]);
    fl.erase(P.storeSectors - 1);
    assert.is(fk.flash.erased[1], P.storeAddress + (P.storeSectors - 1) * 4096);
  });
});

test("the store's region is sector-aligned, within the 4 MB the Flash module reaches, and clear of the firmware and Espruino's Storage", () => {
  const start = P.storeAddress;
  const end = start + P.storeSectors * 4096;
  assert.is(start % 4096, 0);
  assert.ok(end <= 4 * 1024 * 1024, 'past FLASH_MAX (4 MB) of the ESP32 build');
  // ESP32 builds (boards/ESP32*.py, the partition tables): the app from 0x10000, at most 1344 KB of
  // firmware; the 'storage' partition, where the saved code lives, 0x320000–0x3FFFFF.
  assert.ok(start >= 0x10000 + 1344 * 1024, 'overlaps the firmware image');
  assert.ok(end <= 0x320000, `overlaps Storage (0x320000…): the store is 0x${start.toString(16)}–0x${end.toString(16)}`);
});

test.run();
