// The send queue in virtual time on the whole simulated appliance: jobs dialled one at a time,
// retried after busy / no answer with the configured pauses, given up after the limits,
// scheduled, cancelled, interrupted by a power cut (retried, never reported sent), and
// receptions still answered between attempts. The far ends are the emulated line's scripted
// remote fax machines (sim/line/remote-fax.ts, not our T.30 code).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boot, dataDir, page, runCall, T0 } from '../../sim/appliance/helpers.ts';
import type { Session } from '../../../sim/session.ts';
import type { Bitmap } from '../../../host/image/bitmap.ts';
import { codePage } from '../../../host/image/tiff.ts';
import { readRawFax } from '../../../host/image/raw.ts';
import { JOB_DIR, newJob } from '../../../firmware/jobs/index.ts';
import type { JobView } from '../../../firmware/jobs/index.ts';
import { journalEntries } from '../../../firmware/store/index.ts';

/** Store `pages` as a job document (MH, as a client codes them) and queue it. */
function queue(s: Session, pages: Bitmap[], to: string, opts: { sub?: string; sid?: string; owner?: string; at?: number } = {}): { id: number; why: string } {
  const w = s.app.store.beginDocument({ dir: JOB_DIR, time: s.sim.board.clock.wall(), remote: to, sub: opts.sub || '', box: '' });
  assert.ok(w, 'store has room');
  for (const p of pages) {
    w!.beginPage({ coding: 'mh', width: p.width, linesPerMm: p.yDpi === 196 ? 7.7 : 3.85, bitOrder: 'lsb-first' });
    assert.ok(w!.write(codePage(p, { coding: 'mh', fillOrder: 2, endMarker: true }).data));
    assert.ok(w!.endPage());
  }
  w!.close('ok');
  return { id: w!.id, why: s.app.queue.add(w!.id, newJob(to, 0, opts)) };
}

function jobLines(s: Session) {
  return journalEntries(s.app.store).filter((e) => e.kind === 'job');
}

function ended(s: Session): JobView[] {
  const out: JobView[] = [];
  s.app.queue.onJobEnd = (j) => out.push(j);
  return out;
}

function runUntil(s: Session, cond: () => boolean, limitMs: number): void {
  const end = s.sim.clock.now() + limitMs;
  while (!cond() && s.sim.clock.now() < end) s.runFor(1000);
}

test('a queued job is dialled and its pages reach the remote pixel for pixel; journaled, document deleted', () => {
  const s = boot(null);
  const done = ended(s);
  const far = s.sim.line!.attachRemote('5551234', { role: 'receive', ident: '+1 555 1234' });
  const pages = [page(1, 300), page(2, 250)];
  const q = queue(s, pages, '5551234', { owner: 'host:ann.example.com' });
  assert.is(q.why, '');
  assert.is(s.app.queue.jobs()[0].state, 'queued');
  runUntil(s, () => done.length > 0, 600000);
  assert.is(done.length, 1);
  assert.is(done[0].state, 'sent');
  assert.is(done[0].pagesSent, 2);
  assert.is(done[0].owner, 'host:ann.example.com');
  assert.ok(done[0].rate >= 2400);
  assert.is(far.result.status, 'ok');
  assert.is(far.pages.length, 2);
  for (let i = 0; i < 2; i++) {
    const got = readRawFax(far.pages[i], { coding: far.result.coding.toLowerCase() as 'mh' | 'mr' | 'mmr' })[0];
    assert.is(got.height, pages[i].height);
    assert.ok(Buffer.compare(Buffer.from(got.data), Buffer.from(pages[i].data)) === 0, 'page ' + (i + 1) + ' pixels');
  }
  assert.is(s.app.store.document(q.id), null, 'document deleted once sent');
  assert.is(s.app.queue.jobs().length, 0);
  const j = jobLines(s);
  assert.is(j.length, 1);
  assert.is(j[0].state, 'sent');
  assert.is(j[0].pages, 2);
});

