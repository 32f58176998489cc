import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateSettings } from '../../../firmware/config/settings.ts';
import { prepareAdminCode, setAdminCode, adminCodeMatches, DEFAULT_ADMIN_CODE } from '../../../firmware/mailbox/index.ts';
import { SeededEntropy } from '../../../sim/board/entropy.ts';

test('a clear admin code from a settings file is hashed and dropped', () => {
  const s = validateSettings({ panel: { adminCode: '2468' } }).settings!;
  prepareAdminCode(s, new SeededEntropy('a'));
  assert.is(s.panel.adminCode, undefined);
  assert.match(s.panel.adminHash, /^[0-9a-f]{64}$/);
  assert.not.match(JSON.stringify(s), /2468/);
  assert.ok(adminCodeMatches(s, '2468'));
  assert.not.ok(adminCodeMatches(s, '2469'));
  assert.not.ok(adminCodeMatches(s, '24680'));
  assert.not.ok(adminCodeMatches(s, ''));
});

test('without a code the factory default works; a stored hash is kept as it is', () => {
  const s = validateSettings({}).settings!;
  prepareAdminCode(s, new SeededEntropy('b'));
  assert.ok(adminCodeMatches(s, DEFAULT_ADMIN_CODE));
  const hash = s.panel.adminHash;
  prepareAdminCode(s, new SeededEntropy('c'));
  assert.is(s.panel.adminHash, hash);
  setAdminCode(s, '13579', new SeededEntropy('d'));
  assert.ok(adminCodeMatches(s, '13579'));
  assert.not.ok(adminCodeMatches(s, DEFAULT_ADMIN_CODE));
});

test('the same code gets a different salt and hash each time it is set', () => {
  const s = validateSettings({}).settings!;
  setAdminCode(s, '1111', new SeededEntropy('e'));
  const first = s.panel.adminHash;
  setAdminCode(s, '1111', new SeededEntropy('f'));
  assert.is.not(s.panel.adminHash, first);
});

test.run();
