// The device-peak rig's generator (fixtures/device-rig.ts), on Node: a reception recorded on the
// simulated board replays, with the prelude's player rules, to the same stored document on a
// fresh boot from the same flash image — the premise of the interpreter's rig (bench/device.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rigFlashImage, recordReception, replayReception, rxRecords, TranscriptRecorder, BOX, keyMatrix } from './fixtures/device-rig.ts';

const O = { lanPort: 17760, pageRows: [120, 80] };

test('a recorded reception replays to the same document; the transcript holds the call and its hold point', () => {
  const image = rigFlashImage(O);
  const rec = recordReception(O, image, 3000);
  const t = rec.transcript;
  const text = Buffer.from(t.tx).toString('latin1');
  assert.ok(text.startsWith('AT'), text.slice(0, 40));
  assert.match(text, /ATA\r/);
  const recs = rxRecords(t.rx);
  assert.is(recs.filter((r) => r.kind === 'W').length, 1, 'one hold point');
  const pageBytes = rec.coded.reduce((n, c) => n + c.length, 0);
  assert.ok(recs.reduce((n, r) => n + r.payload.length, 0) > pageBytes, 'the page data is in the transcript');
  const want = rec.app.store.documents().map((d) => [d.meta.box, d.pages, d.result]);
  assert.equal(want, [[BOX, 2, 'ok']]);
  assert.equal(rec.printedRows, O.pageRows, 'the print keys print every row of both pages');

  const r = replayReception(O, image, t);
  r.sim.virtual!.runFor(5000);
  assert.ok(r.modem.held, 'the player holds before the call: ' + r.modem.bad);
  assert.is(r.app.store.documents().length, 0);
  r.modem.go();
  for (let i = 0; i < 300 && r.app.callsEnded === 0; i++) r.sim.virtual!.runFor(1000);
  assert.is(r.modem.bad, null);
  assert.ok(r.modem.done(), 'every record played, every recorded byte written');
  assert.equal(r.app.store.documents().map((d) => [d.meta.box, d.pages, d.result]), want);
});

test('the player notices a firmware that says something else', () => {
  const image = rigFlashImage(O);
  const t = recordReception({ ...O, pageRows: [40] }, image, 3000).transcript;
  const tx = t.tx.slice();
  tx[2] ^= 0x20; // the recording says "ATe0…"
  const r = replayReception(O, image, { ...t, tx });
  r.sim.virtual!.runFor(3000);
  assert.match(String(r.modem.bad), /^byte 2 written: \d+, recorded: \d+/);
});

test('key scripts become the keypad matrix of the board (hal/espruino/keypad.ts)', () => {
  assert.equal(keyMatrix('BOX 12 OK'), [[0, 4], [0, 0], [0, 1], [3, 3]]);
  assert.equal(keyMatrix('MENU DOWN 0 #'), [[0, 3], [2, 3], [3, 1], [3, 2]]);
  assert.throws(() => keyMatrix('COPY'));
});

test('rx records: written and read back; a torn record is refused', () => {
  const rec = new TranscriptRecorder();
  rec.wrote(Uint8Array.of(65, 84, 13));
  rec.read(Uint8Array.of(79, 75));
  rec.read(Uint8Array.of(13, 10));
  rec.hold();
  rec.ring();
  const t = rec.transcript();
  const recs = rxRecords(t.rx);
  assert.equal(recs.map((r) => [r.kind, r.gate, Array.from(r.payload)]), [['R', 3, [79, 75, 13, 10]], ['W', 3, []], ['G', 3, []]]);
  assert.throws(() => rxRecords(t.rx.subarray(0, 15)), /runs past the end/);
  assert.throws(() => rxRecords(Buffer.from('X00000000000')), /bad record header at 0/);
});

test.run();
