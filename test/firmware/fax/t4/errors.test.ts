// Error handling as fax machines do it: bad lines detected, counted (total, longest run) and
// concealed; MMR errors fatal; hostile input never throws, hangs or grows memory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodePage, decodePage, bitString, fromBits } from './helpers.ts';
import { makePage, prng } from '../../../../scripts/t4/patterns.ts';
import { T4Decoder } from '../../../../firmware/fax/t4/index.ts';
import type { T4Coding } from '../../../../firmware/fax/t4/index.ts';
import { rowOf, strideOf } from '../../../../host/image/bitmap.ts';

/** Bit positions where each EOL starts. */
function eolStarts(bits: string): number[] {
  const out: number[] = [];
  let i = bits.indexOf('000000000001');
  while (i >= 0) {
    out.push(i);
    i = bits.indexOf('000000000001', i + 12);
  }
  return out;
}

function sameRow(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

test('MH: a corrupt line is counted and concealed by the previous row', () => {
  const page = makePage(1728, 40, 'text', 11);
  const bits = bitString(encodePage(page, { coding: 'mh' }));
  const eols = eolStarts(bits);
  // Replace line 10's codes by a run of ones (no valid code word is 11111111111…).
  const s = eols[10] + 12;
  const bad = bits.slice(0, s) + '1'.repeat(Math.min(40, eols[11] - s)) + bits.slice(s + Math.min(40, eols[11] - s));
  const { page: back, d } = decodePage(fromBits(bad), 1728, { coding: 'mh' });
  assert.is(d.lines, 40);
  assert.is(d.badLines, 1);
  assert.is(d.maxBadRun, 1);
  assert.ok(sameRow(rowOf(back, 10), rowOf(page, 9)), 'row 10 repeats row 9');
  // The callback says which rows are concealed; without a callback lines are only counted.
  const flags: number[] = [];
  const d2 = new T4Decoder({ coding: 'mh', width: 1728, onRow: (_r, i, isBad) => { if (isBad) flags.push(i); } });
  d2.push(fromBits(bad));
  d2.end();
  assert.equal(flags, [10]);
  const d3 = new T4Decoder({ coding: 'mh', width: 1728 });
  d3.push(fromBits(bad));
  d3.end();
  assert.is(d3.lines, 40);
  assert.is(d3.badLines, 1);
  for (let y = 0; y < 40; y++) if (y !== 10) assert.ok(sameRow(rowOf(back, y), rowOf(page, y)), 'row ' + y);
});

test('MR: an error in a 2-D line spoils the lines up to the next 1-D line; runs are counted', () => {
  const page = makePage(1728, 40, 'text', 12);
  const bits = bitString(encodePage(page, { coding: 'mr', k: 4 }));
  const eols = eolStarts(bits);
  // Line 13 is 2-D (13 % 4 = 1); lines 14 and 15 are 2-D too and refer to it; 16 is 1-D.
  const s = eols[13] + 13;
  const bad = bits.slice(0, s) + '0000001' + bits.slice(s + 7); // extension code: unsupported
  const { page: back, d } = decodePage(fromBits(bad), 1728, { coding: 'mr' });
  assert.is(d.lines, 40);
  assert.ok(d.badLines >= 1 && d.badLines <= 3, 'bad ' + d.badLines);
  assert.ok(sameRow(rowOf(back, 13), rowOf(page, 12)));
  for (let y = 16; y < 40; y++) assert.ok(sameRow(rowOf(back, y), rowOf(page, y)), 'row ' + y + ' after the 1-D line');
});

test('MR: consecutive bad lines give the longest run', () => {
  const page = makePage(1728, 30, 'text', 13);
  const bits = bitString(encodePage(page, { coding: 'mr', k: 2 }));
  const eols = eolStarts(bits);
  // Lines 5 and 7 are 2-D (k = 2): an extension code word; 6 and 20 are 1-D: two 1728-pixel
  // make-ups, too long for the line. Both kinds are always detected.
  let out = bits;
  for (const l of [20, 7, 6, 5]) { // inserted, from the end so the positions stay valid
    const s = eols[l] + 13;
    const bad = bits[eols[l] + 12] === '0' ? '0000001000' : '010011011010011011';
    out = out.slice(0, s) + bad + out.slice(s);
  }
  const { d } = decodePage(fromBits(out), 1728, { coding: 'mr' });
  assert.is(d.lines, 30);
  // 5, 6, 7, 20, and 21 (2-D against the concealed line 20, which differs from the real one).
  assert.is(d.badLines, 5);
  assert.is(d.maxBadRun, 3);
});

test('MMR: an error is fatal for the rest of the page', () => {
  const page = makePage(1728, 40, 'text', 14);
  const bytes = encodePage(page, { coding: 'mmr' });
  const cut = bytes.slice();
  const at = Math.floor(bytes.length / 2);
  for (let i = at; i < at + 8; i++) cut[i] = 0xff;
  let ended = 0;
  const rows: Uint8Array[] = [];
  const d = new T4Decoder({ coding: 'mmr', width: 1728, onRow: (r) => rows.push(r.slice()), onEnd: () => ended++ });
  d.push(cut);
  d.end();
  assert.ok(d.fatal);
  assert.is(ended, 1);
  assert.ok(d.lines > 5 && d.lines < 40, 'lines ' + d.lines);
  // Rows whose codes end before the damaged bytes come out exact.
  let exact = 0;
  for (let y = 1; y <= 40; y++) {
    const upTo = encodePage({ ...page, height: y }, { coding: 'mmr', endMarker: false }).length;
    if (upTo < at) exact = y;
  }
  assert.ok(exact > 5);
  for (let y = 0; y < exact; y++) assert.ok(sameRow(rows[y], rowOf(page, y)), 'row ' + y + ' before the error');
});

function fuzzOne(coding: T4Coding, data: Uint8Array, width: number, chunk: number): T4Decoder {
  let rows = 0;
  const d = new T4Decoder({ coding, width, onRow: (r) => { rows++; if (r.length !== strideOf(width)) throw new Error('row size'); } });
  for (let i = 0; i < data.length; i += chunk) d.push(data.subarray(i, i + chunk));
  d.end();
  assert.is(rows, d.lines);
  assert.ok(d.done);
  return d;
}

test('fuzz: random bit flips and truncations never throw; rows stay bounded', () => {
  const r = prng(99);
  for (const coding of ['mh', 'mr', 'mmr'] as const) {
    const page = makePage(1728, 60, 'mixed', 21);
    const bytes = encodePage(page, { coding, k: 4 });
    for (let iter = 0; iter < 60; iter++) {
      const data = bytes.slice(0, 1 + Math.floor(r() * bytes.length));
      const flips = Math.floor(r() * 20);
      for (let f = 0; f < flips; f++) data[Math.floor(r() * data.length)] ^= 1 << Math.floor(r() * 8);
      const d = fuzzOne(coding, data, 1728, 1 + Math.floor(r() * 500));
      // MH/MR: at most one row per EOL; MMR: at most one per 2 bits (V0 is one bit per change).
      assert.ok(d.lines <= (data.length * 8) / 12 + 1, `${coding}: ${d.lines} rows from ${data.length} bytes`);
      if (flips === 0 && data.length === bytes.length) assert.is(d.badLines, 0);
    }
  }
});

test('fuzz: garbage, zeros, ones, endless EOLs', () => {
  const r = prng(7);
  const garbage = new Uint8Array(200000);
  for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(r() * 256);
  const eols = fromBits('000000000001'.repeat(4000));
  const eolsTagged = fromBits('0000000000011'.repeat(4000));
  for (const coding of ['mh', 'mr', 'mmr'] as const) for (const width of [1728, 2432, 1]) {
    for (const data of [garbage, new Uint8Array(100000), new Uint8Array(100000).fill(0xff), eols, eolsTagged]) {
      const t0 = Date.now();
      const d = fuzzOne(coding, data, width, 4096);
      assert.ok(Date.now() - t0 < 2000, 'bounded time');
      // At most one row per EOL (MH/MR); MMR: one per bit at most (a V0 line of width 1).
      assert.ok(d.lines <= (data.length * 8) / (coding === 'mmr' ? 1 : 12) + 1, `${coding} ${width}: ${d.lines} rows`);
    }
  }
});

test('memory stays bounded: megabytes without an EOL', () => {
  const d = new T4Decoder({ coding: 'mh', width: 1728, onRow: () => {} });
  const size = (d as unknown as { buf: Uint8Array }).buf.length;
  assert.ok(size < 8192, 'input buffer ' + size);
  const chunk = new Uint8Array(65536).fill(0x55); // 0101…: never 11 zeros
  for (let i = 0; i < 50; i++) d.push(chunk);
  assert.is((d as unknown as { buf: Uint8Array }).buf, (d as unknown as { buf: Uint8Array }).buf);
  assert.is((d as unknown as { buf: Uint8Array }).buf.length, size);
  d.end();
  assert.ok(d.done);
  assert.is(d.lines, 0, 'nothing before the first EOL is a row');
});

test('long fill is accepted without limit (minimum scan time padding)', () => {
  const page = makePage(1728, 6, 'text', 30);
  const bits = bitString(encodePage(page, { coding: 'mh' }));
  const eols = eolStarts(bits);
  // 40 000 fill bits before line 3's EOL: far more than the input buffer.
  const out = bits.slice(0, eols[3]) + '0'.repeat(40000) + bits.slice(eols[3]);
  const { page: back, d } = decodePage(fromBits(out), 1728, { coding: 'mh' }, 100);
  assert.is(d.badLines, 0);
  assert.is(d.lines, 6);
  assert.ok(back.data.every((v, i) => v === page.data[i]));
});

test('a width out of range gives a fatal decoder, not an allocation', () => {
  for (const width of [0, -5, 1e9, NaN]) {
    const d = new T4Decoder({ coding: 'mh', width });
    d.push(new Uint8Array(100).fill(1));
    d.end();
    assert.ok(d.fatal && d.done, String(width));
    assert.is(d.lines, 0);
  }
});

test.run();
