// Every V.21 frame of a call lost in turn (delivered with a bad FCS), with and without ECM: each
// call must end on both sides with a journal record, and no page the sender counts as delivered
// may be missing at the receiver (the receiver may hold one more: its MCF was the frame lost).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimRig, testPage, pageOf, decode, sameBitmap } from './sim-rig.ts';

function run(ecm: boolean, lose: number) {
  const rig = new SimRig({ faults: { corruptFrames: [lose] } });
  const a = rig.station('100', { caps: { ecm } });
  const b = rig.station('200', { caps: { ecm } });
  const pages = [testPage(1, 80), testPage(2, 60)];
  rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
  a.fax.send({ number: '200', pages: pages.map((p) => pageOf(p)) });
  rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0, 900000);
  return { a, b, pages, frames: rig.line.trace().filter((l) => / frame /.test(l)).length };
}

for (const ecm of [false, true]) {
  test(`${ecm ? 'ECM' : 'non-ECM'}: losing any one frame never loses a confirmed page and every call ends`, () => {
    const clean = run(ecm, -1);
    assert.is(clean.a.journal[0].result, 'ok');
    const n = clean.frames;
    assert.ok(n > 8, `${n} frames in a clean call`);
    const outcomes: string[] = [];
    for (let i = 0; i < n; i++) {
      const { a, b, pages } = run(ecm, i);
      const where = `losing frame ${i}: sender ${a.journal[0]?.result} (${a.journal[0]?.reason}), receiver ${b.journal[0]?.result} (${b.journal[0]?.reason})\n` +
        a.trace().filter((l) => / t30: /.test(l)).join('\n') + '\n---\n' + b.trace().filter((l) => / t30: /.test(l)).join('\n');
      assert.ok(a.journal.length === 1 && b.journal.length === 1, 'both calls end: ' + where);
      const kept = b.stored.filter((s) => s.confirmed);
      assert.ok(kept.length >= a.journal[0].pages, 'no confirmed page lost: ' + where);
      assert.ok(kept.length <= a.journal[0].pages + 1, where);
      kept.forEach((s, k) => assert.is(sameBitmap(pages[k], decode(s.data, s.info.coding).bitmap), null, where));
      outcomes.push(`${i}:${a.journal[0].result}`);
    }
    if (process.env.FAX_DEBUG) console.log(outcomes.join(" "));
    // most single losses are recovered by a repeat
    assert.ok(outcomes.filter((o) => o.endsWith(':ok')).length >= n - 3, outcomes.join(' '));
  });
}

test('the line dropping at any moment of a 3-page call: both ends journal it, no confirmed page is lost', () => {
  for (let t = 3000; t < 60000; t += 2500) {
    for (const ecm of [false, true]) {
      const rig = new SimRig({ faults: { dropAt: t } });
      const a = rig.station('100', { caps: { ecm } });
      const b = rig.station('200', { caps: { ecm } });
      const pages = [testPage(1, 80), testPage(2, 60), testPage(3, 70)];
      rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
      a.fax.send({ number: '200', pages: pages.map((p) => pageOf(p)) });
      rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0, 900000);
      const where = `drop at ${t} ms${ecm ? ' (ECM)' : ''}: sender ${a.journal[0]?.result} ${a.journal[0]?.pages}, receiver ${b.journal[0]?.result} ${b.journal[0]?.pages}`;
      assert.ok(a.journal.length === 1 && b.journal.length === 1, where + '\n' + a.trace().join('\n'));
      const kept = b.stored.filter((s) => s.confirmed);
      assert.ok(kept.length >= a.journal[0].pages && kept.length <= a.journal[0].pages + 1, where);
      assert.is(b.journal[0].pages, kept.length, where);
      if (a.journal[0].result !== 'ok') assert.ok(a.journal[0].reason.length > 10, where);
      kept.forEach((s, k) => assert.is(sameBitmap(pages[k], decode(s.data, s.info.coding).bitmap), null, where));
    }
  }
});

test.run();
