// The firmware's layering (docs/LAYERING.md), read from the import statements of every firmware/
// file: each concern (a folder of firmware/) has a level, and a file may import only from its own
// concern or from one of a lower level, or from a concern of the same level as long as no circle
// forms — neither between files nor between concerns. Outside firmware/ only the hardware
// interfaces (hal/*.ts) may be imported; a board's drivers (hal/espruino/) only by the device entry.
//
//   kernel, clock, selftest  <  store  <  config  <  fax, auth, mailbox, print, scan, crypto
//     <  delivery, lan, mail, faxmail, jobs  <  panel, admin  <  app  <  device
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const LEVELS: { [concern: string]: number } = {
  kernel: 0,
  clock: 0,
  selftest: 0,
  store: 1,
  config: 2,
  fax: 3,
  auth: 3,
  mailbox: 3,
  print: 3,
  scan: 3,
  crypto: 3,
  delivery: 4,
  lan: 4,
  mail: 4,
  faxmail: 4,
  jobs: 4,
  panel: 5,
  admin: 5,
  app: 6,
  device: 7,
};

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/**
 * Module specifiers of every import/export…from and bare import in a TypeScript file
 * (`types: false`: only those that remain at run time, not `import type`/`export type`).
 */
export function importsOf(text: string, types = true): string[] {
  // Comments first (a commented-out import is no import); strings are left alone.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
  const out: string[] = [];
  const re = /(?:^|[;\n])\s*(?:import|export)\s+(type\s+)?(?:[\w*${},\s]+?\s+from\s+)?['"]([^'"]+)['"]/g;
  for (let m = re.exec(code); m; m = re.exec(code)) if (types || !m[1]) out.push(m[2]);
  const dyn = /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = dyn.exec(code); m; m = dyn.exec(code)) out.push(m[1]);
  return out;
}

interface Edge {
  from: string;
  to: string;
}

/** The import graph of firmware/ (`types: false`: the imports that remain at run time). */
function graph(types = true): { files: string[]; edges: Edge[] } {
  const files = walk(join(ROOT, 'firmware'), []).map((f) => relative(ROOT, f).split(sep).join('/'));
  const edges: Edge[] = [];
  for (const f of files) {
    for (const spec of importsOf(readFileSync(join(ROOT, f), 'utf8'), types)) {
      const to = spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(f), spec)).split(sep).join('/') : spec;
      edges.push({ from: f, to: to });
    }
  }
  return { files, edges };
}

/** The concern of a firmware file: its first folder under firmware/. */
function concern(file: string): string {
  return file.split('/')[1];
}

/** A circle in a directed graph, as the list of its nodes, or null. */
export function findCycle(nodes: string[], next: (n: string) => string[]): string[] | null {
  const state = new Map<string, number>(); // 1 on the path, 2 done
  const path: string[] = [];
  function visit(n: string): string[] | null {
    state.set(n, 1);
    path.push(n);
    for (const m of next(n)) {
      if (state.get(m) === 1) return path.slice(path.indexOf(m)).concat(m);
      if (!state.get(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    path.pop();
    state.set(n, 2);
    return null;
  }
  for (const n of nodes) {
    if (!state.get(n)) {
      const c = visit(n);
      if (c) return c;
    }
  }
  return null;
}

test('the import parser finds every kind of import, and none in comments', () => {
  const src = [
    "import { a } from './a.ts';",
    "import type { B } from '../b/b.ts';",
    "export { c } from './c.ts';",
    "export type { D } from './d.ts';",
    "export * from './e.ts';",
    "import * as f from './f.ts';",
    "import './g.ts';",
    'import {',
    '  h,',
    '  i,',
    "} from './hi.ts';",
    "// import { x } from './commented.ts';",
    "/* import { y } from './block.ts'; */",
    "const s = 'import { z } from \"./not-an-import.ts\"';",
  ].join('\n');
  assert.equal(importsOf(src), ['./a.ts', '../b/b.ts', './c.ts', './d.ts', './e.ts', './f.ts', './g.ts', './hi.ts']);
  assert.equal(importsOf(src, false), ['./a.ts', './c.ts', './e.ts', './f.ts', './g.ts', './hi.ts']);
});

test('the cycle finder finds a circle and only a circle', () => {
  const g: { [n: string]: string[] } = { a: ['b'], b: ['c'], c: ['a'], d: ['a'] };
  assert.equal(findCycle(Object.keys(g), (n) => g[n] || []), ['a', 'b', 'c', 'a']);
  const h: { [n: string]: string[] } = { a: ['b', 'c'], b: ['c'], c: [] };
  assert.is(findCycle(Object.keys(h), (n) => h[n] || []), null);
});

test('every firmware folder has a level', () => {
  const folders = readdirSync(join(ROOT, 'firmware')).filter((n) => statSync(join(ROOT, 'firmware', n)).isDirectory());
  const missing = folders.filter((f) => !(f in LEVELS));
  assert.equal(missing, [], 'folders without a level (add them to LEVELS): ' + missing.join(', '));
});

test('no firmware file imports from a higher level, and outside firmware/ only the hardware interfaces', () => {
  const { edges } = graph();
  const bad: string[] = [];
  for (const e of edges) {
    const from = concern(e.from);
    if (e.to.startsWith('firmware/')) {
      const to = concern(e.to);
      if (to !== from && LEVELS[to] > LEVELS[from]) bad.push(`${e.from} -> ${e.to} (${from} ${LEVELS[from]} < ${to} ${LEVELS[to]})`);
    } else if (e.to.startsWith('hal/espruino/')) {
      if (from !== 'device') bad.push(`${e.from} -> ${e.to} (a board's drivers: only the device entry)`);
    } else if (!/^hal\/[^/]+\.ts$/.test(e.to)) {
      bad.push(`${e.from} -> ${e.to} (outside firmware/: only hal/*.ts)`);
    }
  }
  assert.equal(bad, [], 'imports against the layering:\n  ' + bad.join('\n  '));
});

// Between files, the imports that remain at run time (a circle of those decides what is
// initialised first); between concerns, every import, types too (a circle is a circle of
// knowledge either way).
test('no circle of imports between files', () => {
  const { files, edges } = graph(false);
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, (next.get(e.from) || []).concat(e.to));
  const c = findCycle(files, (n) => next.get(n) || []);
  assert.is(c, null, 'circle: ' + (c || []).join(' -> '));
});

test('no circle of imports between concerns', () => {
  const { edges } = graph();
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!e.to.startsWith('firmware/')) continue;
    const a = concern(e.from);
    const b = concern(e.to);
    if (a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)!.add(b);
  }
  const c = findCycle(Object.keys(LEVELS), (n) => [...(next.get(n) || [])]);
  assert.is(c, null, 'circle: ' + (c || []).join(' -> '));
});

test.run();
