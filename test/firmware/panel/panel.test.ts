// The panel on the simulated board, driven by key scripts in virtual time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseKeyScript } from '../../../sim/board/keypad.ts';
import { Kernel } from '../../../firmware/kernel/index.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { Panel } from '../../../firmware/panel/index.ts';
import { SimLcd } from '../../../sim/board/lcd.ts';
import { bootAppliance, T0 } from '../../rig/appliance.ts';

function session(offsetMinutes = 0) {
  return bootAppliance({ panel: { utcOffsetMinutes: offsetMinutes } }, { seed: 'panel' });
}

test('the idle screen shows date, time, line state, memory and waiting documents, and ticks', () => {
  // A panel on its own, with a status source the test controls.
  const clock = new VirtualClock(T0);
  const kernel = new Kernel(clock);
  const lcd = new SimLcd(() => clock.now());
  const st = { line: 'IDLE', mem: 0, waiting: 0 };
  const panel = new Panel(1, lcd, clock, { lineState: () => st.line, memoryPercent: () => st.mem, waitingConfidential: () => st.waiting }, 0);
  kernel.add(panel);
  kernel.start();
  clock.runFor(0);
  assert.equal(lcd.lines, ['25.11. 09:00:00 IDLE', 'MEM 0%  CONF 0      ']);
  clock.runFor(61000);
  assert.equal(lcd.lines[0], '25.11. 09:01:01 IDLE');
  st.waiting = 3;
  st.line = 'RECV';
  st.mem = 42;
  clock.runFor(1000);
  assert.equal(lcd.lines, ['25.11. 09:01:02 RECV', 'MEM 42%  CONF 3     ']);
});

test('on the appliance the idle screen starts with an empty store and line', () => {
  const s = session();
  s.runFor(0);
  assert.equal(s.sim.lcd.lines, ['25.11. 09:00:00 IDLE', 'MEM 0%  CONF 0      ']);
});

test('the idle screen shows local time from the UTC offset', () => {
  const s = session(90);
  s.runFor(0);
  assert.is(s.sim.lcd.lines[0], '25.11. 10:30:00 IDLE');
});

test('MENU opens the menu, UP/DOWN move, BACK returns to idle', () => {
  const s = session();
  s.runScript(parseKeyScript('MENU'));
  assert.equal(s.sim.lcd.lines, ['>1 Status           ', ' 2 Date/time        ']);
  s.runScript(parseKeyScript('DOWN'));
  assert.is(s.sim.lcd.lines[0], '>2 Date/time        ');
  s.runScript(parseKeyScript('DOWN'));
  assert.is(s.sim.lcd.lines[0], '>3 Print box        ');
  s.runScript(parseKeyScript('UP UP UP'));
  assert.is(s.sim.lcd.lines[0], '>7 Settings         ', 'UP wraps to the last entry');
  s.runScript(parseKeyScript('BACK'));
  assert.match(s.sim.lcd.lines[0], /^25\.11\. 09:00:0\d IDLE$/);
});

test('Status shows the version and kernel health', () => {
  const s = session();
  s.runScript(parseKeyScript('MENU 1'));
  assert.equal(s.sim.lcd.lines, ['faxvault 0.1.0      ', 'Up 0h 0m            ']);
  s.runScript(parseKeyScript('DOWN'));
  assert.equal(s.sim.lcd.lines, ['Faults: 0           ', 'none                ']);
});

test('Date/time sets the clock; an impossible date is refused with a message', () => {
  const s = session();
  // Behind the administrator code; the factory code first leads to choosing a new one.
  s.runScript(parseKeyScript('MENU 2 0000 OK'));
  assert.equal(s.sim.lcd.lines, ['New admin code      ', '>                   ']);
  s.runScript(parseKeyScript('135790 OK 135790 OK wait:3s'));
  assert.equal(s.sim.lcd.lines, ['Date/time YYMMDDhhmm', '> YYMMDDhhmm        ']);
  s.runScript(parseKeyScript('2602301200 OK'));
  assert.equal(s.sim.lcd.lines, ['Invalid date/time   ', 'Use YYMMDDhhmm      ']);
  s.runScript(parseKeyScript('wait:3s 2612312359 OK wait:3s BACK'));
  assert.match(s.sim.lcd.lines[0], /^31\.12\. 23:59:0\d IDLE$/);
});

test('a dialog left alone returns to the idle screen', () => {
  const s = session();
  s.runScript(parseKeyScript('MENU'));
  s.runFor(61000);
  assert.match(s.sim.lcd.lines[0], /IDLE$/);
});

test('the same script gives the same screens (determinism)', () => {
  const run = () => {
    const s = session();
    s.runScript(parseKeyScript('MENU DOWN OK 26 BACK BACK STOP wait:5s MENU 1 DOWN UP BACK'));
    return s.screens();
  };
  assert.equal(run(), run());
});

test.run();
