// Software HDLC for ECM page data over +FTM/+FRM (T.30 Annex A frames carried in the high-speed
// modulation; T.31 has no +FTH for V.17/V.29/V.27ter). ISO 3309 framing: 0x7E flags, zero-bit
// insertion after five ones, FCS-16 (ITU-T V.42 §8.1.1.6.1 / T.30 §5.3.7: CRC-CCITT, reflected,
// preset to ones, sent complemented, low octet first). Bits go on the line LSB first, which is
// the order the Class 1 modem takes octets in.

/** FCS-16 of each octet value (CRC-CCITT reflected), built on first use. */
let fcsTable: Uint16Array | null = null;

function makeFcsTable(): Uint16Array {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let b = 0; b < 8; b++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    t[n] = c;
  }
  return t;
}

/** FCS-16 of `len` octets of `buf` from `off` (the value to append, low octet first); a table step per octet. */
export function fcs16(buf: Uint8Array, off: number, len: number): number {
  if (!fcsTable) fcsTable = makeFcsTable();
  const t = fcsTable;
  let crc = 0xffff;
  for (let i = off; i < off + len; i++) crc = (crc >>> 8) ^ t[(crc ^ buf[i]) & 0xff];
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

/**
 * What one octet does to the decoder, for each count of ones before it (0-6, 7 for seven or
 * more) and each octet: bits 0-7 the data bits it yields (LSB first, stuffed zeros taken out),
 * bits 8-11 how many, bits 12-14 the ones after it; 0xffff when a flag or an abort falls inside
 * it (the decoder then goes bit by bit). Built on first use: 4 KB.
 */
let octetTable: Uint16Array | null = null;

/**
 * Lets the octet table go (4 KB: ~300 variables on an ESP32) once no decoder needs it: a call's
 * end and the self-test's call this, so a board does not keep it between ECM receptions. The
 * decoders made before keep their own reference; the next one builds it again.
 */
export function dropHdlcTables(): void {
  octetTable = null;
}

function makeOctetTable(): Uint16Array {
  const t = new Uint16Array(8 * 256);
  for (let o = 0; o < 8; o++) {
    for (let b = 0; b < 256; b++) {
      let ones = o, n = 0, v = 0, event = false;
      for (let k = 0; k < 8 && !event; k++) {
        if ((b >> k) & 1) {
          ones++;
          if (ones >= 7) event = true;
          else v |= 1 << n++;
        } else if (ones === 5) ones = 0;
        else if (ones === 6) event = true;
        else {
          ones = 0;
          n++;
        }
      }
      t[o * 256 + b] = event ? 0xffff : v | (n << 8) | (ones << 12);
    }
  }
  return t;
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
  private table: Uint16Array;
  /** Frames seen with a bad FCS or too long. */
  bad = 0;

  constructor(readonly onFrame: (buf: Uint8Array, len: number, ok: boolean) => void, maxFrame?: number) {
    this.frame = new Uint8Array(maxFrame || 270);
    if (!octetTable) octetTable = makeOctetTable();
    this.table = octetTable;
  }

  /**
   * An octet a step through the table (a step per bit costs an ESP32 more than the line's pace
   * allows: docs/FAX-LINE.md, keeping up); an octet with a flag or an abort in it bit by bit.
   */
  push(bytes: Uint8Array): void {
    const t = this.table;
    const frame = this.frame;
    const room = frame.length;
    // the state in locals while the loop runs (a property is a lookup by name on the interpreter)
    let ones = this.ones > 7 ? 7 : this.ones;
    let acc = this.acc;
    let nbits = this.nbits;
    let len = this.len;
    let inFrame = this.inFrame;
    for (let i = 0; i < bytes.length; i++) {
      const e = t[(ones << 8) | bytes[i]];
      if (e === 0xffff) {
        this.ones = ones;
        this.acc = acc;
        this.nbits = nbits;
        this.len = len;
        this.inFrame = inFrame;
        const byte = bytes[i];
        for (let b = 0; b < 8; b++) this.bit((byte >> b) & 1);
        ones = this.ones > 7 ? 7 : this.ones;
        acc = this.acc;
        nbits = this.nbits;
        len = this.len;
        inFrame = this.inFrame;
        continue;
      }
      ones = e >> 12;
      if (!inFrame) continue;
      acc |= (e & 0xff) << nbits;
      nbits += (e >> 8) & 15;
      if (nbits >= 8) {
        if (len < room) frame[len++] = acc & 0xff;
        else this.overflow = true;
        acc >>>= 8;
        nbits -= 8;
      }
    }
    this.ones = ones;
    this.acc = acc;
    this.nbits = nbits;
    this.len = len;
    this.inFrame = inFrame;
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
