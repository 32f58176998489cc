// Rollup output plugin for the device's Storage modules (rollup.config.mjs): turns the IIFE
// `var NAME=function(…){…}(…);` into the bare expression `(function(…){…}(…))`, so that
// evaluating the module's text gives its exports and defines no global (the bundle evaluates
// it, uses it and drops it: firmware/device/main.ts).
export default function storageModule(name) {
  const head = 'var ' + name + '=';
  return {
    name: 'storage-module',
    renderChunk(code) {
      if (!code.startsWith(head)) throw new Error(`storage module: expected the output to start with '${head}'`);
      let body = code.slice(head.length).trimEnd();
      if (body.endsWith(';')) body = body.slice(0, -1);
      return { code: '(' + body + ')', map: null };
    },
  };
}
