// The settings the panel changed, kept in the store, come back at the next boot (moved here
// unchanged from test/firmware/store/store.test.ts with loadStoredSettings, which validates and
// so belongs above the store).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Store, saveStoredSettings } from '../../../firmware/store/index.ts';
import { loadStoredSettings } from '../../../firmware/app/stored-settings.ts';
import { defaultSettings } from '../../../firmware/app/settings.ts';
import { CutFlash } from '../store/cut-flash.ts';

test('settings saved in the store come back at the next boot; an invalid stored copy is ignored', () => {
  const f = new CutFlash(1024, 16); // the default settings are over 512 bytes (panel and lan fields)
  const s = new Store(f, { chunkBytes: 128 });
  s.mount();
  const a = defaultSettings();
  assert.not.ok(loadStoredSettings(s, a));
  a.fax.unknownSub = 'refuse';
  a.station.name = 'Büro 3';
  assert.ok(saveStoredSettings(s, a));
  const t = new Store(f, { chunkBytes: 128 });
  t.mount();
  const b = defaultSettings();
  assert.ok(loadStoredSettings(t, b));
  assert.is(b.fax.unknownSub, 'refuse');
  assert.is(b.station.name, 'Büro 3');
  t.setSetting('settings', '{"fax":{"ringsBeforeAnswer":99}}');
  const c = defaultSettings();
  assert.not.ok(loadStoredSettings(t, c));
  assert.is(c.fax.ringsBeforeAnswer, 2);
});

test.run();
