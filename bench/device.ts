// The device bundle against its budgets: bytes (code storage) and, when an Espruino interpreter
// binary is given (ESPRUINO=/path, best the build that counts like an ESP32: docs/ESPRUINO.md),
// the JS variables the firmware occupies at each moment docs/ESPRUINO.md's budget table names,
// checked against that table. The bundle is written to the interpreter's Storage as
// `faxvault flash` writes a board (host/device/upload-plan.ts) and runs from there.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
// @ts-ignore — plain ESM script without types
import { SIZE_BUDGET } from '../scripts/check-device-bundle.mjs';
import { Interpreter, interpreterPath, tagged } from '../test/build/interpreter.ts';
import { deviceFilesOf, BUNDLE_FILE } from '../host/device/upload-plan.ts';
import { devicePeaks, deviceMailPeak, deviceKeptDocuments } from './device-peaks.ts';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

const ESP32_VARIABLES = 16383;

/**
 * The budget table of docs/ESPRUINO.md ("Memory budget"): rows `| moment | variables | … |`.
 * The bench checks every moment it measures against it, so the doc is the budget.
 */
export function memoryBudget(doc = readFileSync('docs/ESPRUINO.md', 'utf8')): { moments: Record<string, number> } {
  const at = doc.indexOf('\n## Memory budget');
  if (at < 0) throw new Error('docs/ESPRUINO.md has no "Memory budget" section');
  const end = doc.indexOf('\n## ', at + 5);
  const moments: Record<string, number> = {};
  for (const line of doc.slice(at, end < 0 ? undefined : end).split('\n')) {
    const m = /^\|\s*([A-Za-z][A-Za-z0-9 .+-]*?)\s*\|\s*([\d,]+)\s*\|/.exec(line);
    if (m) moments[m[1]] = Number(m[2].replace(/,/g, ''));
  }
  if (Object.keys(moments).length === 0) throw new Error('docs/ESPRUINO.md: the budget table has no rows');
  return { moments };
}

const pct = (v: number): string => ((100 * v) / ESP32_VARIABLES).toFixed(1) + '%';

// The appliance on the faked board (test/build/fixtures/espruino-board-prelude.js), with a
// sampler of the variables in use: after every kernel dispatch and every 5 ms. A peak is what is
// live: `process.memory(false)` also counts garbage that reference counting cannot free (cycles)
// and the interpreter collects only when idle or when an allocation finds no free variable (it
// collects then, before it fails), so a sample above the peak so far is taken again after a
// collection (`process.memory()`), and only that figure can raise the peak.
const SAMPLER = `
var PEAK = 0;
function sample() { var u = process.memory(false).usage; if (u > PEAK) { u = process.memory().usage; if (u > PEAK) PEAK = u; } }
function peakFrom() { PEAK = process.memory().usage; }
function wrapDispatch(k) { var d = k.dispatchOne; k.dispatchOne = function () { var r = d.apply(k, arguments); sample(); return r; }; }
`;

// A panel session: the menu opened, moved through, a dialog entered and left, back to idle.
const PANEL_KEYS = '[[0,3],[2,3],[2,3],[2,3],[2,3],[1,3],[3,0],[3,0],[3,0]]';

