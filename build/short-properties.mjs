// Babel plugin of the device build: long property names of the firmware's own classes become
// names of at most four characters (`this.pendingFrames` -> `this.$a7`).
//
// Why: on the interpreter a property whose name has five or more characters costs one variable
// more than a short one (the name no longer fits the variable that holds it; 15 or more: two
// more), on every object that has it — every instance, every prototype method. Measured on the
// ESP32-sized build (docs/ESPRUINO.md): some 1,200 such names live on a booted appliance.
//
// Which names: those declared as members of a class (fields, methods, accessors, parameter
// properties) in firmware/ or hal/ (not hal/node), of five characters or more, unless the name may
// cross the bundle's edge, where a renamed property would no longer match:
// - a member of an interface or type literal (settings, store records, protocol messages, the HAL's
//   contracts: data written as JSON or read by host code, and what the board's drivers offer);
// - any string literal or template text in those sources (a name looked up as `o[name]`);
// - a property the JavaScript built-ins have (read from Node at build time), one the device shims
//   define, one @noble's code uses, and a property read on anything but `this` in hal/espruino/ or
//   firmware/device/ (the interpreter's own modules: Storage, E, Serial, net, tls, crypto);
// - the names the board's console and its test harnesses use (CONSOLE_NAMES), and the interface
//   members and string literals of the device entries of benches and tests (bench/entries,
//   test/build/fixtures: they print JSON for the host).
// The same map applies to every file of the build (one renaming for all chunks), computed once
// from the sources, sorted, so a build is reproducible.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from '@babel/parser';

/** Names used from outside the bundle: the board's console (`faxvault.*`) and the interpreter harnesses (test/build, bench). */
export const CONSOLE_NAMES = [
  'start', 'selftest', 'kernel', 'tracer', 'snapshot', 'dispatchOne', 'faults', 'callsEnded', 'class1', 'uart',
  'readable', 'spooler', 'status', 'store', 'documents', 'state', 'name', 'meta', 'pages', 'result', 'fax',
  'passed', 'failed', 'results', 'checks', 'trace', 'isFull',
];

function walkFiles(dir, out) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) {
      if (p.split(sep).join('/').endsWith('hal/node')) continue;
      walkFiles(p, out);
    } else if (p.endsWith('.ts') || p.endsWith('.js') || p.endsWith('.mjs')) out.push(p);
  }
  return out;
}

function visitAll(node, fn, parent) {
  if (!node || typeof node.type !== 'string') return;
  fn(node, parent);
  for (const k of Object.keys(node)) {
    if (k === 'loc' || k === 'start' || k === 'end' || k === 'leadingComments' || k === 'trailingComments') continue;
    const v = node[k];
    if (Array.isArray(v)) {
      for (const c of v) visitAll(c, fn, node);
    } else if (v && typeof v === 'object' && typeof v.type === 'string') visitAll(v, fn, node);
  }
}

/** Every own property name of the JavaScript built-ins, as Node has them. */
function builtinNames() {
  const names = new Set();
  const roots = [Object, Function, Array, String, Number, Boolean, Math, JSON, Date, RegExp, Error, TypeError, RangeError,
    ArrayBuffer, DataView, Promise, Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array,
    Float64Array, Uint8ClampedArray, globalThis];
  for (const r of roots) {
    for (let o = r; o; o = Object.getPrototypeOf(o)) for (const n of Object.getOwnPropertyNames(o)) names.add(n);
    if (r.prototype) for (let o = r.prototype; o; o = Object.getPrototypeOf(o)) for (const n of Object.getOwnPropertyNames(o)) names.add(n);
  }
  Object.getOwnPropertyNames(Object.getPrototypeOf(Object.getPrototypeOf(new Uint8Array(1)))).forEach((n) => names.add(n));
  return names;
}

const parseOpts = (file) => ({ sourceType: 'module', plugins: file.endsWith('.ts') ? ['typescript'] : [], errorRecovery: true });

