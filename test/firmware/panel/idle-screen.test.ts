// The idle screen's CONF figure counts the confidential documents kept in the boxes (#15): a
// document printed and kept is still there; only deleting it takes it off.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSession } from '../../../sim/session.ts';
import { parseKeyScript } from '../../../sim/board/keypad.ts';
import { validateSettings } from '../../../firmware/app/settings.ts';
import { textPage } from '../../../sim/demo.ts';

test('CONF stays 1 after "Documents kept" and drops to 0 when the document is deleted', () => {
  const r = validateSettings({ boxes: [{ number: '12', code: '471100' }] });
  const s = startSession({ settings: r.settings!, wallStart: Date.UTC(2026, 10, 25, 9, 0), seed: 'conf' });
  s.remoteSends([textPage(['a letter for box 12'], 400)], { sub: '12' });
  s.runFor(90000);
  assert.match(s.sim.lcd.lines[1], /CONF 1/);
  s.runScript(parseKeyScript('BOX 12 OK 471100 OK wait:20s'));
  assert.match(s.sim.lcd.lines[0], /Delete 1 document\?/);
  s.runScript(parseKeyScript('BACK wait:5s'));
  assert.match(s.sim.lcd.lines[1], /CONF 1/, 'printed and kept: still in the box');
  s.runScript(parseKeyScript('BOX 12 OK 471100 OK wait:20s OK wait:5s'));
  assert.match(s.sim.lcd.lines[1], /CONF 0/);
});

test.run();
