// The idle screen's CONF figure counts the confidential documents kept in the boxes (#15): a
// document printed and kept is still there; only deleting it takes it off.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootAppliance, keys } from '../../rig/appliance.ts';
import { textPage } from '../../../sim/demo.ts';

test('CONF stays 1 after "Documents kept" and drops to 0 when the document is deleted', () => {
  const s = bootAppliance({ boxes: [{ number: '12', code: '471100' }] }, { seed: 'conf' });
  s.remoteSends([textPage(['a letter for box 12'], 400)], { sub: '12' });
  s.runFor(90000);
  assert.match(s.sim.lcd.lines[1], /CONF 1/);
  keys(s, 'BOX 12 OK 471100 OK wait:20s');
  assert.match(s.sim.lcd.lines[0], /Delete 1 document\?/);
  keys(s, 'BACK wait:5s');
  assert.match(s.sim.lcd.lines[1], /CONF 1/, 'printed and kept: still in the box');
  keys(s, 'BOX 12 OK 471100 OK wait:20s OK wait:5s');
  assert.match(s.sim.lcd.lines[1], /CONF 0/);
});

test.run();
