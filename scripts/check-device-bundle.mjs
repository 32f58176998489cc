#!/usr/bin/env node
// Checks dist/faxvault.device.js is something the Espruino interpreter can run (docs/ESPRUINO.md):
//  - it parses as ES5 (no let/const, classes, arrows, template literals, destructuring, spread…);
//  - every free identifier is a global the interpreter has (or one the shims define);
//  - no call of a built-in the interpreter lacks (Math.imul… unless shimmed, BigInt, Map/Set…);
//  - no identifier the interpreter's lexer reserves (`of`, `let`, `static`…: a syntax error there);
//  - no `for(` initialiser that starts with `function` (a syntax error there);
//  - no `case` body that starts with a string literal (the interpreter evaluates it as '');
//  - no assignment to an array's length (the interpreter throws);
//  - no regular expression with a quantified group (`(…)*`, `(…)?`, `(?:…){2}`: the interpreter's
//    RegExp fails every string against one);
//  - only ASCII characters (strings on the board are 8-bit; the build escapes the rest, and the
//    upload to Storage sends bytes);
//  - its size is within the budget.
// Prints a report; exits 1 on any problem. Also importable: checkDeviceBundle(text).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as acorn from 'acorn';
import { stringLedCaseBodies, functionLedForInits } from '../build/espruino-case-quirk.mjs';

/**
 * Bytes the minified bundle may take — all the code the board keeps in Storage, its modules loaded
 * on demand included. It sits in the ESP32's 896 KB of code storage (SAVE_ON_SEND), next to the
 * record store's own flash region: 384 KB. (Until the self-test became a module inside the bundle
 * it was a Storage file of its own, 105 KB beside a 320 KB budget for the bundle; together they
 * now take less.) The variables the code costs once loaded are the tighter limit:
 * `ESPRUINO=… npm run bench -- device` measures them.
 */
export const SIZE_BUDGET = 384 * 1024;

// Globals of the Espruino interpreter that the firmware may reach (plus the bundle's own name).
const ESPRUINO_GLOBALS = new Set([
  'faxvault', 'undefined', 'NaN', 'Infinity', 'Object', 'Function', 'Array', 'String', 'Number', 'Boolean',
  'Math', 'JSON', 'Date', 'RegExp', 'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError',
  'InternalError', 'ArrayBuffer', 'DataView', 'Uint8Array', 'Uint8ClampedArray', 'Int8Array', 'Uint16Array',
  'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'parseInt', 'parseFloat',
  'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'escape', 'unescape', 'eval',
  'print', 'console', 'setTime', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'getTime',
  'require', 'E', 'global', 'process', 'Serial1', 'Serial2', 'USB', 'LoopbackA', 'LoopbackB', 'Pin',
  'digitalWrite', 'digitalRead', 'pinMode', 'setWatch', 'clearWatch', 'analogRead', 'SPI', 'I2C',
  'I2C1', 'SPI1', 'SPI2', 'Flash', 'btoa', 'atob', 'Promise', 'arguments', 'this', 'peek8', 'poke8',
  'NodeMCU', 'ESP32', 'reset', 'save', 'load', 'Modules',
]);

const MISSING_MEMBERS = {
  Math: ['imul', 'clz32', 'trunc', 'fround', 'sign', 'log2', 'log10', 'hypot', 'cbrt'],
  Array: ['from', 'of'],
  Object: ['freeze', 'hasOwn', 'fromEntries', 'getOwnPropertySymbols', 'isFrozen', 'seal'],
  Number: ['isInteger', 'isSafeInteger', 'EPSILON'],
  Uint8Array: ['from', 'of'],
};
// What build/device-shims.js defines (only where missing).
const SHIMMED = new Set(['Math.imul', 'Math.clz32', 'Math.trunc', 'Number.isInteger', 'Number.isSafeInteger', 'Object.freeze', 'Array.from']);
// Reserved by the interpreter's lexer (src/jslex.h) though not by ES5.
const ESPRUINO_RESERVED_WORDS = ['of', 'let', 'const', 'class', 'extends', 'super', 'static'];
const FORBIDDEN_GLOBALS = ['BigInt', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Symbol', 'Proxy', 'Reflect', 'TextEncoder', 'TextDecoder', 'BigUint64Array', 'BigInt64Array', 'queueMicrotask', 'structuredClone'];

function walk(node, visit, parent) {
  if (!node || typeof node.type !== 'string') return;
  visit(node, parent);
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const v = node[key];
    if (Array.isArray(v)) for (const c of v) walk(c, visit, node);
    else if (v && typeof v.type === 'string') walk(v, visit, node);
  }
}

