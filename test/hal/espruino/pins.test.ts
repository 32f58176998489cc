// hal/espruino/pins.ts: the ESP32 board's wiring is consistent — no GPIO given two jobs, none on
// the SPI flash (GPIO6–11), outputs and pins needing an internal pull not on the input-only
// GPIO34–39 (they have no output driver and no pull resistors), UARTs named as the interpreter
// names them, and the printer's not the console's (Serial1 is UART0 on GPIO1/3).
// (Known and left to the board's designer: keypad column D1 is the console's TX, GPIO1; every
// other usable GPIO is taken — an I2C backpack for the LCD would free four.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ESP32_APPLIANCE as P } from '../../../hal/espruino/pins.ts';

const num = (pin: string) => {
  const m = /^D(\d+)$/.exec(pin);
  assert.ok(m, 'pin name ' + pin);
  return Number(m![1]);
};

test('every GPIO has one job, none is on the SPI flash', () => {
  const all = [P.modemRx, P.modemTx, P.modemDtr, P.hookRelay, P.ringDetect, P.loopCurrent, ...P.lcd, ...P.keypadRows, ...P.keypadCols, P.printerTx, P.printerRx, P.paperSensor];
  const seen = new Map<string, number>();
  for (const p of all) seen.set(p, (seen.get(p) || 0) + 1);
  assert.equal([...seen].filter(([, n]) => n > 1), []);
  for (const p of all) assert.ok(num(p) < 6 || num(p) > 11, p + ' is wired to the SPI flash');
  assert.is(P.lcd.length, 6);
  assert.is(P.keypadRows.length * P.keypadCols.length, 24);
});

test('outputs, UART lines and keypad columns (internal pull-downs) are not on input-only GPIO34–39', () => {
  const needsOutputOrPull = [P.modemTx, P.modemDtr, P.hookRelay, ...P.lcd, ...P.keypadRows, ...P.keypadCols, P.printerTx];
  for (const p of needsOutputOrPull) assert.ok(num(p) < 34, p + ' is input-only');
});

test('the UARTs: modem on Serial2, printer on another one that is not the console', () => {
  assert.ok(/^Serial[23]$/.test(P.printerUart));
  assert.is.not(P.printerUart, 'Serial2');
  assert.ok(P.modemBaud >= 19200);
});

test.run();
