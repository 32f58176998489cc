// End-to-end acknowledgement of documents delivered by e-mail, in virtual time (docs/MAIL.md
// §Acknowledgements): the SMTP 250 of a document mail does not deliver it; the owner's client
// writes the document and mails a sealed acknowledgement, which the appliance reads by POP3 like
// a request — only then is the document marked delivered, kept or deleted. No acknowledgement:
// the document is mailed again after 1 h, 2 h, 4 h, then held; the client writes it once. Forged,
// replayed and strangers' acknowledgements change nothing; a power cut between the document mail
// and the acknowledgement loses and repeats nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { polyMaster } from '../../../host/crypto/poly-center.ts';
import { ownerMail } from '../../rig/mail.ts';
import type { OwnerMail } from '../../../host/client/mail.ts';
import { ReceivedIndex, saveArrived } from '../../../host/client/received.ts';
import type { Arrived } from '../../../host/client/received.ts';
import { ACK_RESENDS } from '../../../firmware/delivery/outbox.ts';
import { MSG_ACK } from '../../../firmware/lan/messages.ts';
import { page } from '../appliance/helpers.ts';
import { pagesOf, samePixels } from '../lan/rig.ts';
import { ANN, APPLIANCE, BOB, check, journal, mailed, receive, world } from './world.ts';
import type { World } from './world.ts';

const MIN = 60000;
const HOUR = 60 * MIN;

/** What the owner's program does with a mailbox check: writes new documents, acknowledges. */
function ownerReads(w: World, c: OwnerMail, dir: string): Arrived[] {
  const index = new ReceivedIndex(dir);
  const got = saveArrived(check(w, c), dir, index, APPLIANCE);
  for (const a of got) {
    if (!a.ackDue) continue;
    mailed(w, c, (d) => c.ack(a.summary.doc, () => d()));
    for (const uid of a.uids) index.markAcked(a.key, uid);
  }
  return got;
}

function outboxItem(w: World, doc: number) {
  return w.s.app.delivery.agent.outbox.find(doc, 'document');
}

function documentMails(w: World, to: string): number {
  return w.smtp.received.filter((m) => m.to.includes(to) && Buffer.from(m.data).toString('latin1').includes('name=document.fxv')).length;
}

function results(w: World): string[] {
  return journal(w).map((e) => String(e.result));
}

test('each + delete: the document mail alone delivers nothing; the acknowledgement mail does, then the document is deleted and not mailed again', () => {
  const w = world({}, { delivery: { mode: 'each', after: 'delete' } });
  const ann = w.client(ANN);
  const pages = [page(1, 240)];
  receive(w, pages, '12');
  w.s.runFor(20000);
  assert.is(documentMails(w, 'ann@example.test'), 1);
  const r = check(w, ann);
  assert.is(r.documents.length, 1, JSON.stringify(r.problems));
  const doc = r.documents[0].summary.doc;
  assert.is(samePixels(pages[0], pagesOf(r.documents[0])[0]), null);
  // The mail server took it (250), the owner has read it: still not delivered without the acknowledgement.
  w.s.runFor(5 * MIN);
  assert.ok(w.s.app.store.document(doc), 'kept until acknowledged');
  assert.not.ok(w.s.app.store.document(doc)!.state.delivered);
  assert.is(outboxItem(w, doc)?.sent, 1);
  assert.not.ok(journalHas(w, 'delivered'));
  // The acknowledgement, by mail: read at the next mailbox check, then the document goes.
  mailed(w, ann, (d) => ann.ack(doc, () => d()));
  w.s.runFor(70000);
  assert.ok(results(w).includes('acknowledged'), results(w).join());
  const del = journal(w, 'delivered');
  assert.is(del.length, 1);
  assert.equal([del[0].doc, del[0].how, del[0].kept], [doc, 'mail', false]);
  assert.is(w.s.app.store.document(doc), null, 'deleted after delivery');
  assert.is(w.s.app.delivery.agent.outbox.size(), 0);
  w.s.runFor(10 * HOUR);
  assert.is(documentMails(w, 'ann@example.test'), 1, 'not mailed again');
  assert.is(w.s.app.kernel.faults.length, 0, JSON.stringify(w.s.app.kernel.faults));
});

function journalHas(w: World, kind: string): boolean {
  return journal(w, kind).length > 0;
}

