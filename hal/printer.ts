// Thermal/laser print engine: pages are fed line by line.

export interface PrintPageInfo {
  width: number;
  linesPerMm: number;
}

export interface Printer {
  paperPresent(): boolean;
  /** Start a page; false when it cannot (no paper). */
  beginPage(info: PrintPageInfo): boolean;
  /** One line of packed 1-bit pixels (MSB first, 1 = black). False when the line was not printed (paper ran out). */
  line(row: Uint8Array): boolean;
  /** Finish and eject the page; false if the page did not come out whole. */
  endPage(): boolean;
  /** Paper loaded or removed. */
  onPaper: ((present: boolean) => void) | null;
}