test('busy: redialled after retryBusySeconds, given up after maxDials with the reason journaled', () => {
  const s = boot(null);
  s.app.settings.jobs = { maxDials: 3, maxTries: 3, retryBusySeconds: 120, retryNoAnswerSeconds: 300, retryFailedSeconds: 60, maxJobs: 16 };
  const done = ended(s);
  s.sim.line!.attachRemote('5550000', { role: 'receive' }, { busy: true });
  const t0 = s.sim.clock.now();
  assert.is(queue(s, [page(3, 100)], '5550000').why, '');
  const dialTimes: number[] = [];
  let last = 0;
  runUntil(s, () => {
    const j = s.app.queue.jobs()[0];
    if (j && j.dials !== last) {
      last = j.dials;
      dialTimes.push(s.sim.clock.now() - t0);
    }
    return done.length > 0;
  }, 3600000);
  assert.is(done.length, 1);
  assert.is(done[0].state, 'failed');
  assert.is(done[0].dials, 3);
  assert.is(done[0].tries, 0, 'busy never reached a fax machine');
  assert.is(done[0].result, 'busy');
  assert.match(done[0].reason, /gave up after 3 dials/);
  assert.is(dialTimes.length, 3);
  // The pause is counted from the end of the failed attempt: at least 120 s between dials.
  assert.ok(dialTimes[1] - dialTimes[0] >= 120000, 'second dial ' + dialTimes[1]);
  assert.ok(dialTimes[2] - dialTimes[1] >= 120000);
  assert.ok(dialTimes[2] - dialTimes[1] < 140000, 'not much later either');
  const j = jobLines(s);
  assert.is(j.length, 1);
  assert.is(j[0].state, 'failed');
});

test('busy, then free: the retry goes through; a reception between the attempts is answered first', () => {
  const s = boot(null);
  const done = ended(s);
  const far = s.sim.line!.attachRemote('5557777', { role: 'receive' }, { busy: true });
  queue(s, [page(4, 120)], '5557777');
  runUntil(s, () => (s.app.queue.jobs()[0] || { dials: 0 }).dials === 1 && !s.app.fax.lineUp, 60000);
  s.runFor(5000);
  assert.is(s.app.queue.jobs()[0].state, 'queued');
  assert.is(s.app.queue.jobs()[0].result, 'busy');
  // The number is free now, and an ordinary fax comes in while the job waits.
  s.sim.line!.line.ports.get('5557777')!.opts.busy = false;
  const callsBefore = s.app.callsEnded;
  const inbound = s.remoteSends([page(5, 80)]);
  runCall(s);
  assert.is(inbound.result.status, 'ok', 'the reception went through');
  assert.ok(s.app.callsEnded > callsBefore);
  runUntil(s, () => done.length > 0, 600000);
  assert.is(done[0].state, 'sent');
  assert.is(done[0].dials, 2);
  assert.is(far.pages.length, 1);
});

test('a call that reaches a fax machine and fails counts against maxTries; a retry sends only the pages not yet confirmed', () => {
  const s = boot(null);
  s.app.settings.jobs = { maxDials: 12, maxTries: 2, retryBusySeconds: 180, retryNoAnswerSeconds: 300, retryFailedSeconds: 60, maxJobs: 16 };
  const done = ended(s);
  // The remote confirms page 1 and refuses page 2 (RTN) every time it comes.
  const far = s.sim.line!.attachRemote('5552222', { role: 'receive', policy: (n: number) => (n === 2 ? 'RTN' : 'MCF') });
  queue(s, [page(6, 100), page(7, 100), page(8, 100)], '5552222');
  runUntil(s, () => done.length > 0, 3600000);
  assert.is(done.length, 1);
  assert.is(done[0].state, 'failed');
  assert.is(done[0].result, 'page-rejected');
  assert.is(done[0].dials, 2);
  assert.is(done[0].tries, 2);
  assert.is(done[0].pagesSent, 1, 'page 1 stays confirmed');
  assert.match(done[0].reason, /gave up after 2 dials and 2 failed calls/);
  const t = s.sim.line!.trace();
  assert.is(t.filter((l) => /dials 5552222/.test(l)).length, 2);
  // Page 1 was confirmed once (first call); the second call began with page 2 (the remote numbers
  // pages across calls and refused "page 2" three times in each call).
  assert.is(t.filter((l) => /frame MCF/.test(l)).length, 1);
  assert.is(t.filter((l) => /RTN to page 2/.test(l)).length, 6);
  assert.is(far.pages.length, 1);
});

test('scheduled: a job for later is not dialled before its time', () => {
  const s = boot(null);
  const done = ended(s);
  s.sim.line!.attachRemote('5553333', { role: 'receive' });
  const at = T0 + 30 * 60000;
  queue(s, [page(9, 80)], '5553333', { at });
  s.runFor(29 * 60000);
  assert.is(s.app.queue.jobs()[0].dials, 0, 'still waiting after 29 minutes');
  runUntil(s, () => done.length > 0, 10 * 60000);
  assert.is(done[0].state, 'sent');
  const sentAt = jobLines(s)[0].t as number;
  assert.ok(sentAt >= at, 'sent at or after its time');
});

