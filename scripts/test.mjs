#!/usr/bin/env node
// The whole test suite, from a fresh clone: installs what the tests need (npm packages, the
// Debian packages of the real peers), type-checks both configurations, builds the host program
// and the device bundle, runs the setup steps in test/setup/ (building the SpanDSP peer, …), then
// every test/**/*.test.ts file, each in its own process, in parallel.
//
//   npm test                       everything
//   npm test -- --quick PATTERN…   only the test files whose path contains a PATTERN, no install/build
//   npm test -- --jobs N           unit-test processes at once (default: CPU count)
//
// A setup script that starts daemons (test/setup/30-mail-servers.mjs: Postfix and Dovecot) carries
// the line `// teardown: --stop`; after the tests it is run again with --stop (full runs only).
//
// The last line is `N passed, N failed` (assertions over all files); the exit code is 0 only
// when nothing failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const args = process.argv.slice(2);
const quick = args.includes('--quick');
let jobs = Math.max(2, cpus().length);
const patterns = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--quick') continue;
  if (args[i] === '--jobs') { jobs = Number(args[++i]); continue; }
  patterns.push(args[i]);
}

// Steps that failed but let the tests run on (a type error, a peer that did not build): each
// counts as one failure in the total.
const failedSteps = [];

function step(name, cmd, argv, opts = {}, fatal = true) {
  const t0 = Date.now();
  process.stdout.write(`== ${name}\n`);
  const r = spawnSync(cmd, argv, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`!! ${name} failed (exit ${r.status})`);
    if (!fatal) {
      failedSteps.push(name);
      return;
    }
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  process.stdout.write(`   ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

function ensureNpm() {
  const stamp = join(root, 'node_modules/.package-lock.json');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs) return;
  step('npm ci', 'npm', ['ci', '--no-audit', '--no-fund']);
}

function ensureDebian() {
  const list = readFileSync(join(root, 'scripts/debian-packages.txt'), 'utf8')
    .split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  const missing = list.filter((p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout.indexOf('install ok installed') < 0);
  if (missing.length === 0) return;
  if (process.getuid && process.getuid() !== 0) {
    console.error(`!! missing Debian packages (run as root, or install them): ${missing.join(' ')}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  step('apt-get update', 'apt-get', ['update', '-q']);
  // No package script may start a system daemon (Postfix on port 25 and the like): policy-rc.d 101.
  const policy = '/usr/sbin/policy-rc.d';
  const hadPolicy = existsSync(policy);
  if (!hadPolicy) spawnSync('sh', ['-c', `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod +x ${policy}`]);
  // Postfix asks what kind of mail system this is: "No configuration" keeps /etc/postfix empty and the
  // system instance unused (the mail tests run their own from a private directory).
  spawnSync('sh', ['-c', "echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections"]);
  try {
    step(`apt-get install ${missing.join(' ')}`, 'apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing],
      { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } finally {
    if (!hadPolicy) spawnSync('rm', ['-f', policy]);
  }
}

function findTests(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

// uvu prints per file: Total / Passed / Skipped.
function parseUvu(text) {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  const total = /Total:\s+(\d+)/.exec(plain);
  const passed = /Passed:\s+(\d+)/.exec(plain);
  if (!total || !passed) return null;
  return { total: Number(total[1]), passed: Number(passed[1]) };
}

function runFile(file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => {
      const r = parseUvu(out);
      const passed = r ? r.passed : 0;
      let failed = r ? r.total - r.passed : 1;
      if (code !== 0 && failed === 0) failed = 1; // crashed after its report, or exited non-zero
      resolve({ file, passed, failed, out, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

async function runPool(files, width) {
  const results = [];
  let next = 0;
  async function worker() {
    while (next < files.length) {
      const f = files[next++];
      const r = await runFile(f);
      results.push(r);
      const mark = r.failed ? 'FAIL' : 'ok  ';
      process.stdout.write(`${mark} ${r.file}  (${r.passed} passed, ${r.failed} failed, ${r.seconds.toFixed(1)} s)\n`);
      if (r.failed) process.stdout.write(r.out.split('\n').map((l) => '     | ' + l).join('\n') + '\n');
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, files.length)) }, worker));
  return results;
}

/** Stop what setup scripts started (those that declare `// teardown: --stop`). */
function teardown() {
  const setupDir = join(root, 'test/setup');
  if (!existsSync(setupDir)) return;
  for (const f of readdirSync(setupDir).filter((n) => n.endsWith('.mjs')).sort()) {
    const file = join(setupDir, f);
    if (!readFileSync(file, 'utf8').includes('// teardown: --stop')) continue;
    spawnSync(process.execPath, [file, '--stop'], { stdio: 'inherit' });
  }
}

async function main() {
  const t0 = Date.now();
  if (!quick) {
    ensureNpm();
    ensureDebian();
    step('type check (host)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], {}, false);
    step('type check (device: no Node types)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.device.json'], {}, false);
    step('build (host program and device bundle)', process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], {}, false);
    const setupDir = join(root, 'test/setup');
    if (existsSync(setupDir)) {
      for (const f of readdirSync(setupDir).filter((n) => n.endsWith('.mjs')).sort()) {
        step(`setup ${f}`, process.execPath, [join(setupDir, f)], {}, false);
      }
    }
  }
  let files = findTests(join(root, 'test'), []);
  if (patterns.length) files = files.filter((f) => patterns.some((p) => f.includes(p)));
  // Unit and virtual-time tests first, all cores; then the real-time interop tests, several at
  // once (they mostly wait on the line) but not competing with CPU-bound tests: a real-time
  // peer starved of CPU underruns its modem, as a real DTE would.
  const interop = files.filter((f) => f.startsWith('test/interop/'));
  const unit = files.filter((f) => !f.startsWith('test/interop/'));
  const interopJobs = Number(process.env.FAXVAULT_INTEROP_JOBS || 4);
  console.log(`== ${unit.length} unit/virtual-time test files (${jobs} at once), then ${interop.length} real-time interop test files (${interopJobs} at once)`);
  const a = await runPool(unit, jobs);
  const b = await runPool(interop, interopJobs);
  if (!quick) teardown();
  const all = a.concat(b);
  const passed = all.reduce((s, r) => s + r.passed, 0);
  const failed = all.reduce((s, r) => s + r.failed, 0) + failedSteps.length;
  const bad = all.filter((r) => r.failed).map((r) => r.file).concat(failedSteps);
  if (bad.length) console.log(`failing files: ${bad.join(', ')}`);
  console.log(`== ${all.length} files in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed || all.length === 0 ? 1 : 0);
}

main();