/** Methods of arrays and typed arrays missing on the interpreter, whatever the object. */
const MISSING_METHODS = ['copyWithin'];

/** With `module`, the text is a Storage module (an expression; no size budget of its own). */
export function checkDeviceBundle(text, opts = {}) {
  const problems = [];
  let ast;
  try {
    ast = acorn.parse(text, { ecmaVersion: 5, sourceType: 'script' });
  } catch (e) {
    return { ok: false, problems: [`does not parse as ES5: ${e.message}`], size: text.length, freeGlobals: [] };
  }
  const declared = new Set();
  const referenced = new Map();
  walk(ast, (n, parent) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier') declared.add(n.id.name);
    if ((n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression') && n.id) declared.add(n.id.name);
    if (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression') for (const p of n.params) declared.add(p.name);
    if (n.type === 'CatchClause' && n.param) declared.add(n.param.name);
    if (n.type === 'Identifier') {
      const isProp = parent && ((parent.type === 'MemberExpression' && parent.property === n && !parent.computed) || (parent.type === 'Property' && parent.key === n));
      if (!isProp) referenced.set(n.name, (referenced.get(n.name) || 0) + 1);
    }
    if (n.type === 'Literal' && n.regex && /\)[*+?{]/.test(n.regex.pattern)) problems.push(`has the regular expression /${n.regex.pattern}/ with a quantified group, which the interpreter's RegExp fails against every string`);
    // Array and typed array methods the interpreter does not have (2v29: "Function not found").
    if (n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier' && MISSING_METHODS.includes(n.property.name)) problems.push(`calls .${n.property.name}(), which the interpreter's arrays lack`);
    if (n.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier') {
      const missing = MISSING_MEMBERS[n.object.name];
      const full = n.object.name + '.' + n.property.name;
      if (missing && missing.includes(n.property.name) && !SHIMMED.has(full)) problems.push(`uses ${full}, which the interpreter lacks`);
    }
  });
  for (const w of ESPRUINO_RESERVED_WORDS) if (declared.has(w) || referenced.has(w)) problems.push(`names a variable '${w}', a reserved word of the interpreter (a syntax error there)`);
  const free = [...referenced.keys()].filter((k) => !declared.has(k)).sort();
  for (const name of free) {
    if (FORBIDDEN_GLOBALS.includes(name)) problems.push(`uses ${name}, which the interpreter lacks`);
    else if (!ESPRUINO_GLOBALS.has(name)) problems.push(`uses the global '${name}', unknown to the interpreter`);
  }
  if (functionLedForInits(text).length) problems.push(`has a for(…) initialiser starting with 'function', which the interpreter parses as a declaration (build/espruino-case-quirk.mjs)`);
  const quirks = stringLedCaseBodies(text);
  if (quirks.length) problems.push(`has ${quirks.length} case bod${quirks.length === 1 ? 'y' : 'ies'} starting with a string literal, which the interpreter reads as '' (build/espruino-case-quirk.mjs)`);
  // `a.length = n` throws on the interpreter ("Unable to set array length"): use splice.
  const setLength = /\.length=(?!=)/.exec(text);
  if (setLength) problems.push(`assigns an array's length (…${text.slice(Math.max(0, setLength.index - 30), setLength.index + 12)}…), which the interpreter refuses: use splice`);
  const wide = /[^\x00-\x7f]/.exec(text);
  if (wide) problems.push(`has a non-ASCII character (U+${wide[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at ${wide.index}): build with terser's ascii_only`);
  if (!opts.module && text.length > SIZE_BUDGET) problems.push(`is ${text.length} bytes, over the budget of ${SIZE_BUDGET}`);
  return { ok: problems.length === 0, problems: [...new Set(problems)], size: text.length, freeGlobals: free };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The bundle (its modules loaded on demand are inside it) unless a file is named.
  const files = process.argv[2] ? [process.argv[2]] : ['dist/faxvault.device.js'];
  let ok = true;
  for (const file of files) {
    const module = !file.endsWith('faxvault.device.js');
    const r = checkDeviceBundle(readFileSync(file, 'utf8'), { module });
    console.log(`${file}: ${r.size} bytes${module ? ' (a Storage module)' : ` (budget ${SIZE_BUDGET})`}; globals used: ${r.freeGlobals.join(' ')}`);
    for (const p of r.problems) console.log(`  problem: ${p}`);
    ok = ok && r.ok;
  }
  process.exit(ok ? 0 : 1);
}
