// The device bundle against its budgets: bytes (code storage) and, when an Espruino interpreter
// binary is given (ESPRUINO=/path/to/espruino, a Linux build of the interpreter), the JS
// variables it occupies loaded from flash and after the self-test, against the ESP32 budget of
// 16,383 variables (DEVICE.md).
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-ignore — plain ESM script without types
import { SIZE_BUDGET } from '../scripts/check-device-bundle.mjs';

const ESP32_VARIABLES = 16383;

export default async function run(): Promise<void> {
  const bundle = 'dist/faxvault.device.js';
  if (!existsSync(bundle)) spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], { stdio: 'inherit' });
  const text = readFileSync(bundle, 'utf8');
  console.log(`device bundle: ${text.length} bytes = ${((100 * text.length) / SIZE_BUDGET).toFixed(1)}% of the ${SIZE_BUDGET}-byte budget`);
  const interp = process.env.ESPRUINO;
  if (!interp || !existsSync(interp)) {
    console.log('device variables: not measured (set ESPRUINO=/path/to/espruino, the interpreter\'s Linux build)');
    return;
  }
  // As on a board with SAVE_ON_SEND: the bundle is written to the interpreter's Storage (flash;
  // a file in the working folder on the Linux build) and run from there, so function code stays
  // in flash and costs few variables. Two runs: write, then load + self-test.
  const dir = mkdtempSync(join(tmpdir(), 'fv-espruino-'));
  writeFileSync(join(dir, 'write.js'), 'var s=require("Storage");s.erase("fv.js");print("WRITTEN "+s.write("fv.js",' + JSON.stringify(text) + '));');
  writeFileSync(
    join(dir, 'run.js'),
    'eval(require("Storage").read("fv.js"));var m0=process.memory();print("VARS_LOADED "+m0.usage+" / "+m0.total);' +
      'var r=faxvault.selftest();r=null;var m1=process.memory();print("VARS_AFTER_SELFTEST "+m1.usage+" / "+m1.total+" failed="+faxvault.selftest("kernel").failed);',
  );
  const w = spawnSync(interp, ['write.js'], { cwd: dir, encoding: 'utf8', timeout: 600000 });
  if (!/WRITTEN true/.test(w.stdout)) {
    console.log('device variables: could not write the bundle to the interpreter\'s Storage\n' + (w.stdout + w.stderr).slice(-1000));
    return;
  }
  const r = spawnSync(interp, ['run.js'], { cwd: dir, encoding: 'utf8', timeout: 600000 });
  const out = (r.stdout || '') + (r.stderr || '');
  const loaded = /VARS_LOADED (\d+)/.exec(out);
  const after = /VARS_AFTER_SELFTEST (\d+) \/ \d+ failed=(\d+)/.exec(out);
  const selftest = /^(\d+) passed, (\d+) failed$/m.exec(out);
  if (!loaded || !after) {
    console.log('device variables: the interpreter did not report (output follows)\n' + out.slice(-2000));
    return;
  }
  const v0 = Number(loaded[1]);
  const v1 = Number(after[1]);
  console.log(`device variables after loading from flash: ${v0} = ${((100 * v0) / ESP32_VARIABLES).toFixed(1)}% of the ESP32's ${ESP32_VARIABLES}`);
  console.log(`device variables after the whole self-test (${selftest ? selftest[0] : '?'}): ${v1} = ${((100 * v1) / ESP32_VARIABLES).toFixed(1)}%`);
}
