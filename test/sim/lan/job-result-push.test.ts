// A LAN sender's job result, pushed (#11; docs/FAX-SERVER.md §3): when the job ends the appliance
// connects to the sender's computer (`client listen`, here the real client library on the
// simulated LAN) and hands it the sealed result, as it hands box owners their notices. Power-safe
// (the waiting result is in the store and survives a restart), retried with a doubling back-off,
// and an unreachable sender still reads it with `client status` (which makes the push unneeded).
// All in virtual time: the emulated line's fax machine answers, the LAN is simulated.
import { ResultOutbox } from '../../../firmware/lan/result-push.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ANN, BOB, ask, boot, clientKeys, dataDir, page, T0 } from './rig.ts';
import type { Session } from '../../../sim/session.ts';
import { ClientSession } from '../../../host/client/session.ts';
import type { TcpSocket } from '../../../hal/net.ts';
import { jobPages, sendJob, jobStatus } from '../../../host/client/jobs.ts';
import type { JobStatus } from '../../../firmware/lan/job-messages.ts';
import { RESULTS_SETTING } from '../../../firmware/lan/result-push.ts';
import { journalEntries } from '../../../firmware/store/index.ts';

interface SenderPc {
  results: JobStatus[];
  stop(): void;
}

/** The sender's computer running `client listen` at host:port on the simulated LAN. */
function senderListens(s: Session, id: string, host: string, port = 7761): SenderPc {
  const pc: SenderPc = { results: [], stop: () => l.close() };
  let n = 0;
  const l = s.sim.lan!.host(host).listen(port, (sock: TcpSocket) => {
    const cs = new ClientSession(sock, clientKeys(s, id, id + n++), { appliance: null, onJobResult: (j) => pc.results.push(j) });
    cs.start();
  });
  return pc;
}

function send(s: Session, id: string, extra: { to?: string; notify?: string } = {}): number {
  const p = jobPages([page(31, 120)], s.sim.clock.wall());
  const r = ask<number>(s, id, id.slice(5), (c, done) => sendJob(c, { to: '5551234', ...extra }, p, (err, job) => done(err, err ? null : job)));
  assert.is(r.err, null);
  return r.result as number;
}

function runUntil(s: Session, cond: () => boolean, ms: number): void {
  const end = s.sim.clock.now() + ms;
  while (!cond() && s.sim.clock.now() < end) s.runFor(500);
}

/** The results waiting, as the store keeps them (the LAN service is loaded only while it works). */
function pending(s: Session) {
  return new ResultOutbox(s.app.store).items;
}

test('the job ends: its sealed result is pushed to the sender\'s computer (its host: identity, port 7761) and acknowledged', () => {
  const s = boot();
  s.sim.line!.attachRemote('5551234', { role: 'receive' });
  const ann = senderListens(s, ANN, 'pc-ann.lan');
  const job = send(s, ANN);
  runUntil(s, () => ann.results.length > 0, 600000);
  assert.is(ann.results.length, 1);
  const r = ann.results[0];
  assert.is(r.job, job);
  assert.is(r.state, 'sent');
  assert.is(r.pages, 1);
  assert.is(r.of, 1);
  assert.is(r.to, '5551234');
  assert.ok(r.rate >= 2400);
  assert.ok(r.time >= T0);
  s.runFor(2000);
  assert.equal(pending(s), [], 'acknowledged: nothing waits');
  assert.equal(s.app.delivery.lan.conns, [], 'and the appliance closed the connection');
  assert.is(s.app.delivery.lan.stats.resultsPushed, 1);
  assert.equal(JSON.parse(s.app.store.getSetting(RESULTS_SETTING) ?? '[]'), []);
});

