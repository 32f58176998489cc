// `faxvault sim` as a user runs it (`faxvault flash`: test/cli/flash.test.ts): a real process, real arguments.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function faxvault(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/faxvault.js', ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--help lists the commands; sim --help documents its options', () => {
  const top = faxvault(['--help']);
  assert.is(top.code, 0);
  assert.match(top.out, /sim\s+run the appliance/);
  const sim = faxvault(['sim', '--help']);
  for (const opt of ['--data', '--config', '--modem', '--realtime', '--keys', '--exit-after-calls']) assert.match(sim.out, new RegExp(opt));
});

test('a scripted key session shows the expected LCD screens', () => {
  const r = faxvault(['sim', '--seed', 't', '--keys', 'MENU DOWN OK 1234 OK 2611251430 OK wait:3s BACK wait:1s']);
  assert.is(r.code, 0, r.err);
  const screens = r.out.trim().split('\n');
  assert.match(screens[0], /\|\d\d\.\d\d\. \d\d:\d\d:\d\d IDLE\|MEM 0%  CONF 0      \|$/);
  assert.ok(screens.some((l) => l.endsWith('|>1 Status           | 2 Date/time        |')));
  assert.ok(screens.some((l) => l.endsWith('|Date/time YYMMDDhhmm|> 2611251430        |')));
  assert.ok(screens.some((l) => l.endsWith('|Date/time set       |                    |')));
  assert.match(screens[screens.length - 1], /\|25\.11\. 14:30:0\d IDLE\|/);
});

test('the demo runs without a terminal: a confidential fax arrives, is counted, and prints with the pass code', () => {
  const r = faxvault(['sim', '--demo']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^RX \+49 89 5550123 2 pages .* SUB 12 ok/m);
  assert.match(r.out, /IDLE\|MEM \d+%  CONF 1/);
  assert.match(r.out, /\|Box 12 pass code    \|> \*\*\*\*              \|/);
  assert.not.match(r.out, /4711/); // the code is never shown
  assert.match(r.out, /printed 3 page\(s\): \S+page-0001\.png \S+page-0002\.png \S+page-0003\.png/);
});

test('a bad config file is rejected with a message naming the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-cli-'));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ fax: { ringsBeforeAnswer: 0 }, panel: { adminCode: '12' } }));
  const r = faxvault(['sim', '--config', bad, '--keys', 'MENU']);
  assert.is(r.code, 2);
  assert.match(r.err, /fax\.ringsBeforeAnswer: must be an integer from 1 to 9 \(got 0\)/);
  assert.match(r.err, /panel\.adminCode: must have at least 4 characters/);
  writeFileSync(bad, '{ "fax": ');
  assert.match(faxvault(['sim', '--config', bad]).err, /not valid JSON/);
  assert.match(faxvault(['sim', '--config', join(dir, 'missing.json')]).err, /cannot read config file/);
});

test('bad options are named', () => {
  assert.match(faxvault(['sim', '--bogus']).err, /unknown option --bogus/);
  assert.match(faxvault(['sim', '--keys', 'MENU FOO']).err, /unknown key 'FOO'/);
  assert.match(faxvault(['sim', '--modem', 'serial']).err, /--modem must be virtual/);
  assert.match(faxvault(['sim', '--exit-after-calls', 'x']).err, /--exit-after-calls must be a whole number/);
  assert.match(faxvault(['nosuch']).err, /unknown command 'nosuch'/);
});

test('--data keeps the flash image for the next run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-data-'));
  assert.is(faxvault(['sim', '--data', dir, '--keys', 'wait:1s']).code, 0);
  assert.ok(existsSync(join(dir, 'flash.bin')));
});

test.run();
