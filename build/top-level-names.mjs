// Renames the top-level bindings of an ES5 script (and chosen free names) — the device bundle's
// resident code runs at the interpreter's global level (build/pack-device.mjs), where its names
// share the global object with the interpreter's own (E, D0…) and with whatever a person types
// at the board's console. The minifier's one- and two-letter names are renamed to ones nothing
// else uses: `t` becomes `t$$`.
//
// ES5 scoping only (the device build lowers everything to it): `var` and function declarations
// belong to the nearest function (or the program), parameters and a function expression's own
// name to that function, a catch parameter to its clause.
import * as acorn from 'acorn';

function children(node, visit) {
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c.type === 'string') visit(c, node, key);
    } else if (v && typeof v.type === 'string') visit(v, node, key);
  }
}

const isFunction = (n) => n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression';

/** Names a function (or the program) declares: vars and function declarations, not in nested functions. */
function hoisted(body, into) {
  (function walk(n) {
    if (n.type === 'VariableDeclarator') into.add(n.id.name);
    if (n.type === 'FunctionDeclaration') {
      into.add(n.id.name);
      return;
    }
    if (n.type === 'FunctionExpression') return;
    children(n, walk);
  })(body);
  return into;
}

/**
 * `code` with every reference to a top-level binding renamed by `rename(name)`, and every free
 * reference to a name of `free` renamed to free[name]. Throws if a new name would be captured by
 * a nested declaration of the same name.
 */
export function renameTopLevel(code, rename, free = {}) {
  const ast = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  const program = hoisted(ast, new Set());
  const renamed = new Map();
  for (const name of program) renamed.set(name, rename(name));
  const targets = new Set([...renamed.values(), ...Object.values(free)]);
  const edits = [];
  const stack = [program];
  const declaredHere = (scope) => {
    for (const t of targets) if (scope.has(t)) throw new Error(`top-level names: '${t}' is declared in a nested scope too`);
  };
  const resolve = (id) => {
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i].has(id.name)) {
        if (i === 0) edits.push([id.start, id.end, renamed.get(id.name)]);
        return;
      }
    }
    if (Object.prototype.hasOwnProperty.call(free, id.name)) edits.push([id.start, id.end, free[id.name]]);
  };
  (function walk(n, parent, key) {
    if (n.type === 'Identifier') {
      if (parent && parent.type === 'MemberExpression' && key === 'property' && !parent.computed) return;
      if (parent && parent.type === 'Property' && key === 'key') return;
      if (parent && (parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' || parent.type === 'ContinueStatement') && key === 'label') return;
      resolve(n);
      return;
    }
    if (isFunction(n)) {
      // A declaration's name belongs to the scope around it; an expression's to its own.
      if (n.type === 'FunctionDeclaration') resolve(n.id);
      const scope = hoisted(n.body, new Set(n.params.map((p) => p.name)));
      if (n.type === 'FunctionExpression' && n.id) scope.add(n.id.name);
      scope.add('arguments');
      declaredHere(scope);
      stack.push(scope);
      for (const p of n.params) resolve(p);
      if (n.type === 'FunctionExpression' && n.id) resolve(n.id);
      walk(n.body, n, 'body');
      stack.pop();
      return;
    }
    if (n.type === 'CatchClause') {
      const scope = new Set([n.param.name]);
      declaredHere(scope);
      stack.push(scope);
      resolve(n.param);
      walk(n.body, n, 'body');
      stack.pop();
      return;
    }
    children(n, walk);
  })(ast, null, null);
  edits.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [s, e, name] of edits) {
    out += code.slice(at, s) + name;
    at = e;
  }
  return out + code.slice(at);
}
