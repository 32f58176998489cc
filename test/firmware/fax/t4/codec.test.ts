// Round trips through the firmware encoder and decoder, and the coded layout T.4/T.6 require.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodePage, decodePage, bitString, fromBits } from './helpers.ts';
import { makePage } from '../../../../scripts/t4/patterns.ts';
import type { Pattern } from '../../../../scripts/t4/patterns.ts';
import { firstDifferentRow } from '../../../../host/image/bitmap.ts';
import { T4Decoder, T4Encoder } from '../../../../firmware/fax/t4/index.ts';
import type { T4Coding } from '../../../../firmware/fax/t4/index.ts';
import { codeLists, MAX_MAKEUP } from '../../../../firmware/fax/t4/codes.ts';
import { RUN_ROOT, MODE_ROOT, KIND_HORIZONTAL, ENC_MAKEUP, encodeTables, decodeTables } from '../../../../firmware/fax/t4/tables.ts';

const { whiteTerm: WHITE_TERM, blackTerm: BLACK_TERM, whiteMakeup: WHITE_MAKEUP, blackMakeup: BLACK_MAKEUP, commonMakeup: COMMON_MAKEUP, modeCodes: MODE_CODES } = codeLists();

const CODINGS: T4Coding[] = ['mh', 'mr', 'mmr'];
const PATTERNS: Pattern[] = ['white', 'black', 'noise', 'alternate', 'checker', 'stripes', 'text', 'mixed'];

test('code tables are prefix-free and complete where T.4 says so', () => {
  const sets = [
    WHITE_TERM.concat(WHITE_MAKEUP, COMMON_MAKEUP), BLACK_TERM.concat(BLACK_MAKEUP, COMMON_MAKEUP), MODE_CODES,
  ];
  for (const set of sets) {
    for (let i = 0; i < set.length; i++) for (let j = 0; j < set.length; j++) {
      if (i !== j) assert.not.ok(set[j].startsWith(set[i]), set[i] + ' is a prefix of ' + set[j]);
    }
  }
  assert.is(WHITE_TERM.length, 64);
  assert.is(BLACK_TERM.length, 64);
  assert.is(WHITE_MAKEUP.length, 27);
  assert.is(BLACK_MAKEUP.length, 27);
  assert.is(COMMON_MAKEUP.length, 13);
});

test('the numbers the decode and encode loops are written with match the tables', () => {
  // decode-line.ts and encoder.ts write these as numbers (the interpreter looks names up)
  assert.is(RUN_ROOT, 8);
  assert.is(MODE_ROOT, 7);
  assert.is(KIND_HORIZONTAL, 7);
  assert.is(MAX_MAKEUP, 2560);
  assert.is(ENC_MAKEUP, 63);
  assert.is(encodeTables()[0][103], (0b000000011111 << 4) | 12, 'make-up 2560 at ENC_MAKEUP + 40');
  assert.is(decodeTables()[0][0b00110101], 8, 'white 0: value 0, 8 bits');
  assert.is(decodeTables()[0][0b11011000], (64 << 4) | 5, 'white make-up 64 (11011)');
  assert.is(decodeTables()[2][0b1000000], (3 << 4) | 1, 'V0 (1): kind 3 (a1 - b1 = 0), 1 bit');
  // two code words in one entry: the second in the high byte (decode2D tests kind >= 3 as >= 48)
  assert.is(decodeTables()[2][0b1011000], ((3 << 4) | 1) | (((4 << 4) | 3) << 8), 'V0 then VR1 (011)');
  assert.is(decodeTables()[2][0b0101000], ((2 << 4) | 3) | (((3 << 4) | 1) << 8), 'VL1 (010) then V0');
  assert.is(decodeTables()[2][0b1001000], (3 << 4) | 1, 'V0 then horizontal (001): the second is left to the next lookup');
  assert.is(decodeTables()[2][0b1000011], ((3 << 4) | 1) | (((5 << 4) | 6) << 8), 'V0 then VR2 (000011): 7 bits, both fit');
  assert.is(decodeTables()[2][0b1000001], (3 << 4) | 1, 'V0 then VR3 (0000011): 8 bits, the second is left to the next lookup');
});

test('round trip: every coding, page width and pattern, pixel exact', () => {
  for (const coding of CODINGS) for (const width of [1728, 2048, 2432, 13, 5000]) {
    for (const pattern of PATTERNS) {
      const page = makePage(width, width > 2432 ? 20 : 48, pattern, width + pattern.length);
      const bytes = encodePage(page, { coding, k: 4 });
      const { page: back, d } = decodePage(bytes, width, { coding });
      assert.is(firstDifferentRow(page, back), -1, `${coding} ${width} ${pattern}`);
      assert.is(d.badLines, 0);
      assert.ok(d.endMarker, 'RTC/EOFB seen');
    }
  }
});

