// The device bundle: built by rollup, checked for what the Espruino interpreter runs, and its
// self-test run under Node in a sandbox that lacks the built-ins the interpreter lacks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import vm from 'node:vm';
// @ts-ignore — plain ESM script without types
import { checkDeviceBundle, SIZE_BUDGET } from '../../scripts/check-device-bundle.mjs';
import { allChecks } from '../../firmware/app/all-checks.ts';

const BUNDLE = 'dist/faxvault.device.js';
if (!existsSync(BUNDLE) || process.env.FAXVAULT_REBUILD) {
  const r = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('device build failed');
}
const text = readFileSync(BUNDLE, 'utf8');

/** A sandbox shaped like the interpreter: no BigInt, Map, Set, Symbol, Math.imul… */
function espruinoLikeContext(lines: string[]) {
  const ctx = vm.createContext({ print: (s: string) => lines.push(String(s)) });
  vm.runInContext(
    `delete Math.imul; delete Math.clz32; delete Math.trunc; delete Number.isInteger; delete Array.from;
     delete globalThis.console;
     globalThis.Map = undefined; globalThis.Set = undefined; globalThis.WeakMap = undefined;
     globalThis.BigInt = undefined; globalThis.TextEncoder = undefined;`,
    ctx,
  );
  return ctx;
}

test('the device bundle parses as ES5, uses only interpreter globals and fits its budget', () => {
  const r = checkDeviceBundle(text);
  assert.equal(r.problems, []);
  assert.ok(r.size <= SIZE_BUDGET);
});

test('the checker rejects what the interpreter cannot run', () => {
  assert.match(checkDeviceBundle('let x = 1;').problems[0], /does not parse as ES5/);
  assert.match(checkDeviceBundle('var x = () => 1;').problems[0], /does not parse as ES5/);
  assert.match(checkDeviceBundle('var m = new Map();').problems.join(), /Map/);
  assert.match(checkDeviceBundle('var b = BigInt(1);').problems.join(), /BigInt/);
  assert.match(checkDeviceBundle('var s = Object.hasOwn({}, "a");').problems.join(), /Object.hasOwn/);
  assert.match(checkDeviceBundle('var q = fetch("x");').problems.join(), /global 'fetch'/);
  assert.equal(checkDeviceBundle('var z = Math.imul(3, 5);').problems, []); // shimmed
  assert.match(checkDeviceBundle('var a, b, c; switch (a) { case 1: "x" === b && c(); }').problems.join(), /case body starting with a string literal/);
  assert.equal(checkDeviceBundle('var a, b, c; switch (a) { case 1: ; "x" === b && c(); }').problems, []);
  assert.match(checkDeviceBundle('var a = "' + 'x'.repeat(SIZE_BUDGET) + '";').problems.join(), /over the budget/);
});

test('the bundle self-test passes in an interpreter-like sandbox and covers every check', () => {
  const lines: string[] = [];
  const ctx = espruinoLikeContext(lines);
  vm.runInContext(text, ctx);
  const report = vm.runInContext('faxvault.selftest()', ctx);
  const last = lines[lines.length - 1];
  const m = /^(\d+) passed, (\d+) failed$/.exec(last);
  assert.ok(m, `last line: ${last}`);
  assert.is(Number(m![2]), 0, lines.join('\n'));
  assert.is(Number(m![1]), allChecks().length);
  assert.is(report.failed, 0);
});

// The honest check is the interpreter itself. It is not part of the project (nothing here builds
// it); a developer who has a Linux build of it sets ESPRUINO=/path/to/espruino to run this too.
const interp = process.env.ESPRUINO;
if (interp && existsSync(interp)) {
  test('the bundle self-test passes on the Espruino interpreter, loaded from flash within the variable budget', () => {
    // As SAVE_ON_SEND does on a board: the code goes to Storage (flash) and runs from there.
    const dir = mkdtempSync(join(tmpdir(), 'fv-esp-'));
    writeFileSync(join(dir, 'write.js'), 'var s=require("Storage");s.erase("fv.js");print("WRITTEN "+s.write("fv.js",' + JSON.stringify(text) + '));');
    writeFileSync(join(dir, 'run.js'), 'eval(require("Storage").read("fv.js"));print("VARS "+process.memory().usage);faxvault.selftest();');
    const w = spawnSync(interp, ['write.js'], { cwd: dir, encoding: 'utf8', timeout: 600000 });
    assert.match(w.stdout, /WRITTEN true/);
    const r = spawnSync(interp, ['run.js'], { cwd: dir, encoding: 'utf8', timeout: 600000 });
    assert.not.match(r.stdout, /Uncaught/, r.stdout.slice(-2000));
    const m = /^(\d+) passed, (\d+) failed$/m.exec(r.stdout);
    assert.ok(m, r.stdout.slice(-2000));
    assert.is(Number(m![2]), 0, r.stdout);
    assert.is(Number(m![1]), allChecks().length);
    // DEVICE.md: an ESP32 has 16,383 variables; the loaded firmware may take at most 60 % of
    // them, the rest is for pages in flight, queues and the crypto and print jobs.
    const vars = Number(/VARS (\d+)/.exec(r.stdout)![1]);
    assert.ok(vars <= 0.6 * 16383, `${vars} variables after load`);
  });
}

test('the bundle carries no Node module and no host-only suite', () => {
  assert.not.match(text, /require\(["']node:/);
  assert.not.match(text, /bls12|BLS12/);
});

test.run();
