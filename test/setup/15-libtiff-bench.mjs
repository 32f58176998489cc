#!/usr/bin/env node
// Test setup: compile scripts/t4/libtiff-bench.c (libtiff's T.4/T.6 codec timed in process, the
// reference of bench/t4.ts) against Debian's libtiff-dev into .cache/libtiff-bench/. Idempotent:
// rebuilds only when the source or the compiler command changed (hash in the stamp file).
//   node test/setup/15-libtiff-bench.mjs [--force]
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'scripts/t4/libtiff-bench.c');
const outDir = join(root, '.cache/libtiff-bench');
const out = join(outDir, 'libtiff-bench');

const flags = spawnSync('pkg-config', ['--cflags', '--libs', 'libtiff-4'], { encoding: 'utf8' });
if (flags.error || flags.status !== 0) {
  console.error('15-libtiff-bench: pkg-config does not know libtiff-4: install libtiff-dev (scripts/debian-packages.txt)');
  process.exit(1);
}
const args = ['-O2', '-Wall', '-o', out + '.tmp', src, ...flags.stdout.trim().split(/\s+/).filter(Boolean)];
const stamp = createHash('sha256').update(readFileSync(src)).update(args.join(' ')).digest('hex');
const stampFile = join(outDir, 'stamp');
if (!process.argv.includes('--force') && existsSync(out) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) process.exit(0);
mkdirSync(outDir, { recursive: true });
const r = spawnSync('cc', args, { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('15-libtiff-bench: cc failed');
  process.exit(1);
}
renameSync(out + '.tmp', out);
writeFileSync(stampFile, stamp);
console.log('15-libtiff-bench: built ' + out);