test('a failed job\'s result, to the port the client gave with the job (--notify); nothing goes to another computer', () => {
  // Nobody answers at 5550000, and one dial is all a job gets: it fails.
  const s = boot({ extra: { jobs: { maxDials: 1 } } });
  const ann = senderListens(s, ANN, 'pc-ann.lan', 7799);
  const annDefault = senderListens(s, ANN, 'pc-ann.lan');
  const bob = senderListens(s, BOB, 'pc-bob.lan');
  const job = send(s, ANN, { notify: '7799', to: '5550000' });
  runUntil(s, () => ann.results.length > 0, 600000);
  assert.is(ann.results.length, 1);
  assert.is(ann.results[0].job, job);
  assert.is(ann.results[0].state, 'failed');
  assert.is(ann.results[0].pages, 0);
  assert.ok(ann.results[0].reason.length > 0, 'the reason is given');
  s.runFor(5000);
  assert.equal(annDefault.results, []);
  assert.equal(bob.results, []);
});

test('a bad --notify is refused before any page moves', () => {
  const s = boot();
  const p = jobPages([page(31, 120)], s.sim.clock.wall());
  const r = ask<number>(s, ANN, 'pc-ann.lan', (c, done) => sendJob(c, { to: '5551234', notify: 'pc ann:99999' }, p, (err, job) => done(err, err ? null : job)));
  assert.is(r.err!.code, 'bad-job');
  assert.match(r.err!.message, /notify/);
  assert.equal(s.app.queue.jobs(), []);
});

test('the sender\'s computer is off: retried with a doubling back-off, kept across a restart, pushed when it listens', () => {
  const dir = dataDir();
  let s = boot({ dir });
  s.sim.line!.attachRemote('5551234', { role: 'receive' });
  const job = send(s, ANN);
  runUntil(s, () => pending(s).length > 0 && pending(s)[0].tries >= 3, 900000);
  const it = pending(s)[0];
  assert.is(it.status.job, job);
  assert.is(it.status.state, 'sent');
  assert.is(it.tries, 3);
  // after the 1st failure 30 s, the 2nd 60 s, the 3rd 120 s (doubling, at most hourly)
  assert.ok(it.at - s.sim.clock.wall() > 100000 && it.at - s.sim.clock.wall() <= 120000, String(it.at - s.sim.clock.wall()));
  assert.match(it.last, /refused|closed|lost/);
  // The power goes; the appliance boots again later on the same flash.
  const wall = s.sim.clock.wall();
  s = boot({ dir, wallStart: wall + 60000 });
  assert.is(pending(s).length, 1, 'the waiting result survived the restart');
  assert.is(pending(s)[0].status.job, job);
  const ann = senderListens(s, ANN, 'pc-ann.lan');
  runUntil(s, () => ann.results.length > 0, 600000);
  assert.is(ann.results.length, 1);
  assert.is(ann.results[0].job, job);
  assert.is(ann.results[0].state, 'sent');
  s.runFor(2000);
  assert.equal(pending(s), []);
});

test('an unreachable sender reads the result with client status; then nothing more is pushed', () => {
  const s = boot();
  s.sim.line!.attachRemote('5551234', { role: 'receive' });
  const job = send(s, ANN);
  runUntil(s, () => pending(s).length > 0 && pending(s)[0].tries >= 1, 600000);
  const st = ask<JobStatus[]>(s, ANN, 'pc-ann.lan', (c, done) => jobStatus(c, done));
  const mine = st.result!.find((j) => j.job === job)!;
  assert.is(mine.state, 'sent');
  assert.equal(pending(s), [], 'status gave the result: the push is no longer needed');
  const ann = senderListens(s, ANN, 'pc-ann.lan');
  s.runFor(600000);
  assert.equal(ann.results, []);
});

test('a result that cannot be pushed for about a day is given up and journaled (status still has it)', () => {
  const s = boot();
  s.sim.line!.attachRemote('5551234', { role: 'receive' });
  const job = send(s, ANN);
  runUntil(s, () => pending(s).length > 0, 600000);
  runUntil(s, () => pending(s).length === 0, 2 * 86400000);
  assert.equal(pending(s), []);
  const why = journalEntries(s.app.store).find((e) => e.kind === 'lan' && String(e.result).indexOf('result of job ' + job + ' not pushed:') === 0);
  assert.ok(why, 'journaled');
  assert.is(why!.peer, ANN);
  const st = ask<JobStatus[]>(s, ANN, 'pc-ann.lan', (c, done) => jobStatus(c, done));
  assert.is(st.result!.find((j) => j.job === job)!.state, 'sent');
});

test.run();
