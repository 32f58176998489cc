// The decoder a non-ECM reception checks its pages with, line by line as they arrive (receiver.ts,
// openRxPage). This is the host's: a T4Decoder. The device build replaces this file by
// rx-decoder-device.ts (build/lazy-modules.mjs), which has none: a board decodes too slowly to
// keep up (rxDecodeBacklog 0, docs/ESPRUINO.md), so the line scan judges its pages, and the
// decoder's code stays out of its resident chunk (it comes with the print and send modules).
import { T4Decoder } from '../t4/index.ts';
import type { T4DecoderOptions } from '../t4/index.ts';

export function rxDecoder(o: T4DecoderOptions): T4Decoder | null {
  return new T4Decoder(o);
}