test('cancel: a waiting job is dropped and journaled, never dialled; only its owner (or the panel) may cancel it', () => {
  const s = boot(null);
  const done = ended(s);
  s.sim.line!.attachRemote('5554444', { role: 'receive' });
  const q = queue(s, [page(10, 80)], '5554444', { owner: 'host:bob.example.com', at: T0 + 3600000 });
  assert.is(s.app.queue.cancel(q.id, 'host:eve.example.com'), 'not your job');
  assert.is(s.app.queue.jobs().length, 1);
  assert.is(s.app.queue.cancel(q.id, 'host:bob.example.com'), '');
  assert.is(s.app.queue.cancel(q.id, 'host:bob.example.com'), 'no such job');
  assert.is(done.length, 1);
  assert.is(done[0].state, 'cancelled');
  assert.is(s.app.store.document(q.id), null);
  s.runFor(2 * 3600000);
  assert.is(s.sim.line!.trace().filter((l) => /dials/.test(l)).length, 0, 'nothing dialled');
  assert.is(jobLines(s)[0].state, 'cancelled');
});

test('cancel during the call: the call ends and the job is cancelled, not retried', () => {
  const s = boot(null);
  const done = ended(s);
  s.sim.line!.attachRemote('5556666', { role: 'receive' });
  const q = queue(s, [page(11, 600), page(12, 600)], '5556666');
  runUntil(s, () => s.app.fax.lineUp && s.sim.line!.trace().some((l) => /DCS/.test(l)), 120000);
  assert.ok(s.app.fax.lineUp);
  assert.is(s.app.queue.cancel(q.id, null), '');
  runUntil(s, () => done.length > 0, 300000);
  assert.is(done[0].state, 'cancelled');
  s.runFor(600000);
  assert.is(s.sim.line!.trace().filter((l) => /dials/.test(l)).length, 1, 'dialled once only');
});

test('invalid jobs are refused and leave nothing behind; the queue has a limit', () => {
  const s = boot(null);
  s.app.settings.jobs = { maxDials: 12, maxTries: 3, retryBusySeconds: 180, retryNoAnswerSeconds: 300, retryFailedSeconds: 60, maxJobs: 2 };
  const bad = queue(s, [page(13, 50)], '555;ATH');
  assert.match(bad.why, /dial modifiers/);
  assert.is(s.app.store.document(bad.id), null, 'the refused document is deleted');
  assert.match(queue(s, [page(13, 50)], '5551', { sub: 'x12' }).why, /sub: digits/);
  const later = T0 + 86400000;
  assert.is(queue(s, [page(13, 50)], '5551', { at: later }).why, '');
  assert.is(queue(s, [page(14, 50)], '5552', { at: later }).why, '');
  assert.match(s.app.queue.room(), /queue full/);
  const third = queue(s, [page(15, 50)], '5553', { at: later });
  assert.match(third.why, /queue full/);
  assert.is(s.app.queue.jobs().length, 2);
});

test('power cut mid-call: the job comes back queued (the dial counted), is retried and only then reported sent', () => {
  const dir = dataDir();
  let s = boot(dir);
  let done = ended(s);
  s.sim.line!.attachRemote('5558888', { role: 'receive' });
  const q = queue(s, [page(16, 200), page(17, 200)], '5558888');
  runUntil(s, () => s.sim.line!.trace().some((l) => /frame MCF/.test(l)), 300000);
  s.runFor(1000);
  assert.ok(s.app.fax.lineUp, 'the call is on the line (page 2 going out)');
  assert.is(done.length, 0);
  assert.is(s.app.queue.jobs()[0].state, 'dialling');
  // The power goes: nothing more runs. The next boot on the same flash:
  s = boot(dir, T0 + 3600000);
  done = ended(s);
  const j = s.app.queue.jobs();
  assert.is(j.length, 1);
  assert.is(j[0].id, q.id);
  // Queued again at boot and redialled at once: the interrupted dial counted, this is the second.
  assert.is(j[0].dials, 2, 'the interrupted dial counted');
  assert.is(j[0].reason, 'call cut short by a power failure');
  assert.ok(jobLines(s).every((e) => e.state !== 'sent'), 'never reported sent');
  const far = s.sim.line!.attachRemote('5558888', { role: 'receive' });
  runUntil(s, () => done.length > 0, 600000);
  assert.is(done[0].state, 'sent');
  assert.is(done[0].dials, 2);
  assert.is(far.pages.length, 2);
});

test.run();
