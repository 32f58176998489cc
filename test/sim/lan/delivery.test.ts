// Delivery policies and the outbox on the simulated board and LAN, in virtual time
// (docs/LAN-PROTOCOL.md §4–5): text-only protection, automatic delivery each / count / time with
// keep or delete, an owner's computer that is off and comes back, a power cut with notices
// waiting in the outbox.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { journalEntries } from '../../../firmware/store/index.ts';
import { RETRY_FIRST_MS } from '../../../firmware/delivery/outbox.ts';
import { moduleHolds } from '../../../firmware/app/modules.ts';
import { ANN, boot, dataDir, fetch, ownerListens, page, pagesOf, receive, samePixels, T0 } from './rig.ts';

const SENT = [page(3, 250)];

// Runs first: the host's module registry counts holds across the whole file.
test('the LAN service is loaded for work (keys at boot, a delivery) and let go when idle; the gate keeps listening', () => {
  const s = boot({ box12: { delivery: { mode: 'each' } } });
  const gate = s.app.delivery.lan;
  s.runFor(60000);
  assert.is(gate.engine, null, 'released after the owners\' pair keys were computed at boot');
  assert.is(moduleHolds('lan'), 0);
  const woke = gate.wakes;
  assert.ok(woke >= 1);
  const pc = ownerListens(s, ANN, 'pc-ann.lan');
  receive(s, SENT);
  s.runFor(30000);
  assert.is(pc.documents.length, 1, 'the document pushed through a freshly loaded service');
  assert.ok(gate.wakes > woke);
  assert.ok(gate.engine, 'loaded while the owner\'s connection is open (lan.idleSeconds)');
  s.runFor(120000);
  assert.is(gate.engine, null, 'released once the connection closed');
  assert.is(moduleHolds('lan'), 0);
  // An owner's computer connecting to the listening gate gets the service loaded for it.
  const got = fetch(s, ANN, 'pc-ann.lan', '12', pc.documents[0].summary.doc, '4711');
  assert.is(got.err, null, 'fetched over a connection the gate accepted');
  assert.ok(got.result);
  assert.is(moduleHolds('lanjobs'), 0, 'a fetch does not load the fax server\'s job code');
  assert.is(moduleHolds('tiff'), 0, 'nor the TIFF code of a text-only box');
  s.runFor(10000);
  assert.is(gate.engine, null, 'released after the client closed');
  assert.is(s.app.kernel.faults.length, 0, JSON.stringify(s.app.kernel.faults));
});

test('S14–S19 text only: the text sealed, the image in clear with its hash checked; shown as not encrypted', () => {
  const s = boot({ box12: { protection: 'text' } });
  const pc = ownerListens(s, ANN, 'pc-ann.lan', 7761, '4711');
  receive(s, SENT);
  s.runFor(30000);
  assert.is(pc.notices[0].protection, 'text');
  assert.is(pc.documents.length, 1);
  const d = pc.documents[0];
  assert.is(d.imageEncrypted, false);
  assert.is(d.summary.from, '+49 89 5550123');
  assert.is(samePixels(SENT[0], pagesOf(d)[0]), null);
  assert.ok(s.app.store.document(d.summary.doc)!.state.delivered);
  // The TIFF-F code (and its decoder) is a module of its own, loaded for this and let go with the engine.
  assert.ok(s.app.kernel.tracer.snapshot().some((l) => /tiff code loaded/.test(l)), 'the tiff module was loaded');
  s.runFor(120000);
  assert.is(s.app.delivery.lan.engine, null);
  assert.is(moduleHolds('tiff'), 0, 'released with the LAN engine');
});

