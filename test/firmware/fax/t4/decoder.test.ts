// The streaming decoder's own edges: rows painted into a page buffer, rows released as soon as
// the EOL after them has arrived (whatever the chunking; the print path sizes its pushes on
// it), the longest make-up codes, runs crossing byte boundaries, vertical modes at a line's
// start, and a bad code in the middle of a page that is otherwise read in one piece.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodePage, decodePage, bitString, fromBits } from './helpers.ts';
import { makePage, prng } from '../../../../scripts/t4/patterns.ts';
import { firstDifferentRow, strideOf } from '../../../../host/image/bitmap.ts';
import { T4Decoder } from '../../../../firmware/fax/t4/index.ts';
import type { T4Coding } from '../../../../firmware/fax/t4/index.ts';

const CODINGS: T4Coding[] = ['mh', 'mr', 'mmr'];

test('page: rows painted straight into a page buffer, the same as onRow gives; rows past its end counted only', () => {
  const page = makePage(1728, 40, 'mixed', 21);
  const stride = strideOf(1728);
  for (const coding of CODINGS) {
    const bytes = encodePage(page, { coding, k: 4 });
    const out = new Uint8Array(stride * 30).fill(0xa5); // not white: the decoder clears it
    const seen: number[] = [];
    const d = new T4Decoder({ coding, width: 1728, page: out, onRow: (row, i) => { seen.push(i); assert.is(row.length, stride); } });
    d.push(bytes);
    d.end();
    assert.is(d.lines, 40, coding);
    assert.is(seen.length, 40, 'onRow is still called for every row');
    assert.ok(out.every((v, i) => v === page.data[i]), coding + ': the first 30 rows are in the page buffer');
  }
});

test('MH/MR: a row comes out as soon as the EOL after it has arrived, in any chunking', () => {
  const page = makePage(1728, 30, 'text', 5);
  for (const coding of ['mh', 'mr'] as T4Coding[]) {
    const bytes = encodePage(page, { coding, k: 3 });
    const bits = bitString(bytes);
    // The bit after each EOL's one: line i (0-based) is complete once the EOL that follows it
    // (the (i+2)-th EOL) has ended.
    const eolEnds: number[] = [];
    for (let i = bits.indexOf('000000000001'); i >= 0; i = bits.indexOf('000000000001', i + 12)) eolEnds.push(i + 12);
    const r = prng(77);
    for (let trial = 0; trial < 6; trial++) {
      const d = new T4Decoder({ coding, width: 1728, onRow: () => {} });
      let at = 0;
      while (at < bytes.length) {
        const n = trial === 0 ? 1 : 1 + Math.floor(r() * (trial * 40));
        d.push(bytes.subarray(at, at + n));
        at = Math.min(bytes.length, at + n);
        const complete = eolEnds.filter((e, k) => k >= 1 && e <= at * 8).length;
        assert.is(d.lines, Math.min(complete, 30), `${coding} after ${at} bytes`);
      }
      d.end();
      assert.is(d.lines, 30);
      assert.is(d.badLines, 0);
    }
  }
});

test('runs of 2560 pixels and more: repeated 2560 make-up codes (T.4 Table 3/T.4), both colours', () => {
  const width = 6000;
  const stride = strideOf(width);
  const row = new Uint8Array(stride);
  for (let x = 3; x < 5300; x++) row[x >> 3] |= 0x80 >> (x & 7); // white 3, black 5297, white 700
  // Hand-made MH bits: white 3 (1000); black 5297 = 2560 + 2560 + 128 + 49: 000000011111 twice,
  // black make-up 128 (000011001000), black 49 (000001100101); white 700 = 640 + 60: make-up
  // 640 (01100111), white 60 (01001011).
  const bits = '000000000001' + '1000' + '000000011111' + '000000011111' + '000011001000' + '000001100101' +
    '01100111' + '01001011' + '000000000001';
  const { page: back, d } = decodePage(fromBits(bits), width, { coding: 'mh' });
  assert.is(d.badLines, 0);
  assert.is(d.lines, 1);
  assert.equal(Array.from(back.data), Array.from(row));
  // and every coding round-trips such rows, in small and whole pushes
  const page = { width, height: 3, xDpi: 204, yDpi: 196, data: new Uint8Array(stride * 3) };
  page.data.set(row, 0);
  page.data.set(row.map((v) => v ^ 0xff), stride); // black 3, white 5297, black 700
  page.data.set(row, 2 * stride);
  for (const coding of CODINGS) for (const chunk of [0, 7]) {
    const { page: out, d: dd } = decodePage(encodePage(page, { coding, k: 2 }), width, { coding }, chunk);
    assert.is(firstDifferentRow(page, out), -1, coding + ' chunk ' + chunk);
    assert.is(dd.badLines, 0);
  }
});

