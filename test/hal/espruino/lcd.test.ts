// hal/espruino EspruinoLcd on a fake HD44780 (controller DDRAM and display control): lines are
// padded or cut to 20 columns at the right row; the cursor is shown where asked and hidden.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import { ESP32_APPLIANCE as P } from '../../../hal/espruino/pins.ts';
import type { Lcd } from '../../../hal/lcd.ts';

const { EspruinoLcd } = await espruinoModule('lcd');

function withLcd(f: (fk: FakeEspruino, l: Lcd) => void): void {
  const fk = new FakeEspruino();
  fk.install();
  try {
    f(fk, new EspruinoLcd(P) as Lcd);
  } finally {
    fk.uninstall();
  }
}

test('connected with rs, en, d4..d7 of the pin map', () => {
  withLcd((fk) => {
    assert.equal(fk.lcd.pins, P.lcd);
  });
});

test('setLine pads short text and cuts long text to 20 columns, on its own row only', () => {
  withLcd((fk, l) => {
    l.setLine(0, 'IDLE');
    l.setLine(1, 'MEM 0%  CONF 0 and more than twenty');
    assert.is(fk.lcd.line(0), 'IDLE                ');
    assert.is(fk.lcd.line(1), 'MEM 0%  CONF 0 and m');
    l.setLine(0, '12345678901234567890');
    assert.is(fk.lcd.line(0), '12345678901234567890');
    assert.is(fk.lcd.line(1), 'MEM 0%  CONF 0 and m');
    l.setLine(1, '');
    assert.is(fk.lcd.line(1), ' '.repeat(20));
    // nothing spills into the hidden DDRAM past column 20 of either row
    assert.ok(fk.lcd.ddram.slice(0x14, 0x40).every((c) => c === 0x20));
    assert.ok(fk.lcd.ddram.slice(0x54).every((c) => c === 0x20));
  });
});

test('setCursor shows the cursor at (row, col) and keeps it there while lines change; row < 0 hides it', () => {
  withLcd((fk, l) => {
    l.setLine(0, 'Date/time');
    l.setCursor(1, 5);
    assert.ok(fk.lcd.cursorVisible());
    assert.is(fk.lcd.addr, 0x40 + 5);
    l.setLine(0, 'Date/time 2');
    l.setLine(1, '2611251230');
    assert.is(fk.lcd.addr, 0x40 + 5, 'the cursor moved with the text written');
    l.setCursor(-1, 0);
    assert.not.ok(fk.lcd.cursorVisible(), 'cursor(false) shows an underline cursor, it does not hide it');
    assert.is(fk.lcd.line(0), 'Date/time 2         ');
  });
});

test.run();
