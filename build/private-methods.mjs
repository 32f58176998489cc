// Babel plugin of the device build: TypeScript `private` methods become module functions that take
// the object as their first argument (`this.step(x)` -> `_Store_step(this, x)`).
//
// Why: the Espruino interpreter locks `this` twice for every active method frame and counts locks
// in four bits. An object that is `this` in seven nested frames (a public method calling private
// helpers calling helpers…) saturates at 15 locks; a saturated count is never decremented, so the
// object and all it references stay allocated for ever. A function argument costs a reference,
// not a lock, at any depth, so after this rewrite only public methods (and callbacks stored on the
// object and called as `this.cb()`) count towards the limit.
//
// Only rewritten when it cannot change behaviour: an ordinary (not static, get/set, async,
// generator, computed or overloaded) private method of a named class declaration, every use of
// which in the class body is a direct call `this.name(...)` with `this` being the instance, and
// whose body uses neither `arguments` nor `super`. Anything else is left as a method.

function isThisInstance(path, classPath) {
  // Where `this` at `path` points: the nearest non-arrow function (or class member) decides.
  let p = path.parentPath;
  while (p) {
    if (p.isArrowFunctionExpression()) { p = p.parentPath; continue; }
    if (p.isClassMethod() || p.isClassPrivateMethod()) {
      return p.parentPath.parentPath === classPath && !p.node.static && p.node.kind !== 'get' && p.node.kind !== 'set' ? true : false;
    }
    if (p.isClassProperty() || p.isClassPrivateProperty()) return p.parentPath.parentPath === classPath && !p.node.static;
    if (p.isFunction() || p.isClass() || p.isStaticBlock?.()) return false;
    p = p.parentPath;
  }
  return false;
}

export default function privateMethodsToFunctions({ types: t }) {
  return {
    name: 'device-private-methods',
    visitor: {
      ClassDeclaration(classPath) {
        const cls = classPath.node;
        if (!cls.id) return;
        const stmt = classPath.parentPath.isExportNamedDeclaration() || classPath.parentPath.isExportDefaultDeclaration()
          ? classPath.parentPath : classPath;
        if (!stmt.parentPath || !(stmt.parentPath.isProgram() || stmt.parentPath.isBlockStatement())) return;

        // Candidates: plain private instance methods, declared once.
        const members = classPath.get('body.body');
        const count = new Map();
        for (const m of members) {
          if ((m.isClassMethod() || m.isTSDeclareMethod()) && !m.node.computed && t.isIdentifier(m.node.key)) {
            count.set(m.node.key.name, (count.get(m.node.key.name) || 0) + 1);
          }
        }
        const cand = new Map();
        for (const m of members) {
          const n = m.node;
          if (!m.isClassMethod() || n.accessibility !== 'private' || n.kind !== 'method' || n.static || n.computed ||
              n.async || n.generator || !t.isIdentifier(n.key) || count.get(n.key.name) !== 1 ||
              n.params.some((q) => t.isIdentifier(q) && q.name === 'this')) continue;
          let bad = false;
          m.traverse({
            Identifier(p) { if (p.node.name === 'arguments' && p.isReferencedIdentifier()) bad = true; },
            Super() { bad = true; },
          });
          if (!bad) cand.set(n.key.name, m);
        }
        if (cand.size === 0) return;

        // Every use must be a direct call on the instance.
        const calls = [];
        classPath.get('body').traverse({
          MemberExpression(p) {
            const prop = p.node.property;
            const name = !p.node.computed && t.isIdentifier(prop) ? prop.name : t.isStringLiteral(prop) ? prop.value : null;
            if (name === null || !cand.has(name)) return;
            const direct = t.isThisExpression(p.node.object) && !p.node.computed &&
              p.parentPath.isCallExpression() && p.parentPath.node.callee === p.node &&
              isThisInstance(p.get('object'), classPath);
            if (direct) calls.push([name, p.parentPath]);
            else cand.delete(name);
          },
          OptionalMemberExpression(p) {
            const prop = p.node.property;
            if (t.isIdentifier(prop) && cand.has(prop.name)) cand.delete(prop.name);
          },
        });
        if (cand.size === 0) return;

        const fnName = new Map();
        for (const name of cand.keys()) fnName.set(name, stmt.scope.generateUidIdentifier(cls.id.name + '_' + name));

        // Call sites first (they may sit inside the bodies about to move).
        for (const [name, call] of calls) {
          if (!cand.has(name)) continue;
          call.replaceWith(t.callExpression(t.cloneNode(fnName.get(name)), [t.thisExpression(), ...call.node.arguments]));
        }

        // Then the bodies: `this` of the method becomes the first parameter.
        const fns = [];
        for (const [name, m] of cand) {
          const self = m.scope.generateUidIdentifier('self');
          m.traverse({
            ThisExpression(p) {
              let q = p.parentPath;
              while (q && q !== m) {
                if ((q.isFunction() && !q.isArrowFunctionExpression()) || q.isClass()) return;
                q = q.parentPath;
              }
              p.replaceWith(t.cloneNode(self));
            },
          });
          const n = m.node;
          const fn = t.functionDeclaration(t.cloneNode(fnName.get(name)), [self, ...n.params], n.body);
          fn.returnType = n.returnType;
          fn.typeParameters = n.typeParameters;
          fn.leadingComments = n.leadingComments;
          fns.push(fn);
          m.remove();
        }
        // Before the class: the interpreter does not hoist function declarations.
        stmt.insertBefore(fns);
      },
    },
  };
}
