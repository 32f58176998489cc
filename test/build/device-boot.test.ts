// The appliance booting on the Espruino interpreter: the device bundle, loaded from the
// interpreter's Storage as on a board, runs faxvault.start() on a board faked inside the
// interpreter (fixtures/espruino-board-prelude.js: a Class 1 modem answering OK on Serial2, an
// HD44780, the KeyPad callback, a sparse SPI flash), for a few seconds of its own timers. Runs only
// when ESPRUINO names an interpreter binary (as the last test of device-bundle.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { parse } from 'acorn';
import { Interpreter, interpreterPath } from './interpreter.ts';
import { deviceFilesOf } from '../../host/device/upload-plan.ts';

const interp = interpreterPath();
const BUNDLE = 'dist/faxvault.device.js';

// The scenario, after the prelude and the boot code: wait until the modem is set up (at most
// 60 s: the ESP32-sized build may run under qemu, ~15x slower), look at the idle screen, press
// MENU and DOWN on the keypad (row 0 column 3, row 2 column 3), report, and quit() (the Linux
// build would otherwise run the kernel's timers for ever).
const SCENARIO = `
var app = faxvault.start();
print('BOOTED ' + process.memory().usage);
var waited = 0;
function ready() { return app.class1.state.name === 'C1_IDLE' && app.fax.state.name === 'IDLE'; }
var poll = setInterval(function () {
  waited += 200;
  if (!ready() && waited < 60000) return;
  clearInterval(poll);
  print('IDLE0 ' + BOARD.line(0));
  print('IDLE1 ' + BOARD.line(1));
  print('COMMANDS ' + JSON.stringify(BOARD.commands));
  print('STATES ' + app.class1.state.name + ' ' + app.fax.state.name + ' ' + app.panel.state.name);
  BOARD.key(0, 3);
  setTimeout(function () {
    print('MENU0 ' + BOARD.line(0));
    BOARD.key(2, 3);
    setTimeout(function () {
      print('DOWN0 ' + BOARD.line(0));
      print('FAULTS ' + JSON.stringify(app.kernel.faults));
      print('TRACE ' + app.kernel.tracer.snapshot().slice(-12).join(' | '));
      print('VARS ' + process.memory().usage);
      print('END');
      quit();
    }, 1000);
  }, 1000);
}, 200);
`;

function line(out: string, tag: string): string {
  const m = new RegExp('^(?:>?\\x1b\\[J)?' + tag + ' (.*)$', 'm').exec(out);
  return m ? m[1] : '';
}

if (interp) {
  test('the appliance boots from Storage on the interpreter: modem set up, idle screen, keys move the menu, no fault', async () => {
    if (!existsSync(BUNDLE) || process.env.FAXVAULT_REBUILD) {
      const r = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], { stdio: 'inherit' });
      assert.is(r.status, 0, 'device build failed');
    }
    const bundle = readFileSync(BUNDLE, 'latin1');
    const prelude = readFileSync(new URL('./fixtures/espruino-board-prelude.js', import.meta.url), 'latin1');
    // Written as `faxvault flash` writes a board (the bundle and its boot code, in pieces), then
    // booted as the board boots: the faked board first, then Storage's .bootcde.
    const it = new Interpreter(interp);
    await it.upload(deviceFilesOf((dist) => readFileSync(dist, 'latin1')).concat([{ name: 'board.js', text: prelude }]));
    const r = await it.run('eval(require("Storage").read("board.js"));eval(require("Storage").read(".bootcde"));' + SCENARIO, 300000);
    const out = r.out;
    const tail = out.slice(-3000);
    assert.is(r.signal, null, 'the interpreter did not exit by itself: ' + tail);
    assert.not.match(out, /Uncaught|OUT OF MEMORY/, tail);
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
    console.log(`  variables in use: ${booted} right after start(), ${vars} after the modem set-up and two keys (ESP32: 16,383)`);
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

/** The leftmost token of a statement, when it is a string literal (`"MENU"===e.key…`). */
function leadingString(n: any): boolean {
  for (;;) {
    if (!n) return false;
    if (n.type === 'ExpressionStatement') n = n.expression;
    else if (n.type === 'BinaryExpression' || n.type === 'LogicalExpression' || n.type === 'AssignmentExpression') n = n.left;
    else if (n.type === 'ConditionalExpression') n = n.test;
    else if (n.type === 'SequenceExpression') n = n.expressions[0];
    else if (n.type === 'MemberExpression') n = n.object;
    else if (n.type === 'CallExpression') n = n.callee;
    else return n.type === 'Literal' && typeof n.value === 'string';
  }
}

/** `case` clauses of the bundle whose body starts with a string literal. */
function stringLedCases(text: string): string[] {
  const hits: string[] = [];
  const walk = (n: any): void => {
    if (!n || typeof n.type !== 'string') return;
    if (n.type === 'SwitchCase' && n.consequent.length > 0 && leadingString(n.consequent[0])) hits.push(text.slice(n.start, n.start + 60));
    for (const k of Object.keys(n)) {
      const v = n[k];
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v.type === 'string') walk(v);
    }
  };
  walk(parse(text, { ecmaVersion: 5 }));
  return hits;
}

if (interp) {
  // The interpreter reads the first token of a `case` body before it switches execution on for a
  // matching case, and a string token read then is empty: `case "KEY": "MENU" === e.key` compares
  // "" (the 2v29 Linux build; a fall-through from the case above is not affected). Terser writes
  // comparisons with the constant first. This belongs in scripts/check-device-bundle.mjs, or the
  // build should put a `;` before such a body; it is here, with the interpreter's tests, until then.
  test('the bundle starts no case body with a string literal (the interpreter would read it as empty)', () => {
    const probe = stringLedCases('switch(a){case 1:"x"===b&&c();break;case 2:d="y";case 3:c(),"z"===b}');
    assert.is(probe.length, 1);
    assert.ok(probe[0].startsWith('case 1:"x"'));
    assert.equal(stringLedCases(readFileSync(BUNDLE, 'utf8')), []);
  });
}

test.run();
