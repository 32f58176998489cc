// A single-file device bundle of one bench entry (bench/entries/*.ts), lowered exactly as the
// device bundle is (rollup.config.mjs SCRATCH_DEVICE), written to .cache/bench/<name>.js.
// The build runs as a script file of its own, not in this process and not with -e: the terser
// plugin's workers inherit the parent's execArgv (tsx's loader).
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';

/** Builds `entry` (a path from the repository root); returns the bundle's path. */
export function scratchDeviceBundle(entry: string): string {
  const dir = join(process.cwd(), '.cache/bench');
  mkdirSync(dir, { recursive: true });
  const name = basename(entry).replace(/\.ts$/, '');
  const script = join(dir, name + '.js');
  const builder = join(dir, 'build-' + name + '.mjs');
  writeFileSync(builder, `
    import { rollup } from 'rollup';
    const dev = (await import(${JSON.stringify(join(process.cwd(), 'rollup.config.mjs'))})).SCRATCH_DEVICE;
    const b = await rollup({ ...dev, input: ${JSON.stringify(entry)}, onwarn() {} });
    await b.write({ ...dev.output, file: ${JSON.stringify(script)}, name: 'faxvault' });
  `);
  const build = spawnSync(process.execPath, [builder], { encoding: 'utf8', cwd: process.cwd() });
  if (build.status !== 0) throw new Error('bench bundle ' + entry + ' failed to build: ' + build.stderr);
  return script;
}
