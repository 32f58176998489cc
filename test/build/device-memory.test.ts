// Memory on the Espruino interpreter: decoding pages, and running the whole device self-test, must
// not leave variables behind. Under Node nothing can show this (the interpreter's reference
// counting and 4-bit lock counts are what leak: an object that is `this` in too many nested
// method frames saturates its lock count and is never freed). Runs only when ESPRUINO names an
// interpreter binary (as the last test of device-bundle.test.ts); `process.memory().usage` is the
// number of variables in use after a garbage collection.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import vm from 'node:vm';
import { Interpreter, interpreterPath } from './interpreter.ts';

const interp = interpreterPath();
const dir = mkdtempSync(join(tmpdir(), 'fv-mem-'));

/**
 * Runs `js` on the interpreter after `code`; with `fromFlash`, `code` is first written to the
 * interpreter's Storage (in pieces, as `faxvault flash` does) and run from there, as on a board
 * (function code then stays in flash; it is how the store check's leak showed). Returns the
 * numbers of every `USAGE name before after` line.
 */
async function onInterpreter(code: string, js: string, fromFlash: boolean): Promise<Map<string, [number, number]>> {
  const it = new Interpreter(interp as string);
  if (fromFlash) await it.upload([{ name: 'code.js', text: code }]);
  const r = await it.run((fromFlash ? 'eval(require("Storage").read("code.js"));\n' : code + '\n') + js);
  const out = new Map<string, [number, number]>();
  for (const m of r.out.matchAll(/^USAGE (\S+) (\d+) (\d+)$/gm)) out.set(m[1], [Number(m[2]), Number(m[3])]);
  assert.ok(out.size > 0, r.out.slice(-2000));
  assert.not.match(r.out, /Uncaught|FAIL|OUT OF MEMORY/, r.out.slice(-2000));
  return out;
}

// `measure(name, f, n)`: one run to settle caches, then n runs; prints usage before and after them.
const MEASURE = `
function measure(name, f, n) {
  f();
  var before = process.memory().usage;
  for (var i = 0; i < n; i++) f();
  var after = process.memory().usage;
  print('USAGE ' + name + ' ' + before + ' ' + after);
}
`;

/** The scratch bundle of fixtures/decode-pages.ts, built with the device config (same lowering). */
async function decoderBundle(): Promise<string> {
  const { rollup } = await import('rollup');
  // @ts-ignore — plain ESM config without types
  const c = (await import('../../rollup.config.mjs')).SCRATCH_DEVICE;
  const file = join(dir, 'decode-pages.js');
  const b = await rollup({ input: 'test/build/fixtures/decode-pages.ts', plugins: c.plugins, treeshake: c.treeshake });
  await b.write({ ...c.output, file });
  await b.close();
  return readFileSync(file, 'utf8');
}

if (interp) {
  test('decoding pages on the interpreter leaves no variables behind (MH, MR, MMR; rows or not)', async () => {
    const bundle = await decoderBundle();
    const runs = 2;
    const cases = [
      ['mh-rows', 0, 64, true], ['mh-count', 0, 64, false], ['mr-bytewise', 1, 1, true], ['mmr-rows', 2, 64, true],
    ] as const;
    let js = MEASURE;
    for (const [name, which, chunk, rows] of cases) {
      js += `if (faxvault.decodePage(${which}, ${chunk}, ${rows}) !== 6) print('FAIL ${name}');\n`;
      js += `measure('${name}', function () { faxvault.decodePage(${which}, ${chunk}, ${rows}); }, ${runs});\n`;
    }
    const got = await onInterpreter(bundle, js, false);
    for (const [name] of cases) {
      const u = got.get(name);
      assert.ok(u, `no figure for ${name}`);
      // A leaked 1728-pixel decoder is ~466 variables; allow a couple for the measuring itself.
      assert.ok(u![1] - u![0] <= 4, `${name}: ${u![0]} -> ${u![1]} variables after ${runs} decodes`);
    }
  });

  test('the whole device self-test run twice on the interpreter: usage does not grow', async () => {
    const BUNDLE = 'dist/faxvault.device.js';
    if (!existsSync(BUNDLE) || process.env.FAXVAULT_REBUILD) {
      const r = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], { stdio: 'inherit' });
      assert.is(r.status, 0, 'device build failed');
    }
    const got = await onInterpreter(readFileSync(BUNDLE, 'latin1'), MEASURE + `measure('selftest', function () { faxvault.selftest(); }, 1);\n`, true);
    const u = got.get('selftest')!;
    assert.ok(u[1] - u[0] <= 4, `self-test: ${u[0]} -> ${u[1]} variables from the second run to the third`);
  });
}

// Without the interpreter, at least the scratch bundle is built and decodes every page whole
// (so the figures above measure real decoding when they do run).
test('the decode-pages bundle builds with the device config and decodes each page whole', async () => {
  const ctx = vm.createContext({});
  vm.runInContext(await decoderBundle(), ctx);
  for (const which of [0, 1, 2]) {
    assert.is(vm.runInContext(`faxvault.decodePage(${which}, 1, true)`, ctx), 6);
    assert.is(vm.runInContext(`faxvault.decodePage(${which}, 64, false)`, ctx), 6);
  }
});

test.run();
