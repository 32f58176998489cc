// HDLC as fax uses it (T.30 §5.3, ISO/IEC 13239): FCS-16, bit stuffing, flags. The modem
// emulator uses the FCS for V.21 frames; the bit-level coder carries ECM frames over a
// high-speed carrier (+FTM/+FRM data, T.30 Annex A), where the DTE does its own HDLC.
// Bytes are sent least significant bit first (T.30 §5.3.1), so a byte's bit 0 goes out first.

/** FCS-16 (CRC-ITU, x^16 + x^12 + x^5 + 1, reflected, preset and complemented) of `data`. */
export function fcs16(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc ^= data[i];
    for (let b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return ~crc & 0xffff;
}

/** `frame` followed by its two FCS bytes (low byte first, as transmitted). */
export function withFcs(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + 2);
  out.set(frame);
  const f = fcs16(frame);
  out[frame.length] = f & 0xff;
  out[frame.length + 1] = f >> 8;
  return out;
}

/** Does the frame (FCS included, as received) check? */
export function fcsOk(frameWithFcs: Uint8Array): boolean {
  if (frameWithFcs.length < 3) return false;
  const n = frameWithFcs.length - 2;
  const f = fcs16(frameWithFcs, 0, n);
  return frameWithFcs[n] === (f & 0xff) && frameWithFcs[n + 1] === f >> 8;
}

/** Bits on the line for one frame with FCS: data bits plus stuffed zeros (a 0 after five 1s). */
export function stuffedBitCount(frameWithFcs: Uint8Array): number {
  let ones = 0;
  let bits = 0;
  for (const byte of frameWithFcs) {
    for (let b = 0; b < 8; b++) {
      bits++;
      if ((byte >> b) & 1) {
        if (++ones === 5) {
          bits++;
          ones = 0;
        }
      } else ones = 0;
    }
  }
  return bits;
}

/** Packs bits into bytes LSB first, as a modem carries a synchronous bit stream to the DTE. */
class BitPacker {
  readonly out: number[] = [];
  private cur = 0;
  private n = 0;
  bit(b: number): void {
    this.cur |= (b & 1) << this.n;
    if (++this.n === 8) {
      this.out.push(this.cur);
      this.cur = 0;
      this.n = 0;
    }
  }
  byteRaw(v: number): void {
    for (let i = 0; i < 8; i++) this.bit((v >> i) & 1);
  }
  /** Pad the last partial byte with flag bits (the line idles on flags between frames). */
  flush(): void {
    let i = 0;
    while (this.n !== 0) this.bit((0x7e >> (i++ & 7)) & 1);
  }
}

/**
 * Encode frames (each without FCS; the FCS is added) as an HDLC bit stream: `preambleFlags`
 * flags, then each frame followed by a flag, packed LSB first into bytes.
 */
export function hdlcEncode(frames: Uint8Array[], preambleFlags = 1, trailingFlags = 1): Uint8Array {
  const p = new BitPacker();
  for (let i = 0; i < preambleFlags; i++) p.byteRaw(0x7e);
  for (const f of frames) {
    const body = withFcs(f);
    let ones = 0;
    for (const byte of body) {
      for (let b = 0; b < 8; b++) {
        const bit = (byte >> b) & 1;
        p.bit(bit);
        if (bit) {
          if (++ones === 5) {
            p.bit(0);
            ones = 0;
          }
        } else ones = 0;
      }
    }
    p.byteRaw(0x7e);
  }
  for (let i = 1; i < trailingFlags; i++) p.byteRaw(0x7e);
  p.flush();
  return Uint8Array.from(p.out);
}

/** A received HDLC frame: bytes without the FCS, and whether the FCS checked. */
export interface HdlcFrame {
  bytes: Uint8Array;
  ok: boolean;
}

/** Incremental HDLC bit-stream decoder (bytes in LSB first), for received ECM data. */
export class HdlcDecoder {
  private ones = 0;
  private inFrame = false;
  private cur = 0;
  private nbits = 0;
  private buf: number[] = [];
  private shift = 0; // last 8 bits for flag detection
  readonly frames: HdlcFrame[] = [];

  push(data: Uint8Array): HdlcFrame[] {
    const start = this.frames.length;
    for (const byte of data) for (let b = 0; b < 8; b++) this.bit((byte >> b) & 1);
    return this.frames.slice(start);
  }

  private bit(bit: number): void {
    this.shift = ((this.shift >> 1) | (bit << 7)) & 0xff;
    if (this.shift === 0x7e) {
      // A flag: it closes the frame in progress (its last 7 bits were taken as data).
      this.endFrame();
      this.inFrame = true;
      this.ones = 0;
      this.cur = 0;
      this.nbits = 0;
      this.buf = [];
      return;
    }
    if (bit) {
      this.ones++;
      if (this.ones >= 7) {
        // Abort or idle ones: drop the frame in progress.
        this.inFrame = false;
        this.buf = [];
        this.nbits = 0;
        this.cur = 0;
        return;
      }
    } else {
      if (this.ones === 5) {
        this.ones = 0;
        return; // a stuffed zero
      }
      this.ones = 0;
    }
    if (!this.inFrame) return;
    this.cur |= bit << this.nbits;
    if (++this.nbits === 8) {
      this.buf.push(this.cur);
      this.cur = 0;
      this.nbits = 0;
    }
  }

  private endFrame(): void {
    if (!this.inFrame) return;
    // The flag's first 7 bits went into the data shift: drop them.
    const totalBits = this.buf.length * 8 + this.nbits - 7;
    if (totalBits < 32 || totalBits % 8 !== 0) return; // too short or not whole octets: ignore
    const n = totalBits / 8;
    const all = Uint8Array.from(this.buf.slice(0, n));
    this.frames.push({ bytes: all.slice(0, n - 2), ok: fcsOk(all) });
  }
}
