// The appliance dialogs of the panel, one refusal or edit at a time (the whole stories are in
// test/sim/appliance/).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootAppliance, keys as press, lcd as lcdOf } from '../../rig/appliance.ts';
import { IDLE_TIMEOUT_MS } from '../../../firmware/panel/index.ts';

function session(extra: object = {}) {
  const s = bootAppliance({
    panel: { adminCode: '9999' },
    boxes: [{ number: '12', code: '4711' }, { number: '34' }],
    speedDial: ['555', '', '0301234'],
    ...extra,
  }, { seed: 'dialogs', line: 'none' });
  const keys = (k: string) => press(s, k);
  const lcd = () => lcdOf(s);
  return { s, keys, lcd };
}

test('print box: unknown box, box without a code, empty box, typing is masked and BACK edits', () => {
  const { keys, lcd } = session();
  keys('BOX 99 OK');
  assert.equal(lcd(), ['No box 99', 'Check the number']);
  keys('wait:3s 34 OK 1234 BACK');
  assert.equal(lcd(), ['Box 34 pass code', '> ***']);
  keys('4 OK');
  assert.equal(lcd(), ['Box 34 has no code', 'Ask the admin']);
  keys('wait:3s BOX 12 OK 4711 OK');
  assert.equal(lcd(), ['Box 12 is empty', 'Nothing to print']);
});

test('print box from the menu; STOP leaves; a dialog left alone returns to the idle screen', () => {
  const { s, keys, lcd } = session();
  keys('MENU 3');
  assert.equal(lcd(), ['Print box: number', '>']);
  keys('1 STOP');
  assert.match(lcd()[0], /^>3 Print box/);
  keys('BACK BOX 1');
  assert.equal(lcd(), ['Print box: number', '> 1']);
  s.runFor(IDLE_TIMEOUT_MS + 1000);
  assert.match(lcd()[0], /IDLE$/);
});

test('reports menu: UP/DOWN and digits; the report is queued and said so', () => {
  const { s, keys, lcd } = session();
  keys('REPORT');
  assert.equal(lcd(), ['Administrator code', '>']);
  keys('9999 OK');
  assert.equal(lcd(), ['>1 Confidential list', ' 2 Journal']);
  keys('DOWN DOWN');
  assert.equal(lcd()[0], '>3 Settings list');
  keys('OK');
  assert.equal(lcd(), ['Printing', 'Settings list']);
  s.runFor(10000);
  assert.is(s.sim.printer.pages.length, 1);
});

test('send: digits, BACK, speed dial (set and unset), START with no document says so', () => {
  const { keys, lcd } = session();
  keys('START 123 BACK');
  assert.equal(lcd(), ['Send fax: number', '> 12']);
  keys('BACK BACK SPEED');
  assert.equal(lcd(), ['Speed dial: 0-9', '>']);
  keys('2');
  assert.equal(lcd(), ['Send fax: number', '> 0301234']);
  keys('SPEED 1');
  assert.equal(lcd(), ['Speed dial 1', 'is not set']);
  keys('wait:3s');
  assert.equal(lcd(), ['Send fax: number', '> 0301234'], 'the number stays');
  keys('START');
  assert.equal(lcd(), ['Load the document', 'in the feeder']);
  keys('wait:3s');
  assert.equal(lcd(), ['Send fax: number', '> 0301234'], 'back to the number');
  keys('BACK BACK BACK BACK BACK BACK BACK START');
  assert.equal(lcd(), ['Type a fax number', 'or SPEED and a digit']);
});

test('settings: locked after five wrong administrator codes, for a minute', () => {
  const { s, keys, lcd } = session();
  keys('MENU 7');
  for (let i = 0; i < 4; i++) keys('1111 OK wait:3s');
  keys('1111 OK');
  assert.equal(lcd(), ['Settings locked', 'Try again in 1 min']);
  keys('wait:3s MENU 7');
  assert.equal(lcd()[0], 'Settings locked');
  s.runFor(61000);
  keys('MENU 7 9999 OK');
  assert.equal(lcd(), ['>1 Unknown SUB', ' 2 Box pass code']);
});

test.run();
