import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateSettings, defaultSettings } from '../../../firmware/app/settings.ts';

test('an empty object gets every default', () => {
  const s = defaultSettings();
  assert.is(s.fax.ringsBeforeAnswer, 2);
  assert.is(s.fax.ecm, true);
  assert.is(s.panel.adminCode, undefined); // the factory code is hashed at boot (mailbox)
  assert.is(s.panel.adminHash, '');
  assert.is(s.fax.unknownSub, 'ordinary');
});

test('bad values are reported with the field path', () => {
  const r = validateSettings({ fax: { ringsBeforeAnswer: 12, ecm: 'yes', unknownSub: 'drop' }, station: { ident: 'ABC' } });
  assert.is(r.settings, null);
  const text = r.errors.join('\n');
  assert.match(text, /^fax\.ringsBeforeAnswer: must be an integer from 1 to 9 \(got 12\)$/m);
  assert.match(text, /^fax\.ecm: must be true or false \(got "yes"\)$/m);
  assert.match(text, /^fax\.unknownSub: must be one of ordinary, refuse \(got "drop"\)$/m);
  assert.match(text, /^station\.ident: digits, spaces and \+ only/m);
});

test('unknown fields and wrong shapes are errors, not silently ignored', () => {
  const r = validateSettings({ fax: { ringsBeforAnswer: 3 }, panel: 5 });
  assert.equal(r.errors.sort(), ['fax.ringsBeforAnswer: unknown setting', 'panel: must be an object (got 5)']);
  assert.match(validateSettings([]).errors[0], /\(top level\): must be an object/);
  assert.match(validateSettings({ printer: {} }).errors[0], /^printer: unknown setting/);
});

test('maxRate must be a V.27ter/V.29/V.17 rate', () => {
  assert.equal(validateSettings({ fax: { maxRate: 9600 } }).errors, []);
  assert.match(validateSettings({ fax: { maxRate: 9601 } }).errors[0], /^fax\.maxRate: must be one of/);
  // An object that cannot convert to text (found by the settings fuzz test): named, no throw.
  const errors = validateSettings({ fax: { maxRate: { toString: null } } } as unknown as object).errors;
  assert.ok(errors.some((e) => /^fax\.maxRate: must be one of .* \(got an object\)$/.test(e)), errors.join('; '));
});

test.run();
