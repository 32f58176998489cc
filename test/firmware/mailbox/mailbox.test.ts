import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pbkdf2Sync, createHash } from 'node:crypto';
import { Mailbox, prepareBoxes, setBoxCode } from '../../../firmware/mailbox/index.ts';
import { pbkdf2Sha256, lockDuration } from '../../../firmware/auth/index.ts';
import type { BoxSettings } from '../../../firmware/mailbox/index.ts';
import { validateSettings } from '../../../firmware/app/settings.ts';
import type { Settings } from '../../../firmware/config/settings.ts';
import { Store, journalEntries } from '../../../firmware/store/index.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { SeededEntropy } from '../../../sim/board/entropy.ts';
import { CutFlash } from '../store/cut-flash.ts';

function settings(unknownSub = 'ordinary'): Settings {
  const r = validateSettings({
    fax: { unknownSub },
    boxes: [
      { number: '12', owner: 'ann@example.com', code: '4711' },
      { number: '7', owner: 'host-b', code: '0000', pwd: '99 88', protection: 'text', delivery: { mode: 'count', count: 3 } },
    ],
  });
  assert.equal(r.errors, []);
  const s = r.settings!;
  prepareBoxes(s, new SeededEntropy('mailbox'));
  return s;
}

function setup(unknownSub = 'ordinary') {
  const flash = new CutFlash(1024, 16);
  const store = new Store(flash, { chunkBytes: 200 });
  store.mount();
  const clock = new VirtualClock(Date.UTC(2026, 10, 25, 9, 0, 0));
  const s = settings(unknownSub);
  const mb = new Mailbox(store, clock, () => s);
  return { flash, store, clock, s, mb };
}

test('PBKDF2-HMAC-SHA256 agrees with node:crypto', () => {
  for (const iter of [1, 2, 64, 1000]) {
    const pw = new TextEncoder().encode('4711');
    const salt = new Uint8Array(16).map((_, i) => i * 17);
    const want = pbkdf2Sync(pw, salt, iter, 32, 'sha256');
    assert.equal(Buffer.from(pbkdf2Sha256(pw, salt, iter)).toString('hex'), want.toString('hex'), 'iterations ' + iter);
  }
});

test('a board SHA-256 engine gives the same hashes (codes set with one check with the other)', () => {
  const native = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());
  const salt = new Uint8Array(16).fill(7);
  assert.equal(pbkdf2Sha256(new Uint8Array([1, 2, 3]), salt, 16, native), pbkdf2Sha256(new Uint8Array([1, 2, 3]), salt, 16));
  const { store, clock, s } = setup();
  const mb = new Mailbox(store, clock, () => s, native);
  assert.is(mb.tryCode('12', '4711', 'panel').result, 'ok');
});

test('settings: codes in clear are hashed with a salt and dropped; bad box fields are named', () => {
  const s = settings();
  const b = (s.boxes as BoxSettings[])[0];
  assert.is(b.code, undefined);
  assert.match(b.codeHash, /^[0-9a-f]{64}$/);
  assert.match(b.codeSalt, /^[0-9a-f]{32}$/);
  assert.not.match(JSON.stringify(s), /4711/);
  const b2 = (s.boxes as BoxSettings[])[1];
  assert.ok(b2.sidHash.length === 64);
  assert.is.not(b2.sidSalt, b2.codeSalt, 'the SID password has its own salt');
  assert.is(b2.delivery.mode, 'count');
  assert.is(b.owner, 'mail:ann@example.com', 'a bare address becomes a FAXNIKS identity');
  assert.is(b2.owner, 'host:host-b');
  const dup = validateSettings({ boxes: [{ number: '5' }, { number: '5', owner: 'mail:x@@y' }] });
  assert.ok(dup.errors.some((e) => /^boxes\[1\]\.number: box 5 is also boxes\[0\]/.test(e)), dup.errors.join('; '));
  assert.ok(dup.errors.some((e) => e.startsWith('boxes[1].owner: ')), dup.errors.join('; '));
  const bad = validateSettings({ boxes: [{ number: '1a', code: '12' }] });
  assert.ok(bad.errors.some((e) => e.startsWith('boxes[0].number')), bad.errors.join('; '));
  assert.ok(bad.errors.some((e) => e.startsWith('boxes[0].code')), bad.errors.join('; '));
});

