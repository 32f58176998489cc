// Two firmware fax lines call each other over the emulated PSTN (virtual time).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimRig, testPage, pageOf, decode, sameBitmap } from './sim-rig.ts';

function call(o: { caps?: any; rxCaps?: any; pages?: number; sub?: string; sid?: string; log?: boolean; maxMs?: number }) {
  const rig = new SimRig({ log: false });
  const a = rig.station('100', { ident: '+1 555 0100', caps: o.caps, log: o.log });
  const b = rig.station('200', { ident: '+1 555 0200', caps: o.rxCaps ?? o.caps, log: o.log });
  const pages = Array.from({ length: o.pages ?? 1 }, (_, i) => testPage(i + 1, 200 + 50 * i));
  rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
  const t0 = Date.now();
  a.fax.send({ number: '200', pages: pages.map((p) => pageOf(p)), sub: o.sub, sid: o.sid });
  rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0, o.maxMs ?? 600000);
  return { rig, a, b, pages, wall: Date.now() - t0 };
}

function why(a: any, b: any) {
  return '\n--- sender\n' + a.trace().join('\n') + '\n--- receiver\n' + b.trace().join('\n');
}

test('MR without ECM, two pages at V.17, SUB and password: both journals OK, pages pixel for pixel', () => {
  const { a, b, pages, wall } = call({ caps: { ecm: false }, pages: 2, sub: '12', sid: 'secret' });
  assert.is(a.journal[0]?.result, 'ok', why(a, b));
  assert.is(b.journal[0].result, 'ok');
  assert.is(a.journal[0].pages, 2);
  assert.is(b.journal[0].pages, 2);
  assert.equal([a.journal[0].rate, a.journal[0].coding, a.journal[0].ecm], [14400, 'MR', false]);
  assert.is(b.journal[0].remoteIdent, '+1 555 0100');
  assert.is(a.journal[0].remoteIdent, '+1 555 0200');
  assert.is(b.journal[0].sub, '12');
  assert.is(b.stored.length, 2);
  for (let i = 0; i < 2; i++) {
    const s = b.stored[i];
    assert.ok(s.confirmed);
    assert.equal([s.info.sub, s.info.pwd, s.info.coding, s.info.fine], ['12', 'secret', 'MR', true]);
    assert.is(sameBitmap(pages[i], decode(s.data, s.info.coding).bitmap), null, `page ${i + 1}`);
  }
  assert.ok(wall < 5000, `virtual-time call took ${wall} ms of wall time`);
});

test('MMR with ECM, three pages: confirmed block by block', () => {
  const { a, b, pages } = call({ pages: 3 });
  assert.is(a.journal[0]?.result, 'ok', why(a, b));
  assert.equal([a.journal[0].coding, a.journal[0].ecm, b.journal[0].pages], ['MMR', true, 3]);
  for (let i = 0; i < 3; i++) assert.is(sameBitmap(pages[i], decode(b.stored[i].data, 'MMR').bitmap), null, `page ${i + 1}`);
});

test('MH only at V.27ter when the receiver offers nothing more', () => {
  const { a, b, pages } = call({ caps: { ecm: false }, rxCaps: { ecm: false, mr: false, mmr: false, v17: false, v29: false } });
  assert.is(a.journal[0]?.result, 'ok', why(a, b));
  assert.equal([a.journal[0].rate, a.journal[0].coding], [4800, 'MH']);
  assert.is(sameBitmap(pages[0], decode(b.stored[0].data, 'MH').bitmap), null);
});

test('a standard-resolution receiver gets every other row of a fine page', () => {
  const { a, b, pages } = call({ caps: { ecm: false }, rxCaps: { ecm: false, fine: false } });
  assert.is(a.journal[0]?.result, 'ok', why(a, b));
  const got = decode(b.stored[0].data, b.stored[0].info.coding).bitmap;
  assert.is(b.stored[0].info.fine, false);
  assert.is(got.height, Math.ceil(pages[0].height / 2));
});

test('the trace reads as named frames and named state transitions', () => {
  const { a, b } = call({ caps: { ecm: false }, sub: '7' });
  const ta = a.trace().join('\n');
  const tb = b.trace().join('\n');
  assert.match(tb, /t30: -> DIS 14400 fine MH MR SUB PWD/);
  assert.match(ta, /t30: <- DIS 14400 fine MH MR SUB PWD/);
  assert.match(ta, /t30: -> SUB "7"/);
  assert.match(ta, /t30: -> DCS 14400 fine MR/);
  assert.match(tb, /t30: R_WAIT_CMD -> R_TCF on C1_FRAMES/);
  assert.match(tb, /t30: -> MCF/);
  assert.match(ta, /t30: call end: ok \(sent 1 page\(s\)\)/);
});

