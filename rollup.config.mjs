// Two builds:
//  (a) dist/faxvault.mjs — the host program (CLI, simulator) for Node 20, types stripped.
//  (b) dist/faxvault.device.js — the device bundle for the Espruino interpreter: lowered to ES5
//      (DEVICE.md: no destructuring, spread, default parameters, classes-as-syntax, Map/Set/Symbol,
//      BigInt…), an IIFE exposing `faxvault`, the shims of build/device-shims.js, then terser with
//      var/function hoisting (the interpreter does not hoist) and no inlining (inlined code came
//      out declaring `var` after use). scripts/check-device-bundle.mjs checks the output.
import { readFileSync } from 'node:fs';
import { babel } from '@rollup/plugin-babel';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import privateMethods from './build/private-methods.mjs';
import espruinoCaseQuirk from './build/espruino-case-quirk.mjs';
import packDevice from './build/pack-device.mjs';
import lazyModules from './build/lazy-modules.mjs';
import shortProperties from './build/short-properties.mjs';
import unwrapClasses from './build/unwrap-classes.mjs';

const extensions = ['.ts', '.js', '.mjs'];

// Types are stripped in a pass of their own: run together with preset-env, the class transform
// sees TypeScript parameter properties before they are stripped.
// The device build also turns private methods into functions taking the object (see
// build/private-methods.mjs: the interpreter pins an object that is `this` in too many frames).
const stripTypes = (device = false) => babel({
  babelHelpers: 'bundled',
  extensions: ['.ts'],
  exclude: /node_modules/,
  babelrc: false,
  configFile: false,
  plugins: device ? [privateMethods] : [],
  presets: [['@babel/preset-typescript', { allowDeclareFields: true }]],
});

const deviceBabel = babel({
  babelHelpers: 'bundled',
  extensions,
  // noble ships ES2020 modules: lower them too.
  exclude: /node_modules\/(?!@noble)/,
  babelrc: false,
  configFile: false,
  presets: [
    ['@babel/preset-env', {
      targets: { ie: '11' },
      forceAllTransforms: true,
      loose: true,
      modules: false,
      bugfixes: false,
      // typeof-symbol and regenerator would pull in Symbol and generators the device lacks.
      exclude: ['transform-typeof-symbol', 'transform-regenerator', 'transform-async-to-generator'],
    }],
  ],
  assumptions: {
    iterableIsArray: true,
    arrayLikeIsIterable: false,
    setPublicClassFields: true,
    setClassMethods: true,
    constantSuper: true,
    noClassCalls: true,
    superIsCallableConstructor: true,
    privateFieldsAsProperties: true,
    objectRestNoSymbols: true,
    setSpreadProperties: true,
    pureGetters: true,
    ignoreToPrimitiveHint: true,
    noDocumentAll: true,
    setComputedProperties: true,
    mutableTemplateObject: true,
    skipForOfIteratorClosing: true,
  },
});


// Words the interpreter's lexer reserves beyond ES5's: a variable terser names `of` (it came to
// that once the bundle had some 1,500 top-level names) is a syntax error on the board.
const ESPRUINO_RESERVED = ['of', 'let', 'const', 'class', 'extends', 'super', 'static', 'undefined'];

// Long property names of the firmware's classes made short (build/short-properties.mjs): on the
// interpreter a name of five or more characters costs a variable more on every object holding it.
const shortProps = babel({
  babelHelpers: 'bundled',
  extensions,
  exclude: /node_modules/,
  babelrc: false,
  configFile: false,
  plugins: [shortProperties(new URL('.', import.meta.url).pathname.replace(/\/$/, ''))],
});

/** The device lowering: types stripped, long property names made short, ES5 by babel, classes unwrapped, terser without inlining, the case quirk. */
function devicePlugins(reserved) {
  return [
    nodeResolve({ extensions }),
    stripTypes(true),
    shortProps,
    deviceBabel,
    // Class methods created at the top level, not inside a wrapper function (a variable each).
    unwrapClasses(),
    terser({
      ecma: 5,
      // (For CommonJS chunks the plugin compresses and mangles their top level too.)
      compress: { inline: false, hoist_funs: true, hoist_vars: true, passes: 2, unsafe: false },
      mangle: { toplevel: true, reserved: reserved.concat(ESPRUINO_RESERVED) },
      // ASCII only: strings on the board are 8-bit, and the upload writes bytes.
      format: { comments: false, ascii_only: true },
    }),
    // After terser: an empty statement before a string that begins a case body.
    espruinoCaseQuirk(),
  ];
}

