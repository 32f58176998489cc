// Rollup output plugin of the device build (rollup.config.mjs): packs the chunks of a
// multi-entry CommonJS build into the one file the board keeps in Storage (faxvault.js).
//
// Why: on the Espruino interpreter every function object costs about seven variables for as long
// as it exists, and a function exists from the moment the code around it runs. Code used rarely
// (the mail stack, the self-test) is therefore built as entries of its own — "modules" — whose
// code sits in flash inside a factory that runs only when the firmware asks for the module
// (firmware/app/modules-device.ts) and whose functions are freed when it lets go of them
// (docs/ESPRUINO.md, "Modules loaded on demand").
//
// The packed file, at the interpreter's global level:
//   <shims>
//   var __fvd={"mail":function(exports){…},"c1":function(exports){…},…};   the factories
//   <the loader: __fvr, __fvLoad, __fvRelease>
//   var __fvx=__fvc.c0={}; <the resident chunk's code, its top-level names renamed t -> t$>
//   var faxvault=__fvr("faxvault");
// The resident chunk (everything the main entry reaches: rollup.config.mjs puts it in one) is
// not a factory, and not inside any function: measured on the interpreter, a function defined
// one level deeper costs more variables (the whole bundle inside one function took 1,900 more
// than at the global level, inside two 2,000 more again: docs/ESPRUINO.md). At the global level
// its names share the global object with the interpreter's and the console's, hence the rename
// (build/top-level-names.mjs: the minifier's `t`, `Le` become `t$`, `Le$`). A chunk's
// `require('./x.js')` becomes `__fvr("key")`: evaluated once, kept while it is resident or while
// a module that needs it is held. Each module's chunks (its own and those it imports, directly or
// not) are listed in `__fvq`; releasing a module drops every non-resident chunk no held module
// needs, so a module let go is dropped even while another stays loaded (the LAN service loaded
// for minutes no longer keeps a released print path in memory).
const LOADER =
  'var __fvc={},__fvk={},__fvH={};' +
  'function __fvr(n){var e=__fvc[n];if(!e){e=__fvc[n]={};__fvd[n](e)}return e}' +
  'function __fvLoad(n){__fvH[n]=(__fvH[n]||0)+1;return __fvr(n)}' +
  'function __fvRelease(n){if(__fvH[n]>0)__fvH[n]--;var w={},m,i,q,d=[],k;' +
  'for(m in __fvH)if(__fvH[m]>0){w[m]=1;q=(__fvq[m]||"").split(" ");for(i=0;i<q.length;i++)w[q[i]]=1}' +
  'for(k in __fvc)if(!__fvk[k]&&!w[k])d.push(k);for(k=0;k<d.length;k++)delete __fvc[d[k]]}';

import { renameTopLevel } from './top-level-names.mjs';

export default function packDevice({ file, main, intro }) {
  return {
    name: 'pack-device',
    generateBundle(options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const keys = new Map();
      let n = 0;
      for (const c of chunks) keys.set(c.fileName, c.isEntry ? c.name : 'c' + n++);
      const entry = chunks.find((c) => c.isEntry && c.name === main);
      if (!entry) throw new Error(`pack-device: no entry named ${main}`);
      // The resident chunk: the largest the main entry imports (its facade re-exports it), or
      // the entry itself when it imports none.
      const imported = chunks.filter((c) => entry.imports.includes(c.fileName)).sort((a, b) => b.code.length - a.code.length);
      const resident = imported.length ? imported[0] : entry;
      const rewrite = (c) => {
        const code = c.code.replace(/require\((['"])\.\/([^'"]+)\1\)/g, (m, q, f) => {
          const k = keys.get(f);
          if (!k) throw new Error(`pack-device: ${c.fileName} requires ${f}, which is not a chunk of this build`);
          return '__fvr("' + k + '")';
        });
        if (/\brequire\((['"])\./.test(code)) throw new Error(`pack-device: a relative require is left in ${c.fileName}`);
        return code.trim();
      };
      // What each chunk needs, transitively (chunk keys): the loader keeps these while it is held.
      const byFile = new Map(chunks.map((c) => [c.fileName, c]));
      const needs = {};
      for (const c of chunks) {
        if (c === resident) continue;
        const seen = new Set();
        const todo = [...c.imports];
        while (todo.length) {
          const f = todo.pop();
          const d = byFile.get(f);
          if (!d || d === resident || seen.has(f)) continue;
          seen.add(f);
          todo.push(...d.imports);
        }
        // Only a module's list is read (the loader walks the held modules); as one string of
        // keys, split when a module is released: on the board an array costs a variable per
        // element, a short string one or two.
        if (seen.size && c.isEntry) needs[keys.get(c.fileName)] = [...seen].map((f) => keys.get(f)).sort().join(' ');
      }
      const parts = [];
      for (const c of chunks) {
        if (c !== resident) parts.push(JSON.stringify(keys.get(c.fileName)) + ':function(exports){' + rewrite(c) + '\n}');
        delete bundle[c.fileName];
      }
      const rk = JSON.stringify(keys.get(resident.fileName));
      const code = renameTopLevel(rewrite(resident), (name) => name + '$', { exports: '__fvx' });
      // Function declarations are written before their use: the interpreter does not hoist.
      // The shims without their comment lines (they would sit in flash for nothing).
      const shims = intro.split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n').trim();
      const text = shims + '\nvar __fvd={' + parts.join(',\n') + '};\nvar __fvq=' + JSON.stringify(needs) + ';\n' + LOADER +
        'var __fvx=__fvc[' + rk + ']={};\n' + code + '\n' +
        'var ' + main + '=__fvr("' + main + '"),__fvi;for(__fvi in __fvc)__fvk[__fvi]=1;\n';
      this.emitFile({ type: 'asset', fileName: file, source: text });
    },
  };
}
