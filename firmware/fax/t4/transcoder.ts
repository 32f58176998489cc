// Re-coding a stored page for a remote that cannot take it as it is (T.30 sender): decode,
// drop lines (fine -> standard), scale the width, encode in the coding the remote accepts. One
// row in flight; memory is the decoder's and encoder's fixed buffers.
import { T4Decoder } from './decoder.ts';
import { T4Encoder } from './encoder.ts';
import { LineDropper, WidthScaler, WidthPadder } from './transform.ts';
import type { T4Coding, T4BitOrder } from './options.ts';

export interface T4TranscoderOptions {
  /** The stored page. */
  fromCoding: T4Coding;
  fromWidth: number;
  fromBitOrder?: T4BitOrder;
  /** What the remote takes. */
  toCoding: T4Coding;
  /** Default: fromWidth. Narrower scales down (keeping the aspect), wider centres. */
  toWidth?: number;
  toBitOrder?: T4BitOrder;
  k?: number;
  byteAlignedEol?: boolean;
  minLineBits?: number;
  /** Halve the vertical resolution this many times (1: fine -> standard, 2: superfine -> standard). */
  halveLines?: number;
  onData: (bytes: Uint8Array) => void;
}

export class T4Transcoder {
  readonly decoder: T4Decoder;
  readonly encoder: T4Encoder;

  constructor(o: T4TranscoderOptions) {
    const toWidth = o.toWidth === undefined ? o.fromWidth : o.toWidth;
    const enc = new T4Encoder({
      coding: o.toCoding, width: toWidth, bitOrder: o.toBitOrder, k: o.k,
      byteAlignedEol: o.byteAlignedEol, minLineBits: o.minLineBits, onData: o.onData,
    });
    this.encoder = enc;
    // The chain is built from the encoder backwards: width, then line dropping, then the decoder.
    let sink: (row: Uint8Array) => void = function (row: Uint8Array) { enc.encodeRow(row); };
    if (toWidth < o.fromWidth) {
      const s = new WidthScaler(o.fromWidth, toWidth, sink, true);
      sink = function (row: Uint8Array) { s.push(row); };
    } else if (toWidth > o.fromWidth) {
      const p = new WidthPadder(o.fromWidth, toWidth, sink);
      sink = function (row: Uint8Array) { p.push(row); };
    }
    const halve = o.halveLines === undefined ? 0 : o.halveLines;
    for (let i = 0; i < halve; i++) {
      const d = new LineDropper(sink);
      sink = function (row: Uint8Array) { d.push(row); };
    }
    const first = sink;
    this.decoder = new T4Decoder({
      coding: o.fromCoding, width: o.fromWidth, bitOrder: o.fromBitOrder,
      onRow: function (row: Uint8Array) { first(row); },
    });
  }

  /** Stored page bytes in; re-coded bytes come out through onData. */
  push(bytes: Uint8Array): void {
    this.decoder.push(bytes);
  }

  /** Ends the page: the last rows and RTC/EOFB go out. */
  end(): void {
    this.decoder.end();
    this.encoder.finish();
  }
}