test('round trip in any chunking, both bit orders, byte-aligned EOLs (worst-case lines too: the MH/MR buffer holds one)', () => {
  for (const pattern of ['mixed', 'alternate'] as Pattern[]) {
  const page = makePage(1728, 60, pattern, 3);
  for (const coding of CODINGS) for (const bitOrder of ['lsb-first', 'msb-first'] as const) {
    for (const byteAlignedEol of [false, true]) {
      const bytes = encodePage(page, { coding, bitOrder, byteAlignedEol, k: 2 });
      for (const chunk of [0, 1, 3, 64, 1000]) {
        const { page: back, d } = decodePage(bytes, 1728, { coding, bitOrder }, chunk);
        assert.is(firstDifferentRow(page, back), -1, `${pattern} ${coding} ${bitOrder} aligned=${byteAlignedEol} chunk=${chunk}`);
        assert.is(d.lines, 60);
        assert.is(d.badLines, 0);
      }
    }
  }
  }
});

test('pad bits past the width in input rows are ignored', () => {
  const page = makePage(13, 20, 'noise', 12);
  const dirty = { ...page, data: page.data.slice() };
  for (let y = 0; y < 20; y++) dirty.data[y * 2 + 1] |= 0x07; // pixels 13..15 do not exist
  for (const coding of CODINGS) {
    assert.equal(Array.from(encodePage(dirty, { coding })), Array.from(encodePage(page, { coding })), coding);
  }
});

test('bit order: lsb-first bytes are the msb-first bytes reversed', () => {
  const page = makePage(1728, 10, 'text', 5);
  const a = encodePage(page, { coding: 'mh', bitOrder: 'msb-first' });
  const b = encodePage(page, { coding: 'mh', bitOrder: 'lsb-first' });
  assert.is(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    let r = 0;
    for (let k = 0; k < 8; k++) if (a[i] & (1 << k)) r |= 0x80 >> k;
    assert.is(b[i], r);
  }
});

test('known answer: MH white and black lines (T.4 Tables 1-2)', () => {
  const width = 1728;
  const e: number[] = [];
  const enc = new T4Encoder({ coding: 'mh', width, endMarker: false, onData: (b) => e.push(...b) });
  enc.encodeRow(new Uint8Array(216));
  enc.encodeRow(new Uint8Array(216).fill(0xff));
  enc.finish();
  const want = '000000000001' + '010011011' + '00110101' + '000000000001' + '00110101' + '0000001100101' + '0000110111';
  assert.is(bitString(Uint8Array.from(e)), want.padEnd(Math.ceil(want.length / 8) * 8, '0'));
});

test('known answer: MMR horizontal and vertical modes, EOFB (T.6)', () => {
  const row = new Uint8Array(4);
  row[1] = 0xff; // black pixels 8..15 of 32
  const e: number[] = [];
  const enc = new T4Encoder({ coding: 'mmr', width: 32, onData: (b) => e.push(...b) });
  enc.encodeRow(row);
  enc.encodeRow(row);
  enc.finish();
  // Line 1 against a white reference: H (001) white 8 (10011) black 8 (000101), then V0 at the end.
  // Line 2 identical to line 1: V0 three times. Then EOFB (two EOLs).
  const want = '001' + '10011' + '000101' + '1' + '111' + '000000000001' + '000000000001';
  assert.is(bitString(Uint8Array.from(e)), want.padEnd(Math.ceil(want.length / 8) * 8, '0'));
  // And decoding the hand-made bits gives the rows back.
  const rows: number[][] = [];
  const d = new T4Decoder({ coding: 'mmr', width: 32, onRow: (r) => rows.push(Array.from(r)) });
  d.push(fromBits(want));
  d.end();
  assert.equal(rows, [Array.from(row), Array.from(row)]);
  assert.ok(d.endMarker);
});

test('known answer: pass mode and vertical offsets', () => {
  // Reference: black 4..11; coding line: black 20..23. b1=4, b2=12 < a1=20: pass; then a1=20,
  // b1 (next white->black after 12) = 32 (none): |20-32|>3: horizontal, white 8 (from a0=12), black 4.
  const ref = new Uint8Array([0x0f, 0xf0, 0, 0]);
  const cur = new Uint8Array([0, 0, 0x0f, 0]);
  const e: number[] = [];
  const enc = new T4Encoder({ coding: 'mmr', width: 32, endMarker: false, onData: (b) => e.push(...b) });
  enc.encodeRow(ref);
  enc.encodeRow(cur);
  enc.finish();
  const bits = bitString(Uint8Array.from(e));
  // Line 1: H(001) white 4 (1011) black 8 (000101); then a0=12, a1=32, b1=32: V0 (1).
  const l1 = '001' + '1011' + '000101' + '1';
  // Line 2: pass (0001) to a0=12; H(001) white 8 (10011) black 4 (011); a0=24, a1=32, b1=32: V0.
  const l2 = '0001' + '001' + '10011' + '011' + '1';
  assert.is(bits.slice(0, l1.length + l2.length), l1 + l2);
  const rows: number[][] = [];
  const d = new T4Decoder({ coding: 'mmr', width: 32, onRow: (r) => rows.push(Array.from(r)) });
  d.push(Uint8Array.from(e));
  d.end();
  assert.equal(rows, [Array.from(ref), Array.from(cur)]);
});

