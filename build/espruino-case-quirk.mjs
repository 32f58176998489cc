// Output pass of the device build, after terser: the Espruino interpreter (2v29) evaluates a
// string literal that begins the body of a matching `case` as an empty string, so terser's
// `case"KEY":"MENU"===e.key||…` never matches (found by running the appliance on the
// interpreter, test/build/device-boot.test.ts). An empty statement first (`case"KEY":;"MENU"…`)
// avoids it. Likewise a `for(` whose initialiser starts with `function` (terser puts a
// single-use function's call there: `for(function(t){…}(e);…)`) stops the interpreter's parser
// with `SyntaxError: Got '(' expected ID` (it reads a function declaration): `for(0,function…`
// is the same expression. scripts/check-device-bundle.mjs rejects a bundle where either is left.
import * as acorn from 'acorn';

/** Positions of case bodies whose first statement starts with a string literal. */
export function stringLedCaseBodies(code) {
  const ast = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  const found = [];
  (function walk(node) {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'SwitchCase' && node.consequent.length > 0) {
      const first = node.consequent[0];
      const c = code.charAt(first.start);
      if (c === '"' || c === "'") found.push(first.start);
    }
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v.type === 'string') walk(v);
    }
  })(ast);
  return found;
}

/** Positions of `for` initialisers (expressions) that start with the word `function`. */
export function functionLedForInits(code) {
  const ast = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  const found = [];
  (function walk(node) {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'ForStatement' && node.init && node.init.type !== 'VariableDeclaration' && code.startsWith('function', node.init.start)) found.push(node.init.start);
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v.type === 'string') walk(v);
    }
  })(ast);
  return found;
}

export default function espruinoCaseQuirk() {
  return {
    name: 'espruino-case-quirk',
    renderChunk(code) {
      const edits = stringLedCaseBodies(code).map((p) => [p, ';']).concat(functionLedForInits(code).map((p) => [p, '0,']));
      if (edits.length === 0) return null;
      edits.sort((a, b) => b[0] - a[0]);
      let out = code;
      for (const [p, text] of edits) out = out.slice(0, p) + text + out.slice(p);
      return { code: out, map: null };
    },
  };
}
