// HD44780 character LCD through Espruino's HD44780 module (4-bit parallel).
import type { Lcd } from '../lcd.ts';
import { LCD_COLS } from '../lcd.ts';
import type { PinMap } from './pins.ts';

export class EspruinoLcd implements Lcd {
  private dev: any;
  /** Where the cursor is shown (row < 0: hidden). Writing text moves the controller's address. */
  private curRow = -1;
  private curCol = 0;
  constructor(pins: PinMap) {
    const p = pins.lcd;
    this.dev = require('HD44780').connect(p[0], p[1], p[2], p[3], p[4], p[5]);
  }
  setLine(row: number, text: string): void {
    let t = text.length > LCD_COLS ? text.substring(0, LCD_COLS) : text;
    while (t.length < LCD_COLS) t += ' ';
    this.dev.setCursor(0, row);
    this.dev.print(t);
    // Printing moved the controller's address (the visible cursor) to the end of this line.
    if (this.curRow >= 0) this.dev.setCursor(this.curCol, this.curRow);
  }
  setCursor(row: number, col: number): void {
    this.curRow = row;
    this.curCol = col;
    // The module's cursor(false) shows an underline cursor (0x0E); display on with the cursor
    // off is the HD44780 display-control command 0x0C.
    if (row < 0) this.dev.write(0x0c, 1);
    else {
      this.dev.setCursor(col, row);
      this.dev.cursor(true);
    }
  }
}