test('MR: one 1-D line in K, tag bits after each EOL (T.4 §4.2.1.1)', () => {
  const page = makePage(1728, 9, 'text', 2);
  const bits = bitString(encodePage(page, { coding: 'mr', k: 4 }));
  const tags: string[] = [];
  let i = bits.indexOf('000000000001');
  while (i >= 0) {
    tags.push(bits[i + 12]);
    i = bits.indexOf('000000000001', i + 12);
  }
  // 9 lines then RTC: six EOL+1.
  assert.is(tags.slice(0, 9).join(''), '100010001');
  assert.is(tags.slice(9).join(''), '111111');
});

test('minimum scan line bits: every line from EOL to EOL is at least N bits', () => {
  const page = makePage(1728, 30, 'mixed', 4);
  for (const coding of ['mh', 'mr'] as const) {
    for (const byteAlignedEol of [false, true]) {
      const bytes = encodePage(page, { coding, minLineBits: 400, byteAlignedEol });
      const bits = bitString(bytes);
      const eols: number[] = [];
      let run = 0;
      for (let i = 0; i < bits.length; i++) {
        if (bits[i] === '0') run++;
        else {
          if (run >= 11) eols.push(i - 11);
          run = 0;
        }
      }
      assert.is(eols.length, 30 + 6);
      for (let l = 0; l < 30; l++) assert.ok(eols[l + 1] - eols[l] >= 400, `line ${l}: ${eols[l + 1] - eols[l]} bits`);
      if (byteAlignedEol) for (const p of eols) assert.is((p + 12) % 8, 0, 'EOL ends on a byte boundary');
      const { page: back } = decodePage(bytes, 1728, { coding });
      assert.is(firstDifferentRow(page, back), -1);
    }
  }
});

test('page end: data after RTC/EOFB is not decoded, rows option stops early', () => {
  const page = makePage(1728, 20, 'text', 6);
  for (const coding of CODINGS) {
    const a = encodePage(page, { coding });
    const both = new Uint8Array(a.length * 2);
    both.set(a);
    both.set(a, a.length);
    const { d } = decodePage(both, 1728, { coding });
    assert.is(d.lines, 20, coding);
    assert.ok(d.endMarker);
    assert.ok(d.trailingBytes > 0 && d.trailingBytes <= a.length + 1);
    const { d: d2 } = decodePage(a, 1728, { coding, rows: 7 });
    assert.is(d2.lines, 7);
    assert.ok(d2.done);
  }
});

test('MR page ended by bare EOLs (no tag bits) still ends at RTC', () => {
  const page = makePage(1728, 10, 'text', 9);
  const bits = bitString(encodePage(page, { coding: 'mr' }));
  const rtc = bits.lastIndexOf('0000000000011'.repeat(6));
  assert.ok(rtc > 0);
  const data = fromBits(bits.slice(0, rtc) + '000000000001'.repeat(6) + '1010101010101010');
  const { page: back, d } = decodePage(data, 1728, { coding: 'mr' });
  assert.is(firstDifferentRow(page, back), -1);
  assert.ok(d.endMarker);
  assert.is(d.badLines, 0);
});

test('missing end marker and a first line without EOL are still decoded', () => {
  const page = makePage(1728, 12, 'text', 8);
  for (const coding of ['mh', 'mr', 'mmr'] as const) {
    const bytes = encodePage(page, { coding, endMarker: false });
    const { page: back, d } = decodePage(bytes, 1728, { coding, expectEndMarker: true });
    assert.is(firstDifferentRow(page, back), -1, coding);
    assert.not.ok(d.endMarker);
    assert.ok(d.truncated, 'no RTC/EOFB though expected');
    assert.not.ok(decodePage(encodePage(page, { coding }), 1728, { coding, expectEndMarker: true }).d.truncated);
  }
  // MH without the page's first EOL (some writers omit it): strip the leading 12 bits.
  const bits = bitString(encodePage(page, { coding: 'mh' }));
  assert.is(bits.slice(0, 12), '000000000001');
  const { page: back } = decodePage(fromBits(bits.slice(12)), 1728, { coding: 'mh' });
  assert.is(firstDifferentRow(page, back), -1);
});

test.run();
