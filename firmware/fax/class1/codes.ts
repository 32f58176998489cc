// Byte values of the Class 1 (T.31 §5.5 / V.250) data-mode shielding.
export const DLE = 0x10;
export const ETX = 0x03;
/** <DLE><SUB> stands for two DLEs in received data (T.31 §8.3.2, optional). */
export const SUB = 0x1a;
export const XON = 0x11;
export const XOFF = 0x13;

/** Copy `src` into a new array with every DLE doubled (T.31 §5.5: transparent data). */
export function shield(src: Uint8Array): Uint8Array {
  let n = 0;
  for (let i = 0; i < src.length; i++) if (src[i] === DLE) n++;
  if (n === 0) return src;
  const out = new Uint8Array(src.length + n);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    out[o++] = src[i];
    if (src[i] === DLE) out[o++] = DLE;
  }
  return out;
}
