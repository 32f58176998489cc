import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  FRAME_CHUNK, FRAME_END, FRAME_ERROR, FRAME_HELLO, FRAME_MESSAGE, FrameReader, decodeError, decodeHello,
  encodeError, encodeFrame, encodeHello, frameLimit,
} from '../../../firmware/lan/frame.ts';

const ch = Uint8Array.from({ length: 16 }, (_, i) => i * 7);

test('frames split at any byte boundary come out whole and in order', () => {
  const frames = [encodeHello({ version: 1, challenge: ch, identity: 'host:fax.lan' }), encodeFrame(FRAME_MESSAGE, new Uint8Array(3000).fill(5)), encodeFrame(FRAME_END, new Uint8Array(0)), encodeFrame(FRAME_CHUNK, Uint8Array.of(1, 2, 3))];
  const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let o = 0;
  for (const f of frames) { all.set(f, o); o += f.length; }
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: all.length }), { maxLength: 12 }), (cuts) => {
    const points = [...new Set(cuts)].sort((a, b) => a - b);
    const r = new FrameReader();
    const got: number[] = [];
    let prev = 0;
    for (const p of [...points, all.length]) {
      r.push(all.subarray(prev, p));
      prev = p;
      for (let f = r.next(); f; f = r.next()) got.push(f.type, f.payload.length);
    }
    assert.equal(got, [FRAME_HELLO, 4 + 1 + 16 + 1 + 12, FRAME_MESSAGE, 3000, FRAME_END, 0, FRAME_CHUNK, 3]);
    assert.is(r.buffered, 0);
  }));
});

test('a hello carries version, challenge and identity', () => {
  const r = new FrameReader();
  r.push(encodeHello({ version: 1, challenge: ch, identity: 'ip4:10.0.0.5' }));
  const h = decodeHello(r.next()!.payload);
  assert.is(h.version, 1);
  assert.equal([...h.challenge], [...ch]);
  assert.is(h.identity, 'ip4:10.0.0.5');
});

test('an oversize length is refused from the 5-byte header alone, before any payload is buffered', () => {
  const r = new FrameReader();
  r.push(Uint8Array.of(FRAME_MESSAGE, 0x7f, 0xff, 0xff, 0xff));
  assert.throws(() => r.next(), (e: Error & { code: string }) => e.code === 'frame' && /exceeds the limit of 16384/.test(e.message));
  const r2 = new FrameReader();
  r2.push(Uint8Array.of(FRAME_END, 0, 0, 0, 1));
  assert.throws(() => r2.next(), /END of 1 bytes exceeds/);
});

test('an unknown frame type (an HTTP request, say) is refused', () => {
  const r = new FrameReader();
  r.push(new TextEncoder().encode('GET / HTTP/1.1\r\n'));
  assert.throws(() => r.next(), /unknown frame type 0x47/);
});

test('a hello that is not one is refused with a clear reason', () => {
  assert.throws(() => decodeHello(new Uint8Array(30)), /not a faxvault LAN hello/);
  const good = encodeHello({ version: 1, challenge: ch, identity: 'host:a' }).subarray(5);
  assert.throws(() => decodeHello(good.subarray(0, good.length - 1)), /does not match/);
});

test('error frames carry a code and printable text only', () => {
  const f = encodeError('busy', 'too many\nconnections');
  assert.is(f[0], FRAME_ERROR);
  const e = decodeError(f.subarray(5));
  assert.is(e.code, 'busy');
  assert.is(e.text, 'too many?connections');
  assert.ok(frameLimit(FRAME_ERROR) >= f.length - 5);
});

test('encodeFrame refuses a payload over its type limit', () => {
  assert.throws(() => encodeFrame(FRAME_CHUNK, new Uint8Array(16385)), /exceeds 16384/);
});

test.run();
