// hal/espruino EspruinoKeypad on a fake KeyPad module: the module's index (column + row × 6)
// maps to the front panel's key names, every key once, the spare positions to nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import { ESP32_APPLIANCE as P } from '../../../hal/espruino/pins.ts';
import { KEY_NAMES } from '../../../hal/keypad.ts';
import type { Keypad, KeyName } from '../../../hal/keypad.ts';

const { EspruinoKeypad } = await espruinoModule('keypad');

test('columns and rows go to the module as columns and rows', () => {
  const fk = new FakeEspruino();
  fk.install();
  try {
    new EspruinoKeypad(P);
    assert.equal(fk.keypad.columns, P.keypadCols);
    assert.equal(fk.keypad.rows, P.keypadRows);
  } finally {
    fk.uninstall();
  }
});

test('every matrix position gives the front panel key printed there; every key exactly once', () => {
  const fk = new FakeEspruino();
  fk.install();
  try {
    const k = new EspruinoKeypad(P) as Keypad;
    const got: (KeyName | null)[][] = [];
    for (let r = 0; r < P.keypadRows.length; r++) {
      got.push([]);
      for (let c = 0; c < P.keypadCols.length; c++) {
        let key: KeyName | null = null;
        k.onKey = (n) => (key = n);
        fk.keypad.press(r, c);
        got[r].push(key);
      }
    }
    assert.equal(got, [
      ['1', '2', '3', 'MENU', 'BOX', 'BACK'],
      ['4', '5', '6', 'UP', 'REPORT', 'STOP'],
      ['7', '8', '9', 'DOWN', 'SPEED', 'START'],
      ['*', '0', '#', 'OK', null, null],
    ]);
    const all = got.flat().filter((x) => x !== null).sort();
    assert.equal(all, [...KEY_NAMES].sort());
    // no callback installed yet: a press is ignored, not an error
    k.onKey = null;
    fk.keypad.press(0, 0);
  } finally {
    fk.uninstall();
  }
});

test('a bouncing contact gives one key; the same key pressed again later, or another key at once, counts', () => {
  const fk = new FakeEspruino();
  fk.install();
  try {
    const k = new EspruinoKeypad(P) as Keypad;
    const got: KeyName[] = [];
    k.onKey = (n) => got.push(n);
    fk.keypad.press(0, 0);
    fk.advance(3);
    fk.keypad.press(0, 0); // bounce
    fk.advance(5);
    fk.keypad.press(0, 0); // bounce
    assert.equal(got, ['1']);
    fk.advance(150);
    fk.keypad.press(0, 0); // pressed again
    fk.advance(2);
    fk.keypad.press(0, 1); // another key
    assert.equal(got, ['1', '1', '2']);
    fk.advance(200);
    fk.setTime(fk.getTime() - 60); // the date set back: still a new press
    fk.keypad.press(0, 1);
    assert.equal(got, ['1', '1', '2', '2']);
  } finally {
    fk.uninstall();
  }
});

test.run();