test('each: the document is pushed after the reception; acknowledged, it is deleted (after: delete)', () => {
  const s = boot({ box12: { delivery: { mode: 'each', after: 'delete' } } });
  const pc = ownerListens(s, ANN, 'pc-ann.lan');
  receive(s, SENT);
  s.runFor(30000);
  assert.is(pc.notices.length, 0, 'no separate notice: the document itself');
  assert.is(pc.documents.length, 1);
  assert.is(samePixels(SENT[0], pagesOf(pc.documents[0])[0]), null);
  assert.is(s.app.store.documents().length, 0, 'deleted after the acknowledgement');
  assert.ok(journalEntries(s.app.store).some((e) => e.kind === 'delivered' && e.how === 'push' && e.kept === false));
});

test('a push waits while the appliance is not at rest (the printer printing), then goes', () => {
  const s = boot({ box12: { delivery: { mode: 'each' } } });
  const pc = ownerListens(s, ANN, 'pc-ann.lan');
  const agent = s.app.delivery.agent;
  // The appliance's own test: at rest unless the printer prints (the sim's printer is instant,
  // so the wait is held here by hand).
  assert.ok(agent.atRest && agent.atRest(), 'at rest while nothing prints');
  const own = agent.atRest!;
  let busy = true;
  agent.atRest = () => !busy && own();
  receive(s, SENT);
  s.runFor(30000);
  assert.is(pc.documents.length, 0, 'nothing pushed while the printer is busy');
  assert.ok(s.app.kernel.tracer.snapshot().some((l) => /waits for the printer/.test(l)));
  busy = false;
  s.runFor(5000);
  assert.is(pc.documents.length, 1, 'pushed once the printer is done');
  assert.is(samePixels(SENT[0], pagesOf(pc.documents[0])[0]), null);
});

test('a push sealed in slices while the next call is on the line: both calls ok, the push in many dispatches', () => {
  const s = boot({ box12: { delivery: { mode: 'each' } }, extra: { lan: { segmentBytes: 512 } } });
  const pc = ownerListens(s, ANN, 'pc-ann.lan');
  const big = [page(7, 1200), page(8, 1200), page(9, 1200)];
  receive(s, big);
  // The next caller is already dialling while the first document is sealed and sent.
  s.remoteSends([page(10, 300)], { sub: '13', ident: '+49 89 5550199' });
  const calls = s.app.callsEnded;
  s.runFor(2000);
  assert.ok(s.app.fax.lineUp || s.app.fax.rings > 0 || s.app.callsEnded > calls, 'the second call is on');
  while (s.app.callsEnded === calls) s.runFor(1000);
  s.runFor(30000);
  const docs = s.app.store.documents();
  assert.equal(docs.map((d) => [d.meta.box, d.result]), [['12', 'ok'], ['13', 'ok']]);
  assert.is(pc.documents.length, 1);
  big.forEach((want, i) => assert.is(samePixels(want, pagesOf(pc.documents[0])[i]), null, 'page ' + (i + 1)));
  const lan = s.app.delivery.lan;
  assert.ok(lan.stats.slices >= Math.floor(docs[0].bytes / 512), 'one segment per dispatch: ' + lan.stats.slices + ' slices for ' + docs[0].bytes + ' bytes');
});

test('count 2: notices, then both documents pushed when the second is waiting; kept and marked', () => {
  const s = boot({ box12: { delivery: { mode: 'count', count: 2 } } });
  const pc = ownerListens(s, ANN, 'pc-ann.lan');
  receive(s, SENT);
  s.runFor(30000);
  assert.equal([pc.notices.length, pc.documents.length], [1, 0]);
  receive(s, [page(4, 120)]);
  s.runFor(60000);
  assert.is(pc.documents.length, 2);
  assert.equal(pc.documents.map((d) => d.summary.pages), [1, 1]);
  const docs = s.app.store.documents();
  assert.is(docs.length, 2);
  assert.ok(docs.every((d) => d.state.delivered));
});

