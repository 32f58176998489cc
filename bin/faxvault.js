#!/usr/bin/env node
// Launcher: installs the npm packages on a fresh clone, then runs the TypeScript CLI through tsx.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'node_modules/tsx')) && existsSync(join(root, 'package-lock.json'))) {
  console.error('faxvault: first run — installing npm packages (npm ci)…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { register } = await import(pathToFileURL(join(root, 'node_modules/tsx/dist/esm/api/index.mjs')).href);
register();
const { main } = await import(pathToFileURL(join(root, 'cli/main.ts')).href);
// Exit when the command is done, even if a timer or socket is still open (a stopped simulator).
process.exit(await main(process.argv.slice(2)));
