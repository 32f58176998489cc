// Confidential delivery by e-mail in virtual time: the whole appliance on the simulated board
// (a remote fax machine calls box 12 on the emulated line), a small mail system on the simulated
// LAN (sim/mail: one SMTP server filing mail into POP3 mailboxes), and the owner's client library
// (host/client/mail.ts) on its own kernel — notice, request with the pass code, document; wrong
// codes, replays, strangers, text-only boxes, SMTP failures retried from the outbox.
import { test } from 'uvu';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { ANN, BOB, SENDER, check, journal, mailed, receive, world } from './world.ts';
import { journalEntries } from '../../../firmware/store/index.ts';
import { LOCK_AFTER } from '../../../firmware/mailbox/index.ts';
import { moduleHolds } from '../../../firmware/app/modules.ts';
import { readTiff } from '../../../host/image/tiff.ts';
import { page } from '../appliance/helpers.ts';
import { pagesOf, samePixels } from '../lan/rig.ts';
import { simpleParser } from 'mailparser';
import { decodeHeader } from '../../../firmware/crypto/envelope-open.ts';

// Runs first: the host's module registry counts holds across the whole file.
test('the mail stack is loaded only for mail work and let go when idle; checks go on while it is not loaded', () => {
  const w = world({}, { delivery: { mode: 'each' } });
  const gate = w.s.app.mail!;
  w.s.runFor(1000);
  assert.is(gate.engine, null, 'not loaded at boot');
  assert.is(moduleHolds('mail'), 0);
  w.s.runFor(5000);
  assert.is(gate.wakes, 1, 'loaded for the first mailbox check');
  assert.is(gate.deps.stats.checks, 1);
  w.s.runFor(10000);
  assert.is(gate.engine, null, 'released after the check');
  assert.is(moduleHolds('mail'), 0, 'the module hold was released');
  w.s.runFor(60000);
  assert.is(gate.deps.stats.checks, 2, 'the next check came on time with the stack not loaded');
  assert.is(gate.wakes, 2);
  // A confidential reception: the notice mail goes out through a freshly loaded stack.
  receive(w, [page(3, 200)], '12');
  w.s.runFor(30000);
  assert.is(w.boxes['ann@example.test'].mailbox.length, 1, 'the notice mail');
  assert.is(gate.engine, null, 'released again after the notice');
  assert.is(moduleHolds('mail'), 0);
  assert.ok(gate.wakes >= 3);
  assert.ok(w.s.app.kernel.faults.length === 0, JSON.stringify(w.s.app.kernel.faults));
});

test('notice by mail, the owner asks with the pass code by mail, the document comes sealed — pixels intact', async () => {
  const w = world();
  const ann = w.client(ANN);
  const pages = [page(1), page(2, 300)];
  receive(w, pages, '12');
  w.s.runFor(20000);
  const box = w.boxes['ann@example.test'];
  assert.is(box.mailbox.length, 1, 'one notice mail');
  // Nothing confidential in clear: not the sender's number, not the subject, no page data.
  const raw = Buffer.from(box.mailbox[0].data).toString('latin1');
  assert.not.ok(raw.includes(SENDER) || raw.includes('5550123'), 'the sender in clear');
  assert.match(raw, /^Subject: faxvault message\r$/m);
  assert.match(raw, /Content-Type: application\/x-faxvault-sealed; name=notice\.fxv/);
  const r1 = check(w, ann);
  assert.is(r1.notices.length, 1);
  const n = r1.notices[0];
  assert.equal([n.box, n.from, n.pages, n.kind], ['12', SENDER, 2, 'notice']);
  assert.is(box.mailbox.length, 0, 'the client deleted what it read');
  // A wrong code: refused by mail, counted by the panel's lockout, journaled.
  mailed(w, ann, (d) => ann.request('12', n.doc, '0000', d));
  w.s.runFor(70000);
  const r2 = check(w, ann);
  assert.is(r2.refusals.length, 1);
  assert.is(r2.refusals[0].code, 'wrong-code');
  assert.is(r2.refusals[0].triesLeft, LOCK_AFTER - 1);
  assert.ok(journalEntries(w.s.app.store).some((e) => e.kind === 'code' && e.src === 'mail' && e.result !== 'ok'));
  // The right code: the document arrives sealed.
  mailed(w, ann, (d) => ann.request('12', n.doc, '4711', d));
  w.s.runFor(70000);
  // The document mail, read by an independent MIME parser: its envelope is sealed in 512-byte
  // segments (the board holds two segments while it sends; docs/MAIL.md).
  assert.is(box.mailbox.length, 1, 'the document mail');
  const docMail = await simpleParser(Buffer.from(box.mailbox[0].data));
  const fxv = docMail.attachments.find((a) => a.filename === 'document.fxv');
  assert.ok(fxv, 'document.fxv attached');
  const header = decodeHeader(new Uint8Array(fxv!.content));
  assert.is(header.segmentSize, 512);
  assert.ok(fxv!.content.length > 2 * (512 + 32), 'more than one segment: ' + fxv!.content.length);
  const r3 = check(w, ann);
  assert.is(r3.documents.length, 1, JSON.stringify(r3.problems));
  const got = pagesOf(r3.documents[0]);
  for (let i = 0; i < pages.length; i++) assert.is(samePixels(pages[i], got[i]), null);
  assert.is(w.boxes['fax@appliance.test'].mailbox.length, 0, 'requests deleted after processing');
  const j = journal(w).map((e) => e.result);
  assert.ok(j.includes('requested') && j.includes('sent'), j.join());
});

