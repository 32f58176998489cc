// Known-answer checks of the page codec, run on the device (`faxvault.selftest()`): the code
// words of T.4 Tables 1-4 as the encoder assembles them, the decoder reading hand-made bits,
// a streamed MR round trip in wire bit order, and bad-line concealment.
import type { SelfCheck } from '../../selftest/selftest.ts';
import { T4Encoder } from './encoder.ts';
import { T4Decoder } from './decoder.ts';
import type { T4Coding, T4BitOrder } from './options.ts';

function bytesOfBits(bits: string): Uint8Array {
  const out = new Uint8Array((bits.length + 7) >> 3);
  for (let i = 0; i < bits.length; i++) if (bits.charCodeAt(i) === 49) out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

function times(s: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += s;
  return out;
}

function hex(a: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < a.length && i < n; i++) s += (a[i] < 16 ? '0' : '') + a[i].toString(16);
  return s;
}

function encodeRows(coding: T4Coding, width: number, rows: Uint8Array[], endMarker: boolean, bitOrder?: T4BitOrder): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const e = new T4Encoder({
    coding: coding, width: width, k: 4, endMarker: endMarker, bitOrder: bitOrder,
    onData: function (b: Uint8Array) {
      const c = new Uint8Array(b.length);
      c.set(b);
      parts.push(c);
      total += b.length;
    },
  });
  for (let i = 0; i < rows.length; i++) e.encodeRow(rows[i]);
  e.finish();
  const out = new Uint8Array(total);
  let o = 0;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i], o);
    o += parts[i].length;
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function checkEncode(coding: T4Coding, width: number, rows: Uint8Array[], bits: string, endMarker: boolean): string | null {
  const got = encodeRows(coding, width, rows, endMarker);
  const want = bytesOfBits(bits);
  return sameBytes(got, want) ? null : 'coded ' + hex(got, 12) + ', expected ' + hex(want, 12);
}

/** A row of `width` pixels with black pixels from..to-1. */
function bar(width: number, from: number, to: number): Uint8Array {
  const r = new Uint8Array((width + 7) >> 3);
  for (let x = from; x < to; x++) r[x >> 3] |= 0x80 >> (x & 7);
  return r;
}

// A small page with runs of every length class: short, make-up, alternating pixels.
function testRows(width: number, n: number): Uint8Array[] {
  const rows: Uint8Array[] = [];
  for (let y = 0; y < n; y++) {
    const r = new Uint8Array((width + 7) >> 3);
    for (let x = 0; x < width; x++) {
      const black = y % 4 === 0 ? (x & 1) === 1 : y % 4 === 1 ? x > 70 + y && x < 200 + 3 * y : y % 4 === 2 ? ((x * 7 + y * 13) % 11) < 3 : false;
      if (black) r[x >> 3] |= 0x80 >> (x & 7);
    }
    rows.push(r);
  }
  return rows;
}

export function t4Checks(): SelfCheck[] {
  return [
    {
      name: 't4: MH white and black lines (T.4 Tables 1-2)',
      run: function () {
        return checkEncode('mh', 1728, [bar(1728, 0, 0), bar(1728, 0, 1728)],
          '000000000001' + '010011011' + '00110101' + '000000000001' + '00110101' + '0000001100101' + '0000110111', false);
      },
    },
    {
      name: 't4: MMR horizontal, vertical and pass modes, EOFB (T.4 Table 4, T.6)',
      run: function () {
        // Row 1: black 4..11 (H: white 4, black 8; V0). Row 2: black 20..23 (pass; H: white 8, black 4; V0).
        return checkEncode('mmr', 32, [bar(32, 4, 12), bar(32, 20, 24)],
          '001' + '1011' + '000101' + '1' + '0001' + '001' + '10011' + '011' + '1' + '000000000001' + '000000000001', true);
      },
    },
    {
      name: 't4: decoder reads hand-made MH bits',
      run: function () {
        const rows: Uint8Array[] = [];
        const d = new T4Decoder({
          coding: 'mh', width: 1728,
          onRow: function (r: Uint8Array) {
            const c = new Uint8Array(r.length);
            c.set(r);
            rows.push(c);
          },
        });
        // EOL, white 100 (64 + 36), black 3, white 1625 (1600 + 25); then RTC.
        d.push(bytesOfBits('000000000001' + '11011' + '00010101' + '10' + '010011010' + '0101011' + times('000000000001', 6)));
        d.end();
        if (rows.length !== 1 || !d.endMarker) return rows.length + ' rows, RTC ' + d.endMarker;
        return sameBytes(rows[0], bar(1728, 100, 103)) ? null : 'row ' + hex(rows[0], 16);
      },
    },
    {
      name: 't4: MR K=4 round trip, LSB-first, byte by byte',
      run: function () {
        // 8 rows: two K=4 cycles (1-D, then 2-D against it), byte by byte (every boundary).
        const src = testRows(1728, 8);
        // Coded bytes in one typed array, not a number[]: on the board every element of a plain
        // array is a variable or two, and 2 KB of them did not fit beside the codec's buffers.
        const parts = encodeRows('mr', 1728, src, true, 'lsb-first');
        let bad = -1;
        let n = 0;
        const d = new T4Decoder({
          coding: 'mr', width: 1728, bitOrder: 'lsb-first',
          onRow: function (r: Uint8Array, i: number) {
            n++;
            if (bad < 0 && !sameBytes(r, src[i])) bad = i;
          },
        });
        const one = new Uint8Array(1);
        for (let i = 0; i < parts.length; i++) {
          one[0] = parts[i];
          d.push(one);
        }
        d.end();
        if (bad >= 0) return 'row ' + bad + ' differs';
        return n === 8 && d.badLines === 0 && d.endMarker ? null : n + ' rows, ' + d.badLines + ' bad';
      },
    },
    {
      name: 't4: a corrupt MH line is counted and concealed',
      run: function () {
        const rows: Uint8Array[] = [];
        const d = new T4Decoder({
          coding: 'mh', width: 1728,
          onRow: function (r: Uint8Array) {
            const c = new Uint8Array(r.length);
            c.set(r);
            rows.push(c);
          },
        });
        // Line 1: white 100, black 3, white 1625. Line 2: white 1728 twice (too long). RTC.
        d.push(bytesOfBits('000000000001' + '11011' + '00010101' + '10' + '010011010' + '0101011' +
          '000000000001' + '010011011' + '010011011' + '00110101' + times('000000000001', 6)));
        d.end();
        if (d.lines !== 2 || d.badLines !== 1 || d.maxBadRun !== 1) return d.lines + ' lines, ' + d.badLines + ' bad';
        return sameBytes(rows[1], rows[0]) ? null : 'bad line not concealed';
      },
    },
  ];
}
