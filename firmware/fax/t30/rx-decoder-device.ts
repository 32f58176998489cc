// The device build's stand-in for rx-decoder.ts (build/lazy-modules.mjs): no decoder during a
// reception on the board; the line scan judges the pages (receiver.ts, docs/ESPRUINO.md).
import type { T4Decoder, T4DecoderOptions } from '../t4/index.ts';

export function rxDecoder(o: T4DecoderOptions): T4Decoder | null {
  return null;
}
