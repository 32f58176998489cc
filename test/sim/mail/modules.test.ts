// The mail stack's modules in virtual time on the whole simulated appliance (firmware/app/
// mail-gate.ts, docs/ESPRUINO.md "Modules loaded on demand"): a delivery loads only the sending
// side (`mail`: SMTP and the sending half of the service), never the mailbox reader (`mailcheck`:
// POP3, MIME reader, job mails) or the T.37 fax mailer (`faxmail`); a mailbox check loads the
// reader, and the sending side only when it has an answer to send; both in one wake work, and
// every hold is released when the work is done.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ANN, check, mailed, receive, world } from './world.ts';
import type { World } from './world.ts';
import { moduleHolds } from '../../../firmware/app/modules.ts';
import type { ModuleName } from '../../../firmware/app/module-types.ts';
import { page } from '../appliance/helpers.ts';
import { MailboxCheck } from '../../../firmware/mail/mailbox-check.ts';

const MAIL_MODULES: ModuleName[] = ['mail', 'mailcheck', 'faxmail', 'tiff'];

/** The most holds of each mail module seen, and the kernel's objects seen, while `run` runs in 50 ms steps. */
function watch(w: World, ms: number): { most: { [name: string]: number }; objects: Set<string> } {
  const most: { [name: string]: number } = { mail: 0, mailcheck: 0, faxmail: 0, tiff: 0 };
  const objects = new Set<string>();
  for (let t = 0; t < ms; t += 50) {
    w.s.runFor(50);
    for (const m of MAIL_MODULES) most[m] = Math.max(most[m], moduleHolds(m));
    for (const o of w.s.app.kernel.objects) objects.add(o.name);
  }
  return { most, objects };
}

function released(w: World): void {
  for (const m of MAIL_MODULES) assert.is(moduleHolds(m), 0, m + ' still held');
  const gate = w.s.app.mail!;
  assert.equal([gate.engine, gate.reader, gate.faxmail], [null, null, null], 'nothing loaded');
  assert.is(gate.state.name, 'DORMANT');
  assert.equal(w.s.app.kernel.faults, []);
}

test('a document delivery loads only the sending side (no POP3 client, no fax mailer) and releases it', () => {
  // Box 12 delivered after each reception; the mailbox checked once an hour, so none falls in.
  const w = world({}, { delivery: { mode: 'each' } }, null, { checkSeconds: 3600 });
  const gate = w.s.app.mail!;
  w.s.runFor(10000); // the first check after boot is over
  released(w);
  const wakes = gate.wakes;
  receive(w, [page(5, 200)], '12');
  const seen = watch(w, 30000);
  assert.is(w.boxes['ann@example.test'].mailbox.length, 1, 'the document mail');
  assert.equal(seen.most, { mail: 1, mailcheck: 0, faxmail: 0, tiff: 0 });
  assert.ok(seen.objects.has('smtp'), 'the SMTP client ran');
  assert.not.ok(seen.objects.has('pop3') || seen.objects.has('mailcheck') || seen.objects.has('faxmail'), [...seen.objects].join());
  assert.is(gate.deps.stats.documentsSent, 1);
  assert.is(gate.wakes, wakes + 1, 'one wake for the delivery');
  released(w);
  // The owner still gets a whole document out of it.
  assert.is(check(w, w.client(ANN)).documents.length, 1);
});

test('a text-only box\'s delivery loads the TIFF-F code (tiff) with the sending side, and both go after it', () => {
  const w = world({}, {}, null, { checkSeconds: 3600 });
  w.s.runFor(10000);
  released(w);
  receive(w, [page(4, 200)], '13');
  const seen = watch(w, 30000);
  assert.is(w.boxes['bob@example.test'].mailbox.length, 1, 'the mail with fax.tif');
  assert.equal(seen.most, { mail: 1, mailcheck: 0, faxmail: 0, tiff: 1 });
  released(w);
});