test('keep: acknowledged → marked delivered and kept; requested again by mail it comes again, the client keeps its first copy', () => {
  const w = world({}, { delivery: { mode: 'each', after: 'keep' } });
  const ann = w.client(ANN);
  const dir = mkdtempSync(join(tmpdir(), 'fv-mail-ack-'));
  receive(w, [page(2, 200)], '12');
  w.s.runFor(20000);
  const first = ownerReads(w, ann, dir);
  assert.is(first.length, 1);
  assert.is(first[0].again, false);
  const doc = first[0].summary.doc;
  const files = readdirSync(dir).filter((f) => !f.startsWith('.')).sort();
  assert.is(files.length, 2, files.join()); // TIFF + PDF
  w.s.runFor(70000);
  const info = w.s.app.store.document(doc);
  assert.ok(info, 'kept');
  assert.type(info!.state.delivered, 'number', 'marked delivered');
  assert.is(w.s.app.delivery.agent.outbox.size(), 0);
  // Delivered and kept: the owner may still ask for it by mail (with the pass code).
  mailed(w, ann, (d) => ann.request('12', doc, '4711', () => d()));
  w.s.runFor(70000);
  assert.is(documentMails(w, 'ann@example.test'), 2, 'mailed again on request');
  const again = ownerReads(w, ann, dir);
  assert.is(again.length, 1);
  assert.is(again[0].again, true, 'recognised');
  assert.ok(again[0].ackDue, 'a new copy is acknowledged');
  assert.equal(readdirSync(dir).filter((f) => !f.startsWith('.')).sort(), files, 'nothing written twice');
  w.s.runFor(70000);
  assert.is(journal(w, 'delivered').length, 2);
  assert.is(w.s.app.delivery.agent.outbox.size(), 0);
  // The owner moved the files away and asks once more: written again.
  for (const f of files) rmSync(join(dir, f));
  mailed(w, ann, (d) => ann.request('12', doc, '4711', () => d()));
  w.s.runFor(70000);
  const third = ownerReads(w, ann, dir);
  assert.is(third[0].again, false, 'its file was gone');
  assert.equal(readdirSync(dir).filter((f) => !f.startsWith('.')).sort(), files);
});

test('no acknowledgement: the document is mailed again after 1 h, 2 h and 4 h, then held; the client writes it once; a late acknowledgement still delivers', () => {
  const w = world({}, { delivery: { mode: 'each', after: 'delete' } });
  const ann = w.client(ANN);
  const dir = mkdtempSync(join(tmpdir(), 'fv-mail-ack-'));
  receive(w, [page(3, 200)], '12');
  w.s.runFor(20000);
  const to = 'ann@example.test';
  assert.is(documentMails(w, to), 1);
  // Each wait measured from the send before it (the poll and the SMTP session take seconds).
  w.s.runFor(HOUR - 2 * MIN);
  assert.is(documentMails(w, to), 1, 'not before an hour');
  w.s.runFor(4 * MIN);
  assert.is(documentMails(w, to), 2, 'again after an hour');
  w.s.runFor(2 * HOUR - 6 * MIN);
  assert.is(documentMails(w, to), 2, 'not before two more hours');
  w.s.runFor(6 * MIN);
  assert.is(documentMails(w, to), 3);
  w.s.runFor(4 * HOUR - 8 * MIN);
  assert.is(documentMails(w, to), 3);
  w.s.runFor(8 * MIN);
  assert.is(documentMails(w, to), 1 + ACK_RESENDS, 'the last re-send');
  w.s.runFor(48 * HOUR);
  assert.is(documentMails(w, to), 1 + ACK_RESENDS, 'then held: not mailed again by itself');
  const it = w.s.app.delivery.agent.outbox.items[0];
  assert.ok(it && it.kind === 'document' && it.held, JSON.stringify(it));
  const doc = it.doc;
  assert.ok(w.s.app.store.document(doc), 'never lost');
  // The owner's computer comes back: four copies in the mailbox, one document written, one acknowledgement.
  const acksBefore = w.smtp.received.length;
  const got = ownerReads(w, ann, dir);
  assert.is(got.length, 1);
  assert.is(got[0].uids.length, 1 + ACK_RESENDS);
  assert.is(readdirSync(dir).filter((f) => f.endsWith('.tif')).length, 1);
  assert.is(w.smtp.received.length - acksBefore, 1, 'one acknowledgement answers every copy');
  w.s.runFor(70000);
  assert.is(w.s.app.store.document(doc), null, 'delivered and deleted');
  assert.is(w.s.app.delivery.agent.outbox.size(), 0);
});

test('a held document deleted at the appliance meanwhile: its outbox item goes too', () => {
  const w = world({}, { delivery: { mode: 'each', after: 'keep' } });
  receive(w, [page(6)], '12');
  w.s.runFor(8 * HOUR);
  const it = w.s.app.delivery.agent.outbox.items[0];
  assert.ok(it && it.held, JSON.stringify(it));
  assert.is(documentMails(w, 'ann@example.test'), 1 + ACK_RESENDS);
  w.s.app.store.deleteDocument(it.doc);
  w.s.runFor(30000);
  assert.is(w.s.app.delivery.agent.outbox.size(), 0);
});

