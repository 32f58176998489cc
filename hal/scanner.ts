// Sheet-fed scanner: one line of pixels at a time, never a whole page.

export interface ScanPageInfo {
  /** Pixels per line (1728 for A4 at 8 dots/mm). */
  width: number;
  /** Lines per mm: 3.85 standard, 7.7 fine, 15.4 superfine. */
  linesPerMm: number;
}

export interface Scanner {
  documentPresent(): boolean;
  /** Start scanning the next sheet; false when the feeder is empty. */
  beginPage(): ScanPageInfo | null;
  /** Next line as packed 1-bit pixels (MSB first, 1 = black) of ceil(width/8) bytes; null at page end. */
  nextLine(): Uint8Array | null;
  onDocument: ((present: boolean) => void) | null;
}