test('routing: SUB of a box is confidential; unknown SUB follows the setting; PWD is enforced', () => {
  const { mb, store } = setup();
  assert.equal(mb.route('12', '', 'A'), { action: 'confidential', box: '12', reason: 'box 12' });
  assert.equal(mb.route(' 1 2', '', 'A').action, 'confidential');
  assert.equal(mb.route('', '', 'A').action, 'ordinary');
  assert.equal(mb.route('55', '', 'A').action, 'ordinary');
  assert.equal(mb.route('7', '9988', 'A').action, 'confidential');
  assert.equal(mb.route('7', '99 88', 'A').action, 'confidential');
  assert.equal(mb.route('7', '1234', 'B'), { action: 'refuse', box: '7', reason: 'wrong password' });
  assert.equal(mb.route('7', '', 'C').reason, 'password missing');
  const { mb: strict } = setup('refuse');
  assert.equal(strict.route('55', '', 'D').action, 'refuse');
  const j = journalEntries(store).filter((e) => e.kind === 'refused');
  assert.equal(j.map((e) => e.reason), ['wrong password', 'password missing']);
  assert.is(j[0].remote, 'B');
});

test('pass codes: five wrong lock the box, the lock grows, a right code clears it; all journaled', () => {
  const { mb, clock, store, s, flash } = setup();
  assert.is(mb.tryCode('12', '4711', 'panel').result, 'ok');
  for (let i = 1; i <= 4; i++) {
    const r = mb.tryCode('12', '1111', 'panel');
    assert.is(r.result, 'wrong');
    assert.is(r.failures, i);
  }
  const r5 = mb.tryCode('12', '1111', 'panel');
  assert.is(r5.result, 'locked');
  assert.is(r5.lockedMs, 60000);
  // Locked: even the right code is refused, and other boxes are not affected.
  assert.is(mb.tryCode('12', '4711', 'panel').result, 'locked');
  assert.is(mb.tryCode('7', '0000', 'lan').result, 'ok');
  // Setting the calendar clock forward does not end the lock.
  clock.setWall(clock.wall() + 3600000);
  assert.is(mb.tryCode('12', '4711', 'panel').result, 'locked');
  clock.setWall(clock.wall() - 3600000);
  clock.runFor(60001);
  const r6 = mb.tryCode('12', '2222', 'panel');
  assert.is(r6.result, 'locked');
  assert.is(r6.lockedMs, 120000);
  // The lock survives a restart (new store, new mailbox on the same flash).
  const store2 = new Store(flash, { chunkBytes: 200 });
  store2.mount();
  const mb2 = new Mailbox(store2, clock, () => s);
  assert.ok(mb2.lockRemaining('12') > 100000);
  assert.is(mb2.tryCode('12', '4711', 'panel').result, 'locked');
  clock.runFor(120001);
  assert.is(mb2.tryCode('12', '4711', 'panel').result, 'ok');
  assert.is(mb2.locks.failuresOf('12'), 0);
  assert.is(mb2.tryCode('99', '4711', 'panel').result, 'no box');
  const codes = journalEntries(store2).filter((e) => e.kind === 'code');
  assert.is(codes.length, 13);
  assert.equal(codes.slice(0, 6).map((e) => e.result), ['ok', 'wrong', 'wrong', 'wrong', 'wrong', 'wrong, locked']);
  assert.ok(codes.every((e) => typeof e.t === 'number' && e.box !== undefined && e.src));
  assert.ok(!JSON.stringify(journalEntries(store2)).includes('1111'), 'codes never journaled');
  void store;
});

test('lock durations double and are capped', () => {
  assert.is(lockDuration(4), 0);
  assert.is(lockDuration(5), 60000);
  assert.is(lockDuration(6), 120000);
  assert.is(lockDuration(8), 480000);
  assert.is(lockDuration(60), 24 * 3600000);
});

test('setBoxCode changes the code; the old one stops working', () => {
  const { mb, s } = setup();
  const b = (s.boxes as BoxSettings[])[0];
  setBoxCode(b, '5555', new SeededEntropy('x'));
  assert.is(mb.tryCode('12', '4711', 'panel').result, 'wrong');
  assert.is(mb.tryCode('12', '5555', 'panel').result, 'ok');
});

test('waiting documents: confidential ones not yet printed, per box', () => {
  const { mb, store } = setup();
  const P = { coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' };
  function rx(box: string) {
    const w = store.beginDocument({ dir: 'rx', time: 0, remote: 'R', sub: box, box })!;
    w.beginPage(P);
    w.write(new Uint8Array(100));
    w.endPage();
    w.close('ok');
    return w.id;
  }
  const a = rx('12');
  rx('12');
  rx('');
  rx('7');
  assert.is(mb.waiting('12').length, 2);
  assert.is(mb.waiting('').length, 3);
  store.setDocState(a, { printed: true });
  assert.is(mb.waiting('12').length, 1);
  assert.is(mb.kept('12').length, 2);
});

test.run();
