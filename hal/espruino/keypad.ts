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

/** The KeyPad module watches every edge without debouncing: a contact that bounces reports its
 *  key again within a few milliseconds. A repeat of the same key within this is dropped. */
const BOUNCE_MS = 50;

export class EspruinoKeypad implements Keypad {
  onKey: ((key: KeyName) => void) | null = null;
  private lastIndex = -1;
  private lastTime = 0;
  constructor(pins: PinMap) {
    const self = this;
    require('KeyPad').connect(pins.keypadCols, pins.keypadRows, function (index: number) {
      // getTime() moves with setTime(): a negative gap is not a bounce.
      const t = getTime() * 1000;
      const gap = t - self.lastTime;
      const bounce = index === self.lastIndex && gap >= 0 && gap < BOUNCE_MS;
      self.lastIndex = index;
      self.lastTime = t;
      if (bounce) return;
      const k = LAYOUT[index];
      if (k && self.onKey) self.onKey(k);
    });
  }
}