test('runs starting and ending at every bit of a byte', () => {
  const width = 64;
  const stride = strideOf(width);
  const rows: Uint8Array[] = [];
  for (let s = 0; s < 16; s++) for (let len = 1; len <= 17; len += 4) {
    const row = new Uint8Array(stride);
    for (let x = s; x < s + len; x++) row[x >> 3] |= 0x80 >> (x & 7);
    for (let x = s + len + 3; x < s + len + 3 + (s % 5) + 1; x++) row[x >> 3] |= 0x80 >> (x & 7);
    rows.push(row);
  }
  const page = { width, height: rows.length, xDpi: 204, yDpi: 196, data: new Uint8Array(stride * rows.length) };
  rows.forEach((r, y) => page.data.set(r, y * stride));
  for (const coding of CODINGS) {
    const { page: back, d } = decodePage(encodePage(page, { coding, k: 4 }), width, { coding });
    assert.is(firstDifferentRow(page, back), -1, coding);
    assert.is(d.badLines, 0);
  }
});

test('2-D: vertical modes left of b1 at the start of a line, then right of it', () => {
  // Reference: black 8..15. Line 2: black 7..16 (VL1 at the first element, VR1 at the second).
  // Line 3: black 5..13 (VL2, VL3), line 4: black 8..15 again (VR3, VR2).
  const rows = [[8, 16], [7, 17], [5, 14], [8, 16]].map(([s, e]) => {
    const r = new Uint8Array(4);
    for (let x = s; x < e; x++) r[x >> 3] |= 0x80 >> (x & 7);
    return r;
  });
  const page = { width: 32, height: 4, xDpi: 204, yDpi: 196, data: new Uint8Array(16) };
  rows.forEach((r, y) => page.data.set(r, y * 4));
  for (const coding of ['mr', 'mmr'] as T4Coding[]) {
    const bytes = encodePage(page, { coding, k: 4 });
    const { page: back, d } = decodePage(bytes, 32, { coding });
    assert.is(firstDifferentRow(page, back), -1, coding);
    assert.is(d.badLines, 0);
  }
  // The MMR bits, by hand: H W8 B8 V0 | VL1 VR1 V0 | VL2 VL3 V0 | VR3 VR2 V0 | EOFB
  const want = '001' + '10011' + '000101' + '1' + '010' + '011' + '1' + '000010' + '0000010' + '1' +
    '0000011' + '000011' + '1' + '000000000001' + '000000000001';
  const { page: back, d } = decodePage(fromBits(want), 32, { coding: 'mmr' });
  assert.is(firstDifferentRow(page, back), -1);
  assert.ok(d.endMarker);
});

test('a bad code in a page pushed whole: that line counted, the rows before and after kept', () => {
  const page = makePage(1728, 50, 'text', 9);
  for (const coding of ['mh', 'mr'] as T4Coding[]) {
    const bytes = encodePage(page, { coding, k: 1 }); // MR with K=1: every line 1-D, errors do not spread
    const bits = bitString(bytes);
    const eols: number[] = [];
    for (let i = bits.indexOf('000000000001'); i >= 0; i = bits.indexOf('000000000001', i + 12)) eols.push(i);
    // line 20's first code word replaced by thirteen ones (no code word is all ones)
    const at = eols[20] + 12 + (coding === 'mr' ? 1 : 0);
    const bad = bits.slice(0, at) + '1111111111111' + bits.slice(at + 13);
    const trace: string[] = [];
    const { page: back, d } = decodePage(fromBits(bad), 1728, { coding, trace: (l) => trace.push(l) });
    assert.is(d.lines, 50, coding);
    assert.is(d.badLines, 1);
    assert.ok(trace.some((l) => /bad line 20: 1-D codes do not make a line/.test(l)), trace.join('\n'));
    const s = strideOf(1728);
    for (let y = 0; y < 50; y++) {
      const want = page.data.subarray((y === 20 ? 19 : y) * s, ((y === 20 ? 19 : y) + 1) * s);
      assert.ok(back.data.subarray(y * s, (y + 1) * s).every((v, i) => v === want[i]), coding + ' row ' + y);
    }
  }
});

test('zero-length runs cannot make a line of more entries than pixels (hostile input)', () => {
  // MH: white 0 (00110101) and black 0 (0000110111) 900 times (more entries than pixels, fewer
  // bits than the decoder's buffer holds), then the rest of the line as one white run.
  const mh = '000000000001' + ('00110101' + '0000110111').repeat(900) + '010011011' + '00110101' + '000000000001';
  const trace: string[] = [];
  const a = decodePage(fromBits(mh + '000000000001'.repeat(6)), 1728, { coding: 'mh', trace: (l) => trace.push(l) });
  assert.is(a.d.badLines, 1);
  assert.ok(trace.some((l) => /bad line 0/.test(l)), trace.join('\n'));
  // MMR: horizontal mode with white 0 and black 0 (001 00110101 0000110111) 900 times, then V0
  // to the end of the line (b1 is the white reference line's end): fatal, nothing thrown, no row.
  const mmr = ('001' + '00110101' + '0000110111').repeat(900) + '1' + '000000000001000000000001';
  const b = decodePage(fromBits(mmr), 1728, { coding: 'mmr' });
  assert.ok(b.d.fatal);
  assert.is(b.d.lines, 0);
});

test.run();
