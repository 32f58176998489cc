// `faxvault center`, `seal` and `open` as a user runs them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomFillSync } from 'node:crypto';
import { CONTENT_FILE, DEFAULT_SEGMENT, sealMessage } from '../../firmware/crypto/envelope.ts';
import { AEAD_CHACHA20_POLY1305 } from '../../firmware/crypto/suites.ts';
import { agreementsOf, readKeyFile } from '../../host/crypto/keyfile.ts';

import { main } from '../../cli/main.ts';

const bin = join(process.cwd(), 'bin/faxvault.js');
const d = mkdtempSync(join(tmpdir(), 'faxniks-cli-'));
process.chdir(d);

// In-process runs of the CLI (one Node start per test file, not per command), output captured.
async function fv(...args: string[]) {
  const out: string[] = [], err: string[] = [];
  const log = console.log, error = console.error;
  console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
  console.error = (...a: unknown[]) => { err.push(a.join(' ')); };
  try {
    const code = await main(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test('the installed launcher runs the center and seal/open commands', () => {
  const r = spawnSync(process.execPath, [bin, 'center', '--help'], { encoding: 'utf8' });
  assert.is(r.status, 0);
  assert.match(r.stdout, /faxvault center init/);
  const s = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  assert.match(s.stdout, /center/);
  assert.match(s.stdout, /seal/);
  assert.match(s.stdout, /open/);
});

test('center init / issue / list, with the threshold and duplicates refused', async () => {
  assert.is((await fv('center', 'init', '--dir', 'c', '--t', '3', '--suites', 'poly,sok')).code, 0);
  assert.is(statSync(join(d, 'c/master.json')).mode & 0o777, 0o600);
  assert.is((await fv('center', 'issue', 'mail:Alice@Example.com', '--dir', 'c', '--out', 'alice.key')).code, 0);
  assert.is((await fv('center', 'issue', 'host:fax.example', '--dir', 'c', '--out', 'fax.key')).code, 0);
  assert.is((await fv('center', 'issue', 'mail:eve@example.com', '--dir', 'c', '--out', 'eve.key')).code, 0);
  const dup = (await fv('center', 'issue', 'mail:alice@example.com', '--dir', 'c', '--out', 'a2.key'));
  assert.is(dup.code, 2);
  assert.match(dup.err, /already issued/);
  const over = (await fv('center', 'issue', 'mail:zed@example.com', '--dir', 'c', '--out', 'zed.key'));
  assert.is(over.code, 2);
  assert.match(over.err, /t = 3/);
  const list = (await fv('center', 'list', '--dir', 'c'));
  assert.match(list.out, /3\/3 identities/);
  assert.match(list.out, /mail:alice@example\.com/);
  assert.is((await fv('center', 'init', '--dir', 'c')).code, 2);
  assert.match((await fv('center', 'issue', 'nobody', '--dir', 'c', '--out', 'n.key')).err, /missing scheme/);
  assert.match((await fv('center', 'frobnicate')).err, /unknown subcommand/);
  assert.match((await fv('center', 'init', '--dir', 'c2', '--t', '0')).err, /--t must be/);
});

test('seal and open round trip for both suites and AEADs; the file is only written when it authenticates', async () => {
  const doc = randomBytes(10000);
  writeFileSync(join(d, 'doc.bin'), doc);
  for (const [suite, aead] of [['poly', 'chacha'], ['sok', 'aes'], ['poly', 'aes'], ['sok', 'chacha']]) {
    const env = `doc-${suite}-${aead}.fx`, out = `doc-${suite}-${aead}.out`;
    const s = (await fv('seal', '--key', 'alice.key', '--to', 'host:FAX.example', '--suite', suite, '--aead', aead, '--segment', '1024', 'doc.bin', env));
    assert.is(s.code, 0, s.err);
    const o = (await fv('open', '--key', 'fax.key', '--from', 'mail:alice@example.com', env, out));
    assert.is(o.code, 0, o.err);
    assert.ok(readFileSync(join(d, out)).equals(doc));
    assert.match(o.err, /from mail:alice@example\.com/);
  }
  const third = (await fv('open', '--key', 'eve.key', 'doc-poly-chacha.fx', 'eve.out'));
  assert.is(third.code, 1);
  assert.match(third.err, /refused \(recipient\)/);
  assert.not.ok(existsSync(join(d, 'eve.out')));
  const env = readFileSync(join(d, 'doc-poly-chacha.fx'));
  env[env.length - 5000] ^= 4;
  writeFileSync(join(d, 'bad.fx'), env);
  const bad = (await fv('open', '--key', 'fax.key', '--replay-cache', 'fresh.replay', 'bad.fx', 'bad.out')); // a copy of an opened one: without a fresh cache it is a replay
  assert.is(bad.code, 1);
  assert.match(bad.err, /refused \(tag\)/);
  assert.not.ok(existsSync(join(d, 'bad.out')), 'no partial plaintext');
  const wrongFrom = (await fv('open', '--key', 'fax.key', '--from', 'mail:eve@example.com', 'doc-poly-chacha.fx', 'x.out'));
  assert.is(wrongFrom.code, 1);
});

test('open writes the plaintext 0600, refuses a replayed copy (cache beside the key) and envelopes outside the window', async () => {
  const old = process.umask(0o022);
  try {
    writeFileSync(join(d, 'note.txt'), 'meet at noon');
    assert.is((await fv('seal', '--key', 'alice.key', '--to', 'host:fax.example', 'note.txt', 'note.fx')).code, 0);
    const first = await fv('open', '--key', 'fax.key', 'note.fx', 'note.out');
    assert.is(first.code, 0, first.err);
    assert.is(statSync(join(d, 'note.out')).mode & 0o777, 0o600);
    assert.is(statSync(join(d, 'fax.key.replay')).mode & 0o777, 0o600);
    const again = await fv('open', '--key', 'fax.key', 'note.fx', 'note2.out');
    assert.is(again.code, 1);
    assert.match(again.err, /refused \(replay\)/);
    assert.not.ok(existsSync(join(d, 'note2.out')));
    // An envelope sealed 31 days ago is outside the default 30-day window.
    const kf = readKeyFile(join(d, 'alice.key'));
    const stale = sealMessage({
      agreement: agreementsOf(kf)[0], to: 'host:fax.example', aead: AEAD_CHACHA20_POLY1305, contentType: CONTENT_FILE,
      timestamp: Date.now() - 31 * 86400_000, challenge: null, segmentSize: DEFAULT_SEGMENT,
      entropy: { fill: (b: Uint8Array) => randomFillSync(b) }, cache: null, accel: null,
    }, new TextEncoder().encode('old news'));
    writeFileSync(join(d, 'old.fx'), stale);
    const late = await fv('open', '--key', 'fax.key', 'old.fx', 'old.out');
    assert.is(late.code, 1);
    assert.match(late.err, /refused \(stale\)/);
    assert.is((await fv('open', '--key', 'fax.key', '--max-age', String(40 * 86400), 'old.fx', 'old.out')).code, 0);
    // A damaged cache is not silently ignored (that would re-open every replay).
    writeFileSync(join(d, 'fax.key.replay'), '{ cut');
    const broken = await fv('open', '--key', 'fax.key', 'note.fx', 'note3.out');
    assert.is(broken.code, 1);
    assert.match(broken.err, /replay cache/);
    assert.not.ok(existsSync(join(d, 'note3.out')));
    unlinkSync(join(d, 'fax.key.replay'));
  } finally {
    process.umask(old);
  }
});

test('usage errors name the bad input; outputs are not overwritten', async () => {
  assert.match((await fv('seal', '--key', 'alice.key', 'doc.bin', 'x.fx')).err, /--to IDENTITY is required/);
  assert.match((await fv('seal', '--key', 'alice.key', '--to', 'bob', 'doc.bin', 'x.fx')).err, /missing scheme/);
  assert.match((await fv('seal', '--key', 'nokey.key', '--to', 'host:fax.example', 'doc.bin', 'x.fx')).err, /nokey\.key: cannot read/);
  assert.match((await fv('seal', '--key', 'alice.key', '--to', 'host:fax.example', '--aead', 'rc4', 'doc.bin', 'x.fx')).err, /--aead must be/);
  assert.match((await fv('seal', '--key', 'alice.key', '--to', 'mail:alice@example.com', 'doc.bin', 'x.fx')).err, /my own identity/);
  const again = (await fv('seal', '--key', 'alice.key', '--to', 'host:fax.example', 'doc.bin', 'doc-poly-chacha.fx'));
  assert.is(again.code, 1);
  assert.match(again.err, /already exists/);
  assert.match((await fv('open', '--key', 'fax.key', 'doc-poly-chacha.fx', 'doc-poly-chacha.out')).err, /already exists/);
  assert.match((await fv('open', '--key', 'fax.key', 'doc.bin', 'junk.out')).err, /refused \(magic\)/);
});

test.run();
