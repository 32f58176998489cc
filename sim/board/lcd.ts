// The LCD of the simulated board: keeps the two lines, a history of whole screens (for tests and
// scripted runs) and tells a listener on each change (the terminal view).
import type { Lcd } from '../../hal/lcd.ts';
import { LCD_COLS, LCD_ROWS } from '../../hal/lcd.ts';

export interface Screen {
  time: number;
  lines: string[];
}

export class SimLcd implements Lcd {
  lines: string[] = [];
  cursor = { row: -1, col: 0 };
  history: Screen[] = [];
  onChange: ((lines: string[]) => void) | null = null;

  constructor(private now: () => number) {
    for (let i = 0; i < LCD_ROWS; i++) this.lines.push(' '.repeat(LCD_COLS));
  }

  setLine(row: number, text: string): void {
    if (row < 0 || row >= LCD_ROWS) throw new Error(`LCD row ${row} out of range`);
    const t = text.length > LCD_COLS ? text.slice(0, LCD_COLS) : text.padEnd(LCD_COLS);
    if (this.lines[row] === t) return;
    this.lines[row] = t;
    const screen = { time: this.now(), lines: this.lines.slice() };
    // Both rows written in one dispatch are one screen.
    const last = this.history[this.history.length - 1];
    if (last && last.time === screen.time && row > 0) this.history[this.history.length - 1] = screen;
    else this.history.push(screen);
    if (this.history.length > 5000) this.history.shift();
    if (this.onChange) this.onChange(this.lines.slice());
  }

  setCursor(row: number, col: number): void {
    this.cursor = { row, col };
  }

  /** The screen as two framed lines, for the terminal and logs. */
  text(): string {
    return renderScreen(this.lines);
  }
}

export function renderScreen(lines: string[]): string {
  const bar = '+' + '-'.repeat(LCD_COLS) + '+';
  return [bar, ...lines.map((l) => '|' + l + '|'), bar].join('\n');
}
