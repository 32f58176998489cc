// Embodiment 1 on the simulated board and LAN, in virtual time (docs/LAN-PROTOCOL.md §1): a
// confidential reception is noticed to the owner's computer sealed; the owner asks for it with
// the pass code (S26–S35) and gets the pixels that were sent; wrong codes lock the box as at
// the panel; other identities are refused; an owner whose computer was off asks later.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { journalEntries } from '../../../firmware/store/index.ts';
import { ANN, BOB, boot, fetch, list, ownerListens, page, pagesOf, receive, samePixels, ask } from './rig.ts';

const SENT = [page(1, 300), page(2, 200)];

test('S2–S6, S20–S35: notice on the owner\'s computer, request with the code, the document as sent', () => {
  const s = boot();
  const pc = ownerListens(s, ANN, 'pc-ann.lan', 7761, '4711');
  receive(s, SENT);
  s.runFor(30000);
  assert.is(pc.notices.length, 1, 'one notice');
  const n = pc.notices[0];
  assert.equal([n.box, n.from, n.pages, n.protection], ['12', '+49 89 5550123', 2, 'all']);
  assert.is(pc.documents.length, 1, 'the document, requested on the notice\'s connection');
  const d = pc.documents[0];
  assert.ok(d.imageEncrypted);
  const got = pagesOf(d);
  assert.is(got.length, 2);
  SENT.forEach((want, i) => assert.is(samePixels(want, got[i]), null, 'page ' + (i + 1)));
  const doc = s.app.store.document(n.doc)!;
  assert.ok(doc.state.delivered, 'marked delivered after the acknowledgement');
  assert.is(s.app.delivery.agent.outbox.size(), 0, 'nothing left in the outbox');
  const j = journalEntries(s.app.store);
  assert.ok(j.some((e) => e.kind === 'code' && e.src === 'lan' && e.result === 'ok'), 'the code attempt journaled');
  assert.ok(j.some((e) => e.kind === 'delivered' && e.doc === n.doc));
  assert.is(s.app.kernel.faults.length, 0);
});

test('a slow reader (a small TCP window): the document waits for the network and arrives whole', () => {
  const s = boot();
  receive(s, SENT);
  s.runFor(5000);
  s.sim.lan!.window = 700;
  const l = list(s, ANN, 'pc-ann.lan', '12');
  const f = fetch(s, ANN, 'pc-ann.lan', '12', l.result!.docs[0].doc, '4711');
  assert.is(f.err, null);
  const got = pagesOf(f.result!);
  SENT.forEach((want, i) => assert.is(samePixels(want, got[i]), null, 'page ' + (i + 1)));
  assert.ok(s.app.delivery.lan.stats.heldBack > 0, 'the socket pushed back');
  assert.is(s.app.kernel.faults.length, 0);
});

test('an owner whose computer was off lists and fetches later (client list / fetch)', () => {
  const s = boot();
  receive(s, SENT);
  s.runFor(5000);
  const l = list(s, ANN, 'pc-ann.lan', '12');
  assert.is(l.err, null);
  assert.is(l.result!.docs.length, 1);
  const id = l.result!.docs[0].doc;
  const f = fetch(s, ANN, 'pc-ann.lan', '12', id, '4711');
  assert.is(f.err, null);
  assert.is(samePixels(SENT[1], pagesOf(f.result!)[1]), null);
  assert.is(list(s, ANN, 'pc-ann.lan', '12').result!.docs.length, 0, 'delivered: no longer waiting');
});

test('wrong codes over the LAN: tries left, then locked with the time, journaled like the panel', () => {
  const s = boot();
  receive(s, SENT);
  const id = s.app.store.documents()[0].id;
  const left: (number | undefined)[] = [];
  for (let i = 0; i < 4; i++) {
    const r = fetch(s, ANN, 'pc-ann.lan', '12', id, '1111');
    assert.is(r.err!.code, 'wrong-code');
    left.push(r.err!.refusal!.triesLeft);
  }
  assert.equal(left, [4, 3, 2, 1]);
  const locked = fetch(s, ANN, 'pc-ann.lan', '12', id, '1111');
  assert.is(locked.err!.code, 'locked');
  assert.is(locked.err!.refusal!.lockedMs, 60000);
  const right = fetch(s, ANN, 'pc-ann.lan', '12', id, '4711');
  assert.is(right.err!.code, 'locked', 'even the right code while locked');
  assert.ok(right.err!.refusal!.lockedMs! <= 60000 && right.err!.refusal!.lockedMs! > 50000);
  const codes = journalEntries(s.app.store).filter((e) => e.kind === 'code' && e.src === 'lan').map((e) => e.result);
  assert.equal(codes, ['wrong', 'wrong', 'wrong', 'wrong', 'wrong, locked', 'locked']);
  assert.is(s.app.mailbox.lockRemaining('12') > 0, true, 'the panel sees the same lock');
  s.runFor(61000);
  assert.is(fetch(s, ANN, 'pc-ann.lan', '12', id, '4711').err, null, 'after the lock the right code works');
});

test('several requests on one connection, each with a fresh challenge', () => {
  const s = boot();
  receive(s, SENT);
  const id = s.app.store.documents()[0].id;
  const r = ask<unknown>(s, ANN, 'pc-ann.lan', (c, done) => {
    c.list('12', (e) => { if (e) done(e, null); });
    c.fetch('12', id, '9999', (e) => { if (!e || e.code !== 'wrong-code') done(e, null); });
    c.fetch('12', id, '4711', (e, d) => done(e, d));
  });
  assert.is(r.err, null);
  assert.ok(r.result);
});

test('another owner\'s identity cannot list or request box 12; a stranger is refused before any key is computed', () => {
  const s = boot();
  receive(s, SENT);
  const id = s.app.store.documents()[0].id;
  const bob = fetch(s, BOB, 'pc-bob.lan', '12', id, '4711');
  assert.is(bob.err!.code, 'not-owner');
  assert.is(list(s, BOB, 'pc-bob.lan', '12').err!.code, 'not-owner');
  assert.is(list(s, BOB, 'pc-bob.lan', '99').err!.code, 'unknown-box');
  const eve = list(s, 'host:eve.lan', 'eve.lan', '12');
  assert.is(eve.err!.code, 'not-owner');
  assert.match(eve.err!.message, /owns no box/);
  assert.ok(journalEntries(s.app.store).some((e) => e.kind === 'lan' && e.result === 'not owner' && e.peer === 'host:eve.lan'));
  assert.is(s.app.store.document(id)!.state.delivered, undefined);
});

test.run();