test('forged, replayed and strangers\' acknowledgements change nothing', () => {
  const w = world({}, { delivery: { mode: 'each', after: 'keep' } });
  const ann = w.client(ANN);
  const bob = w.client(BOB);
  const eve = w.client('mail:eve@example.test');
  // Someone who claims to be ann, with a key of another key centre: the envelope cannot open.
  const forger = ownerMail(w.s, w.mail, { master: polyMaster(new Uint8Array(32).fill(9), 1, 7), appliance: APPLIANCE, id: ANN, prio: 40 });
  receive(w, [page(4)], '12');
  w.s.runFor(20000);
  const doc = check(w, ann).documents[0].summary.doc;
  mailed(w, eve, (d) => eve.ack(doc, () => d()));
  mailed(w, bob, (d) => bob.ack(doc, () => d()));
  mailed(w, forger, (d) => forger.ack(doc, () => d()));
  w.s.runFor(70000);
  const r1 = results(w);
  assert.ok(r1.includes('not owner'), 'the stranger: ' + r1.join());
  assert.ok(journal(w).some((e) => e.result === 'acknowledgement ignored' && e.why === 'not the owner' && e.peer === BOB), r1.join());
  assert.ok(r1.some((x) => x.startsWith('refused ') && x !== 'refused replay'), 'the forgery: ' + r1.join());
  // ann's own key, but not an acknowledgement of this document: malformed, of a notice, of another number.
  const sealed = (ann as unknown as { sendSealed(type: number, body: unknown, name: string, cb: () => void): void });
  mailed(w, ann, (d) => sealed.sendSealed(MSG_ACK, { doc: 'seven', of: 'document' }, 'ack.fxv', () => d()));
  mailed(w, ann, (d) => sealed.sendSealed(MSG_ACK, { doc, of: 'notice' }, 'ack.fxv', () => d()));
  mailed(w, ann, (d) => ann.ack(doc + 1000, () => d()));
  w.s.runFor(70000);
  const whys = journal(w).filter((e) => e.peer === ANN).map((e) => e.result + (e.why ? ': ' + e.why : ''));
  for (const want of ['malformed acknowledgement', 'acknowledgement ignored: not of a document', 'acknowledgement ignored: no such document']) assert.ok(whys.includes(want), want + ' in ' + whys.join());
  assert.not.ok(w.s.app.store.document(doc)!.state.delivered, 'not delivered');
  assert.is(outboxItem(w, doc)?.sent, 1, 'still awaiting the acknowledgement');
  assert.is(w.boxes['eve@example.test'].mailbox.length, 0, 'nothing mailed to the stranger');
  // The genuine acknowledgement delivers; a copy of it replayed later, while a second request
  // awaits its own acknowledgement, is refused by the seen-cache.
  mailed(w, ann, (d) => ann.ack(doc, () => d()));
  const copy = w.smtp.received[w.smtp.received.length - 1].data;
  w.s.runFor(70000);
  const when = w.s.app.store.document(doc)!.state.delivered;
  assert.type(when, 'number');
  mailed(w, ann, (d) => ann.request('12', doc, '4711', () => d()));
  w.s.runFor(70000);
  assert.is(outboxItem(w, doc)?.sent, 1, 'the requested copy went out');
  w.boxes['fax@appliance.test'].deliver(copy);
  w.s.runFor(70000);
  assert.ok(results(w).includes('refused replay'), results(w).join());
  assert.is(outboxItem(w, doc)?.sent, 1, 'the replay acknowledged nothing');
  assert.is(journal(w, 'delivered').length, 1);
  assert.is(w.s.app.store.document(doc)!.state.delivered, when);
});

test('a power cut after the document mail, before its acknowledgement: after the reboot nothing is mailed again early, and the acknowledgement delivers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-mail-ackcut-'));
  const a = world({}, { delivery: { mode: 'each', after: 'delete' } }, dir);
  receive(a, [page(5, 200)], '12');
  a.s.runFor(20000);
  assert.is(documentMails(a, 'ann@example.test'), 1);
  assert.ok(a.s.app.store.getSetting('delivery.outbox')?.includes('"s":1'), 'the send is recorded in the outbox');
  a.s.sim.flash.close(); // the power goes
  // The mail system is not the appliance: the owner's mailbox still holds the document mail.
  const b = world({}, { delivery: { mode: 'each', after: 'delete' } }, dir);
  for (const m of a.boxes['ann@example.test'].mailbox) b.boxes['ann@example.test'].deliver(m.data);
  b.s.runFor(5 * MIN);
  assert.is(documentMails(b, 'ann@example.test'), 0, 'not mailed again at boot');
  const ann = b.client(ANN);
  const got = ownerReads(b, ann, mkdtempSync(join(tmpdir(), 'fv-mail-ackcut-out-')));
  assert.is(got.length, 1);
  const doc = got[0].summary.doc;
  assert.ok(b.s.app.store.document(doc));
  b.s.runFor(70000);
  assert.ok(results(b).includes('acknowledged'), results(b).join());
  assert.is(b.s.app.store.document(doc), null, 'delivered and deleted after the reboot');
  assert.is(b.s.app.delivery.agent.outbox.size(), 0);
  b.s.runFor(6 * HOUR);
  assert.is(documentMails(b, 'ann@example.test'), 0);
});

test.run();
