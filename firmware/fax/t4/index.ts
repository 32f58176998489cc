// Page coding: ITU-T T.4 (MH, MR) and T.6 (MMR), streaming, in fixed memory.
//
//   const d = new T4Decoder({ coding: 'mh', width: 1728, bitOrder: 'lsb-first', onRow: (row, i, bad) => … });
//   d.push(bytes); …; d.end();          // onEnd(d) is called once when the page is over
//   d.lines, d.badLines, d.maxBadRun, d.badRun, d.fatal (MMR), d.endMarker (RTC/EOFB seen), d.done
//   Without onRow the decoder only checks and counts lines (the T.30 receiver's RTN decision).
//   page: bitmap paints the rows straight into a page buffer (row i at i * ceil(width/8)).
//   rows: N stops after N rows (TIFF strips); d.trailingBytes counts input after the page's end;
//   expectEndMarker: true sets d.truncated when end() comes before RTC/EOFB.
//
//   const e = new T4Encoder({ coding: 'mr', width: 1728, k: 4, bitOrder: 'lsb-first',
//                             minLineBits: 288, byteAlignedEol: false, onData: (bytes) => … });
//   e.encodeRow(row); …; e.finish();   // finish() appends RTC (six EOLs) or EOFB (endMarker: false: neither)
//   e.flush() hands out what is coded so far (otherwise output comes in blocks of about 1-2 KB).
//
// Rows are packed 1-bit pixels, MSB first, 1 = black, ceil(width / 8) bytes (as hal/scanner.ts
// and hal/printer.ts). Arrays handed to callbacks are reused: copy them to keep them.
// Decoder: a bad MH/MR line is counted and concealed by repeating the previous row; an MMR error
// is fatal for the rest of the page (no more rows, `fatal` set). Hostile input never throws out
// of push()/end() and never grows memory. The encoder throws only on misuse (bad width, rows
// after finish()).
// Transformations for the sender: LineDropper (fine -> standard), WidthScaler (wide -> narrow),
// WidthPadder (narrow -> wide), and T4Transcoder chaining decoder -> transforms -> encoder:
//   const t = new T4Transcoder({ fromCoding: 'mmr', fromWidth: 2048, toCoding: 'mh', toWidth: 1728,
//                                halveLines: 1, toBitOrder: 'lsb-first', minLineBits: 288, onData });
//   t.push(stored); t.end();   // t.decoder has the counters
// Host side (Node): host/image/tiff.ts (TIFF-F/FX), pbm.ts, png.ts, raw.ts (wire data files),
// resample.ts; `faxvault convert` (cli/commands/convert.ts) fronts them.
export { T4Decoder } from './decoder.ts';
export { T4Encoder } from './encoder.ts';
export { LineDropper, WidthScaler, WidthPadder } from './transform.ts';
export { T4Transcoder } from './transcoder.ts';
export type { T4TranscoderOptions } from './transcoder.ts';
export type { T4Coding, T4BitOrder, T4DecoderOptions, T4EncoderOptions } from './options.ts';
export { setT4Trace } from './options.ts';
