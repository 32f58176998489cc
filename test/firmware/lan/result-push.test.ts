// firmware/lan/result-push.ts: where a LAN sender's result goes, and the power-safe list of
// results waiting to be pushed (saved on every change, read back as it was, back-off, give-up).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ResultOutbox, RESULTS_MAX, RESULT_TRIES, RESULTS_SETTING, checkNotify, notifyAddress, resultAddress } from '../../../firmware/lan/result-push.ts';
import type { JobStatus } from '../../../firmware/lan/job-messages.ts';

class MemStore {
  values: { [k: string]: string } = {};
  writes = 0;
  full = false;
  getSetting(n: string): string | null {
    return this.values[n] ?? null;
  }
  setSetting(n: string, v: string): boolean {
    if (this.full) return false;
    this.writes++;
    this.values[n] = v;
    return true;
  }
}

function status(job: number, state = 'sent'): JobStatus {
  return { job, to: '5551234', state, pages: 1, of: 1, dials: 1, tries: 0, rate: 14400, result: 'ok', reason: '', time: 1000 };
}

test('the address: --notify first, then the box the sender owns, then its host:/ip4: identity; mail senders none', () => {
  assert.is(resultAddress('host:pc.lan', 'pc.lan:7799', '10.0.0.5:7761', 7761), 'pc.lan:7799');
  assert.is(resultAddress('host:pc.lan', '', '10.0.0.5:7761', 7761), '10.0.0.5:7761');
  assert.is(resultAddress('host:pc.lan', '', '', 7761), 'pc.lan:7761');
  assert.is(resultAddress('ip4:192.168.1.20', '', '', 7000), '192.168.1.20:7000');
  assert.is(resultAddress('mail:ann@example.com', 'x:1', '', 7761), '');
  assert.is(resultAddress('', '', '', 7761), '');
  assert.is(notifyAddress('7799', '192.168.1.20:40001'), '192.168.1.20:7799');
  assert.is(notifyAddress('pc.lan:7799', '192.168.1.20:40001'), 'pc.lan:7799');
  assert.is(notifyAddress('', '192.168.1.20:40001'), '');
});

test('notify is a port or HOST:PORT, nothing else', () => {
  for (const ok of ['', '7761', 'pc-ann.lan:7761', '192.168.1.20:1', 'a:65535']) assert.is(checkNotify(ok), '', ok);
  for (const bad of ['0', '65536', 'x', 'pc ann:7761', ':7761', 'pc.lan:', 'pc.lan:77a', '-x:7761']) assert.match(checkNotify(bad), /^notify: /, bad);
});

test('saved on every change and read back after a restart; acknowledged results leave', () => {
  const st = new MemStore();
  const o = new ResultOutbox(st);
  o.add('host:a.lan', 'a.lan:7761', status(3));
  o.add('host:b.lan', 'b.lan:7761', status(4, 'failed'));
  assert.is(st.writes, 2);
  const again = new ResultOutbox(st);
  assert.equal(again.items, o.items);
  again.done(3);
  assert.equal(new ResultOutbox(st).items.map((i) => i.status.job), [4]);
  st.values[RESULTS_SETTING] = '[{"owner":"host:a.lan","address":"a:1","status":{"job":"x"}}, 7, null]';
  assert.equal(new ResultOutbox(st).items, [], 'damaged entries are dropped, not thrown');
  st.values[RESULTS_SETTING] = 'not json';
  assert.equal(new ResultOutbox(st).items, []);
});

test('failed attempts back off 30 s, 60 s, 120 s … at most an hour; given up after RESULT_TRIES', () => {
  const o = new ResultOutbox(new MemStore());
  o.add('host:a.lan', 'a.lan:7761', status(9));
  assert.is(o.due(0)!.status.job, 9);
  const gaps: number[] = [];
  let now = 0;
  for (let i = 1; i < RESULT_TRIES; i++) {
    assert.ok(o.failed(9, now, 'connection refused'));
    const it = o.find(9)!;
    gaps.push(it.at - now);
    assert.is(o.due(it.at - 1), null);
    now = it.at;
    assert.is(o.due(now), it);
  }
  assert.equal(gaps.slice(0, 4), [30000, 60000, 120000, 240000]);
  assert.is(Math.max(...gaps), 3600000);
  assert.not.ok(o.failed(9, now, 'connection refused'), 'given up');
  assert.is(o.size(), 0);
});

test('status seen by its sender makes the push unneeded (only its own, only in the same state); the list is bounded', () => {
  const o = new ResultOutbox(new MemStore());
  o.add('host:a.lan', 'a.lan:7761', status(1));
  o.add('host:b.lan', 'b.lan:7761', status(2));
  o.seen('host:a.lan', [status(1), status(2)]);
  assert.equal(o.items.map((i) => i.status.job), [2], 'b\'s result is not a\'s to see');
  o.seen('host:b.lan', [status(2, 'dialling')]);
  assert.is(o.size(), 1);
  for (let j = 10; j < 10 + RESULTS_MAX + 5; j++) o.add('host:b.lan', 'b.lan:7761', status(j));
  assert.is(o.size(), RESULTS_MAX);
  assert.is(o.items[o.items.length - 1].status.job, 10 + RESULTS_MAX + 4, 'the newest kept, the oldest made room');
});

test('a store that refuses the save is noted (tried again on the next change)', () => {
  const st = new MemStore();
  const o = new ResultOutbox(st);
  st.full = true;
  o.add('host:a.lan', 'a.lan:7761', status(1));
  assert.ok(o.unsaved);
  st.full = false;
  o.add('host:a.lan', 'a.lan:7761', status(2));
  assert.not.ok(o.unsaved);
  assert.is(new ResultOutbox(st).size(), 2);
});

test.run();
