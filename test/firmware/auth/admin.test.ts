import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateSettings } from '../../../firmware/app/settings.ts';
import { prepareAdminCode, setAdminCode, adminCodeMatches, adminIsFactory, DEFAULT_ADMIN_CODE } from '../../../firmware/auth/index.ts';
import type { SecretKeys } from '../../../firmware/auth/index.ts';
import { secretMatches, readSecret } from '../../../firmware/auth/index.ts';
import { prepareBoxes } from '../../../firmware/mailbox/index.ts';
import type { BoxSettings } from '../../../firmware/mailbox/index.ts';
import { SeededEntropy } from '../../../sim/board/entropy.ts';

const PEPPER = new Uint8Array(32).fill(9);
function keys(seed: string, pepper: Uint8Array | null = PEPPER): SecretKeys {
  return { entropy: new SeededEntropy(seed), pepper };
}

test('a clear admin code from a settings file is hashed and dropped', () => {
  const s = validateSettings({ panel: { adminCode: '2468' } }).settings!;
  prepareAdminCode(s, keys('a'));
  assert.is(s.panel.adminCode, undefined);
  assert.match(s.panel.adminHash, /^[0-9a-f]{64}$/);
  assert.not.match(JSON.stringify(s), /2468/);
  assert.ok(adminCodeMatches(s, '2468', keys('x')));
  assert.not.ok(adminCodeMatches(s, '2469', keys('x')));
  assert.not.ok(adminCodeMatches(s, '24680', keys('x')));
  assert.not.ok(adminCodeMatches(s, '', keys('x')));
});

test('without a code the factory default works; a stored hash is kept as it is', () => {
  const s = validateSettings({}).settings!;
  prepareAdminCode(s, keys('b'));
  assert.ok(adminCodeMatches(s, DEFAULT_ADMIN_CODE, keys('x')));
  assert.ok(adminIsFactory(s), 'the factory code is flagged');
  const hash = s.panel.adminHash;
  prepareAdminCode(s, keys('c'));
  assert.is(s.panel.adminHash, hash);
  setAdminCode(s, '13579', keys('d'));
  assert.ok(adminCodeMatches(s, '13579', keys('x')));
  assert.not.ok(adminCodeMatches(s, DEFAULT_ADMIN_CODE, keys('x')));
  assert.not.ok(adminIsFactory(s), 'a code set clears the flag');
});

test('the hash is bound to the device secret: without it (a flash dump alone) the right code does not match', () => {
  const s = validateSettings({ panel: { adminCode: '246813' } }).settings!;
  prepareAdminCode(s, keys('g'));
  assert.is(s.panel.adminV, 1);
  assert.ok(adminCodeMatches(s, '246813', keys('h')));
  assert.not.ok(adminCodeMatches(s, '246813', keys('h', null)), 'no device secret');
  assert.not.ok(adminCodeMatches(s, '246813', keys('h', new Uint8Array(32).fill(8))), 'another board');
});

test('a record of older firmware (v0) is bound to the device secret at boot without the code', () => {
  const s = validateSettings({ panel: { adminCode: '246813' } }).settings!;
  prepareAdminCode(s, keys('i', null));
  assert.is(s.panel.adminV, 0);
  prepareAdminCode(s, keys('j'));
  assert.is(s.panel.adminV, 1);
  assert.ok(adminCodeMatches(s, '246813', keys('k')));
  assert.not.ok(adminCodeMatches(s, '246813', keys('k', null)));
});

test('the same code gets a different salt and hash each time it is set', () => {
  const s = validateSettings({}).settings!;
  setAdminCode(s, '1111', keys('e'));
  const first = s.panel.adminHash;
  setAdminCode(s, '1111', keys('f'));
  assert.is.not(s.panel.adminHash, first);
});

test('a failed entropy source: codes are dropped, never kept in clear, and nothing opens (fail closed)', () => {
  const s = validateSettings({ panel: { adminCode: '246813' }, boxes: [{ number: '12', code: '471100', sid: '555' }] }).settings!;
  const broken: SecretKeys = { pepper: PEPPER, entropy: { fill() { throw new Error('entropy: source failed'); } } };
  prepareAdminCode(s, broken);
  prepareBoxes(s, broken);
  assert.not.match(JSON.stringify(s), /246813|471100|"555"/);
  assert.not.ok(adminCodeMatches(s, '246813', broken));
  const box = (s.boxes as BoxSettings[])[0];
  assert.ok(box.sidHash, 'the box still requires a password');
  assert.not.ok(secretMatches('555', readSecret(box, 'sid'), broken));
  assert.not.ok(secretMatches('471100', readSecret(box, 'code'), broken));
});

test.run();