export default async function run(): Promise<void> {
  const bundle = 'dist/faxvault.device.js';
  if (!existsSync(bundle)) spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], { stdio: 'inherit' });
  const text = readFileSync(bundle, 'latin1');
  console.log(`device bundle: ${text.length} bytes = ${((100 * text.length) / SIZE_BUDGET).toFixed(1)}% of the ${SIZE_BUDGET}-byte budget`);
  const interp = interpreterPath();
  if (!interp) {
    console.log('device variables: not measured (set ESPRUINO=/path/to/espruino, the interpreter built like an ESP32: docs/ESPRUINO.md)');
    return;
  }
  const budget = memoryBudget();
  const it = new Interpreter(interp);
  const prelude = readFileSync('test/build/fixtures/espruino-board-prelude.js', 'latin1');
  await it.upload(deviceFilesOf((dist) => readFileSync(dist, 'latin1')).concat([{ name: 'board.js', text: prelude }]));
  const seen: Record<string, number> = {};
  let failures = 0;
  const report = (moment: string, vars: number | null, note = ''): void => {
    if (vars === null) {
      seen[moment] = -1;
      console.log(`  ${moment.padEnd(24)} not measured ${note}`);
      return;
    }
    seen[moment] = vars;
    const b = budget.moments[moment];
    const ok = b === undefined || vars <= b;
    if (!ok) failures++;
    console.log(`  ${moment.padEnd(24)} ${String(vars).padStart(6)} variables = ${pct(vars).padStart(6)}` +
      (b === undefined ? '' : `   budget ${b} (${pct(b)}) ${ok ? 'ok' : 'OVER'}`) + (note ? '  ' + note : ''));
  };
  console.log(`device variables on ${interp} (an ESP32 has ${ESP32_VARIABLES}):`);

  // Loaded, then the whole self-test (loaded from its own Storage file when it is one).
  const t0 = Date.now();
  const st = await it.run('eval(require("Storage").read("' + BUNDLE_FILE + '"));print("LOADED "+process.memory().usage);' +
    SAMPLER + 'peakFrom();var iv=setInterval(sample,5);var r=faxvault.selftest();clearInterval(iv);sample();' +
    'print("SELFTEST "+PEAK+" "+r.passed+" "+r.failed);r=null;print("AFTER "+process.memory().usage);');
  const selftest = /^(?:>?\x1b\[J)?SELFTEST (\d+) (\d+) (\d+)/m.exec(st.out);
  if (!tagged(st.out, 'LOADED') && /OUT OF MEMORY|LOW_MEMORY/.test(st.out)) {
    // The bundle itself does not fit: nothing else can be measured.
    failures++;
    console.log(`  ${'load'.padEnd(24)}  OUT OF MEMORY: the bundle (${text.length} bytes) does not load into ${ESP32_VARIABLES} variables   budget ${budget.moments.load} OVER`);
    console.log('device memory: the bundle does not load on an ESP32-sized interpreter (docs/ESPRUINO.md, "Memory budget")');
    process.exitCode = 1;
    return;
  }
  report('load', Number(tagged(st.out, 'LOADED')) || null);
  report('self-test peak', selftest ? Number(selftest[1]) : null,
    selftest ? `(${selftest[2]} passed, ${selftest[3]} failed, ${((Date.now() - t0) / 1000).toFixed(0)} s)` : '(no report: ' + st.out.slice(-300).replace(/\s+/g, ' ') + ')');
  report('after self-test', Number(tagged(st.out, 'AFTER')) || null);

  // Boot as the board does (.bootcde), idle, then a panel session on the keypad. The board's
  // flash is an erased 1 MiB file (the prelude reads it in pieces: none of it in variables).
  writeFileSync(join(it.dir, 'flash.img'), new Uint8Array(1 << 20).fill(0xff));
  const boot = await it.run('eval(require("Storage").read("board.js"));BOARD.flashFile="flash.img";' + SAMPLER + 'eval(require("Storage").read(".bootcde"));' +
    'var app=faxvault.start();print("BOOTED "+process.memory().usage);wrapDispatch(app.kernel);' +
    'setTimeout(function(){print("IDLE "+process.memory().usage);peakFrom();var iv=setInterval(sample,5);var keys=' + PANEL_KEYS + ';var i=0;' +
    'var kv=setInterval(function(){if(i<keys.length){BOARD.key(keys[i][0],keys[i][1]);i++;return;}clearInterval(kv);clearInterval(iv);' +
    'print("PANEL "+PEAK+" "+JSON.stringify(app.kernel.faults));quit();},300);},2000);', 300000);
  report('boot', Number(tagged(boot.out, 'BOOTED')) || null);
  report('idle', Number(tagged(boot.out, 'IDLE')) || null);
  const panel = /^(?:>?\x1b\[J)?PANEL (\d+) (.*)$/m.exec(boot.out);
  report('panel session peak', panel ? Number(panel[1]) : null, panel ? (panel[2] === '[]' ? '' : 'faults ' + panel[2]) : '(no report: ' + boot.out.slice(-300).replace(/\s+/g, ' ') + ')');
  // A reception, a print and a LAN delivery on a board booted from a prepared image (bench/device-peaks.ts).
  // …and a delivery by mail, in a run of its own (bench/device-peaks.ts, deviceMailPeak).
  for (const p of (await devicePeaks(it, SAMPLER)).concat([await deviceMailPeak(it, SAMPLER), await deviceKeptDocuments(it)])) {
    report(p.moment, p.vars, p.note);
    if (/^FAILED/.test(p.note)) failures++;
    if (p.vars === null && /OUT OF MEMORY/.test(p.note)) failures++;
  }
  for (const moment of Object.keys(budget.moments)) {
    if (!(moment in seen)) report(moment, null, '(no rig on the interpreter yet)');
  }
  console.log(failures ? `device memory: ${failures} moment(s) over the budget of docs/ESPRUINO.md` : 'device memory: every measured moment within docs/ESPRUINO.md\'s budget');
  if (failures) process.exitCode = 1;
}
