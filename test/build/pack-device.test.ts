// The packed device bundle's loader (build/pack-device.mjs) on a small multi-entry build: the
// main entry and what it reaches are evaluated at load and stay; a module's code (and what only
// modules use) runs when it is first held, once however often it is held, and is dropped when
// the last hold is released — the next hold evaluates it again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { rollup } from 'rollup';
// @ts-ignore — plain ESM build plugin without types
import packDevice from '../../build/pack-device.mjs';
// @ts-ignore — plain ESM script without types
import { checkDeviceBundle } from '../../scripts/check-device-bundle.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fv-pack-'));
const src: Record<string, string> = {
  'main.js': `import { shared } from './shared.js';
    print('eval main');
    export function hold() { return __fvLoad('m').answer(); }
    export function release() { __fvRelease('m'); }
    export function local() { return shared(1); }`,
  'shared.js': `print('eval shared'); export function shared(x) { return x + 1; }`,
  'only-m.js': `print('eval only-m'); export function twice(x) { return 2 * x; }`,
  'm.js': `import { shared } from './shared.js'; import { twice } from './only-m.js'; import { both } from './mn.js';
    print('eval m'); export function answer() { return twice(shared(20)) + both(0); }`,
  'n.js': `import { both } from './mn.js'; print('eval n'); export function answer() { return both(1); }`,
  'mn.js': `print('eval mn'); export function both(x) { return x * 10; }`,
};
for (const [name, text] of Object.entries(src)) writeFileSync(join(dir, name), text);

async function packed(): Promise<string> {
  const b = await rollup({ input: { faxvault: join(dir, 'main.js'), m: join(dir, 'm.js'), n: join(dir, 'n.js') }, onwarn() {} });
  let text = '';
  await b.generate({
    format: 'cjs', exports: 'named', esModule: false, strict: false, generatedCode: 'es5',
    plugins: [packDevice({ file: 'out.js', main: 'faxvault', intro: '// shims' }), {
      name: 'grab',
      generateBundle(_o: unknown, bundle: Record<string, { type: string; source?: string }>) {
        text = String(bundle['out.js'].source);
      },
    }],
  });
  return text;
}

test('a module is evaluated when held, once, and dropped after the last release', async () => {
  const text = await packed();
  const lines: string[] = [];
  const ctx = vm.createContext({ print: (s: string) => lines.push(s) });
  vm.runInContext(text, ctx);
  assert.equal(lines, ['eval shared', 'eval main'], 'only the main entry and what it reaches at load');
  assert.is(vm.runInContext('faxvault.local()', ctx), 2);
  assert.is(vm.runInContext('faxvault.hold()', ctx), 42);
  assert.equal(lines.slice(2), ['eval mn', 'eval only-m', 'eval m'], 'the module and its own chunks, not the shared one again');
  assert.is(vm.runInContext('faxvault.hold()', ctx), 42);
  assert.is(lines.length, 5, 'held twice, evaluated once');
  vm.runInContext('faxvault.release()', ctx);
  assert.is(vm.runInContext('faxvault.hold()', ctx), 42);
  assert.is(lines.length, 5, 'still held once: not dropped');
  vm.runInContext('faxvault.release(); faxvault.release()', ctx);
  assert.is(vm.runInContext('faxvault.hold()', ctx), 42);
  assert.equal(lines.slice(5), ['eval mn', 'eval only-m', 'eval m'], 'dropped after the last release, evaluated again');
  // Its globals: the bundle's name, the loader's (__fv…) and the resident code's, renamed so that
  // none is a one- or two-letter name a console user or the interpreter might use.
  const globals: string[] = vm.runInContext('Object.keys(this)', ctx).filter((k: string) => k !== 'print');
  assert.ok(globals.includes('faxvault'));
  for (const g of globals) assert.ok(g === 'faxvault' || g.startsWith('__fv') || g.endsWith('$'), 'global ' + g);
});

test('a module released while another stays held is dropped; what both need stays until the last of them goes', async () => {
  const text = await packed();
  const lines: string[] = [];
  const ctx = vm.createContext({ print: (s: string) => lines.push(s) });
  vm.runInContext(text, ctx);
  const load = (n: string): number => vm.runInContext(`__fvLoad('${n}').answer()`, ctx);
  const release = (n: string): void => vm.runInContext(`__fvRelease('${n}')`, ctx);
  lines.length = 0;
  assert.is(load('n'), 10);
  assert.is(load('m'), 42);
  assert.equal(lines, ['eval mn', 'eval n', 'eval only-m', 'eval m'], 'the chunk both use evaluated once');
  release('m');
  lines.length = 0;
  assert.is(load('n'), 10);
  assert.equal(lines, [], 'n and the chunk it shares with m stay while n is held');
  assert.is(load('m'), 42);
  assert.equal(lines, ['eval only-m', 'eval m'], 'm and its own chunk were dropped at its release although n was held');
  release('m');
  release('n');
  release('n');
  lines.length = 0;
  assert.is(load('n'), 10);
  assert.equal(lines, ['eval mn', 'eval n'], 'after the last hold, the shared chunk went too');
});

test('the packed file is one ES5 script the device check accepts', async () => {
  const text = await packed();
  const r = checkDeviceBundle(text);
  assert.equal(r.problems, []);
});

test.run();
