// The device bundle: built by rollup, checked for what the Espruino interpreter runs, and its
// self-test run under Node in a sandbox that lacks the built-ins the interpreter lacks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import vm from 'node:vm';
// @ts-ignore — plain ESM script without types
import { checkDeviceBundle, SIZE_BUDGET } from '../../scripts/check-device-bundle.mjs';
import { allChecks } from '../../firmware/app/all-checks.ts';
import { Interpreter, interpreterPath, tagged } from './interpreter.ts';
import { deviceFilesOf, BUNDLE_FILE } from '../../host/device/upload-plan.ts';

const BUNDLE = 'dist/faxvault.device.js';
if (!existsSync(BUNDLE) || process.env.FAXVAULT_REBUILD) {
  const r = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('device build failed');
}
const text = readFileSync(BUNDLE, 'utf8');

/** The factory of a module of the packed bundle (build/pack-device.mjs): `"name":function(exports){…}`. */
function factory(name: string): { start: number; end: number } {
  const head = '"' + name + '":function(exports){';
  const start = text.indexOf(head);
  if (start < 0) return { start: -1, end: -1 };
  const end = text.indexOf('\n}', start);
  return { start: start, end: end };
}

/** A sandbox shaped like the interpreter: no BigInt, Map, Set, Symbol, Math.imul… */
function espruinoLikeContext(lines: string[]) {
  const ctx = vm.createContext({
    print: (s: string) => lines.push(String(s)),
  });
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
  // The self-test's checks are in its module's factory only: run when held, not at load.
  const f = factory('selftest');
  assert.ok(f.start > 0 && f.end > f.start, 'the bundle has a self-test module');
  const outside = text.slice(0, f.start) + text.slice(f.end);
  assert.match(text.slice(f.start, f.end), /t4: MR K=4/);
  assert.not.match(outside, /t4: MR K=4/, 'a self-test check outside its module');
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
  assert.match(checkDeviceBundle('var i; for (function (t) { i = t; }(0); i < 3; i++) ;').problems.join(), /for\(…\) initialiser starting with 'function'/);
  assert.equal(checkDeviceBundle('var i; for (0, function (t) { i = t; }(0); i < 3; i++) ;').problems, []);
  assert.match(checkDeviceBundle('var of = 1, x = of + 1;').problems.join(), /names a variable 'of', a reserved word of the interpreter/);
  assert.equal(checkDeviceBundle('var o = { of: 1 }; o.of = 2;').problems, []);
  assert.match(checkDeviceBundle('var s = "50 \u00a7 4";').problems.join(), /non-ASCII character \(U\+00A7/);
  assert.equal(checkDeviceBundle('var s = "50 \\u00a7 4";').problems, []);
  assert.match(checkDeviceBundle('var a = "' + 'x'.repeat(SIZE_BUDGET) + '";').problems.join(), /over the budget/);
  assert.match(checkDeviceBundle('var q = [1, 2]; q.length=0;').problems.join(), /assigns an array's length/);
  assert.match(checkDeviceBundle('var r = /^([0-9a-f]{2})*$/;').problems.join(), /quantified group/);
  assert.match(checkDeviceBundle('var r = /^a(?:b)?$/;').problems.join(), /quantified group/);
  assert.match(checkDeviceBundle('var a = new Int32Array(4); a.copyWithin(1, 0, 3);').problems.join(), /copyWithin/);
  assert.equal(checkDeviceBundle('var r = /^[0-9a-f]*$/, t = /(ab)/;').problems, []);
  assert.equal(checkDeviceBundle('var q = [1, 2]; var e = q.length==0; q.splice(0);').problems, []);
});

test('the bundle self-test passes in an interpreter-like sandbox and covers every check', () => {
  const lines: string[] = [];
  const ctx = espruinoLikeContext(lines);
  vm.runInContext(text, ctx);
  const globals = vm.runInContext('Object.keys(this).join()', ctx);
  const report = vm.runInContext('faxvault.selftest()', ctx);
  // the module was evaluated for the run and left nothing behind
  assert.is(vm.runInContext('Object.keys(this).join()', ctx), globals);
  const last = lines[lines.length - 1];
  const m = /^(\d+) passed, (\d+) failed$/.exec(last);
  assert.ok(m, `last line: ${last}`);
  assert.is(Number(m![2]), 0, lines.join('\n'));
  assert.is(Number(m![1]), allChecks().length);
  assert.is(report.failed, 0);
});

test('the sending side is a module of its own: loaded, its first state leads into the resident session\'s states; released, dropped', () => {
  const f = factory('send');
  assert.ok(f.start > 0, 'the bundle has a send module');
  assert.match(text.slice(f.start, f.end), /T_ECM_BLOCK/, 'the ECM sender is in it');
  const outside = text.slice(0, f.start) + text.slice(f.end);
  assert.not.match(outside, /"T_DIAL"/, 'the sender\'s states only in the module');
  const ctx = espruinoLikeContext([]);
  vm.runInContext(text, ctx);
  const chain = vm.runInContext('(function(){var s=__fvLoad("send").T_DIAL,n=[];while(s){n.push(s.name);s=s.parent;}__fvRelease("send");return n.join(">");})()', ctx);
  assert.is(chain, 'T_DIAL>IN_CALL>FAX');
});

// The honest check is the interpreter itself. It is not part of the project (nothing here builds
// it); a developer who has a Linux build of it sets ESPRUINO=/path/to/espruino to run this too
// (README: the build that counts variables like an ESP32).
const interp = interpreterPath();
if (interp) {
  test('the bundle self-test passes on the Espruino interpreter, loaded from Storage within the variable budget', async () => {
    // As on a board: the bundle is written to Storage in pieces and runs from there.
    const it = new Interpreter(interp);
    await it.upload(deviceFilesOf((dist) => readFileSync(dist, 'latin1')));
    const r = await it.run('eval(require("Storage").read("' + BUNDLE_FILE + '"));print("VARS "+process.memory().usage);faxvault.selftest();');
    assert.not.match(r.out, /Uncaught|OUT OF MEMORY/, r.out.slice(-2000));
    const m = /^(\d+) passed, (\d+) failed$/m.exec(r.out);
    assert.ok(m, r.out.slice(-2000));
    assert.is(Number(m![2]), 0, r.out);
    assert.is(Number(m![1]), allChecks().length);
    // docs/ESPRUINO.md, "Memory budget": the loaded firmware may take at most 60 % of an
    // ESP32's 16,383 variables; the rest is for the running appliance and its pages in flight.
    const vars = Number(tagged(r.out, 'VARS'));
    assert.ok(vars <= 0.6 * 16383, `${vars} variables after load`);
  });
}

test('the self-test runs again after its module was dropped', () => {
  const lines: string[] = [];
  const ctx = espruinoLikeContext(lines);
  vm.runInContext(text, ctx);
  assert.is(vm.runInContext('faxvault.selftest("t4").failed', ctx), 0);
  assert.is(vm.runInContext('faxvault.selftest("t4").failed', ctx), 0);
  assert.ok(lines.filter((l) => /^\d+ passed, 0 failed$/.test(l)).length === 2, lines.join('\n'));
});

test('the bundle carries no Node module and no host-only suite', () => {
  assert.not.match(text, /require\(["']node:/);
  assert.not.match(text, /bls12|BLS12/);
});

test.run();