test('a replayed request mail, a request from another owner and from a stranger: refused, journaled, nothing sent', () => {
  const w = world();
  const ann = w.client(ANN);
  const bob = w.client(BOB);
  const eve = w.client('mail:eve@example.test');
  receive(w, [page(3)], '12');
  w.s.runFor(20000);
  const n = check(w, ann).notices[0];
  mailed(w, ann, (d) => ann.request('12', n.doc, '4711', d));
  const copy = w.smtp.received[w.smtp.received.length - 1].data;
  w.s.runFor(70000);
  assert.is(check(w, ann).documents.length, 1);
  // The same mail again (an attacker replays it): the seen-cache refuses it.
  w.boxes['fax@appliance.test'].deliver(copy);
  mailed(w, bob, (d) => bob.request('12', n.doc, '4711', d));
  mailed(w, eve, (d) => eve.request('12', n.doc, '4711', d));
  const before = w.smtp.received.length;
  w.s.runFor(70000);
  const results = journal(w).map((e) => e.result);
  assert.ok(results.includes('refused replay'), results.join());
  assert.ok(results.includes('not owner'), results.join());
  const again = check(w, ann);
  assert.is(again.documents.length, 0, 'no second document');
  const toBob = check(w, bob);
  assert.is(toBob.refusals[0]?.code, 'not-owner');
  // The stranger gets nothing back at all (no backscatter): only bob's refusal was mailed.
  assert.is(w.smtp.received.length - before, 1);
  assert.is(w.boxes['eve@example.test'].mailbox.length, 0);
});

test('a text-only box delivers each reception at once: TIFF attachment in clear, its SHA-256 sealed', () => {
  const w = world();
  const bob = w.client(BOB);
  const pages = [page(4, 200)];
  receive(w, pages, '13');
  w.s.runFor(20000);
  const raw = Buffer.from(w.boxes['bob@example.test'].mailbox[0].data).toString('latin1');
  assert.match(raw, /Content-Type: image\/tiff; application=faxbw; name=fax\.tif/);
  assert.not.ok(raw.includes(SENDER));
  const r = check(w, bob);
  assert.is(r.texts.length, 1, JSON.stringify(r.problems));
  assert.is(r.texts[0].part.from, SENDER);
  const img = readTiff(r.texts[0].tiff);
  assert.is(samePixels(pages[0], img[0]), null);
});

