// Options of the page coder objects (see index.ts for the overview).

/** T.4 one-dimensional (MH), T.4 two-dimensional (MR) or T.6 (MMR). */
export type T4Coding = 'mh' | 'mr' | 'mmr';

/**
 * Bit order of the coded bytes: 'lsb-first' as sent on the Class 1 modem wire (the first bit of
 * the coded stream is bit 0 of the first byte; TIFF FillOrder 2), 'msb-first' as in most files
 * (TIFF FillOrder 1).
 */
export type T4BitOrder = 'lsb-first' | 'msb-first';

export interface T4DecoderOptions {
  coding: T4Coding;
  /** Pixels per line (1728, 2048, 2432, …; at most 16384). */
  width: number;
  /** Default 'msb-first'. */
  bitOrder?: T4BitOrder;
  /** MR K parameter. Informational: the decoder follows each line's tag bit. */
  k?: number;
  /** EOLs byte-aligned (T.4 §4.1.2 / TIFF T4Options bit 2). Informational: both are accepted. */
  byteAlignedEol?: boolean;
  /** Stop after this many rows (a TIFF strip's row count); otherwise RTC/EOFB or end() ends the page. */
  rows?: number;
  /** The page should end with RTC/EOFB (T.30 reception): if end() comes first, `truncated` is set. */
  expectEndMarker?: boolean;
  /**
   * Each row as packed 1-bit pixels (MSB first, 1 = black, ceil(width/8) bytes); `bad` when the
   * line did not decode and the row is the previous one repeated. The array is reused for the
   * next row: copy it to keep it, and do not modify it. Null or absent: rows are only checked
   * and counted, not painted (the T.30 receiver's line check, cheaper).
   */
  onRow?: ((row: Uint8Array, index: number, bad: boolean) => void) | null;
  /**
   * Rows painted straight into this buffer (a page or strip bitmap) instead of a row of the
   * decoder's own: row i at byte i * ceil(width/8); rows past its end are not painted (they are
   * still counted). The decoder clears the rows it paints. Saves a copy per row. With onRow as well,
   * onRow gets each row as a view of this buffer (or, past its end, the decoder's own row).
   */
  page?: Uint8Array | null;
  /** Called once when the page is over (end marker, row count, fatal MMR error, or end()). */
  onEnd?: (d: { lines: number; badLines: number; maxBadRun: number; fatal: boolean; endMarker: boolean }) => void;
  /** State transitions and bad lines, one line each; default: the module-wide t4Trace (off). */
  trace?: ((line: string) => void) | null;
}

export interface T4EncoderOptions {
  coding: T4Coding;
  width: number;
  /** Default 'msb-first'. */
  bitOrder?: T4BitOrder;
  /** MR: at most K-1 two-dimensional lines after each one-dimensional line (T.4 §4.2.1.1). Default 2. */
  k?: number;
  /** Fill before each EOL so it ends on a byte boundary (T.4 §4.1.2). Default false. */
  byteAlignedEol?: boolean;
  /**
   * T.30 minimum scan line time as bits (bit rate × time): each coded line, counted from the
   * start of its EOL to the start of the next, is filled with zeros to at least this many bits
   * (T.4 §4.1.3). Default 0. Not used for MMR.
   */
  minLineBits?: number;
  /** Write RTC (MH/MR, T.4 §4.1.4) or EOFB (MMR, T.6 §2.4) at finish(). Default true. */
  endMarker?: boolean;
  /** Coded bytes; the array is only valid during the call (copy it to keep it). */
  onData: (bytes: Uint8Array) => void;
}

/** Where every coder object traces unless its options say otherwise (null = off). */
export let t4Trace: ((line: string) => void) | null = null;

export function setT4Trace(f: ((line: string) => void) | null): void {
  t4Trace = f;
}
