// build/unwrap-classes.mjs: the device build's classes created at the top level instead of inside
// Babel's wrapper function — the same behaviour (run here), only the wrapper's shape unwrapped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
// @ts-ignore — Babel ships no types here
import { transformSync } from '@babel/core';
// @ts-ignore — plain ESM script without types
import { unwrapClasses } from '../../build/unwrap-classes.mjs';

/** ES2022 classes lowered as the device build lowers them (rollup.config.mjs, deviceBabel). */
function lower(src: string): string {
  return transformSync(src, {
    babelrc: false,
    configFile: false,
    sourceType: 'script',
    presets: [['@babel/preset-env', { targets: { ie: '11' }, forceAllTransforms: true, loose: true, modules: false, bugfixes: false, exclude: ['transform-typeof-symbol', 'transform-regenerator', 'transform-async-to-generator'] }]],
    assumptions: { setPublicClassFields: true, setClassMethods: true, constantSuper: true, noClassCalls: true, superIsCallableConstructor: true },
  }).code;
}

const CLASSES = `
class Active { constructor(name) { this.name = name; this.log = []; } trace(t) { this.log.push(this.name + ': ' + t); return this; } get size() { return this.log.length; } }
class Modem extends Active {
  rate = 14400;
  static made = 0;
  constructor(name, r) { super(name); if (r) this.rate = r; Modem.made++; }
  trace(t) { return super.trace(t + ' @' + this.rate); }
  dial(n) { return this.trace('ATD' + n); }
  static create(r) { return new Modem('m', r); }
}
var m = Modem.create(9600).dial('123');
var result = [m.log.join('|'), m.size, m instanceof Active, Object.getPrototypeOf(Modem.prototype) === Active.prototype, Modem.made, m.constructor === Modem].join(',');
`;

function run(code: string): string {
  return new Function(code + '\nreturn result;')();
}

test('lowered classes come out of their wrappers and behave the same (super calls, accessors, statics, fields)', () => {
  const lowered = lower(CLASSES);
  assert.match(lowered, /function \(_Active\)/, 'Babel wraps the subclass');
  const r = unwrapClasses(lowered);
  assert.is(r.unwrapped, 2, 'both classes unwrapped');
  assert.not.match(r.code, /var _proto/, 'the prototype helpers are inlined');
  assert.not.match(r.code, /_Active/, 'the wrapper\'s parameter is replaced by the super class');
  assert.match(r.code, /^function Modem\(/m, 'the constructor at the top level');
  assert.match(r.code, /Modem\.prototype\.dial = function/);
  assert.is(run(r.code), run(lowered));
  assert.is(run(r.code), 'm: ATD123 @9600,1,true,true,1,true');
});

test('a super class reached as a property of another chunk\'s exports (`faxvault.A`) is used in place', () => {
  const src = `var faxvault = { A: function A(n) { this.n = n; } };
faxvault.A.prototype.hi = function () { return 'hi ' + this.n; };
var Foo = function (_A) { function Foo() { return _A.call(this, 'foo') || this; } _inheritsLoose(Foo, _A); var _proto = Foo.prototype; _proto.hi = function hi() { return _A.prototype.hi.call(this) + '!'; }; return Foo; }(faxvault.A);
function _inheritsLoose(t, o) { t.prototype = Object.create(o.prototype); t.prototype.constructor = t; }
var result = new Foo().hi();`;
  const r = unwrapClasses(src);
  assert.is(r.unwrapped, 1);
  assert.match(r.code, /faxvault\.A\.call\(this, 'foo'\)/);
  assert.is(run(r.code), 'hi foo!');
});

test('wrappers of any other shape are left alone', () => {
  const cases = [
    // a helper variable of its own
    `var K = function () { var n = 1; function K() { this.n = n; } return K; }(); var result = new K().n;`,
    // the wrapper's own \`this\`
    `var K = function () { function K() {} K.g = this; return K; }(); var result = typeof K;`,
    // returns something else
    `var K = function () { function K() {} return { K: K }; }(); var result = typeof K.K;`,
    // a super class given by an expression that is not a plain name
    `var K = function (_B) { function K() {} return K; }(make()); function make() { return 1; } var result = typeof K;`,
    // the super class's name shadowed where the parameter is used
    `var B = 1; var K = function (_B) { function K() {} K.prototype.f = function () { var B = 2; return _B + B; }; return K; }(B); var result = new K().f();`,
  ];
  for (const src of cases) {
    const r = unwrapClasses(src);
    assert.is(r.unwrapped, 0, src);
    assert.is(run(r.code), run(src), src);
  }
});

test('an exported class stays exported (rendered ES chunks)', () => {
  const src = `export var Foo = function () { function Foo() { this.a = 1; } var _proto = Foo.prototype; _proto.m = function m() { return this.a; }; return Foo; }();`;
  const r = unwrapClasses(src, 'module');
  assert.is(r.unwrapped, 1);
  assert.match(r.code, /export function Foo\(\)/);
  assert.match(r.code, /Foo\.prototype\.m = function m\(\)/);
});

test.run();
