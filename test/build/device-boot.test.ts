// The appliance booting on the Espruino interpreter: the device bundle, loaded from the
// interpreter's Storage as on a board, runs faxvault.start() on a board faked inside the
// interpreter (fixtures/espruino-board-prelude.js: a Class 1 modem answering OK on Serial2, an
// HD44780, the KeyPad callback, a sparse SPI flash), for a few seconds of its own timers. Runs only
// when ESPRUINO names an interpreter binary (as the last test of device-bundle.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const interp = process.env.ESPRUINO;
const BUNDLE = 'dist/faxvault.device.js';

// The scenario, after the prelude and the bundle: boot, look at the idle screen after 2 s, press
// MENU and DOWN on the keypad (row 0 column 3, row 2 column 3), report, and quit() (the Linux
// build would otherwise run the kernel's timers for ever).
const SCENARIO = `
var app = faxvault.start();
print('BOOTED ' + process.memory().usage);
setTimeout(function () {
  print('IDLE0 ' + BOARD.line(0));
  print('IDLE1 ' + BOARD.line(1));
  print('COMMANDS ' + JSON.stringify(BOARD.commands));
  print('STATES ' + app.class1.state.name + ' ' + app.fax.state.name + ' ' + app.panel.state.name);
  BOARD.key(0, 3);
}, 2000);
setTimeout(function () {
  print('MENU0 ' + BOARD.line(0));
  BOARD.key(2, 3);
}, 2300);
setTimeout(function () {
  print('DOWN0 ' + BOARD.line(0));
  print('FAULTS ' + JSON.stringify(app.kernel.faults));
  print('TRACE ' + app.kernel.tracer.snapshot().slice(-12).join(' | '));
  print('VARS ' + process.memory().usage);
  print('END');
  quit();
}, 2600);
`;

function line(out: string, tag: string): string {
  const m = new RegExp('^(?:>?\\x1b\\[J)?' + tag + ' (.*)$', 'm').exec(out);
  return m ? m[1] : '';
}

if (interp && existsSync(interp)) {
  test('the appliance boots on the interpreter: modem set up, idle screen, keys move the menu, no fault', () => {
    if (!existsSync(BUNDLE) || process.env.FAXVAULT_REBUILD) {
      const r = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], { stdio: 'inherit' });
      assert.is(r.status, 0, 'device build failed');
    }
    const bundle = readFileSync(BUNDLE, 'utf8');
    const prelude = readFileSync(new URL('./fixtures/espruino-board-prelude.js', import.meta.url), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'fv-boot-'));
    // As SAVE_ON_SEND does on a board: the code goes to Storage (espruino.flash here) and runs from there.
    writeFileSync(join(dir, 'write.js'), 'var s=require("Storage");s.erase("fv.js");print("WRITTEN "+s.write("fv.js",' + JSON.stringify(bundle) + '));');
    writeFileSync(join(dir, 'boot.js'), prelude + '\neval(require("Storage").read("fv.js"));\n' + SCENARIO);
    const w = spawnSync(interp, ['write.js'], { cwd: dir, encoding: 'utf8', timeout: 120000, input: '' });
    assert.match(w.stdout, /WRITTEN true/);
    const r = spawnSync(interp, ['boot.js'], { cwd: dir, encoding: 'utf8', timeout: 120000, input: '' });
    const out = r.stdout;
    const tail = out.slice(-3000);
    assert.is(r.signal, null, 'the interpreter did not exit by itself: ' + tail);
    assert.not.match(out, /Uncaught/, tail);
    assert.ok(line(out, 'END') !== '' || /\nEND\s*$/m.test(out), 'the scenario did not finish: ' + tail);
    // the modem was set up, and the driver and the T.30 session are idle
    const commands = JSON.parse(line(out, 'COMMANDS') || '[]') as string[];
    assert.ok(commands.includes('AT+FCLASS=1'), 'modem commands: ' + commands.join(' | '));
    assert.is(line(out, 'STATES'), 'C1_IDLE IDLE IDLE');
    // the idle screen: the clock and the line state, memory and waiting confidential documents
    assert.match(line(out, 'IDLE0'), /IDLE\s*$/);
    assert.match(line(out, 'IDLE1'), /^MEM \d+%\s+CONF 0/);
    const booted = Number(line(out, 'BOOTED'));
    const vars = Number(line(out, 'VARS'));
    console.log(`  variables in use: ${booted} right after start(), ${vars} after 2.6 s (ESP32: 16,383)`);
    // keys through the KeyPad module's callback: MENU opens the menu, DOWN moves it.
    // (Found with this test: the 2v29 interpreter reads the first token of a matching `case` body
    // before it starts executing, so a string literal there is evaluated as empty — and terser
    // writes `k === 'MENU'` as `"MENU"===k`, so `case"KEY":"MENU"===e.key…` in the panel's IDLE
    // never matched. The bundle must not start a case body with a string literal.)
    assert.match(line(out, 'MENU0'), /^>1 Status/, 'MENU did not open the menu: ' + line(out, 'MENU0') + '\n' + line(out, 'TRACE'));
    assert.match(line(out, 'DOWN0'), /^>2 Date\/time/, line(out, 'TRACE'));
    assert.is(line(out, 'FAULTS'), '[]', line(out, 'TRACE'));
  });
}

test.run();