test('a mailbox check loads the reader only; a request that needs an answer loads the sending side too; all released', () => {
  const w = world();
  const gate = w.s.app.mail!;
  // The first check after boot (at 5 s): an empty mailbox, nothing to answer.
  let seen = watch(w, 10000);
  assert.is(gate.deps.stats.checks, 1);
  assert.equal(seen.most, { mail: 0, mailcheck: 1, faxmail: 0, tiff: 0 });
  assert.not.ok(seen.objects.has('smtp'), 'no SMTP client for an empty mailbox');
  released(w);
  // A list request: the next check reads it and mails the sealed listing back.
  const ann = w.client(ANN);
  mailed(w, ann, (d) => ann.list('12', d));
  seen = watch(w, 60000);
  assert.is(gate.deps.stats.checks, 2);
  assert.equal(seen.most, { mail: 1, mailcheck: 1, faxmail: 0, tiff: 0 });
  released(w);
  assert.is(check(w, ann).listings.length, 1, 'the listing came back');
});

test('a delivery and a mailbox check in the same wake: both loaded once, both done, both released', () => {
  // A slow SMTP server keeps the document mail under way while the check runs.
  const w = world({ delayMs: 3000 }, { delivery: { mode: 'each' } }, null, { checkSeconds: 3600 });
  const gate = w.s.app.mail!;
  w.s.runFor(10000);
  const ann = w.client(ANN);
  mailed(w, ann, (d) => ann.list('12', d));
  receive(w, [page(6, 200)], '12');
  const clock = w.s.sim.virtual!;
  for (let i = 0; i < 2000000 && !gate.engine?.smtp.busy(); i++) clock.step();
  assert.ok(gate.engine?.smtp.busy(), 'the document mail is under way');
  const wakes = gate.wakes;
  const checks = gate.deps.stats.checks;
  gate.checkNow();
  assert.ok(gate.reader, 'the reader loaded while the sending side works');
  assert.is(moduleHolds('mail'), 1);
  assert.is(moduleHolds('mailcheck'), 1);
  const seen = watch(w, 60000);
  assert.equal(seen.most, { mail: 1, mailcheck: 1, faxmail: 0, tiff: 0 }, 'each loaded once');
  assert.is(gate.wakes, wakes, 'no second wake');
  assert.is(gate.deps.stats.checks, checks + 1);
  released(w);
  const r = check(w, ann);
  assert.is(r.documents.length, 1, JSON.stringify(r.problems));
  assert.is(r.listings.length, 1);
});

test('an ordinary reception mailed as T.37 loads the fax mailer (with the sending side), not the reader', () => {
  const w = world({}, {}, null, { checkSeconds: 3600 });
  // The T.37 settings of an ordinary reception, as the administrator sets them.
  w.s.app.settings.ordinary = { print: false, mailTo: ['office@example.test'], mailInClear: true } as never;
  const gate = w.s.app.mail!;
  w.s.runFor(10000);
  w.s.remoteSends([page(7, 200)], { ident: '+49 89 5550123' });
  const seen = watch(w, 60000);
  assert.is(w.smtp.received.filter((m) => m.to.includes('office@example.test')).length, 1, 'the fax mail');
  assert.equal(seen.most, { mail: 1, mailcheck: 0, faxmail: 1, tiff: 0 });
  released(w);
  assert.is(gate.deps.stats.checks, 1);
});

test('a check cut short by a fault in the reader: the reader restarts and is released, the next check is timed and reads the mail', () => {
  const w = world();
  const gate = w.s.app.mail!;
  w.s.runFor(10000);
  const ann = w.client(ANN);
  mailed(w, ann, (d) => ann.list('12', d));
  // The next check's first mail throws in the reader (once): the kernel restarts the reader.
  const real = MailboxCheck.prototype.processMail;
  MailboxCheck.prototype.processMail = function () {
    MailboxCheck.prototype.processMail = real;
    throw new Error('a fault while a mail is acted on');
  };
  watch(w, 60000);
  MailboxCheck.prototype.processMail = real;
  assert.is(w.s.app.kernel.faults.length, 1, 'the fault');
  // The POP3 client waits for a decision that will not come, until its decide timeout (the mail
  // stays on the server); then the reader is idle and goes.
  for (let i = 0; i < 400 && gate.reader; i++) w.s.runFor(1000);
  assert.is(gate.reader, null, 'the restarted reader was released');
  assert.ok(gate.checkTimer.isArmed(), 'the next check is timed');
  const checks = gate.deps.stats.checks;
  watch(w, 65000);
  assert.is(gate.deps.stats.checks, checks + 1, 'the next check came');
  assert.is(check(w, ann).listings.length, 1, 'the mail left on the server was read then');
  for (const m of MAIL_MODULES) assert.is(moduleHolds(m), 0, m + ' still held');
});

test.run();
