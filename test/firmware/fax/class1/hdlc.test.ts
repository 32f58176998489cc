import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { fcs16, fcsOk, HdlcEncoder, HdlcDecoder, dropHdlcTables } from '../../../../firmware/fax/class1/hdlc.ts';

test('FCS-16 check value of "123456789" is 0x906E (CRC-16/X-25)', () => {
  const b = new TextEncoder().encode('123456789');
  assert.is(fcs16(b, 0, b.length), 0x906e);
});

test('a frame with its FCS appended checks, one flipped bit does not', () => {
  const b = new Uint8Array([0xff, 0x13, 0x8c, 0, 0]);
  const f = fcs16(b, 0, 3);
  b[3] = f & 0xff;
  b[4] = f >>> 8;
  assert.ok(fcsOk(b, 5));
  b[2] ^= 0x10;
  assert.not.ok(fcsOk(b, 5));
});

function encode(frames: Uint8Array[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const e = new HdlcEncoder((c) => chunks.push(c), 64);
  e.flags(4);
  for (const f of frames) e.frame(f, 0, f.length);
  e.flags(3);
  e.flush();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

test('stuffed frames (worst case all ones, and all sizes) round-trip through the decoder', () => {
  const frames: Uint8Array[] = [];
  frames.push(new Uint8Array(260).fill(0xff));
  frames.push(new Uint8Array([0xff, 0x03, 0x06, 0x7e, 0x7e, 0x1f, 0xf8]));
  for (let n = 3; n < 40; n += 7) frames.push(Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
  const stream = encode(frames);
  const got: { data: number[]; ok: boolean }[] = [];
  const d = new HdlcDecoder((b, len, ok) => got.push({ data: Array.from(b.subarray(0, len - 2)), ok }), 270);
  // feed in odd-sized pieces
  for (let i = 0; i < stream.length; i += 13) d.push(stream.subarray(i, i + 13));
  assert.is(got.length, frames.length);
  for (let i = 0; i < frames.length; i++) {
    assert.ok(got[i].ok, 'frame ' + i + ' FCS');
    assert.equal(got[i].data, Array.from(frames[i]));
  }
  assert.is(d.bad, 0);
});

test('the octet table let go between calls: a decoder made before keeps working, the next one builds it again', () => {
  const frames = [new Uint8Array([0xff, 0x03, 0x06, 0x7e, 0x11]), new Uint8Array(30).fill(0xff)];
  const stream = encode(frames);
  const run = (d: HdlcDecoder, got: number[][]): void => {
    for (let i = 0; i < stream.length; i += 5) d.push(stream.subarray(i, i + 5));
    assert.equal(got, frames.map((f) => Array.from(f)));
  };
  const a: number[][] = [];
  const before = new HdlcDecoder((b, len, ok) => { if (ok) a.push(Array.from(b.subarray(0, len - 2))); }, 270);
  dropHdlcTables();
  run(before, a);
  const b2: number[][] = [];
  run(new HdlcDecoder((b, len, ok) => { if (ok) b2.push(Array.from(b.subarray(0, len - 2))); }, 270), b2);
});

test('a corrupted bit is reported as a bad FCS, the next frame still decodes', () => {
  const a = new Uint8Array(100).fill(0x55);
  const b = new Uint8Array(50).fill(0xaa);
  const stream = encode([a, b]);
  stream[20] ^= 0x04;
  const got: boolean[] = [];
  const d = new HdlcDecoder((_b, _len, ok) => got.push(ok));
  d.push(stream);
  assert.equal(got.filter((x) => x), [true]);
  assert.ok(d.bad >= 1);
});

/** A decoder that goes bit by bit (ISO 3309: flags, aborts, a zero taken out after five ones), FCS by the bit. */
function referenceFrames(stream: Uint8Array, maxFrame: number) {
  const out: { data: number[]; ok: boolean }[] = [];
  let bad = 0, ones = 0, inFrame = false, bits: number[] = [];
  const crc = (d: number[]) => {
    let c = 0xffff;
    for (const x of d) {
      c ^= x;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    }
    return ~c & 0xffff;
  };
  const end = () => {
    if (inFrame) {
      const n = bits.length - 7; // the flag's 0 and six ones were taken as data
      if (n > 0) {
        if (n % 8 === 0 && n / 8 >= 3 && n / 8 <= maxFrame) {
          const d: number[] = [];
          for (let i = 0; i < n; i += 8) d.push(bits.slice(i, i + 8).reduce((a, b, k) => a | (b << k), 0));
          const f = crc(d.slice(0, -2));
          const ok = d[d.length - 2] === (f & 0xff) && d[d.length - 1] === f >>> 8;
          if (!ok) bad++;
          out.push({ data: d, ok });
        } else bad++;
      }
    }
    inFrame = true;
    bits = [];
  };
  for (const byte of stream) {
    for (let k = 0; k < 8; k++) {
      const v = (byte >> k) & 1;
      if (v) {
        ones++;
        if (ones >= 7) inFrame = false;
        else if (inFrame) bits.push(1);
      } else if (ones === 5) ones = 0;
      else if (ones === 6) {
        ones = 0;
        end();
      } else {
        ones = 0;
        if (inFrame) bits.push(0);
      }
    }
  }
  return { out, bad };
}

test('the octet-table decoder finds what a bit-by-bit decoder finds: frames, bad FCS, aborts, flags anywhere, garbage, any pieces', () => {
  const piece = fc.oneof(
    fc.array(fc.uint8Array({ minLength: 3, maxLength: 40 }), { minLength: 1, maxLength: 4 }).map((fs) => encode(fs)),
    fc.uint8Array({ maxLength: 30 }),
    fc.constantFrom(new Uint8Array([0xff, 0xff]), new Uint8Array([0x7e]), new Uint8Array([0xfe, 0x01]), new Uint8Array([0x3f])),
  );
  fc.assert(fc.property(fc.array(piece, { maxLength: 8 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 8, max: 50 }), (parts, cut, maxFrame) => {
    const stream = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      stream.set(p, at);
      at += p.length;
    }
    const got: { data: number[]; ok: boolean }[] = [];
    const d = new HdlcDecoder((b, len, ok) => got.push({ data: Array.from(b.subarray(0, len)), ok }), maxFrame);
    for (let i = 0; i < stream.length; i += cut) d.push(stream.subarray(i, i + cut));
    const want = referenceFrames(stream, maxFrame);
    assert.equal(got, want.out);
    assert.is(d.bad, want.bad);
  }), { numRuns: 500 });
});

test.run();
