// The panel's dialogs are a module loaded while someone is at the panel (firmware/app/
// panel-dialogs.ts): entered through stand-ins of the same name, released when the panel is back
// at its idle screen, loaded again for the next visit — the dialogs behave as before.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootAppliance, keys, lcd } from '../../rig/appliance.ts';
import { moduleHolds } from '../../../firmware/app/modules.ts';

const SETTINGS = {
  station: { ident: '+49 30 1234567', name: 'Office 3', number: '301234567' },
  boxes: [{ number: '12', owner: 'host:pc-ann.lan', code: '471147' }],
};

test('a dialog loads the module, the idle screen releases it, the next visit loads it again', () => {
  const s = bootAppliance(SETTINGS, { seed: 'dialogs' });
  s.runFor(1000);
  assert.is(moduleHolds('panel'), 0, 'not loaded at boot');
  keys(s, 'BOX');
  assert.match(lcd(s).join('|'), /Box/i, lcd(s).join('|'));
  assert.is(moduleHolds('panel'), 1, 'held while the dialog is open');
  keys(s, 'BACK BACK BACK wait:1s');
  assert.match(lcd(s)[0], /IDLE|RECV|MEM|\d\d:\d\d/, lcd(s).join('|'));
  assert.is(moduleHolds('panel'), 0, 'released at the idle screen');
  // The menu's Status entry: the same dialog as before, through a fresh load.
  keys(s, 'MENU OK');
  assert.ok(lcd(s).join(' ').length > 0);
  assert.is(moduleHolds('panel'), 1);
  keys(s, 'BACK BACK BACK wait:1s');
  assert.is(s.app.panel.state.name, 'IDLE');
  assert.is(moduleHolds('panel'), 0, 'released again');
  assert.is(s.app.kernel.faults.length, 0, JSON.stringify(s.app.kernel.faults));
});

test.run();
