// The LAN protocol's input (docs/LAN-PROTOCOL.md) as a peer on the network sends it: the frame
// stream in any pieces, message bodies (JSON or not), and the document record stream. Each
// parser returns a valid result or throws its LanError with a code — nothing else; frames never
// exceed their type's limit, and a valid stream cut into any pieces parses the same.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameReader, encodeFrame, frameLimit, FRAME_MESSAGE, FRAME_CHUNK, FRAME_END, FRAME_ERROR, decodeHello, decodeError } from '../../firmware/lan/frame.ts';
import { jsonBytes, record, REC_DATA, REC_DOC, REC_END, REC_PAGE } from '../../firmware/lan/messages.ts';
import { DocStreamParser, parseAck, parseList, parseListing, parseNotice, parseRefusal, parseRequest, parseTextPart } from '../../firmware/lan/messages-parse.ts';
import { parseJobNumber, parseJobRequest, parseJobs, parseJournalList } from '../../firmware/lan/job-messages.ts';
import { bytes, check, fc, mutated, pieces } from './budget.ts';

/** Runs `f`; true when it returned, false when it threw a LanError; anything else fails. */
function lan(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0 && /^lan: /.test((e as Error).message)) return false;
    throw e;
  }
}

const PARSERS: [string, (b: Uint8Array) => unknown][] = [
  ['request', parseRequest], ['list', parseList], ['ack', parseAck], ['notice', parseNotice], ['listing', parseListing],
  ['refusal', parseRefusal], ['text part', parseTextPart], ['hello', decodeHello], ['error', decodeError],
  ['job request', parseJobRequest], ['jobs', parseJobs], ['job number', parseJobNumber], ['journal list', parseJournalList],
];

test('the frame stream: frames within their limits or a LanError; a valid stream in any pieces gives its frames', () => {
  check(
    'lan frames',
    fc.property(bytes(300), fc.array(fc.tuple(fc.constantFrom(FRAME_MESSAGE, FRAME_CHUNK, FRAME_END, FRAME_ERROR), fc.uint8Array({ maxLength: 80 })), { maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }), (noise, frames, edits, cuts) => {
      const valid = frames.map(([t, p]) => encodeFrame(t, t === FRAME_END ? new Uint8Array(0) : p));
      const stream = Uint8Array.from(valid.flatMap((f) => Array.from(f)));
      for (const input of [noise, mutated(stream, edits), stream]) {
        const r = new FrameReader();
        const got: { type: number; payload: Uint8Array }[] = [];
        lan(() => {
          for (const p of pieces(input, cuts)) {
            r.push(p);
            for (let f = r.next(); f; f = r.next()) {
              assert.ok(f.payload.length <= frameLimit(f.type), 'frame within its limit');
              got.push(f);
            }
          }
        });
        if (input === stream) {
          assert.is(got.length, frames.length);
          got.forEach((f, i) => assert.equal(f.payload, valid[i].subarray(5)));
        }
      }
    }),
  );
});

const body = fc.oneof(
  bytes(200),
  fc.jsonValue().map((v) => jsonBytes(v)),
  fc.dictionary(fc.constantFrom('box', 'doc', 'code', 'of', 'from', 'time', 'pages', 'bytes', 'protection', 'reason', 'text', 'docs', 'job', 'jobs', 'to', 'id', 'x'), fc.jsonValue()).map((o) => jsonBytes(o)),
);

test('message bodies: each parser returns or throws its LanError', () => {
  check(
    'lan messages',
    fc.property(body, (b) => {
      for (const [, parse] of PARSERS) lan(() => parse(b));
    }),
  );
});

test('the document record stream: events in order or a LanError; a valid stream in any pieces parses the same', () => {
  const rec = fc.oneof(
    fc.constant(record(REC_DOC, jsonBytes({ box: '12', doc: 3, from: '+1 555', time: 0, pages: 1, bytes: 10, protection: 'all' }))),
    fc.constant(record(REC_PAGE, jsonBytes({ page: 1, coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' }))),
    fc.uint8Array({ maxLength: 60 }).map((b) => record(REC_DATA, b)),
    fc.constant(record(REC_END, new Uint8Array(0))),
    body.map((b) => record(REC_DOC, b)),
    body.map((b) => record(REC_PAGE, b)),
  );
  check(
    'lan document stream',
    fc.property(fc.array(rec, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }), (recs, edits, cuts) => {
      const stream = Uint8Array.from(recs.flatMap((r) => Array.from(r)));
      const run = (input: Uint8Array, chunks: Uint8Array[]): string[] => {
        const ev: string[] = [];
        const p = new DocStreamParser({ doc: () => ev.push('doc'), page: () => ev.push('page'), data: (b) => ev.push('data ' + b.length), end: () => ev.push('end') });
        ev.push(lan(() => chunks.forEach((c) => p.push(c))) ? 'ok' : 'refused');
        return ev;
      };
      run(mutated(stream, edits), pieces(mutated(stream, edits), cuts));
      assert.equal(run(stream, pieces(stream, cuts)).filter((e) => !e.startsWith('data')), run(stream, [stream]).filter((e) => !e.startsWith('data')));
    }),
  );
});

test.run();
