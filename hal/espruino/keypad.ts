// Matrix keypad (4 rows × 6 columns) through Espruino's KeyPad module.
import type { Keypad, KeyName } from '../keypad.ts';
import type { PinMap } from './pins.ts';

// Row-major key layout of the appliance's front panel (4 rows × 6 columns, two spare).
const LAYOUT: (KeyName | null)[] = [
  '1', '2', '3', 'MENU', 'BOX', 'BACK',
  '4', '5', '6', 'UP', 'REPORT', 'STOP',
  '7', '8', '9', 'DOWN', 'SPEED', 'START',
  '*', '0', '#', 'OK', null, null,
];

export class EspruinoKeypad implements Keypad {
  onKey: ((key: KeyName) => void) | null = null;
  constructor(pins: PinMap) {
    const self = this;
    require('KeyPad').connect(pins.keypadCols, pins.keypadRows, function (index: number) {
      const k = LAYOUT[index];
      if (k && self.onKey) self.onKey(k);
    });
  }
}
