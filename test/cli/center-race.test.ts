// The key center under attack (#12.1): issue commands raced in real processes must serialize so
// the POLY threshold t holds, and a crash while a key file is being written must leave its share
// counted in the registry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const bin = join(root, 'bin/faxvault.js');
const barrier = join(root, 'test/cli/helpers/start-barrier.mjs');
const crash = join(root, 'test/cli/helpers/crash-on-open.mjs');
const d = mkdtempSync(join(tmpdir(), 'faxniks-race-'));

function run(args: string[], env: Record<string, string> = {}, preload?: string): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...(preload ? ['--import', preload] : []), bin, ...args], { cwd: d, env: { ...process.env, ...env } });
    let out = '', err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

const registry = (c: string) => JSON.parse(readFileSync(join(d, c, 'registry.json'), 'utf8'));

test('six issue commands released at once on a t = 2 center: exactly two shares, all counted', async () => {
  assert.is(spawnSync(process.execPath, [bin, 'center', 'init', '--dir', 'race', '--t', '2', '--suites', 'poly,sok'], { cwd: d }).status, 0);
  const go = join(d, 'go');
  const ids = [1, 2, 3, 4, 5, 6].map((i) => `mail:u${i}@example.com`);
  const runs = ids.map((id, i) => run(['center', 'issue', id, '--dir', 'race', '--out', `u${i + 1}.key`], { FV_BARRIER: go }, barrier));
  await new Promise((r) => setTimeout(r, 2500)); // every process loaded and waiting at the barrier
  writeFileSync(go, '');
  const results = await Promise.all(runs);
  const issued = results.filter((r) => r.code === 0);
  assert.is(issued.length, 2, results.map((r) => `${r.code} ${r.out}${r.err}`).join('\n'));
  for (const r of results.filter((x) => x.code !== 0)) assert.match(r.err, /t = 2/);
  const listed = registry('race').epochs['1'].issued.map((x: { identity: string }) => x.identity).sort();
  const files = ids.filter((_, i) => existsSync(join(d, `u${i + 1}.key`)));
  assert.equal(listed, files.sort(), 'the registry lists exactly the identities that have key files');
  assert.not.ok(existsSync(join(d, 'race', 'registry.lock')), 'no lock left behind');
});

test('a crash while the key file is being written leaves the share counted', async () => {
  assert.is(spawnSync(process.execPath, [bin, 'center', 'init', '--dir', 'cut', '--t', '2', '--suites', 'poly'], { cwd: d }).status, 0);
  const r = await run(['center', 'issue', 'mail:a@example.com', '--dir', 'cut', '--out', 'cut-a.key'], { FV_CRASH_ON: 'cut-a.key' }, crash);
  assert.is(r.signal, 'SIGKILL', r.err);
  const reg = registry('cut');
  assert.equal(reg.epochs['1'].issued.map((x: { identity: string }) => x.identity), ['mail:a@example.com']);
  // Its share may exist (the file was being written): it counts against t, so one more fits, not two.
  assert.is((await run(['center', 'issue', 'mail:b@example.com', '--dir', 'cut', '--out', 'cut-b.key'])).code, 0);
  const third = await run(['center', 'issue', 'mail:c@example.com', '--dir', 'cut', '--out', 'cut-c.key']);
  assert.is(third.code, 2);
  assert.match(third.err, /t = 2/);
});

test('a lock left by a crashed command is broken (its holder is gone); one held by a live command waits', async () => {
  assert.is(spawnSync(process.execPath, [bin, 'center', 'init', '--dir', 'stale', '--t', '4', '--suites', 'poly'], { cwd: d }).status, 0);
  // A holder that no longer runs: a pid that cannot exist.
  writeFileSync(join(d, 'stale', 'registry.lock'), JSON.stringify({ pid: 2 ** 22 + 17, host: hostname() }));
  const r = await run(['center', 'issue', 'mail:a@example.com', '--dir', 'stale', '--out', 'stale-a.key']);
  assert.is(r.code, 0, r.err);
  assert.not.ok(existsSync(join(d, 'stale', 'registry.lock')));
  // A live holder (this test process): the command waits for it, then goes ahead.
  writeFileSync(join(d, 'stale', 'registry.lock'), JSON.stringify({ pid: process.pid, host: hostname() }));
  const waiting = run(['center', 'issue', 'mail:b@example.com', '--dir', 'stale', '--out', 'stale-b.key']);
  await new Promise((r) => setTimeout(r, 2500));
  assert.not.ok(existsSync(join(d, 'stale-b.key')), 'nothing issued while the lock is held');
  unlinkSync(join(d, 'stale', 'registry.lock'));
  const w = await waiting;
  assert.is(w.code, 0, w.err);
  assert.ok(existsSync(join(d, 'stale-b.key')));
});

test.run();