test('jobs queued during a call go out one after the other', () => {
  const rig = new SimRig();
  const a = rig.station('100', { caps: { ecm: false } });
  const b = rig.station('200', { caps: { ecm: false } });
  a.fax.send({ number: '200', pages: [pageOf(testPage(1, 50))] }); // before the modem is even up
  rig.runUntil(() => a.fax.state.name === 'T_TCF', 60000);
  assert.is(a.journal.length, 0);
  a.fax.send({ number: '200', pages: [pageOf(testPage(2, 50)), pageOf(testPage(3, 50))] }); // mid-call
  rig.runUntil(() => a.journal.length > 1 && b.journal.length > 1, 600000);
  assert.equal(a.journal.map((j) => [j.result, j.pages]), [['ok', 1], ['ok', 2]], why(a, b));
  assert.is(b.stored.filter((s) => s.confirmed).length, 3);
});

test('a B4-wide page to an A4-only receiver is scaled to 1728; to a B4 receiver it keeps 2048', () => {
  for (const [rxWidths, want] of [[0, 1728], [1, 2048]] as const) {
    const rig = new SimRig();
    const a = rig.station('100', { caps: { ecm: false, widths: 1 } });
    const b = rig.station('200', { caps: { ecm: false, widths: rxWidths } });
    rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
    const page = testPage(4, 120, 2048);
    a.fax.send({ number: '200', pages: [pageOf(page)] });
    rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0);
    assert.is(a.journal[0].result, 'ok', why(a, b));
    const s = b.stored[0];
    assert.is(s.info.width, want);
    const got = decode(s.data, s.info.coding, s.info.width).bitmap;
    if (want === 2048) assert.is(sameBitmap(page, got), null);
    else assert.is(got.height, Math.round((120 * 1728) / 2048)); // rows dropped in proportion
  }
});

test('cancel: mid-page (the page is cut short), while waiting for DIS, and with nothing running', () => {
  for (const at of ['T_PAGE', 'T_WAIT_DIS', 'R_PAGE'] as const) {
    const rig = new SimRig();
    const a = rig.station('100', { caps: { ecm: false } });
    const b = rig.station('200', { caps: { ecm: false } });
    rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
    a.fax.send({ number: '200', pages: [pageOf(testPage(1, 400)), pageOf(testPage(2, 100))] });
    const who = at === 'R_PAGE' ? b : a;
    if (at === 'T_WAIT_DIS') rig.runUntil(() => a.fax.state.name === 'T_DIAL', 60000);
    else rig.runUntil(() => who.fax.state.name === at, 60000);
    rig.clock.runFor(at === 'T_WAIT_DIS' ? 100 : 1000);
    who.fax.cancel();
    rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0, 120000);
    const j = who.journal[0];
    assert.is(j?.result, 'cancelled', at + why(a, b));
    assert.match(j.reason, /stopped by the user/);
    assert.is(b.stored.filter((s) => s.confirmed).length, 0, at);
    assert.ok(a.fax.state.name === 'IDLE' && b.fax.state.name === 'IDLE', at);
  }
  const rig = new SimRig();
  const a = rig.station('100');
  rig.runUntil(() => a.fax.ready, 5000);
  a.fax.cancel();
  rig.clock.runFor(1000);
  assert.is(a.journal.length, 0);
  assert.is(a.fax.state.name, 'IDLE');
});

test("T4 is the session's time event: no answer to EOP — it runs out 3 s after each EOP went out, three tries, then DCN", () => {
  const rig = new SimRig();
  const a = rig.station('100', { caps: { ecm: false } });
  rig.runUntil(() => a.fax.ready, 5000);
  rig.line.attachRemote('555', { role: 'receive', dropAfterPage: 1 }); // hangs up before answering page 1
  a.fax.send({ number: '555', pages: [pageOf(testPage(1, 60))] });
  rig.runUntil(() => a.journal.length > 0, 600000);
  const t30 = a.trace().filter((l) => / t30: /.test(l));
  const at = (re: RegExp) => t30.filter((l) => re.test(l)).map((l) => Math.round(parseFloat(l) * 1000));
  const listening = at(/T_SEND_POST -> T_WAIT_MCF on C1_SENT/);
  const ranOut = at(/T4 ran out in T_WAIT_MCF/);
  assert.is(t30.filter((l) => /-> EOP$/.test(l)).length, 3, t30.join('\n'));
  assert.is(listening.length, 3);
  assert.equal(ranOut.map((t, i) => t - listening[i]), [3000, 3000, 3000], t30.join('\n'));
  assert.equal([a.journal[0].result, a.journal[0].pages], ['no-response', 0]);
  assert.ok(t30.some((l) => /T_WAIT_MCF -> DISCONNECT on C1_NO_FRAMES/.test(l)), 'DCN after the third try');
});

test.run();
