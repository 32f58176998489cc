// Attacks on the T.30 password of a confidential box (SID, the password a sender gives with DCS,
// T.30 §5.3.6; PWD is the polling password): issue #12 items 5 and 9, end to end on the
// simulated board with a remote fax machine on the emulated line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseKeyScript } from '../../../sim/board/keypad.ts';
import { bootAppliance, remoteCall } from '../../rig/appliance.ts';
import { journalEntries } from '../../../firmware/store/index.ts';
import { newBitmap } from '../../../host/image/bitmap.ts';

function boot() {
  return bootAppliance({
    fax: { ringsBeforeAnswer: 1 },
    panel: { adminCode: '9999' },
    boxes: [
      { number: '12', owner: 'ann@example.com', code: '4711', sid: '555' },
      { number: '34', owner: 'bob@example.com', code: '2468', sid: '777' },
    ],
  }, { seed: 't30-password' });
}

/** One call from `ident` to box `sub` with password `sid`; the remote's result status. */
function call(s: ReturnType<typeof boot>, sub: string, sid: string | undefined, ident = '+49 89 5550123'): string {
  const far = remoteCall(s, [newBitmap(1728, 40, 204, 196)], { sub, pwd: sid, ident }, { limitMs: 300000, settleMs: 5000 });
  return far.result.status;
}

function kept(s: ReturnType<typeof boot>, box: string): number {
  return s.app.mailbox.kept(box).length;
}

test('item 5: a new pass code set at the panel leaves the box password (SID) in force', () => {
  const s = boot();
  assert.is(call(s, '12', undefined), 'failed', 'without the password the call is refused');
  assert.is(kept(s, '12'), 0);
  s.runScript(parseKeyScript('MENU 7 9999 OK 2 12 OK 135790 OK 135790 OK wait:3s'));
  assert.is(s.app.mailbox.tryCode('12', '135790', 'panel').result, 'ok', 'the new code is set');
  assert.is(call(s, '12', undefined), 'failed', 'still refused without the password after the code change');
  assert.is(kept(s, '12'), 0, 'nothing stored without the password');
  assert.is(call(s, '12', '555'), 'ok', 'the right password still works');
  assert.is(kept(s, '12'), 1);
});

test('item 9: wrong passwords lock the box for every caller; journaled', () => {
  const s = boot();
  for (let i = 0; i < 5; i++) assert.is(call(s, '12', '000' + i, '+1 555 0' + i), 'failed');
  // The right password is refused while the box's password lock runs, whoever calls.
  assert.is(call(s, '12', '555', '+49 30 999'), 'failed', 'locked: the right password is refused');
  assert.is(kept(s, '12'), 0);
  const j = journalEntries(s.app.store).filter((e) => e.kind === 'sid');
  assert.ok(j.length >= 6, 'every password attempt journaled: ' + JSON.stringify(j));
  assert.ok(j.some((e) => /locked/.test(String(e.result))), 'the lock is journaled');
  assert.not.match(JSON.stringify(journalEntries(s.app.store)), /0001|555"/, 'no password in the journal');
  // After the lock (1 min) the right password gets through again.
  s.runFor(70000);
  assert.is(call(s, '12', '555', '+49 30 999'), 'ok');
  assert.is(kept(s, '12'), 1);
});

test('item 9: one caller guessing across boxes is locked out; other callers are not', () => {
  const s = boot();
  const eve = '+1 666 0100';
  for (let i = 0; i < 3; i++) assert.is(call(s, '12', '10' + i, eve), 'failed');
  for (let i = 0; i < 2; i++) assert.is(call(s, '34', '20' + i, eve), 'failed');
  // Eve has used up her five tries: even a right password from her number is refused …
  assert.is(call(s, '34', '777', eve), 'failed', 'the caller is locked');
  // … while another caller with the right password is served (neither box reached five).
  assert.is(call(s, '34', '777', '+49 40 1234'), 'ok');
  assert.is(kept(s, '34'), 1);
});

test.run();
