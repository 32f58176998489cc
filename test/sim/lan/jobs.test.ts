// The fax server over the LAN in virtual time (docs/FAX-SERVER.md §3): a sender's computer
// queues a fax with the real client library, the appliance dials the emulated line's remote fax
// machine and sends the pages pixel for pixel; status and cancel; who may send and who may read
// the journal; hostile uploads that must leave nothing queued.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ANN, BOB, ask, boot, page, samePixels, T0 } from './rig.ts';
import type { Session } from '../../../sim/session.ts';
import { jobPages, sendJob, jobStatus, cancelJob, readJournal } from '../../../host/client/jobs.ts';
import type { JobStatus, JournalList } from '../../../firmware/lan/job-messages.ts';
import { MSG_JOB, MSG_JOB_READY, MSG_JOB_PAGES, MSG_JOB_ACCEPTED } from '../../../firmware/lan/job-messages.ts';
import { readRawFax } from '../../../host/image/raw.ts';
import { journalEntries } from '../../../firmware/store/index.ts';
import { moduleHolds } from '../../../firmware/app/modules.ts';

const EVE = 'host:pc-eve.lan';
const ADMIN = 'host:admin.lan';

function send(s: Session, id: string, pagesIn = [page(21, 200), page(22, 150)], to = '5551234', extra: object = {}) {
  const p = jobPages(pagesIn, s.sim.clock.wall());
  return ask<number>(s, id, id.slice(5), (c, done) => sendJob(c, { to, ...extra }, p, (err, job) => done(err, err ? null : job)));
}

function runUntil(s: Session, cond: () => boolean, ms: number) {
  const end = s.sim.clock.now() + ms;
  while (!cond() && s.sim.clock.now() < end) s.runFor(1000);
}

test('a job from a box owner\'s computer is queued, dialled and reaches the remote pixel for pixel; status follows it', () => {
  const s = boot();
  const far = s.sim.line!.attachRemote('5551234', { role: 'receive' });
  const sent = [page(21, 200), page(22, 150)];
  assert.is(moduleHolds('send'), 0, 'the sending side is not held before a send');
  assert.is(moduleHolds('lanjobs'), 0, 'the job code is not held before a job message');
  const r = send(s, ANN, sent);
  assert.is(moduleHolds('lanjobs'), 1, 'a job message loaded the job code');
  assert.is(r.err, null);
  assert.ok(typeof r.result === 'number' && r.result > 0, 'a job number');
  const job = r.result as number;
  let st = ask<JobStatus[]>(s, ANN, 'pc-ann.lan', (c, done) => jobStatus(c, done));
  assert.ok(st.result!.some((j) => j.job === job && (j.state === 'queued' || j.state === 'dialling')));
  // The sending side is a module held from the dial until the call has ended (docs/ESPRUINO.md).
  runUntil(s, () => s.app.fax.lineUp, 60000);
  assert.is(moduleHolds('send'), 1, 'held during the send');
  runUntil(s, () => far.result.status !== 'in-progress' && s.app.queue.jobs().length === 0, 600000);
  assert.is(moduleHolds('send'), 0, 'let go after the call');
  assert.is(far.result.status, 'ok');
  assert.is(far.pages.length, 2);
  far.pages.forEach((data, i) => {
    const got = readRawFax(data, { coding: far.result.coding.toLowerCase() as 'mh' })[0];
    assert.is(samePixels(sent[i], got), null, 'page ' + (i + 1));
  });
  st = ask<JobStatus[]>(s, ANN, 'pc-ann.lan', (c, done) => jobStatus(c, done));
  const mine = st.result!.find((j) => j.job === job)!;
  assert.is(mine.state, 'sent');
  assert.is(mine.pages, 2);
  assert.is(mine.of, 2);
  assert.ok(mine.rate >= 2400);
  // Bob sees none of Ann's jobs.
  const bob = ask<JobStatus[]>(s, BOB, 'pc-bob.lan', (c, done) => jobStatus(c, done));
  assert.equal(bob.result, []);
  // Once the LAN service is idle its engine goes, and the job code with it.
  runUntil(s, () => s.app.delivery.lan.engine === null, 600000);
  assert.is(moduleHolds('lanjobs'), 0, 'the job code went with the LAN engine');
});

