// T.4/T.6 page data from the line (or a file) into the decoder: random bytes, and valid pages
// with bytes changed, cut or grown, in any chunking, for MH, MR and MMR in both bit orders and
// any width. The decoder must never throw, end every page (done after end()), hand out rows of
// exactly the page's width, and no more rows than the input's bits can code (bounded work and
// memory for any input); an unchanged page decodes to exactly its pixels.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { T4Decoder, T4Encoder } from '../../firmware/fax/t4/index.ts';
import type { T4BitOrder, T4Coding } from '../../firmware/fax/t4/index.ts';
import { bytes, check, fc, mutated, pieces } from './budget.ts';

const CODINGS: T4Coding[] = ['mh', 'mr', 'mmr'];
const ORDERS: T4BitOrder[] = ['lsb-first', 'msb-first'];

function encode(coding: T4Coding, bitOrder: T4BitOrder, width: number, rows: Uint8Array[]): Uint8Array {
  const out: number[] = [];
  const e = new T4Encoder({ coding, bitOrder, width, k: 4, onData: (b) => { for (let i = 0; i < b.length; i++) out.push(b[i]); } });
  for (const r of rows) e.encodeRow(r);
  e.finish();
  return Uint8Array.from(out);
}

function decode(coding: T4Coding, bitOrder: T4BitOrder, width: number, input: Uint8Array[], expectEndMarker: boolean): { rows: Uint8Array[]; d: T4Decoder } {
  const rows: Uint8Array[] = [];
  const stride = (width + 7) >> 3;
  const d = new T4Decoder({
    coding, bitOrder, width, expectEndMarker,
    onRow: (row) => {
      assert.is(row.length, stride, 'row of the page width');
      rows.push(row.slice());
    },
  });
  for (const p of input) d.push(p);
  d.end();
  assert.ok(d.done, 'the page is over after end()');
  return { rows, d };
}

const page = fc.record({
  coding: fc.constantFrom(...CODINGS),
  bitOrder: fc.constantFrom(...ORDERS),
  width: fc.oneof(fc.constantFrom(1728, 2048, 2432), fc.integer({ min: 1, max: 300 })),
  rows: fc.integer({ min: 0, max: 12 }),
  seed: fc.integer(),
});

/** A page of random short black runs (what text looks like to the coder). */
function rowsOf(width: number, n: number, seed: number): Uint8Array[] {
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) / 16777216;
  const out: Uint8Array[] = [];
  const stride = (width + 7) >> 3;
  for (let y = 0; y < n; y++) {
    const r = new Uint8Array(stride);
    for (let x = 0; x < width; x++) if (rnd() < 0.08) for (let k = 0; k < 1 + rnd() * 6 && x < width; k++, x++) r[x >> 3] |= 0x80 >> (x & 7);
    out.push(r);
  }
  return out;
}

test('random bytes: never a throw, the page ends, rows bounded by the bits', () => {
  check(
    't4 random bytes',
    fc.property(fc.constantFrom(...CODINGS), fc.constantFrom(...ORDERS), fc.integer({ min: -5, max: 3000 }), bytes(600), fc.array(fc.nat(), { maxLength: 6 }), (coding, order, width, data, cuts) => {
      const { rows, d } = decode(coding, order, width, pieces(data, cuts), false);
      assert.ok(rows.length <= 8 * data.length + 2, rows.length + ' rows from ' + data.length + ' bytes');
      assert.is(d.lines, rows.length);
    }),
  );
});

test('valid pages changed, cut or grown: never a throw, rows bounded; unchanged ones decode exactly', () => {
  check(
    't4 mutated pages',
    fc.property(page, fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 5 }), (p, edits, cuts) => {
      const src = rowsOf(p.width, p.rows, p.seed);
      const valid = encode(p.coding, p.bitOrder, p.width, src);
      const data = mutated(valid, edits);
      const { rows, d } = decode(p.coding, p.bitOrder, p.width, pieces(data, cuts), true);
      assert.ok(rows.length <= 8 * data.length + 2);
      if (edits.length < 3) {
        assert.is(rows.length, src.length, 'an unchanged page keeps its rows');
        for (let y = 0; y < src.length; y++) assert.equal(rows[y], src[y], 'row ' + y);
        assert.ok(d.endMarker && !d.truncated && d.badLines === 0);
      }
    }),
    0.3,
  );
});

test.run();
