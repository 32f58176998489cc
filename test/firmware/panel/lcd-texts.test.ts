// Every text the panel can show fits the 2×20 LCD without cutting a word (#15: "Deleted 1
// document(s", "1 Conf. reception l"). Two checks: (1) statically, every show()/message() call
// in firmware/panel (and every menu label the appliance adds) — string literals count in full
// and each variable part counts at least one character, so a text that cannot fit even with
// one-digit numbers is found without running it; (2) by running the appliance through its
// menus and dialogs and recording every line the panel asked the LCD to show, before fit().
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import * as acorn from 'acorn';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootAppliance, keys, lcd } from '../../rig/appliance.ts';
import { Panel } from '../../../firmware/panel/panel.ts';
import { REPORT_NAMES } from '../../../firmware/panel/reports-menu.ts';
import { LCD_COLS } from '../../../hal/lcd.ts';


// TypeScript's types are stripped with esbuild (tsx's own transformer), then acorn parses the
// JavaScript; string literals and their concatenations come through unchanged.
const requireFromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
const esbuild: typeof import('esbuild') = requireFromTsx('esbuild');

type Node = { type: string; [k: string]: any };

/** The fewest characters an expression can produce (literals in full, anything else ≥ 1). */
function minLength(e: Node): number {
  if (e.type === 'Literal' && typeof e.value === 'string') return e.value.length;
  if (e.type === 'TemplateLiteral') return e.quasis.reduce((n: number, q: Node) => n + q.value.cooked.length, 0) + e.expressions.length;
  if (e.type === 'BinaryExpression' && e.operator === '+') return minLength(e.left) + minLength(e.right);
  if (e.type === 'ConditionalExpression') return Math.max(minLength(e.consequent), minLength(e.alternate));
  return 1;
}

function callsIn(file: string, names: string[]): { where: string; args: Node[]; text: (n: Node) => string }[] {
  const js = esbuild.transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm' }).code;
  const ast = acorn.parse(js, { ecmaVersion: 2022, sourceType: 'module', locations: true }) as unknown as Node;
  const out: { where: string; args: Node[]; text: (n: Node) => string }[] = [];
  const visit = (n: Node) => {
    if (!n || typeof n.type !== 'string') return;
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && names.includes(n.callee.property.name)) {
      out.push({ where: `${file} (${js.split('\n')[n.loc.start.line - 1].trim()})`, args: n.arguments, text: (x) => js.slice(x.start, x.end) });
    }
    for (const k of Object.keys(n)) {
      const v = n[k];
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object' && typeof v.type === 'string') visit(v);
    }
  };
  visit(ast);
  return out;
}

test('statically: every show()/message() text and menu label can fit 20 columns', () => {
  const dir = 'firmware/panel';
  const problems: string[] = [];
  let checked = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    for (const c of callsIn(join(dir, f), ['show', 'message'])) {
      for (const a of c.args.slice(0, 2)) {
        checked++;
        const n = minLength(a);
        if (n > LCD_COLS) problems.push(`${c.where}: ${c.text(a)} is at least ${n} characters`);
      }
    }
  }
  // Menu entries show as '>N label' (N up to 9).
  for (const c of callsIn('firmware/app/appliance.ts', ['addItem'])) {
    const n = 3 + minLength(c.args[0]);
    checked++;
    if (n > LCD_COLS) problems.push(`${c.where}: menu '>N ' + ${c.text(c.args[0])} is ${n} characters`);
  }
  for (const name of REPORT_NAMES) {
    checked++;
    if (3 + name.length > LCD_COLS) problems.push(`reports menu: '>N ${name}' is ${3 + name.length} characters`);
  }
  assert.ok(checked > 50, `found the panel's texts (${checked})`);
  assert.equal(problems, []);
});

test('running: every line the panel shows across its menus and dialogs fits 20 columns', () => {
  const shown = new Set<string>();
  const show = Panel.prototype.show;
  Panel.prototype.show = function (a: string, b: string) {
    shown.add(a);
    shown.add(b);
    return show.call(this, a, b);
  };
  try {
    const s = bootAppliance({
      panel: { adminCode: '999999' },
      boxes: [{ number: '12', code: '471100' }, { number: '34' }, { number: '1234', code: '123456' }],
      speedDial: ['555', '', '0301234'],
    }, { seed: 'lcd', line: 'none' });
    const scripts = [
      'MENU DOWN DOWN DOWN DOWN DOWN DOWN DOWN DOWN UP BACK',
      'MENU 1 wait:1s DOWN DOWN DOWN DOWN DOWN DOWN BACK BACK',
      'BOX 99 OK wait:3s BOX 34 OK 123456 OK wait:3s BOX 12 OK 471100 OK wait:3s',
      'BOX 12 OK 111111 OK wait:3s BOX 12 OK 111111 OK wait:3s BOX 12 OK 111111 OK wait:3s BOX 12 OK 111111 OK wait:3s BOX 12 OK 111111 OK wait:3s BOX 12 OK 471100 OK wait:3s',
      'REPORT 999999 OK DOWN DOWN UP OK wait:5s REPORT 999999 OK 1 wait:5s REPORT 999999 OK 2 wait:5s',
      'START OK wait:3s 5551234 START wait:3s STOP SPEED 1 wait:3s SPEED 2 wait:3s STOP',
      '5 5 5 BACK BACK BACK BACK',
      'MENU 6 wait:3s',
      'MENU 7 999999 OK DOWN DOWN DOWN DOWN DOWN DOWN DOWN UP OK wait:3s BACK BACK BACK BACK',
      'MENU 7 1 OK wait:3s',
      'MENU 2 999999 OK 9901011200 OK wait:3s',
      'paper:out wait:1s paper:in wait:1s STOP wait:2s',
    ];
    for (const k of scripts) keys(s, k);
    s.runFor(120000);
  } finally {
    Panel.prototype.show = show;
  }
  assert.ok(shown.size > 40, `the flows reached many screens (${shown.size})`);
  // An entry line ('> ' + what is typed) scrolls: it shows the end of a long entry.
  const long = [...shown].filter((l) => l.length > LCD_COLS && l.substring(0, 2) !== '> ');
  assert.equal(long, []);
  assert.ok([...shown].some((l) => l.length > LCD_COLS && l.substring(0, 2) === '> '), 'a long entry was typed');
});

test('a long entry shows its end, marked, not its start cut off', () => {
  const s = bootAppliance({ boxes: [{ number: '12', code: '471100' }] }, { seed: 'lcd2', line: 'none' });
  keys(s, 'START 0049301234567890123');
  assert.equal(s.sim.lcd.lines[1], '<0049301234567890123');
  keys(s, '4');
  assert.equal(lcd(s), ['Send fax: number', '<0493012345678901234']);
});

test.run();