test('time 09:30: notice at once, the document pushed at half past nine local time', () => {
  const s = boot({ box12: { delivery: { mode: 'time', time: '09:30' } }, extra: { panel: { utcOffsetMinutes: 0 } } });
  const pc = ownerListens(s, ANN, 'pc-ann.lan');
  receive(s, SENT); // T0 is 09:00 UTC
  s.runFor(60000);
  assert.equal([pc.notices.length, pc.documents.length], [1, 0]);
  while (s.sim.clock.wall() < T0 + 29 * 60000) s.runFor(60000);
  assert.is(pc.documents.length, 0, 'not before 09:30');
  s.runFor(3 * 60000);
  assert.is(pc.documents.length, 1, 'pushed at 09:30');
  s.runFor(3600000);
  assert.is(pc.documents.length, 1, 'once a day');
});

test('the owner\'s computer is off: the notice waits and is retried with back-off until it listens', () => {
  const s = boot();
  receive(s, SENT);
  s.runFor(1000);
  const out = s.app.delivery.agent.outbox;
  assert.is(out.size(), 1);
  assert.ok(out.items[0].tries >= 1);
  assert.match(out.items[0].last, /refused/);
  s.runFor(RETRY_FIRST_MS * 3);
  const tries = out.items[0].tries;
  assert.ok(tries >= 2 && tries <= 3, 'backing off, not hammering: ' + tries);
  const pc = ownerListens(s, ANN, 'pc-ann.lan');
  s.runFor(RETRY_FIRST_MS * 8);
  assert.is(pc.notices.length, 1);
  assert.is(out.size(), 0);
});

test('a power cut with a notice in the outbox: after the restart it is delivered, none lost', () => {
  const dir = dataDir();
  const s = boot({ dir });
  receive(s, SENT);
  s.runFor(1000);
  assert.is(s.app.delivery.agent.outbox.size(), 1);
  s.sim.flash.close(); // the power goes; the flash file is what survives
  const s2 = boot({ dir, key: false, wallStart: T0 + 3600000 });
  assert.is(s2.app.delivery.agent.outbox.size(), 1, 'the outbox came back from flash');
  assert.ok(s2.app.delivery.crypto, 'the key provisioned before the cut is still in the store');
  const pc = ownerListens(s2, ANN, 'pc-ann.lan');
  s2.runFor(RETRY_FIRST_MS * 4);
  assert.is(pc.notices.length, 1);
  const f = fetch(s2, ANN, 'pc-ann.lan', '12', pc.notices[0].doc, '4711');
  assert.is(samePixels(SENT[0], pagesOf(f.result!)[0]), null);
  s2.sim.flash.close();
});

test('a boot with every owner\'s pair key cached does not load the LAN module; keys missing, or a delivery, do', () => {
  const dir = dataDir();
  const s = boot({ dir });
  assert.is(s.app.delivery.lan.backgroundWork(), 'pair keys', 'a fresh board: no owner\'s key cached yet');
  s.runFor(60000);
  assert.ok(s.app.delivery.lan.wakes >= 1, 'first boot: the owners\' pair keys computed ahead');
  s.sim.flash.close();
  // Same flash: Ann's and Bob's keys are in the key cache now.
  const s2 = boot({ dir, key: false });
  const gate = s2.app.delivery.lan;
  s2.runFor(60000);
  assert.is(gate.wakes, 0, 'nothing to compute: the module stays unloaded');
  assert.is(gate.engine, null);
  assert.ok(s2.app.kernel.tracer.snapshot().some((l: string) => l.indexOf('LAN service not loaded until there is work') >= 0));
  assert.is(gate.backgroundWork(), '');
  // A delivery still loads it.
  const pc = ownerListens(s2, ANN, 'pc-ann.lan');
  receive(s2, SENT);
  s2.runFor(30000);
  assert.is(pc.notices.length, 1);
  assert.ok(gate.wakes >= 1);
  s2.sim.flash.close();
});

test('without a provisioned key nothing is delivered and the LAN service stays off', () => {
  const s = boot({ key: false });
  receive(s, SENT);
  s.runFor(5000);
  assert.is(s.app.delivery.crypto, null);
  assert.is(s.app.delivery.lan.state.name, 'OFF');
});

test.run();
