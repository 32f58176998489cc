// build/top-level-names.mjs: the device bundle's resident code runs at the interpreter's global
// level, its top-level names renamed so nothing else on the board collides with them. The rename
// must follow ES5 scoping exactly, or the bundle would call the wrong function.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import vm from 'node:vm';
// @ts-ignore — plain ESM build helper without types
import { renameTopLevel } from '../../build/top-level-names.mjs';

const ren = (code: string) => renameTopLevel(code, (n: string) => n + '$', { exports: '__fvx' });

test('top-level bindings and their references are renamed; shadowing names are not', () => {
  const code = 'var t=1,e=function(t){return t+e.length+n(t)};function n(e,r){try{throw 1}catch(t){r=t}var i=t;return i+e+r}exports.a=n(2);exports.o={t:t,e:1};';
  const out = ren(code);
  assert.is(out, 'var t$=1,e$=function(t){return t+e$.length+n$(t)};function n$(e,r){try{throw 1}catch(t){r=t}var i=t$;return i+e+r}__fvx.a=n$(2);__fvx.o={t:t$,e:1};');
  // Same behaviour before and after.
  const run = (src: string, name: string) => {
    const ctx = vm.createContext({ [name]: {} });
    vm.runInContext(src, ctx);
    return JSON.stringify(ctx[name]);
  };
  assert.is(run(out, '__fvx'), run(code, 'exports'));
});

test('a named function expression, hoisted vars inside blocks, labels and properties', () => {
  const code = 'function a(){return b}var b=function b(x){return x?b(x-1):0};if(1){var c=2}l:for(;;){break l}var o={a:a,c:c};o.a=a;';
  const out = ren(code);
  assert.is(out, 'function a$(){return b$}var b$=function b(x){return x?b(x-1):0};if(1){var c$=2}l:for(;;){break l}var o$={a:a$,c:c$};o$.a=a$;');
});

test('a new name already declared in a nested scope is refused, not captured', () => {
  assert.throws(() => ren('var t=1;function f(t$){return t+t$}'), /'t\$' is declared in a nested scope too/);
});

test.run();
