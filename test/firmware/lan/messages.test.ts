import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { REC_DATA, REC_DOC, REC_END, REC_PAGE, jsonBytes, record } from '../../../firmware/lan/messages.ts';
import { DocStreamParser, parseListing, parseNotice, parseRefusal, parseRequest } from '../../../firmware/lan/messages-parse.ts';
import type { DocSummary, PageHead } from '../../../firmware/lan/messages.ts';

const summary: DocSummary = { box: '12', doc: 7, from: '+49 89 5550123', time: 1764928800000, pages: 2, bytes: 10, protection: 'all' };

function stream(): Uint8Array {
  const parts = [
    record(REC_DOC, jsonBytes(summary)),
    record(REC_PAGE, jsonBytes({ page: 1, coding: 'mh', width: 1728, linesPerMm: 7.7, bitOrder: 'lsb-first' })),
    record(REC_DATA, Uint8Array.of(1, 2, 3)), record(REC_DATA, Uint8Array.of(4, 5)),
    record(REC_PAGE, jsonBytes({ page: 2, coding: 'mmr', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' })),
    record(REC_DATA, Uint8Array.of(6, 7, 8, 9, 10)),
    record(REC_END, new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function collect() {
  const ev: string[] = [];
  const pages: PageHead[] = [];
  const data: number[] = [];
  return {
    ev, pages, data,
    sink: {
      doc: (s: DocSummary) => ev.push('doc ' + s.doc + ' ' + s.from),
      page: (p: PageHead) => { ev.push('page ' + p.page + ' ' + p.coding); pages.push(p); },
      data: (b: Uint8Array) => data.push(...b),
      end: () => ev.push('end'),
    },
  };
}

test('the document record stream parses the same however it is cut', () => {
  const all = stream();
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: all.length }), { maxLength: 10 }), (cuts) => {
    const c = collect();
    const p = new DocStreamParser(c.sink);
    let prev = 0;
    for (const x of [...cuts.sort((a, b) => a - b), all.length]) { p.push(all.subarray(prev, x)); prev = x; }
    assert.equal(c.ev, ['doc 7 +49 89 5550123', 'page 1 mh', 'page 2 mmr', 'end']);
    assert.equal(c.data, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.ok(p.ended);
  }));
});

test('records out of order, unknown or oversize are refused', () => {
  const c = collect();
  assert.throws(() => new DocStreamParser(c.sink).push(record(REC_DATA, Uint8Array.of(1))), /before its header/);
  assert.throws(() => new DocStreamParser(c.sink).push(record(0x77, Uint8Array.of(1))), /unknown document record/);
  const big = new Uint8Array(5); big[0] = REC_DATA; big[1] = 0x10;
  const p = new DocStreamParser(c.sink);
  p.push(record(REC_DOC, jsonBytes(summary)));
  assert.throws(() => p.push(big), /document record of/);
  const q = new DocStreamParser(collect().sink);
  q.push(stream());
  assert.throws(() => q.push(Uint8Array.of(REC_END)), /after the end/);
});

test('message bodies: fields are checked by type and size', () => {
  assert.equal(parseRequest(jsonBytes({ box: '12', doc: 3, code: '4711' })), { box: '12', doc: 3, code: '4711' });
  assert.throws(() => parseRequest(jsonBytes({ box: 12, doc: 3 })), /field box/);
  assert.throws(() => parseRequest(jsonBytes({ box: '12', doc: -1 })), /field doc/);
  assert.throws(() => parseRequest(new TextEncoder().encode('[1,2')), /not a JSON object/);
  const n = parseNotice(jsonBytes({ ...summary, kind: 'notice' }));
  assert.is(n.from, summary.from);
  assert.is(parseListing(jsonBytes({ box: '12', docs: [summary] })).docs[0].doc, 7);
  assert.equal(parseRefusal(jsonBytes({ code: 'wrong-code', text: 'wrong pass code', triesLeft: 3 })), { code: 'wrong-code', text: 'wrong pass code', triesLeft: 3 });
});

test('jsonBytes escapes non-ASCII (the device has no UTF-8 encoder)', () => {
  const b = jsonBytes({ from: 'Müller' });
  assert.ok(b.every((x) => x < 0x7f));
  assert.is(JSON.parse(new TextDecoder().decode(b)).from, 'Müller');
});

test.run();
