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
// The packed file, one expression statement:
//   var faxvault=function(){<shims>
//     var __fvd={"faxvault":function(exports){…},"c1":function(exports){…},"mail":function(exports){…}};
//     <the loader: __fvr, __fvLoad, __fvRelease>
//     var m=__fvr("faxvault"); <mark what is loaded now as resident>; return m}();
// A chunk's `require('./x.js')` becomes `__fvr("key")`: evaluated once, kept while it is resident
// or while a module is held. Chunks the main entry loads at boot are resident; the others (a
// module and the chunks only modules share) are dropped when the last module is released.
const LOADER =
  'var __fvc={},__fvk={},__fvh=0;' +
  'function __fvr(n){var e=__fvc[n];if(!e){e=__fvc[n]={};__fvd[n](e)}return e}' +
  'function __fvLoad(n){__fvh++;return __fvr(n)}' +
  'function __fvRelease(n){if(__fvh>0)__fvh--;if(__fvh>0)return;var d=[],k;for(k in __fvc)if(!__fvk[k])d.push(k);for(k=0;k<d.length;k++)delete __fvc[d[k]]}';

export default function packDevice({ file, main, intro }) {
  return {
    name: 'pack-device',
    generateBundle(options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const keys = new Map();
      let n = 0;
      for (const c of chunks) keys.set(c.fileName, c.isEntry ? c.name : 'c' + n++);
      if (![...keys.values()].includes(main)) throw new Error(`pack-device: no entry named ${main}`);
      const parts = [];
      for (const c of chunks) {
        const code = c.code.replace(/require\((['"])\.\/([^'"]+)\1\)/g, (m, q, f) => {
          const k = keys.get(f);
          if (!k) throw new Error(`pack-device: ${c.fileName} requires ${f}, which is not a chunk of this build`);
          return '__fvr("' + k + '")';
        });
        if (/\brequire\((['"])\./.test(code)) throw new Error(`pack-device: a relative require is left in ${c.fileName}`);
        parts.push(JSON.stringify(keys.get(c.fileName)) + ':function(exports){' + code.trim() + '\n}');
        delete bundle[c.fileName];
      }
      // Function declarations are written before their use: the interpreter does not hoist.
      const text = 'var ' + main + '=function(){' + intro.trim() + '\nvar __fvd={' + parts.join(',\n') + '};\n' + LOADER +
        'var m=__fvr("' + main + '"),k;for(k in __fvc)__fvk[k]=1;return m}();\n';
      this.emitFile({ type: 'asset', fileName: file, source: text });
    },
  };
}
