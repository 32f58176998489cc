// hal/espruino createEspruinoBoard on a fake interpreter: every device built from the one pin
// map, log to the console, reboot through E.reboot; and the appliance starts on it (the firmware's
// own boot, as faxvault.start() does on a board) and shows its idle screen.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import { ESP32_APPLIANCE as P, ESP32_MAX_DOCUMENTS } from '../../../hal/espruino/pins.ts';
import type { Board } from '../../../hal/board.ts';
import { createAppliance, startAppliance } from '../../../firmware/app/appliance.ts';
import { defaultSettings } from '../../../firmware/app/settings.ts';

const { createEspruinoBoard } = await espruinoModule('board');

test('the board: every device, the pins of the map, log and reboot', () => {
  const fk = new FakeEspruino();
  fk.install();
  try {
    const b = createEspruinoBoard(P) as Board;
    for (const k of ['clock', 'ncu', 'modem', 'scanner', 'printer', 'keypad', 'lcd', 'flash', 'entropy'] as const) assert.ok(b[k], k);
    assert.is(b.net, null);
    assert.is(b.crypto, null);
    assert.is(b.scanner.documentPresent(), false);
    assert.equal(fk.keypad.rows, P.keypadRows);
    assert.equal(fk.lcd.pins, P.lcd);
    assert.is(fk.serial.Serial2.setups.length, 1);
    b.log('hello');
    assert.equal(fk.printed, ['hello']);
    b.reboot();
    assert.is(fk.reboots, 1);
  } finally {
    fk.uninstall();
  }
});

test('the appliance boots on the board: AT+FCLASS=1 to the modem, the idle screen, MENU opens the menu', () => {
  const fk = new FakeEspruino();
  fk.install();
  try {
    const app = createAppliance(createEspruinoBoard(P) as Board, defaultSettings());
    startAppliance(app);
    // the modem answers OK to every command line
    let pending = '';
    const commands: string[] = [];
    for (let i = 0; i < 200; i++) {
      for (const c of fk.serial.Serial2.take()) {
        pending += String.fromCharCode(c);
        if (c === 13) {
          commands.push(pending.trim());
          fk.serial.Serial2.inject('\r\nOK\r\n');
          pending = '';
        }
      }
      fk.advance(10);
    }
    assert.ok(commands.includes('AT+FCLASS=1'), commands.join(' | '));
    assert.is(app.class1.state.name, 'C1_IDLE');
    assert.is(app.fax.state.name, 'IDLE');
    assert.match(fk.lcd.line(0), /IDLE/);
    assert.match(fk.lcd.line(1), /MEM \d+%\s+CONF 0/);
    fk.keypad.press(0, 3); // MENU
    fk.advance(50);
    assert.match(fk.lcd.line(0), /^>1 Status/);
    fk.keypad.press(2, 3); // DOWN
    fk.advance(50);
    assert.match(fk.lcd.line(0), /^>2 Date\/time/);
    assert.equal(app.kernel.faults, []);
  } finally {
    fk.uninstall();
  }
});

test('the board offers ECM only where it keeps up: not at fax.maxRate 14400 (a boot note says why), at 4800 yes', () => {
  for (const [maxRate, ecm] of [[14400, false], [9600, false], [4800, true]] as const) {
    const fk = new FakeEspruino();
    fk.install();
    try {
      const settings = defaultSettings();
      settings.fax.maxRate = maxRate;
      const b = createEspruinoBoard(P) as Board;
      assert.is(b.ecmMaxRate, 4800);
      const app = createAppliance(b, settings);
      assert.is((app.fax as unknown as { opts: { caps: { ecm: boolean } } }).opts.caps.ecm, ecm, 'maxRate ' + maxRate);
      assert.is(app.bootNotes.some((n) => /ECM not offered: this board keeps up with it to 4800 bit\/s/.test(n)), !ecm);
    } finally {
      fk.uninstall();
    }
  }
});

test('the board caps the documents kept (their index is RAM): the appliance\'s store takes the cap', () => {
  const fk = new FakeEspruino();
  fk.install();
  try {
    const b = createEspruinoBoard(P) as Board;
    assert.is(b.storeMaxDocuments, ESP32_MAX_DOCUMENTS);
    assert.is(ESP32_MAX_DOCUMENTS, 30);
    const app = createAppliance(b, defaultSettings());
    assert.is(app.store.maxDocuments, 30);
  } finally {
    fk.uninstall();
  }
});

test.run();
