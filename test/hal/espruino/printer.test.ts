// hal/espruino EspruinoPrinter on a fake interpreter: ESC/POS on its own UART (not the console's
// Serial1), each line a one-line GS v 0 raster of at most 216 bytes (1728 dots), nothing printed
// without paper, the paper sensor reported.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeEspruino, FakeSerial, espruinoModule } from './fake-espruino.ts';
import { ESP32_APPLIANCE as P } from '../../../hal/espruino/pins.ts';
import type { Printer } from '../../../hal/printer.ts';

const { EspruinoPrinter } = await espruinoModule('printer');

function withPrinter(f: (fk: FakeEspruino, p: Printer, port: FakeSerial) => void): void {
  const fk = new FakeEspruino();
  fk.install();
  try {
    fk.pins[P.paperSensor] = 0; // paper in
    const p = new EspruinoPrinter(P) as Printer;
    const port = Object.values(fk.serial).find((s) => s.setups.length > 0)!;
    f(fk, p, port);
  } finally {
    fk.uninstall();
  }
}

test('the printer UART is set up with the pin map tx, and it is not the console (Serial1)', () => {
  withPrinter((_fk, _p, port) => {
    assert.ok(port);
    assert.is.not(port.name, 'Serial1');
    assert.is(port.name, P.printerUart);
    assert.is(port.setups[0].opts.tx, P.printerTx);
    // without rx, Serial3 on an ESP32 takes GPIO16, the modem's receive line (jshardwareUart.c)
    assert.ok(port.setups[0].opts.rx, 'no rx pin given');
    const used = [P.modemRx, P.modemTx, P.modemDtr, P.hookRelay, P.ringDetect, P.loopCurrent, P.paperSensor, P.printerTx, ...P.lcd, ...P.keypadRows, ...P.keypadCols];
    assert.not.ok(used.includes(port.setups[0].opts.rx as string), 'the printer rx is a pin used for something else');
  });
});

test('a page: ESC @, then one GS v 0 raster line per line (cut to 216 bytes), then feed and cut', () => {
  withPrinter((_fk, p, port) => {
    assert.ok(p.paperPresent());
    assert.ok(p.beginPage({ width: 1728, linesPerMm: 7.7 }));
    assert.equal(port.take(), [0x1b, 0x40]);
    const wide = new Uint8Array(304).map((_, i) => i & 0xff); // a B4 line not reduced
    assert.ok(p.line(wide));
    const out = port.take();
    assert.equal(out.slice(0, 8), [0x1d, 0x76, 0x30, 0, 216, 0, 1, 0]);
    assert.is(out.length, 8 + 216);
    assert.equal(out.slice(8), [...wide.subarray(0, 216)]);
    const narrow = new Uint8Array(100).fill(0xaa);
    assert.ok(p.line(narrow));
    const o2 = port.take();
    assert.equal(o2.slice(0, 8), [0x1d, 0x76, 0x30, 0, 100, 0, 1, 0]);
    assert.is(o2.length, 108);
    assert.ok(p.endPage());
    assert.equal(port.take(), [0x1b, 0x64, 4, 0x1d, 0x56, 1]);
    assert.is(p.line(narrow), false, 'no line outside a page');
    assert.is(p.endPage(), false);
  });
});

test('without paper: no page, no line; the sensor changes are reported', () => {
  withPrinter((fk, p, port) => {
    const seen: boolean[] = [];
    p.onPaper = (x) => seen.push(x);
    assert.ok(p.beginPage({ width: 1728, linesPerMm: 3.85 }));
    port.take();
    fk.level(P.paperSensor, 1); // paper ran out
    assert.equal(seen, [false]);
    assert.is(p.paperPresent(), false);
    assert.is(p.line(new Uint8Array(216)), false);
    assert.equal(port.take(), []);
    assert.is(p.endPage(), false, 'the page did not come out whole');
    port.take();
    assert.is(p.beginPage({ width: 1728, linesPerMm: 3.85 }), false);
    assert.equal(port.take(), []);
    fk.level(P.paperSensor, 0);
    assert.equal(seen, [false, true]);
    assert.ok(p.beginPage({ width: 1728, linesPerMm: 3.85 }));
  });
});

test.run();
