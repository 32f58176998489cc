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
import { parse } from 'acorn';

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

if (interp && existsSync(interp)) {
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