test('SMTP failures (4xx at RCPT, a dropped connection) are journaled and retried from the outbox with back-off', () => {
  const w = world({ fail: { stage: 'rcpt', code: 451, text: 'greylisted', times: 1 } });
  receive(w, [page(5)], '12');
  w.s.runFor(10000);
  assert.is(w.boxes['ann@example.test'].mailbox.length, 0);
  assert.ok(journal(w).some((e) => e.result === 'deferred' && e.code === 451));
  w.s.runFor(60000);
  assert.is(w.boxes['ann@example.test'].mailbox.length, 1, 'delivered on the retry');
  const v = world({ drop: { stage: 'body', afterBytes: 500, times: 2 } }, { delivery: { mode: 'each' } });
  receive(v, [page(6)], '12');
  v.s.runFor(10 * 60000);
  assert.is(v.boxes['ann@example.test'].mailbox.length, 1, 'the document arrived once, whole');
  assert.ok(journal(v).filter((e) => e.result === 'deferred').length >= 2);
});

test('hostile mail in the appliance\'s mailbox: malformed MIME, endless headers, a giant attachment, bad base64, a truncated RETR — journaled, deleted or kept for later, and a real request still works', () => {
  const w = world();
  const ann = w.client(ANN);
  receive(w, [page(8)], '12');
  w.s.runFor(20000);
  const n = check(w, ann).notices[0];
  const inbox = w.boxes['fax@appliance.test'];
  const head = 'From: x@example.test\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n';
  inbox.deliver('From: x@example.test\r\n' + 'X-Junk: y\r\n'.repeat(5000) + '\r\nhello\r\n');
  inbox.deliver(head + '--BB\r\nContent-Type: application/x-faxvault-sealed\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!notbase64!!!\r\n--BB--\r\n');
  inbox.deliver(head + '--BB\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n' + ('A'.repeat(76) + '\r\n').repeat(6000) + '--BB--\r\n');
  inbox.deliver(head + '--BB\r\nContent-Type: application/x-faxvault-sealed\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n'); // truncated multipart
  inbox.deliver('Subject: hello\r\n\r\njust a mail\r\n');
  w.s.runFor(70000);
  const results = journal(w).map((e) => String(e.result));
  assert.ok(results.filter((r) => r === 'malformed').length >= 3, results.join());
  assert.ok(results.includes('not a request'), results.join());
  assert.is(inbox.mailbox.length, 0, 'junk is deleted once journaled');
  assert.is(w.s.app.kernel.faults.length, 0, JSON.stringify(w.s.app.kernel.faults));
  // A request that arrives while the server breaks off every RETR stays until a whole copy is read.
  inbox.opts.truncateRetr = true;
  mailed(w, ann, (d) => ann.request('12', n.doc, '4711', d));
  w.s.runFor(200000);
  assert.is(inbox.mailbox.length, 1, 'the broken-off request is kept on the server');
  inbox.opts.truncateRetr = false;
  w.s.runFor(70000);
  assert.is(inbox.mailbox.length, 0);
  const r = check(w, ann);
  assert.is(r.documents.length, 1, JSON.stringify(r.problems));
});

test('a power cut in the middle of sending the document mail: after the reboot the outbox sends it, whole, once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-mail-cut-'));
  const pages = [page(9, 300)];
  const a = world({ delayMs: 3000 }, { delivery: { mode: 'each' } }, dir);
  receive(a, pages, '12');
  // The SMTP client of the mail stack while it is loaded (firmware/app/mail-gate.ts).
  const smtp = () => a.s.app.mail!.engine?.smtp;
  const clock = a.s.sim.virtual!;
  for (let i = 0; i < 2000000 && smtp()?.state.name !== 'BODY'; i++) clock.step();
  for (let i = 0; i < 3; i++) clock.step(); // a few slices of the data are out
  assert.is(smtp()!.state.name, 'BODY');
  a.s.sim.flash.close(); // the power goes: nothing more runs on this board
  assert.is(a.smtp.received.length, 0);
  const b = world({}, { delivery: { mode: 'each' } }, dir);
  b.s.runFor(120000);
  assert.is(b.boxes['ann@example.test'].mailbox.length, 1, 'the document mail after the reboot');
  const r = check(b, b.client(ANN));
  assert.is(r.documents.length, 1, JSON.stringify(r.problems));
  assert.is(samePixels(pages[0], pagesOf(r.documents[0])[0]), null);
});

test.run();
