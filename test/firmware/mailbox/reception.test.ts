// Calls from a firmware sender over the simulated line into a receiving T.30 session whose
// sink is the mailbox's ReceptionSink: routing by SUB/PWD, pages into the store, journal.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Store, journalEntries } from '../../../firmware/store/index.ts';
import { Mailbox, ReceptionSink, prepareBoxes } from '../../../firmware/mailbox/index.ts';
import type { Route } from '../../../firmware/mailbox/index.ts';
import { validateSettings } from '../../../firmware/app/settings.ts';
import { SeededEntropy } from '../../../sim/board/entropy.ts';
import { CutFlash } from '../store/cut-flash.ts';
import { SimRig, testPage, pageOf, decode, sameBitmap } from '../fax/t30/sim-rig.ts';
import { faxStation } from '../../rig/fax-station.ts';

function appliance(rig: SimRig, opts: { sectors?: number; unknownSub?: string } = {}) {
  const settings = validateSettings({
    fax: { unknownSub: opts.unknownSub ?? 'ordinary' },
    boxes: [{ number: '12', code: '4711' }, { number: '7', code: '1234', pwd: '555' }],
  }).settings!;
  prepareBoxes(settings, new SeededEntropy('rx'));
  const clock = rig.clock;
  const store = new Store(new CutFlash(4096, opts.sectors ?? 64));
  store.mount();
  const mb = new Mailbox(store, clock, () => settings);
  const sink = new ReceptionSink(store, mb, clock);
  const stored: [number, Route][] = [];
  sink.onStored = (id, r) => stored.push([id, r]);
  const { kernel, fax } = faxStation(rig.line, clock, '200', { ident: '+49 30 200', sink, onCallEnd: (r) => sink.callEnded(r) });
  return { kernel, store, mb, stored, fax };
}

function call(o: { sub?: string; sid?: string; pages?: number; ecm?: boolean; sectors?: number; unknownSub?: string }) {
  const rig = new SimRig();
  const b = appliance(rig, o);
  const a = rig.station('100', { ident: '+1 555 0100', caps: { ecm: o.ecm ?? false } });
  const pages = Array.from({ length: o.pages ?? 1 }, (_, i) => testPage(i + 1, 200));
  a.fax.send({ number: '200', pages: pages.map((p) => pageOf(p)), sub: o.sub, sid: o.sid });
  rig.runUntil(() => a.journal.length > 0 && journalEntries(b.store).some((e) => e.kind === 'call'), 600000);
  return { a, b, pages };
}

function readDoc(store: Store, id: number, page: number) {
  const rd = store.readPage(id, page)!;
  const parts: number[] = [];
  for (let c = rd.next(); c; c = rd.next()) for (const x of c) parts.push(x);
  assert.is(rd.error, null);
  const p = store.pageParams(id, page)!;
  return decode(new Uint8Array(parts), p.coding);
}

test('SUB 12: the document goes to box 12, whole, and the call is journaled', () => {
  const { a, b, pages } = call({ sub: '12', pages: 2 });
  assert.is(a.journal[0].result, 'ok');
  const docs = b.store.documents();
  assert.is(docs.length, 1);
  assert.is(docs[0].meta.box, '12');
  assert.is(docs[0].meta.remote, '+1 555 0100');
  assert.is(docs[0].pages, 2);
  assert.is(docs[0].result, 'ok');
  for (let i = 0; i < 2; i++) assert.is(sameBitmap(pages[i], readDoc(b.store, docs[0].id, i).bitmap), null, 'page ' + (i + 1));
  assert.equal(b.stored.map((s) => s[1].action), ['confidential']);
  assert.is(b.mb.waiting('12').length, 1);
  const j = journalEntries(b.store).filter((e) => e.kind === 'call');
  assert.is(j.length, 1);
  assert.equal([j[0].dir, j[0].box, j[0].pages, j[0].result, j[0].doc], ['rx', '12', 2, 'ok', docs[0].id]);
});

test('no SUB: an ordinary reception; MMR with ECM stored as it came', () => {
  const { b, pages } = call({ ecm: true });
  const d = b.store.documents()[0];
  assert.is(d.meta.box, '');
  assert.is(b.store.pageParams(d.id, 0)!.coding, 'mmr');
  assert.is(sameBitmap(pages[0], readDoc(b.store, d.id, 0).bitmap), null);
  assert.equal(b.stored.map((s) => s[1].action), ['ordinary']);
});

test('a box with a password: the right PWD is taken, a wrong one refused and journaled', () => {
  const ok = call({ sub: '7', sid: '555' });
  assert.is(ok.b.store.documents()[0].meta.box, '7');
  const bad = call({ sub: '7', sid: '000' });
  assert.is(bad.b.store.documents().length, 0);
  assert.not.equal(bad.a.journal[0].result, 'ok');
  const j = journalEntries(bad.b.store);
  assert.ok(j.some((e) => e.kind === 'refused' && e.reason === 'wrong password'));
  assert.ok(j.some((e) => e.kind === 'call' && e.result === 'refused: wrong password'), JSON.stringify(j));
});

test('unknown SUB refused when the setting says so', () => {
  const r = call({ sub: '99', unknownSub: 'refuse' });
  assert.is(r.b.store.documents().length, 0);
  assert.ok(journalEntries(r.b.store).some((e) => e.kind === 'refused' && e.reason === 'unknown subaddress'));
});

test('store full: the page that does not fit is refused, the pages before it are kept', () => {
  const r = call({ sub: '12', pages: 6, sectors: 8 });
  const d = r.b.store.documents();
  assert.is(r.a.journal[0].result !== 'ok', true, 'the sender knows');
  assert.is(d.length, 1);
  assert.ok(d[0].pages >= 1 && d[0].pages < 6, 'kept ' + d[0].pages);
  for (let i = 0; i < d[0].pages; i++) assert.is(sameBitmap(r.pages[i], readDoc(r.b.store, d[0].id, i).bitmap), null);
  assert.is(d[0].pages, r.a.journal[0].pages, 'exactly the confirmed pages');
  const j = journalEntries(r.b.store).find((e) => e.kind === 'call')!;
  assert.match(String(j.result), /memory/);
});

test('the sink answers each step with null or a Refusal: a wrong password at DCS, then a store that fills up', () => {
  const rig = new SimRig();
  const b = appliance(rig, { sectors: 8 });
  const sink = new ReceptionSink(b.store, b.mb, rig.clock);
  const info = { page: 1, width: 1728, fine: true, coding: 'MH' as const, ecm: false, rate: 9600, bitOrder: 'lsb-first' as const, remoteIdent: 'x', sub: '7', pwd: '000' };
  assert.equal(sink.accept(info), { full: false, reason: 'wrong password' });
  assert.equal(sink.pageStart(info), { full: false, reason: 'wrong password' }, 'the call stays refused');
  sink.callEnded({ direction: 'receive', remoteIdent: 'x', number: '', pages: 0, rate: 0, coding: '', ecm: false, result: 'refused', reason: 'call refused: wrong password', sub: '7', start: 0, duration: 0 });
  const open = { ...info, sub: '12', pwd: '' };
  assert.is(sink.accept(open), null);
  assert.is(sink.pageStart(open), null);
  const chunk = new Uint8Array(4096).map((_, i) => (i * 73) & 0xff);
  let no = null;
  for (let i = 0; i < 200 && !no; i++) no = sink.pageData(chunk);
  assert.equal(no, { full: true, reason: 'memory full' }, 'a store of 8 sectors fills up');
  assert.is(sink.pageEnd(false, { lines: 0, badLines: 0, maxBadRun: 0 }), null);
});

test.run();
