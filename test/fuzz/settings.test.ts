// Settings JSON from outside (a settings file, the panel's stored copy, the LAN): any JSON value,
// JSON-like objects close to the real sections, and any text stored as the settings record.
// validateSettings returns settings or field-naming errors (never both, never a throw); settings
// it accepts validate again to the same; loading a stored copy either applies valid settings or
// leaves the given ones untouched.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultSettings, validateSettings } from '../../firmware/app/settings.ts';
import { loadStoredSettings } from '../../firmware/app/stored-settings.ts';
import { Store, SETTINGS_RECORD } from '../../firmware/store/index.ts';
import { CutFlash } from '../firmware/store/cut-flash.ts';
import { check, fc } from './budget.ts';

function validated(json: unknown): void {
  const r = validateSettings(json);
  assert.ok((r.settings === null) === r.errors.length > 0, 'settings or errors');
  for (const e of r.errors) assert.type(e, 'string');
  if (r.settings) {
    const again = validateSettings(JSON.parse(JSON.stringify(r.settings)));
    assert.equal(again.errors, []);
    assert.equal(again.settings, r.settings);
  }
}

/** Objects shaped like the real settings, with values of any kind in their fields. */
const shaped = fc.dictionary(
  fc.constantFrom('station', 'fax', 'panel', 'boxes', 'speedDial', 'jobs', 'lan', 'mail', 'http', 'other'),
  fc.oneof(
    fc.jsonValue(),
    fc.dictionary(fc.constantFrom('ident', 'name', 'number', 'ringsBeforeAnswer', 'ecm', 'maxRate', 'unknownSub', 'utcOffsetMinutes', 'adminCode', 'port', 'x'), fc.jsonValue()),
    fc.array(fc.dictionary(fc.constantFrom('number', 'owner', 'code', 'sid', 'protection', 'delivery', 'x'), fc.jsonValue()), { maxLength: 3 }),
  ),
);

test('any JSON value: settings or errors naming fields, never a throw', () => {
  check('settings json', fc.property(fc.jsonValue(), validated));
  check('settings shaped json', fc.property(shaped, validated));
});

test('any text stored as the settings record: applied whole when valid, else nothing changes', () => {
  check(
    'stored settings text',
    fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 3 }), shaped.map((o) => JSON.stringify(o))), (text) => {
      // The device's 4 KB sectors; a text too long for one record is refused, never thrown.
      const s = new Store(new CutFlash(4096, 4), { chunkBytes: 512 });
      s.mount();
      const saved = s.setSetting(SETTINGS_RECORD, text);
      assert.is(saved, text.length + SETTINGS_RECORD.length + 1 <= 4096 - 32, 'saved iff it fits a record');
      const given = defaultSettings();
      const before = JSON.stringify(given);
      const ok = loadStoredSettings(s, given);
      if (!ok) assert.is(JSON.stringify(given), before, 'refused settings leave the given ones');
      else assert.equal(validateSettings(JSON.parse(JSON.stringify(given))).errors, []);
    }),
    0.5,
  );
});

test.run();