test('a stranger may not send (journaled); lan.senders narrows who may', () => {
  const s = boot();
  const r = send(s, EVE);
  assert.ok(r.err);
  assert.is(r.err!.code, 'not-owner');
  assert.is(s.app.queue.jobs().length, 0);
  assert.ok(journalEntries(s.app.store).some((e) => e.kind === 'lan' && e.peer === EVE));
  // Only Bob may send now; Ann (an owner) is refused with a sealed refusal.
  (s.app.settings.lan as { senders: string[] }).senders = [BOB];
  const a = send(s, ANN);
  assert.is(a.err!.code, 'not-allowed');
  const b = send(s, BOB);
  assert.is(b.err, null);
  assert.is(s.app.queue.jobs().length, 1);
  assert.is(s.app.queue.jobs()[0].owner, BOB);
});

test('bad jobs are refused before any page is sent; a full queue says so', () => {
  const s = boot({ extra: { jobs: { maxJobs: 1 } } });
  assert.match(send(s, ANN, undefined, '555;ATH').err!.message, /dial modifiers/);
  assert.is(send(s, ANN, undefined, '5550001', { at: T0 + 86400000 }).err, null);
  const full = send(s, ANN, undefined, '5550002');
  assert.is(full.err!.code, 'queue-full');
  assert.is(s.app.queue.jobs().length, 1);
});

test('cancel: the owner cancels a scheduled job; another sender cannot', () => {
  const s = boot();
  const job = send(s, ANN, undefined, '5550003', { at: T0 + 3600000 }).result as number;
  const bad = ask<JobStatus[]>(s, BOB, 'pc-bob.lan', (c, done) => cancelJob(c, job, done));
  assert.is(bad.err!.code, 'not-owner');
  const ok = ask<JobStatus[]>(s, ANN, 'pc-ann.lan', (c, done) => cancelJob(c, job, done));
  assert.is(ok.err, null);
  assert.is(s.app.queue.jobs().length, 0);
  const st = ask<JobStatus[]>(s, ANN, 'pc-ann.lan', (c, done) => jobStatus(c, done));
  assert.is(st.result!.find((j) => j.job === job)!.state, 'cancelled');
});

test('the journal over the LAN: lan.admins only, sealed', () => {
  const s = boot({ extra: { lan: { admins: [ADMIN] } } });
  send(s, ANN, undefined, '5550004', { at: T0 + 3600000 });
  const no = ask<JournalList>(s, ANN, 'pc-ann.lan', (c, done) => readJournal(c, 50, done));
  assert.is(no.err!.code, 'not-allowed');
  const yes = ask<JournalList>(s, ADMIN, 'admin.lan', (c, done) => readJournal(c, 50, done));
  assert.is(yes.err, null);
  assert.ok(yes.result!.entries.some((e) => e.kind === 'lan' && /refused journal/.test(String(e.result))));
  assert.is(yes.result!.jobs.length, 1, 'and every job');
});

test('hostile uploads leave nothing queued: more pages than announced, a client gone mid-upload', () => {
  const s = boot();
  const p = jobPages([page(23, 100), page(24, 100)], T0);
  // Announce one page, stream two.
  const lie = ask<number>(s, ANN, 'pc-ann.lan', (c, done) =>
    c.exchange(MSG_JOB, { to: '5551', pages: 1, bytes: p.bytes }, null, [MSG_JOB_READY], (err) => {
      if (err) return done(err, null);
      c.exchange(MSG_JOB_PAGES, null, p.stream, [MSG_JOB_ACCEPTED], (e2) => done(e2, null));
    }));
  assert.ok(lie.err);
  assert.is(s.app.queue.jobs().length, 0);
  assert.equal(s.app.store.documents().filter((d) => d.meta.dir === 'job'), [], 'no job document left behind');
  // Ask, then vanish before the pages: the connection's end discards the upload.
  ask<number>(s, ANN, 'pc-ann.lan', (c, done) =>
    c.exchange(MSG_JOB, { to: '5552', pages: 2, bytes: p.bytes }, null, [MSG_JOB_READY], () => done(null, 1)));
  s.runFor(5000);
  assert.is(s.app.queue.jobs().length, 0);
  assert.equal(s.app.store.documents().filter((d) => d.meta.dir === 'job' && !d.open), []);
});

test.run();
