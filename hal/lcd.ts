// Character LCD, 2 lines of 20 characters.

export const LCD_COLS = 20;
export const LCD_ROWS = 2;

export interface Lcd {
  /** Write text at a row from column 0; padded or cut to LCD_COLS. */
  setLine(row: number, text: string): void;
  /** Show the cursor at (row, col), or hide it with row < 0. */
  setCursor(row: number, col: number): void;
}
