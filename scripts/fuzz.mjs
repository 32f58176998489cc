#!/usr/bin/env node
// `npm run fuzz`: the property-based tests of every parser that takes outside bytes (test/fuzz/,
// fast-check) with many generated inputs, and the store's power-cut campaign with many seeds.
// `npm test` runs the same files briefly; this runs them long. Each file runs alone, one after
// the other (the machine's other work keeps its cores), with a watchdog: a file that stops
// making progress (a parser that hangs) is killed and counts as failed.
//
//   npm run fuzz                          100,000 runs per property (≈1.4 million inputs), 1,000 power-cut seeds
//   npm run fuzz -- --runs N              N runs per property (slow parsers run a fixed fraction of N)
//   npm run fuzz -- --seconds S           about S seconds per property instead of a run count
//   npm run fuzz -- --seeds N             power-cut seeds (0: no campaign)
//   npm run fuzz -- --seed S              replay fast-check's seed S (printed with a failure)
//   npm run fuzz -- PATTERN…              only the files whose path contains a PATTERN
//
// The last lines give the inputs per property, the total, the power-cut counts, and
// `N passed, N failed` (files); the exit code is 0 only when nothing failed.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const args = process.argv.slice(2);
let runs = 100000;
let seconds = 0;
let seeds = 1000;
let seed = '';
const patterns = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--seconds') seconds = Number(args[++i]);
  else if (args[i] === '--seeds') seeds = Number(args[++i]);
  else if (args[i] === '--seed') seed = args[++i];
  else if (args[i] === '--help' || args[i] === '-h') {
    console.log('usage: npm run fuzz -- [--runs N | --seconds S] [--seeds N] [--seed S] [PATTERN…]');
    process.exit(0);
  } else patterns.push(args[i]);
}
if (!(runs > 0) || !(seconds >= 0) || !(seeds >= 0)) {
  console.error('fuzz: --runs, --seconds and --seeds take a number');
  process.exit(2);
}

const files = readdirSync('test/fuzz').filter((f) => f.endsWith('.test.ts')).map((f) => 'test/fuzz/' + f);
if (seeds > 0) files.push('test/firmware/store/powercut-campaign.test.ts');
const chosen = files.filter((f) => patterns.length === 0 || patterns.some((p) => f.includes(p)));

/** No output for this long: the file is stuck. */
const STALL_MS = 20 * 60 * 1000;

function run(file) {
  return new Promise((resolve) => {
    const env = { ...process.env, FUZZ_RUNS: String(runs), POWERCUT_SEEDS: String(seeds) };
    if (seconds > 0) env.FUZZ_SECONDS = String(seconds);
    if (seed) env.FUZZ_SEED = seed;
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stalled = false;
    let timer = null;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        child.kill('SIGKILL');
      }, STALL_MS);
    };
    arm();
    const take = (d) => {
      out += d;
      arm();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ file, code, out, stalled, s: (Date.now() - t0) / 1000 });
    });
  });
}

let total = 0;
let failed = 0;
const lines = [];
for (const file of chosen) {
  process.stdout.write(`== ${file}\n`);
  const r = await run(file);
  for (const m of r.out.matchAll(/fuzz: (.*?): (\d+) inputs$/gm)) {
    total += Number(m[2]);
    lines.push(`   ${m[1]}: ${Number(m[2]).toLocaleString('en')} inputs`);
    console.log(`   ${m[1]}: ${Number(m[2]).toLocaleString('en')} inputs`);
  }
  const campaign = r.out.match(/power-cut campaign: .*$/m);
  if (campaign) {
    lines.push('   ' + campaign[0]);
    console.log('   ' + campaign[0]);
  }
  const ok = r.code === 0 && !r.stalled;
  if (!ok) {
    failed++;
    console.log(r.out.split('\n').filter((l) => !/^\s+at /.test(l)).slice(-40).join('\n'));
    console.log(`!! ${file} ${r.stalled ? 'made no progress for ' + STALL_MS / 60000 + ' minutes (a hang): killed' : 'failed'}`);
  }
  console.log(`   ${file}: ${r.s.toFixed(1)} s`);
}
console.log('== summary');
for (const l of lines) console.log(l);
console.log(`   ${total.toLocaleString('en')} generated inputs in all`);
console.log(`${chosen.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
