// The sender's page transformations: fine -> standard, wide -> narrow, narrow -> wide.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineDropper, WidthScaler, WidthPadder, T4Transcoder } from '../../../../firmware/fax/t4/index.ts';
import { encodePage, decodePage } from './helpers.ts';
import { toResolution, toWidth } from '../../../../host/image/resample.ts';
import { firstDifferentRow } from '../../../../host/image/bitmap.ts';
import { makePage } from '../../../../scripts/t4/patterns.ts';
import { rowOf } from '../../../../host/image/bitmap.ts';

function px(row: Uint8Array, x: number): number {
  return (row[x >> 3] >> (7 - (x & 7))) & 1;
}

test('LineDropper keeps rows 0, 2, 4…', () => {
  const page = makePage(1728, 11, 'text', 1);
  const out: Uint8Array[] = [];
  const d = new LineDropper((r) => out.push(r.slice()));
  for (let y = 0; y < 11; y++) d.push(rowOf(page, y));
  assert.is(out.length, 6);
  out.forEach((r, i) => assert.equal(Array.from(r), Array.from(rowOf(page, 2 * i))));
});

test('WidthScaler 2432 -> 1728 and 2048 -> 1728: row counts keep the aspect, thin lines survive', () => {
  for (const from of [2432, 2048]) {
    const rows = 1000;
    const out: Uint8Array[] = [];
    const s = new WidthScaler(from, 1728, (r) => out.push(r.slice()));
    const row = new Uint8Array(from >> 3);
    for (let x = 0; x < from; x += 97) row[x >> 3] |= 0x80 >> (x & 7); // one-pixel vertical lines
    for (let y = 0; y < rows; y++) s.push(row);
    assert.ok(Math.abs(out.length - Math.round((rows * 1728) / from)) <= 1, `${from}: ${out.length} rows`);
    assert.is(out[0].length, 216);
    let black = 0;
    for (let x = 0; x < 1728; x++) black += px(out[0], x);
    const lines = Math.ceil(from / 97);
    assert.is(black, lines, 'every one-pixel line is still there, once');
    // Right edge maps to right edge.
    const edge = new Uint8Array(from >> 3);
    edge[edge.length - 1] = 1;
    const e: Uint8Array[] = [];
    const s2 = new WidthScaler(from, 1728, (r) => e.push(r.slice()), false);
    s2.push(edge);
    assert.is(px(e[0], 1727), 1);
    assert.is(px(e[0], 1726), 0);
  }
});

test('WidthPadder centres a narrow row', () => {
  const out: Uint8Array[] = [];
  const p = new WidthPadder(8, 24, (r) => out.push(r.slice()));
  p.push(new Uint8Array([0x81]));
  assert.equal(Array.from(out[0]), [0, 0x81, 0]);
});

test('T4Transcoder: stored MMR fine B4 page -> MH standard A4 on the wire, in chunks', () => {
  const page = makePage(2048, 120, 'text', 7, 196);
  const stored = encodePage(page, { coding: 'mmr' });
  const out: number[] = [];
  const t = new T4Transcoder({
    fromCoding: 'mmr', fromWidth: 2048, toCoding: 'mh', toWidth: 1728, halveLines: 1,
    toBitOrder: 'lsb-first', minLineBits: 288, onData: (b) => { for (const v of b) out.push(v); },
  });
  for (let i = 0; i < stored.length; i += 100) t.push(stored.subarray(i, i + 100));
  t.end();
  assert.is(t.decoder.lines, 120);
  assert.is(t.decoder.badLines, 0);
  const want = toWidth(toResolution(page, 98), 1728);
  const { page: got, d } = decodePage(Uint8Array.from(out), 1728, { coding: 'mh', bitOrder: 'lsb-first' });
  assert.ok(d.endMarker, 'RTC');
  assert.is(got.height, want.height);
  assert.is(firstDifferentRow(want, got), -1);
});

test.run();
