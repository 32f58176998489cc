// Unwraps the classes Babel's loose class transform wraps in a function (device build only):
//
//   var Foo = function (_Active) { function Foo(a) {…} _inheritsLoose(Foo, _Active);
//     var _proto = Foo.prototype; _proto.m = function m() {…}; return Foo; }(Active);
//
// becomes, at the chunk's top level,
//
//   function Foo(a) {…} _inheritsLoose(Foo, Active); Foo.prototype.m = function m() {…};
//
// Why: on the interpreter a function remembers the scope it was created in. A method created
// inside the wrapper keeps the wrapper's scope alive and costs about a variable more than one
// created at the top level — where the resident chunk's methods then have none at all, since
// the packer runs that chunk at the interpreter's global level (build/pack-device.mjs). Measured
// on the ESP32-sized interpreter: 100 methods cost 612 variables wrapped, 509 not
// (docs/ESPRUINO.md, "Modules loaded on demand").
//
// It runs on each rendered chunk (after tree-shaking: an unwrapped class no longer looks free of
// side effects) and before the minifier. A wrapper is unwrapped only when it has exactly the
// shape above — one function declaration named as the class, at most one parameter (the super
// class, an identifier or `a.b`), `var _proto = Foo.prototype` helpers, `return Foo` last, no
// `this` or `arguments` of its own, and no other names declared — anything else is left as it is.
import { transformSync } from '@babel/core';

function isSimpleRef(t, n) {
  return t.isIdentifier(n) || (t.isMemberExpression(n) && !n.computed && t.isIdentifier(n.object) && t.isIdentifier(n.property));
}

/** Uses of `this` or `arguments` in the wrapper itself (not inside the functions it creates). */
function usesOwnThis(fnPath) {
  let found = false;
  fnPath.get('body').traverse({
    Function(p) {
      p.skip();
    },
    ThisExpression() {
      found = true;
    },
    Identifier(p) {
      if (p.node.name === 'arguments' && p.isReferencedIdentifier()) found = true;
    },
  });
  return found;
}

function unwrapPlugin({ types: t }) {
  function tryUnwrap(stmt, stats) {
    const isExport = stmt.isExportNamedDeclaration();
    const decl = isExport ? stmt.get('declaration') : stmt;
    if (!decl || !decl.isVariableDeclaration() || decl.node.declarations.length !== 1) return;
    const d = decl.get('declarations.0');
    if (!t.isIdentifier(d.node.id)) return;
    const name = d.node.id.name;
    const call = d.get('init');
    if (!call.isCallExpression()) return;
    const fn = call.get('callee');
    if (!fn.isFunctionExpression() || fn.node.id || fn.node.async || fn.node.generator) return;
    const args = call.node.arguments;
    const params = fn.node.params;
    if (params.length !== args.length || params.length > 1) return;
    if (params.length && (!t.isIdentifier(params[0]) || !isSimpleRef(t, args[0]))) return;
    const body = fn.node.body.body;
    const last = body[body.length - 1];
    if (!last || !t.isReturnStatement(last) || !t.isIdentifier(last.argument, { name })) return;
    // What the wrapper declares: the class's function, `_proto` helpers, the parameter.
    const protoVars = new Set();
    let ctor = null;
    for (let i = 0; i < body.length - 1; i++) {
      const s = body[i];
      if (t.isFunctionDeclaration(s)) {
        if (s.id.name !== name || ctor) return;
        ctor = s;
      } else if (t.isVariableDeclaration(s)) {
        for (const v of s.declarations) {
          const protoOf = v.init && t.isMemberExpression(v.init) && !v.init.computed && t.isIdentifier(v.init.object, { name }) && t.isIdentifier(v.init.property, { name: 'prototype' });
          if (!t.isIdentifier(v.id) || !protoOf) return;
          protoVars.add(v.id.name);
        }
      } else if (!t.isExpressionStatement(s)) return;
    }
    if (!ctor) return;
    const own = Object.keys(fn.scope.bindings);
    for (const b of own) if (b !== name && !protoVars.has(b) && !(params.length && b === params[0].name)) return;
    if (usesOwnThis(fn)) return;
    // A helper variable reassigned, or the parameter: not the plain shape.
    for (const b of own) if (!fn.scope.bindings[b].constant && b !== name) return;
    // The super class's name must mean the same thing wherever the parameter was used.
    if (params.length) {
      const root = t.isIdentifier(args[0]) ? args[0].name : args[0].object.name;
      const outer = stmt.scope.getBinding(root);
      for (const ref of fn.scope.bindings[params[0].name].referencePaths) if (ref.scope.getBinding(root) !== outer) return;
      for (const ref of fn.scope.bindings[params[0].name].referencePaths) ref.replaceWith(t.cloneNode(args[0]));
    }
    for (const pv of protoVars) {
      for (const ref of fn.scope.bindings[pv].referencePaths) ref.replaceWith(t.memberExpression(t.identifier(name), t.identifier('prototype')));
    }
    const out = [];
    for (let i = 0; i < body.length - 1; i++) {
      const s = body[i];
      if (t.isVariableDeclaration(s)) continue; // the `_proto` helpers, now inlined
      out.push(s === ctor && isExport ? t.exportNamedDeclaration(s, []) : s);
    }
    stmt.replaceWithMultiple(out);
    stats.unwrapped++;
  }
  return {
    name: 'unwrap-classes',
    visitor: {
      Program(path, state) {
        const stats = state.opts.stats || { unwrapped: 0 };
        for (const stmt of path.get('body')) tryUnwrap(stmt, stats);
      },
    },
  };
}

/** The transform alone (tests): returns the code and how many classes were unwrapped. */
export function unwrapClasses(code, sourceType = 'script') {
  const stats = { unwrapped: 0 };
  const r = transformSync(code, { babelrc: false, configFile: false, sourceType, compact: false, comments: true, plugins: [[unwrapPlugin, { stats }]] });
  return { code: r.code, unwrapped: stats.unwrapped };
}

/** The rollup plugin: every rendered chunk of the device build. */
export default function unwrapClassesPlugin() {
  return {
    name: 'unwrap-classes',
    renderChunk(code) {
      return { code: unwrapClasses(code).code, map: null };
    },
  };
}
