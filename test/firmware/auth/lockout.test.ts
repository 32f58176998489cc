// The lockout's order and its records (issue #12 items 4 and 9): a failure is counted in flash
// before the code is checked, a code whose count cannot be written is not checked at all, the
// lock runs in powered-on time across a restart, and the per-caller counts stay bounded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Mailbox, prepareBoxes } from '../../../firmware/mailbox/index.ts';
import { LockBook, CALLERS_MAX, LOCK_BASE_MS } from '../../../firmware/auth/index.ts';
import { validateSettings } from '../../../firmware/app/settings.ts';
import { Store } from '../../../firmware/store/index.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { SeededEntropy } from '../../../sim/board/entropy.ts';
import { sha256 } from '../../../firmware/crypto/sha256.ts';
import { CutFlash } from '../store/cut-flash.ts';

function setup() {
  const flash = new CutFlash(1024, 16);
  const store = new Store(flash, { chunkBytes: 200 });
  store.mount();
  const clock = new VirtualClock(Date.UTC(2026, 10, 25, 9, 0, 0));
  const s = validateSettings({ boxes: [{ number: '12', code: '471100', sid: '555' }] }).settings!;
  prepareBoxes(s, new SeededEntropy('lockout'));
  return { flash, store, clock, s };
}

test('a code whose failure cannot be recorded is refused unchecked, even the right one', () => {
  const { store, clock, s } = setup();
  const full = Object.create(store) as Store;
  full.setSetting = () => false; // the store's settings reserve is used up
  const mb = new Mailbox(full, clock, () => s);
  assert.is(mb.tryCode('12', '471100', 'panel').result, 'unavailable');
  assert.is(mb.tryCode('12', '000000', 'panel').result, 'unavailable');
});

test('the failure is in flash before the code is checked: a power cut while hashing costs the guess', () => {
  const { flash, store, clock, s } = setup();
  const cut = () => {
    throw new Error('power cut while hashing');
  };
  const mb = new Mailbox(store, clock, () => s, { hash: cut as unknown as typeof sha256, pepper: null, entropy: new SeededEntropy('x') });
  for (let i = 0; i < 5; i++) assert.throws(() => mb.tryCode('12', '00000' + i, 'panel'), /power cut/);
  const store2 = new Store(flash, { chunkBytes: 200 });
  store2.mount();
  const mb2 = new Mailbox(store2, new VirtualClock(Date.UTC(2026, 10, 25, 9, 5, 0)), () => s);
  assert.is(mb2.locks.failuresOf('12'), 5, 'all five guesses counted');
  assert.ok(mb2.lockRemaining('12') > 0, 'and the box is locked');
  assert.is(mb2.tryCode('12', '471100', 'panel').result, 'locked');
});

test('the lock runs in powered-on time: a restart resumes it, the calendar does not end it', () => {
  const { flash, store, clock, s } = setup();
  const mb = new Mailbox(store, clock, () => s);
  for (let i = 0; i < 5; i++) mb.tryCode('12', '00000' + i, 'panel');
  clock.runFor(20000);
  assert.ok(mb.lockRemaining('12') <= LOCK_BASE_MS - 20000);
  // Restart with the clock a day ahead: the lock is still there, for what the record says.
  const store2 = new Store(flash, { chunkBytes: 200 });
  store2.mount();
  const later = new VirtualClock(Date.UTC(2026, 10, 26, 9, 0, 0));
  const mb2 = new Mailbox(store2, later, () => s);
  assert.ok(mb2.lockRemaining('12') > LOCK_BASE_MS - 20000 - 1000, String(mb2.lockRemaining('12')));
  later.setWall(later.wall() + 7 * 86400000);
  assert.is(mb2.tryCode('12', '471100', 'panel').result, 'locked');
  later.runFor(LOCK_BASE_MS + 1);
  assert.is(mb2.tryCode('12', '471100', 'panel').result, 'ok');
});

test('a long lock is written back as it runs, so a restart does not start it over', () => {
  const { flash, store, clock } = setup();
  const book = new LockBook(store, clock);
  for (let i = 0; i < 8; i++) book.fail('7', book.charge('7')); // 8 failures: 8 min lock
  clock.runFor(5 * 60000);
  const left = book.remaining('7');
  assert.ok(left > 0 && left <= 3 * 60000);
  const store2 = new Store(flash, { chunkBytes: 200 });
  store2.mount();
  const book2 = new LockBook(store2, new VirtualClock(0));
  assert.ok(book2.remaining('7') <= left + 1, 'resumed from the refreshed record');
  assert.ok(book2.remaining('7') > 0);
});

test('per-caller counts share one bounded record: invented idents cannot fill the store', () => {
  const { store, clock, s } = setup();
  const mb = new Mailbox(store, clock, () => s);
  for (let i = 0; i < 100; i++) mb.route('12', '999', '+1 555 ' + i);
  const callers = JSON.parse(store.getSetting('lock.callers') ?? '{}');
  assert.ok(Object.keys(callers).length <= CALLERS_MAX, String(Object.keys(callers).length));
  assert.is(store.settingNames().filter((n) => n.startsWith('lock.')).length, 2, 'lock.sid.12 and lock.callers only');
});

test.run();
