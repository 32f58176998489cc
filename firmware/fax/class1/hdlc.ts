// Software HDLC for ECM page data over +FTM/+FRM (T.30 Annex A frames carried in the high-speed
// modulation; T.31 has no +FTH for V.17/V.29/V.27ter). ISO 3309 framing: 0x7E flags, zero-bit
// insertion after five ones, FCS-16 (ITU-T V.42 §8.1.1.6.1 / T.30 §5.3.7: CRC-CCITT, reflected,
// preset to ones, sent complemented, low octet first). Bits go on the line LSB first, which is
// the order the Class 1 modem takes octets in.

/** FCS-16 of `len` octets of `buf` from `off` (the value to append, low octet first). */
export function fcs16(buf: Uint8Array, off: number, len: number): number {
  let crc = 0xffff;
  for (let i = off; i < off + len; i++) {
    crc ^= buf[i];
    for (let b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return ~crc & 0xffff;
}

/** True when the last two octets of the frame are a correct FCS of the rest. */
export function fcsOk(buf: Uint8Array, len: number): boolean {
  if (len < 3) return false;
  const f = fcs16(buf, 0, len - 2);
  return buf[len - 2] === (f & 0xff) && buf[len - 1] === f >>> 8;
}

/** Turns frames into a bit-stuffed octet stream (LSB first); output goes to `out` in chunks. */
export class HdlcEncoder {
  private acc = 0;
  private nbits = 0;
  private ones = 0;
  private buf: Uint8Array;
  private n = 0;

  constructor(readonly out: (bytes: Uint8Array) => void, chunk?: number) {
    this.buf = new Uint8Array(chunk || 256);
  }

  private bit(b: number): void {
    this.acc |= b << this.nbits;
    this.nbits++;
    if (this.nbits === 8) {
      this.buf[this.n++] = this.acc;
      this.acc = 0;
      this.nbits = 0;
      if (this.n === this.buf.length) this.flush();
    }
  }

  /** `count` flags (0x7E, never stuffed). */
  flags(count: number): void {
    for (let i = 0; i < count; i++) {
      for (let b = 0; b < 8; b++) this.bit((0x7e >> b) & 1);
    }
    this.ones = 0;
  }

  private stuffed(byte: number): void {
    for (let b = 0; b < 8; b++) {
      const v = (byte >> b) & 1;
      this.bit(v);
      if (v) {
        this.ones++;
        if (this.ones === 5) {
          this.bit(0);
          this.ones = 0;
        }
      } else this.ones = 0;
    }
  }

  /** One frame (address, control, FCF, info) followed by its FCS and a closing flag. */
  frame(data: Uint8Array, off: number, len: number): void {
    for (let i = off; i < off + len; i++) this.stuffed(data[i]);
    const f = fcs16(data, off, len);
    this.stuffed(f & 0xff);
    this.stuffed(f >>> 8);
    this.flags(1);
  }

  /** Pad the last octet with flag bits and hand out what is buffered. */
  flush(): void {
    if (this.nbits > 0) {
      // fill with the start of a flag pattern: 0 1 1 1 ... (a receiver sees idle flags)
      let k = 0;
      while (this.nbits > 0) this.bit((0x7e >> k++) & 1);
    }
    if (this.n > 0) {
      const chunk = new Uint8Array(this.n);
      chunk.set(this.buf.subarray(0, this.n));
      this.n = 0;
      this.out(chunk);
    }
  }
}

/** Finds frames in a bit-stuffed octet stream; calls `onFrame(buf, len, ok)` for each (FCS included in len). */
export class HdlcDecoder {
  private frame: Uint8Array;
  private len = 0;
  private acc = 0;
  private nbits = 0;
  private ones = 0;
  private inFrame = false;
  private overflow = false;
  /** Frames seen with a bad FCS or too long. */
  bad = 0;

  constructor(readonly onFrame: (buf: Uint8Array, len: number, ok: boolean) => void, maxFrame?: number) {
    this.frame = new Uint8Array(maxFrame || 270);
  }

  push(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      for (let b = 0; b < 8; b++) this.bit((byte >> b) & 1);
    }
  }

  private bit(v: number): void {
    if (v) {
      this.ones++;
      // seven ones: abort (or idle line); the frame in progress is dropped
      if (this.ones >= 7) this.inFrame = false;
      else this.take(1);
      return;
    }
    if (this.ones === 5) {
      this.ones = 0; // the zero inserted after five ones
      return;
    }
    if (this.ones === 6) {
      this.ones = 0;
      this.endFrame();
      return;
    }
    this.ones = 0;
    this.take(0);
  }

  private take(v: number): void {
    if (!this.inFrame) return;
    this.acc |= v << this.nbits;
    this.nbits++;
    if (this.nbits === 8) {
      if (this.len < this.frame.length) this.frame[this.len++] = this.acc;
      else this.overflow = true;
      this.acc = 0;
      this.nbits = 0;
    }
  }

  /** A flag ended: its 0 and six 1s were taken as data bits, so the frame is 7 bits shorter. */
  private endFrame(): void {
    if (this.inFrame) {
      const bits = this.len * 8 + this.nbits - 7;
      if (bits > 0) {
        const n = bits >> 3;
        if ((bits & 7) === 0 && n >= 3 && !this.overflow) {
          const ok = fcsOk(this.frame, n);
          if (!ok) this.bad++;
          this.onFrame(this.frame, n, ok);
        } else this.bad++;
      }
    }
    this.inFrame = true;
    this.len = 0;
    this.acc = 0;
    this.nbits = 0;
    this.overflow = false;
  }
}
