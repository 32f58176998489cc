// The send queue at the panel: STOP at the idle screen lists the jobs (UP/DOWN), says when each
// is tried next, and STOP then OK cancels the one shown.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boot, keys, page, T0 } from '../../sim/appliance/helpers.ts';
import type { Session } from '../../../sim/session.ts';
import { codePage } from '../../../host/image/tiff.ts';
import { JOB_DIR, newJob } from '../../../firmware/jobs/index.ts';
import { journalEntries } from '../../../firmware/store/index.ts';

function queue(s: Session, to: string, at: number): number {
  const w = s.app.store.beginDocument({ dir: JOB_DIR, time: T0, remote: to, sub: '', box: '' })!;
  w.beginPage({ coding: 'mh', width: 1728, linesPerMm: 7.7, bitOrder: 'lsb-first' });
  w.write(codePage(page(1, 50), { coding: 'mh', fillOrder: 2, endMarker: true }).data);
  w.endPage();
  w.close('ok');
  assert.is(s.app.queue.add(w.id, newJob(to, 0, { at })), '');
  return w.id;
}

const lcd = (s: Session) => s.sim.lcd.lines.map((l) => l.trimEnd());

test('empty queue', () => {
  const s = boot(null);
  keys(s, 'STOP');
  assert.equal(lcd(s), ['Send queue', 'No jobs waiting']);
  keys(s, 'BACK BACK');
});

test('jobs listed with their next time; STOP OK cancels the one shown, journaled', () => {
  const s = boot(null);
  // 10:30 and 11:00 local (settings: UTC offset 0; T0 is 09:00 UTC).
  const a = queue(s, '5551234', T0 + 90 * 60000);
  const b = queue(s, '5559876', T0 + 120 * 60000);
  keys(s, 'STOP');
  assert.equal(lcd(s), ['1/2 #' + a + ' 5551234', 'at 10:30 0/12']);
  keys(s, 'DOWN');
  assert.equal(lcd(s), ['2/2 #' + b + ' 5559876', 'at 11:00 0/12']);
  for (const l of lcd(s)) assert.ok(l.length <= 20);
  keys(s, 'STOP');
  assert.equal(lcd(s), ['Cancel job ' + b + '?', 'OK=yes BACK=no']);
  keys(s, 'BACK');
  assert.is(s.app.queue.jobs().length, 2, 'BACK keeps it');
  keys(s, 'STOP OK');
  assert.equal(lcd(s), ['Job ' + b, 'cancelled']);
  assert.equal(s.app.queue.jobs().map((j) => j.id), [a]);
  const j = journalEntries(s.app.store).filter((e) => e.kind === 'job');
  assert.is(j.length, 1);
  assert.is(j[0].state, 'cancelled');
  assert.is(j[0].job, b);
});

test.run();