/** The renaming: long class-member names to `$`-names of at most four characters. */
export function shortPropertyMap(root) {
  const members = new Set();
  const keep = new Set(CONSOLE_NAMES);
  const sources = walkFiles(join(root, 'firmware'), []).concat(walkFiles(join(root, 'hal'), []));
  for (const file of sources) {
    const rel = relative(root, file).split(sep).join('/');
    const edge = rel.startsWith('hal/espruino/') || rel.startsWith('firmware/device/');
    const ast = parse(readFileSync(file, 'utf8'), parseOpts(file));
    visitAll(ast.program, (n) => {
      if ((n.type === 'ClassProperty' || n.type === 'ClassMethod' || n.type === 'ClassAccessorProperty') && !n.computed &&
        n.key.type === 'Identifier' && n.kind !== 'constructor') members.add(n.key.name);
      else if (n.type === 'TSParameterProperty') members.add(n.parameter.type === 'Identifier' ? n.parameter.name : n.parameter.left.name);
      else if ((n.type === 'TSPropertySignature' || n.type === 'TSMethodSignature') && !n.computed) keep.add(n.key.type === 'Identifier' ? n.key.name : String(n.key.value));
      else if (n.type === 'StringLiteral') keep.add(n.value);
      else if (n.type === 'TemplateLiteral') n.quasis.forEach((q) => keep.add(q.value.cooked));
      else if (edge && (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && !n.computed && n.object.type !== 'ThisExpression') keep.add(n.property.name);
    });
  }
  // Benches and tests bundle entries of their own that hand JSON to the host: the names of their
  // interfaces and their string literals keep their spelling too.
  const others = [];
  for (const d of ['bench/entries', 'test/build/fixtures']) {
    try { walkFiles(join(root, d), others); } catch { /* not in this checkout */ }
  }
  for (const file of others) {
    if (!file.endsWith('.ts')) continue;
    const ast = parse(readFileSync(file, 'utf8'), parseOpts(file));
    visitAll(ast.program, (n) => {
      if ((n.type === 'TSPropertySignature' || n.type === 'TSMethodSignature') && !n.computed) keep.add(n.key.type === 'Identifier' ? n.key.name : String(n.key.value));
      else if (n.type === 'StringLiteral') keep.add(n.value);
    });
  }
  // The shims and @noble's code are not renamed: keep every name they use.
  const foreign = [join(root, 'build/device-shims.js')];
  for (const pkg of ['hashes', 'ciphers']) {
    const dir = join(root, 'node_modules/@noble', pkg, 'esm');
    try { walkFiles(dir, foreign); } catch { /* not installed: nothing of it in the bundle */ }
  }
  for (const file of foreign) {
    if (!/\.(js|mjs)$/.test(file)) continue;
    const ast = parse(readFileSync(file, 'utf8'), parseOpts(file));
    visitAll(ast.program, (n) => {
      if (n.type === 'Identifier') keep.add(n.name);
      else if (n.type === 'StringLiteral') keep.add(n.value);
    });
  }
  for (const n of builtinNames()) keep.add(n);
  const long = [...members].filter((n) => n.length >= 5 && !keep.has(n)).sort();
  const map = new Map();
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
  let i = 0;
  for (const n of long) {
    let short;
    do {
      short = i < chars.length ? '$' + chars[i] : '$' + chars[Math.floor(i / chars.length) - 1] + chars[i % chars.length];
      i++;
    } while (keep.has(short) || members.has(short));
    map.set(n, short);
  }
  return map;
}

/** The Babel plugin: renames every property position holding a mapped name. */
export default function shortProperties(root) {
  let map = null;
  return function ({ types: t }) {
    const to = (name) => {
      if (!map) map = shortPropertyMap(root);
      return map.get(name);
    };
    // Every file of a device build but the packages (excluded by the build) is renamed: test and
    // bench entries that drive firmware classes use the same names.
    const ours = (state) => !/[\\/]node_modules[\\/]/.test(state.filename || '');
    const renameKey = (path, state) => {
      if (!ours(state)) return;
      const n = path.node;
      if (n.computed || n.key.type !== 'Identifier') return;
      const s = to(n.key.name);
      if (!s) return;
      // `{ name }` is `{ name: name }`: the value (or the pattern's binding) keeps its own node.
      n.shorthand = false;
      n.key = t.identifier(s);
    };
    return {
      name: 'device-short-properties',
      visitor: {
        'MemberExpression|OptionalMemberExpression'(path, state) {
          if (!ours(state)) return;
          const n = path.node;
          if (n.computed || n.property.type !== 'Identifier') return;
          const s = to(n.property.name);
          if (s) n.property = t.identifier(s);
        },
        ObjectProperty: renameKey,
        ObjectMethod: renameKey,
        'ClassMethod|ClassProperty|ClassAccessorProperty'(path, state) {
          if (path.node.kind === 'constructor') return;
          renameKey(path, state);
        },
      },
    };
  };
}
