// Attacks at the front panel (issue #12 items 3, 4, 8), end to end on the simulated board: the
// factory administrator code, the lockout across a restart with the clock set forward, and
// reports and traces that gave away metadata or the T.30 password without any code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootAppliance, keys as press, lcd as lcdOf, remoteCall, T0 } from '../../rig/appliance.ts';
import { journalEntries } from '../../../firmware/store/index.ts';
import { confidentialList } from '../../../firmware/print/index.ts';
import { newBitmap } from '../../../host/image/bitmap.ts';

function boot(json: object, dataDir: string | null = null, wallStart = T0, trace?: string[]) {
  const s = bootAppliance(json, { wallStart, seed: 'attacks', dataDir, out: trace ? () => {} : undefined, trace: !!trace });
  if (trace) s.app.kernel.tracer.sink = (l) => trace.push(l);
  const keys = (k: string) => press(s, k);
  const lcd = () => lcdOf(s);
  return { s, keys, lcd };
}

function receive(s: ReturnType<typeof boot>['s'], sub: string, sid?: string, ident = '+49 89 5550123'): string {
  const far = remoteCall(s, [newBitmap(1728, 40, 204, 196)], { sub, pwd: sid, ident }, { limitMs: 300000, settleMs: 20000 });
  return far.result.status;
}

const BOX12 = { fax: { ringsBeforeAnswer: 1 }, boxes: [{ number: '12', owner: 'ann@example.com', code: '471100' }] };

test('item 3: the factory code only leads to choosing a new administrator code', () => {
  const { s, keys, lcd } = boot(BOX12);
  assert.is(receive(s, '12'), 'ok');
  const printed = s.sim.printer.pages.length;
  // The attack of the issue: factory code, reset box 12's code, print the box with it.
  keys('MENU UP OK 0000 OK');
  assert.equal(lcd(), ['New admin code', '>'], 'first the factory code must be replaced');
  keys('2 12 OK 1111 OK 1111 OK wait:3s STOP STOP wait:3s BOX 12 OK 1111 OK wait:30s');
  assert.is(s.sim.printer.pages.length, printed, 'no page of box 12 printed');
  assert.ok(s.app.mailbox.tryCode('12', '471100', 'panel').result === 'ok', 'the owner\'s code still opens the box');
});

test('item 3: every code change is journaled; a reset of a box code drops its waiting documents', () => {
  const { s, keys, lcd } = boot(BOX12);
  assert.is(receive(s, '12'), 'ok');
  assert.is(s.app.mailbox.waiting('12').length, 1);
  keys('MENU 7 0000 OK 864209 OK 864209 OK wait:3s');
  assert.ok(journalEntries(s.app.store).some((e) => e.kind === 'change' && e.what === 'admin code'), 'admin code change journaled');
  keys('2 12 OK');
  assert.equal(lcd(), ['Box 12: 1 waiting', 'deleted. OK=go on'], 'the admin is told what a reset costs');
  keys('OK 246801 OK 246801 OK wait:3s');
  const j = journalEntries(s.app.store);
  assert.ok(j.some((e) => e.kind === 'change' && e.what === 'box code' && e.box === '12' && e.dropped === 1), JSON.stringify(j));
  assert.is(s.app.mailbox.kept('12').length, 0, 'the owner\'s waiting document is gone, not readable with the new code');
  assert.not.match(JSON.stringify(j), /246801|864209/, 'no code in the journal');
});

test('item 4: five wrong codes, a restart and the clock set forward do not let a guess through', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-attack-'));
  const json = { ...BOX12, panel: { adminCode: '99990000' } };
  let a = boot(json, dir);
  a.keys('BOX 12 OK');
  for (let i = 0; i < 4; i++) a.keys('00000' + i + ' OK wait:3s');
  a.keys('000009 OK');
  assert.equal(a.lcd()[0], 'Box 12 is locked');
  a.keys('wait:3s');
  a.s.sim.flash.close();
  // Power cycle; the thief then sets the date a day ahead (and the wall clock starts later).
  a = boot(json, dir, T0 + 10000);
  a.keys('MENU 2');
  assert.equal(a.lcd(), ['Administrator code', '>'], 'Date/time asks for the administrator code');
  a.keys('STOP STOP');
  a.s.sim.clock.setWall(T0 + 86400000);
  a.keys('BOX 12 OK');
  assert.equal(a.lcd()[0], 'Box 12 is locked', 'still locked after the restart and the clock change');
  a.keys('wait:3s');
  a.s.sim.flash.close();
});

test('item 8: reports need the administrator code; the reception list names no sender by default', () => {
  const { s, keys, lcd } = boot({ ...BOX12, panel: { adminCode: '24680000' } });
  assert.is(receive(s, '12', undefined, '+44 20 7946 0000'), 'ok');
  const before = s.sim.printer.pages.length;
  keys('REPORT');
  assert.equal(lcd(), ['Administrator code', '>'], 'REPORT asks for the code first');
  keys('OK 2 wait:20s');
  assert.is(s.sim.printer.pages.length, before, 'nothing printed without the code');
  const list = confidentialList(s.app.mailbox.kept(''), s.app.settings, T0, 0).join('\n');
  assert.match(list, /12/);
  assert.not.match(list, /7946/, 'the automatic reception list names no sender');
});

test('item 8: the T.30 password never appears in the trace', () => {
  const trace: string[] = [];
  const { s } = boot({ fax: { ringsBeforeAnswer: 1 }, panel: { adminCode: '24680000' }, boxes: [{ number: '12', code: '471100', sid: '8642' }] }, null, T0, trace);
  assert.is(receive(s, '12', '8642'), 'ok');
  assert.ok(trace.some((l) => / SID/.test(l)), 'the SID frame is traced by name');
  assert.ok(!trace.some((l) => /8642/.test(l)), trace.filter((l) => /8642/.test(l)).join('\n'));
  assert.ok(!s.app.kernel.tracer.snapshot().some((l) => /8642/.test(l)), 'nor in the device trace ring');
});

test.run();
