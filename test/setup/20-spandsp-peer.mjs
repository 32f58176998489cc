#!/usr/bin/env node
// Test setup: compile the fax line's real peers (test/interop/peer/src) against Debian's
// libspandsp-dev into .cache/peer/: `faxpeer` (a SpanDSP T.31 Class 1 modem wired by a real-time
// audio line to a SpanDSP fax terminal), `modempair` (two T.31 modems back to back) and
// `terminalpair` (two SpanDSP terminals, no modem, unpaced: checks the terminal options).
//
// Idempotent: rebuilds only when a source file, the compiler command or the SpanDSP version
// changed (a hash of them is kept in .cache/peer/stamp). Also run on demand by
// test/interop/peer/harness.ts when a test file runs alone.
//   node test/setup/20-spandsp-peer.mjs [--force]
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const srcDir = join(root, 'test/interop/peer/src');
const outDir = join(root, '.cache/peer');
const programs = ['faxpeer', 'modempair', 'terminalpair'];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

function pkgConfig() {
  const flags = run('pkg-config', ['--cflags', '--libs', 'spandsp']);
  const version = run('pkg-config', ['--modversion', 'spandsp']);
  if (flags.status !== 0 || version.status !== 0) {
    console.error('20-spandsp-peer: pkg-config does not know spandsp: install libspandsp-dev (scripts/debian-packages.txt)');
    console.error(flags.stderr);
    process.exit(1);
  }
  return { version: version.stdout.trim(), flags: flags.stdout.trim().split(/\s+/).filter(Boolean) };
}

const force = process.argv.includes('--force');
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.c') || f.endsWith('.h')).sort();
const common = sources.filter((f) => f.endsWith('.c') && !programs.includes(f.replace(/\.c$/, '')));
const { version, flags } = pkgConfig();
const cflags = ['-O2', '-Wall', '-Wextra', '-std=gnu11'];
const libs = [...flags, '-ltiff', '-lm'];

const hash = createHash('sha256');
hash.update(JSON.stringify({ version, cflags, libs }));
for (const f of sources) hash.update(f).update(readFileSync(join(srcDir, f)));
const digest = hash.digest('hex');
const stampFile = join(outDir, 'stamp');

const upToDate = !force && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === digest
  && programs.every((p) => existsSync(join(outDir, p)));
if (upToDate) {
  console.log(`20-spandsp-peer: ${programs.join(', ')} up to date in .cache/peer (SpanDSP ${version})`);
  process.exit(0);
}

mkdirSync(outDir, { recursive: true });
for (const p of programs) {
  const tmp = join(outDir, `${p}.tmp`);
  const args = [...cflags, '-o', tmp, join(srcDir, `${p}.c`), ...common.map((f) => join(srcDir, f)), ...libs];
  const r = run('cc', args);
  if (r.status !== 0) {
    console.error(`20-spandsp-peer: cc failed for ${p}:\n${r.stderr}`);
    process.exit(1);
  }
  if (r.stderr.trim()) console.error(r.stderr.trim());
  renameSync(tmp, join(outDir, p));      // atomic: a running test never sees half a binary
}
writeFileSync(stampFile, digest + '\n');
console.log(`20-spandsp-peer: built ${programs.join(', ')} into .cache/peer (SpanDSP ${version})`);
