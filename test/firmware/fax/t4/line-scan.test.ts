// The line scan (firmware/fax/t4/line-scan.ts) looks at only the octets that can start an EOL
// and adds up the bits of the stretches between them. Checked here against a scan that looks at
// every octet (the definition: an EOL is 11 or more zeros then a one, T.4 §4.1.2), on random
// streams rich in zeros and on real pages, cut in pieces of any size, with and without the
// interpreter's native E.mapInPlace (given here as a JavaScript stand-in).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { LineScanner } from '../../../../firmware/fax/t4/line-scan.ts';
import { T4Encoder } from '../../../../firmware/fax/t4/index.ts';

/** Every bit in line order (LSB first): EOLs, the lengths of the lines between, RTC. */
function reference(data: Uint8Array, width: number, twoD: boolean) {
  const minBits = twoD ? 2 : 9;
  const maxBits = 8 * width + 64;
  let zeros = 0, lineBits = -1, eolRun = 0, lines = 0, bad = 0, badRun = 0, maxBadRun = 0;
  for (let i = 0; i < data.length; i++) {
    for (let k = 0; k < 8; k++) {
      const bit = (data[i] >> k) & 1;
      if (!bit) {
        zeros++;
        if (lineBits >= 0) lineBits++;
        continue;
      }
      if (zeros >= 11) {
        const len = lineBits >= 0 ? lineBits - zeros : -1;
        if (len >= 0) {
          if (len === 0 || (len === 1 && twoD)) {
            if (++eolRun >= 5) return { lines, badLines: bad, maxBadRun, rtc: true, octets: i + 1 };
          } else {
            eolRun = 0;
            lines++;
            if (len < minBits || len > maxBits) {
              bad++;
              badRun++;
              if (badRun > maxBadRun) maxBadRun = badRun;
            } else badRun = 0;
          }
        }
        lineBits = 0;
      } else if (lineBits >= 0) lineBits++;
      zeros = 0;
    }
  }
  return { lines, badLines: bad, maxBadRun, rtc: false, octets: data.length };
}

function scan(data: Uint8Array, width: number, twoD: boolean, pieces: number[]) {
  const s = new LineScanner(width, twoD);
  let at = 0, p = 0;
  while (at < data.length) {
    const n = Math.max(1, pieces[p++ % pieces.length]);
    s.push(data.subarray(at, at + n));
    at += n;
  }
  return { lines: s.lines, badLines: s.badLines, maxBadRun: s.maxBadRun, rtc: s.rtc, octets: s.octets };
}

const g = globalThis as { E?: { mapInPlace?: (f: Uint8Array, t: Uint8Array, m: Uint8Array) => void } };
function withNative<T>(on: boolean, f: () => T): T {
  const had = g.E;
  if (on) g.E = { mapInPlace: (from, to, map) => { for (let i = 0; i < from.length; i++) to[i] = map[from[i]]; } };
  else delete g.E;
  try {
    return f();
  } finally {
    if (had === undefined) delete g.E;
    else g.E = had;
  }
}

// octets biased towards few ones, so that EOLs, false EOLs, RTC and runs across pieces all occur
const octet = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0x10, 0x08, 0x01));

for (const native of [false, true]) {
  test(`random streams in random pieces: the same as looking at every bit (${native ? 'native' : 'JavaScript'} candidates)`, () => {
    fc.assert(fc.property(fc.array(octet, { maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }), fc.boolean(), fc.integer({ min: 0, max: 80 }), (bytes, pieces, twoD, width) => {
      const data = Uint8Array.from(bytes);
      withNative(native, () => assert.equal(scan(data, width, twoD, pieces), reference(data, width, twoD)));
    }), { numRuns: 400 });
  });
}

test('coded pages (MH and MR) in the driver\'s pieces and odd ones: every line, RTC, none bad', () => {
  const width = 1728, height = 300, stride = width / 8;
  const rows = new Uint8Array(stride * height);
  let seed = 3;
  for (let i = 0; i < rows.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    rows[i] = (i / stride) % 40 < 12 ? seed >> 23 : 0; // bands of noise (long lines) and white rows (short ones)
  }
  for (const coding of ['mh', 'mr'] as const) {
    const out: number[] = [];
    const e = new T4Encoder({ coding, width, k: 4, bitOrder: 'lsb-first', onData: (d) => out.push(...d) });
    for (let r = 0; r < height; r++) e.encodeRow(rows.subarray(r * stride, (r + 1) * stride));
    e.finish();
    const data = Uint8Array.from(out);
    const want = reference(data, width, coding === 'mr');
    assert.equal([want.lines, want.badLines, want.rtc], [height, 0, true], coding);
    for (const native of [false, true]) for (const pieces of [[256], [1], [3, 250, 17]]) {
      withNative(native, () => assert.equal(scan(data, width, coding === 'mr', pieces), want, coding + ' ' + pieces));
    }
  }
});

test.run();