/** manualChunks: every module the `entry` reaches by static imports goes into chunk `name`. */
function residentChunk(entry, name) {
  let resident = null;
  return function (id, api) {
    if (!resident) {
      const root = [...api.getModuleIds()].find((m) => m.endsWith('/' + entry));
      resident = new Set();
      const todo = [root];
      while (todo.length) {
        const m = todo.pop();
        if (!m || resident.has(m)) continue;
        resident.add(m);
        const info = api.getModuleInfo(m);
        if (info) todo.push(...info.importedIds);
      }
    }
    return resident.has(id) ? name : undefined;
  };
}

// Modules loaded on demand (firmware/app/module-types.ts): entries of their own, packed with the
// main entry into the one bundle file, their code run only when the firmware holds them
// (build/pack-device.mjs, docs/ESPRUINO.md "Modules loaded on demand").
export const DEVICE_MODULES = {
  selftest: 'firmware/app/selftest-module.ts',
  mail: 'firmware/app/mail-module.ts',
  mailcheck: 'firmware/app/mailcheck-module.ts',
  faxmail: 'firmware/app/faxmail-module.ts',
  lan: 'firmware/app/lan-module.ts',
  lanjobs: 'firmware/app/lan-jobs-module.ts',
  tiff: 'firmware/app/tiff-module.ts',
  panel: 'firmware/app/panel-module.ts',
  print: 'firmware/app/print-module.ts',
  send: 'firmware/app/send-module.ts',
};

/**
 * A single-file device build of some other entry (tests and benches build small bundles of one
 * part, lowered exactly as the device bundle is): `rollup({ ...SCRATCH_DEVICE, input })`, then
 * `write({ ...SCRATCH_DEVICE.output, file })`. Its modules registry, if reached, is the host's.
 */
export const SCRATCH_DEVICE = {
  output: {
    format: 'iife',
    name: 'faxvault',
    intro: readFileSync(new URL('./build/device-shims.js', import.meta.url), 'utf8'),
    generatedCode: 'es5',
    strict: false,
  },
  treeshake: { moduleSideEffects: false },
  plugins: devicePlugins(['faxvault']),
};

export default [
  {
    input: Object.assign({ faxvault: 'firmware/device/main.ts' }, DEVICE_MODULES),
    output: {
      dir: 'dist',
      format: 'cjs',
      exports: 'named',
      esModule: false,
      freeze: false,
      externalLiveBindings: false,
      generatedCode: 'es5',
      strict: false,
      entryFileNames: 'device-[name].js',
      chunkFileNames: 'device-[name]-[hash].js',
      // Exports between chunks are properties of an object on the board: short names.
      minifyInternalExports: true,
      // Everything the main entry reaches stays in its chunk (no property lookups between the
      // resident parts); a module's chunk holds only what no resident code uses.
      manualChunks: residentChunk('firmware/device/main.ts', 'faxvault'),
    },
    treeshake: { moduleSideEffects: false },
    plugins: [lazyModules()].concat(devicePlugins(['faxvault', 'exports', '__fvr', '__fvx', '__fvLoad', '__fvRelease']), [
      packDevice({ file: 'faxvault.device.js', main: 'faxvault', intro: readFileSync(new URL('./build/device-shims.js', import.meta.url), 'utf8') }),
    ]),
  },
  {
    input: 'cli/main.ts',
    output: { file: 'dist/faxvault.mjs', format: 'es', inlineDynamicImports: true },
    external: (id) => id.startsWith('node:') || /^[@a-z]/.test(id) && !id.startsWith('@noble'),
    plugins: [nodeResolve({ extensions, preferBuiltins: true }), stripTypes()],
  },
];
