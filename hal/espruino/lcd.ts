// HD44780 character LCD through Espruino's HD44780 module (4-bit parallel).
import type { Lcd } from '../lcd.ts';
import { LCD_COLS } from '../lcd.ts';
import type { PinMap } from './pins.ts';

export class EspruinoLcd implements Lcd {
  private dev: any;
  constructor(pins: PinMap) {
    const p = pins.lcd;
    this.dev = require('HD44780').connect(p[0], p[1], p[2], p[3], p[4], p[5]);
  }
  setLine(row: number, text: string): void {
    let t = text.length > LCD_COLS ? text.substring(0, LCD_COLS) : text;
    while (t.length < LCD_COLS) t += ' ';
    this.dev.setCursor(0, row);
    this.dev.print(t);
  }
  setCursor(row: number, col: number): void {
    if (row < 0) this.dev.cursor(false);
    else {
      this.dev.setCursor(col, row);
      this.dev.cursor(true);
    }
  }
}
