import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fcs16, fcsOk, HdlcEncoder, HdlcDecoder } from '../../../../firmware/fax/class1/hdlc.ts';

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

test.run();
