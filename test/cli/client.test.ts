// `faxvault client` as a person meets it: usage errors name the option, an appliance nobody
// answers for is exit code 3 with a sentence, and --help shows the set-up in a few commands.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

const dir = mkdtempSync(join(tmpdir(), 'fv-client-cli-'));
const fv = (args: string[]) => spawnSync(process.execPath, ['bin/faxvault.js', ...args], { encoding: 'utf8', timeout: 60000 });

test('set-up: a key for the owner', () => {
  assert.is(fv(['center', 'init', '--dir', join(dir, 'c'), '--suites', 'poly', '--t', '3']).status, 0);
  assert.is(fv(['center', 'issue', 'host:pc-ann.lan', '--dir', join(dir, 'c'), '--out', join(dir, 'ann.key')]).status, 0);
});

test('--help shows the three commands and the owner\'s set-up', () => {
  const r = fv(['client', '--help']);
  assert.is(r.status, 0);
  assert.match(r.stdout, /faxvault client listen --key KEY --port P --out DIR \[--code CODE\]/);
  assert.match(r.stdout, /faxvault client fetch --key KEY --appliance IDENTITY@HOST:PORT --box N \[--code C\] \[--doc ID\] --out DIR/);
  assert.match(r.stdout, /center issue host:pc-ann\.lan/);
  assert.match(r.stdout, /exit codes: 0 done; 2 usage; 3 appliance unreachable; 4 wrong pass code; 5 box locked/);
});

test('usage errors name what is missing or wrong (exit 2)', () => {
  const key = join(dir, 'ann.key');
  const cases: [string[], RegExp][] = [
    [['client', 'list', '--appliance', 'host:fax.lan@127.0.0.1:7760', '--box', '12'], /--key KEY is needed/],
    [['client', 'list', '--key', key, '--box', '12'], /--appliance IDENTITY@HOST:PORT is needed/],
    [['client', 'list', '--key', key, '--appliance', 'fax.lan:7760', '--box', '12'], /--appliance must be IDENTITY@HOST:PORT/],
    [['client', 'list', '--key', key, '--appliance', 'nonsense@127.0.0.1:7760', '--box', '12'], /missing scheme/],
    [['client', 'list', '--key', key, '--appliance', 'host:fax.lan@127.0.0.1:7760'], /--box N is needed/],
    [['client', 'listen', '--key', key, '--out', dir], /--port P is needed/],
    [['client', 'listen', '--key', key, '--port', '7761'], /--out DIR is needed/],
    [['client', 'fetch', '--key', join(dir, 'none.key'), '--appliance', 'host:fax.lan@127.0.0.1:7760', '--box', '12', '--out', dir], /cannot read/],
    [['client', 'dance'], /say listen, list, fetch/],
  ];
  for (const [args, re] of cases) {
    const r = fv(args);
    assert.is(r.status, 2, args.join(' ') + ': ' + r.stderr);
    assert.match(r.stderr, re);
  }
});

test('an appliance that does not answer: exit 3 and where it was looked for', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); });
  });
  const r = fv(['client', 'list', '--key', join(dir, 'ann.key'), '--appliance', `host:fax.lan@127.0.0.1:${port}`, '--box', '12']);
  assert.is(r.status, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`cannot reach the appliance at 127\\.0\\.0\\.1:${port}`));
});

test.run();
