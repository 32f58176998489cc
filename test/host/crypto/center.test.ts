// The key center's rules: master file 0600 and never replaced, the (t+1)-th identity and
// duplicates refused (registry untouched), key files never overwritten silently, rekey.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCenter, issueKey, loadRegistry, parseSuites, rekeyCenter, describeCenter } from '../../../host/crypto/center.ts';
import { agreementsOf, readKeyFile } from '../../../host/crypto/keyfile.ts';
import { polyMaster, polyShare } from '../../../host/crypto/poly-center.ts';
import { fromHex } from '../../../firmware/crypto/bytes.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'faxniks-center-'));

test('init writes the master secret with mode 0600 and refuses to run twice', () => {
  const d = tmp();
  initCenter(join(d, 'c'), { suites: ['poly'], t: 3, epoch: 1 });
  assert.is(statSync(join(d, 'c/master.json')).mode & 0o777, 0o600);
  assert.is(statSync(join(d, 'c')).mode & 0o077, 0);
  const before = readFileSync(join(d, 'c/master.json'), 'utf8');
  assert.throws(() => initCenter(join(d, 'c'), { suites: ['poly'], t: 3, epoch: 1 }), /already holds a key center/);
  assert.is(readFileSync(join(d, 'c/master.json'), 'utf8'), before);
  assert.throws(() => initCenter(join(d, 'x'), { suites: ['poly'], t: 0, epoch: 1 }), /threshold/);
  assert.throws(() => initCenter(join(d, 'y'), { suites: ['poly'], t: 3, epoch: 0 }), /epoch/);
  assert.throws(() => parseSuites('poly,rsa'), /unknown suite "rsa"/);
  assert.throws(() => parseSuites(''), /no suite/);
});

test('refuses the (t+1)-th identity of an epoch and duplicates; the registry stays as it was', () => {
  const d = tmp(), c = join(d, 'c');
  initCenter(c, { suites: ['poly'], t: 3, epoch: 1 });
  for (const id of ['mail:a@example.com', 'mail:b@example.com', 'host:fax.example']) issueKey(c, id, { out: join(d, id.replace(/[:@.]/g, '_')), force: false });
  const reg = readFileSync(join(c, 'registry.json'), 'utf8');
  assert.throws(() => issueKey(c, 'mail:d@example.com', { out: join(d, 'd.key'), force: false }), /already has t = 3 identities/);
  assert.throws(() => issueKey(c, 'MAIL:A@Example.com', { out: join(d, 'a2.key'), force: false }), /already issued in epoch 1/);
  assert.throws(() => issueKey(c, 'alice', { out: join(d, 'x.key'), force: false }), /missing scheme/);
  assert.is(readFileSync(join(c, 'registry.json'), 'utf8'), reg);
  assert.not.ok(existsSync(join(d, 'd.key')));
  assert.ok(describeCenter(c).some((l) => l.includes('3/3 identities')));
  // A new epoch starts a new count; the old epoch keeps its list.
  assert.is(rekeyCenter(c), 2);
  issueKey(c, 'mail:d@example.com', { out: join(d, 'd.key'), force: false });
  issueKey(c, 'mail:a@example.com', { out: join(d, 'a-e2.key'), force: false });
  assert.is(loadRegistry(c).epochs['1'].issued.length, 3);
  assert.is(loadRegistry(c).epochs['2'].issued.length, 2);
  assert.throws(() => rekeyCenter(c, 2), /above the current 2/);
});

test('damaged center files are reported, not thrown as stack traces', () => {
  const d = tmp(), c = join(d, 'c');
  initCenter(c, { suites: ['poly'], t: 3, epoch: 1 });
  writeFileSync(join(c, 'registry.json'), '{ truncated');
  assert.throws(() => issueKey(c, 'mail:a@example.com', { out: join(d, 'a.key'), force: false }), /registry\.json: unreadable/);
  assert.throws(() => loadRegistry(join(d, 'nowhere')), /not a key center/);
});

test('SOK-only centers have no identity bound', () => {
  const d = tmp(), c = join(d, 'c');
  initCenter(c, { suites: ['sok'], t: 1, epoch: 5 });
  issueKey(c, 'mail:a@example.com', { out: join(d, 'a.key'), force: false });
  issueKey(c, 'mail:b@example.com', { out: join(d, 'b.key'), force: false });
  const kf = readKeyFile(join(d, 'b.key'));
  assert.is(kf.epoch, 5);
  assert.ok(kf.sok && !kf.poly);
});

test('key files: 0600, never overwritten silently, --force replaces, shares match the master', () => {
  const d = tmp(), c = join(d, 'c');
  initCenter(c, { suites: ['poly', 'sok'], t: 4, epoch: 1 });
  const out = join(d, 'taken.key');
  writeFileSync(out, 'precious');
  assert.throws(() => issueKey(c, 'host:fax.example', { out, force: false }), /already exists; not overwriting/);
  assert.is(readFileSync(out, 'utf8'), 'precious');
  assert.is(loadRegistry(c).epochs['1'].issued.length, 0, 'nothing recorded when the file could not be written');
  chmodSync(out, 0o644);
  issueKey(c, 'host:fax.example', { out, force: true });
  assert.is(statSync(out).mode & 0o777, 0o600);
  const kf = readKeyFile(out);
  assert.is(kf.identity, 'host:fax.example');
  const m = JSON.parse(readFileSync(join(c, 'master.json'), 'utf8'));
  const expected = polyShare(polyMaster(fromHex(m.epochs['1'].poly), 1, 4), 'host:fax.example');
  assert.is(kf.poly!.share, Buffer.from(expected).toString('base64'));
  assert.is(agreementsOf(kf).length, 2);
  chmodSync(out, 0o644);
  assert.throws(() => readKeyFile(out), /readable by others/);
  chmodSync(join(c, 'master.json'), 0o644);
  assert.throws(() => issueKey(c, 'mail:x@example.com', { out: join(d, 'x.key'), force: false }), /readable by others/);
});

test('--reissue writes the same share again, journaled in the registry, without using up t', () => {
  const d = tmp(), c = join(d, 'c');
  initCenter(c, { suites: ['poly', 'sok'], t: 2, epoch: 1 });
  issueKey(c, 'mail:a@example.com', { out: join(d, 'a.key'), force: false });
  issueKey(c, 'mail:b@example.com', { out: join(d, 'b.key'), force: false });
  assert.throws(() => issueKey(c, 'mail:a@example.com', { out: join(d, 'a2.key'), force: false }), /--reissue/);
  issueKey(c, 'mail:a@example.com', { out: join(d, 'a2.key'), force: false, reissue: true });
  const a = readKeyFile(join(d, 'a.key')), a2 = readKeyFile(join(d, 'a2.key'));
  assert.is(a2.poly!.share, a.poly!.share);
  assert.is(a2.sok!.s1, a.sok!.s1);
  const ep = loadRegistry(c).epochs['1'];
  assert.is(ep.issued.length, 2);
  assert.is(ep.issued[0].reissued!.length, 1);
  assert.is(ep.issued[0].reissued![0].file, join(d, 'a2.key'));
  assert.ok(describeCenter(c).some((l) => l.includes('reissued')));
  // --reissue is no way around t: an identity never issued is still the (t+1)-th.
  assert.throws(() => issueKey(c, 'mail:c@example.com', { out: join(d, 'c.key'), force: false, reissue: true }), /t = 2/);
  // A re-issue that cannot be written is taken back.
  assert.throws(() => issueKey(c, 'mail:a@example.com', { out: join(d, 'nodir', 'a3.key'), force: false, reissue: true }), /no such folder/);
  assert.is(loadRegistry(c).epochs['1'].issued[0].reissued!.length, 1);
});

test('an identity with a non-ASCII look-alike is refused, not folded onto another', () => {
  const d = tmp(), c = join(d, 'c');
  initCenter(c, { suites: ['poly'], t: 3, epoch: 1 });
  issueKey(c, 'mail:kate@example.com', { out: join(d, 'kate.key'), force: false });
  assert.throws(() => issueKey(c, 'mail:\u212Aate@example.com', { out: join(d, 'k.key'), force: false, reissue: true }), /non-ASCII/);
  assert.not.ok(existsSync(join(d, 'k.key')));
});

test('malformed key files are refused with the reason', () => {
  const d = tmp();
  const p = join(d, 'bad.key');
  const cases: [string, RegExp][] = [
    ['not json', /JSON/],
    ['{"format":"other"}', /format/],
    ['{"format":"faxniks-key/1","identity":"mail:A@b.c","epoch":1,"poly":{}}', /not canonical/],
    ['{"format":"faxniks-key/1","identity":"mail:a@b.c","epoch":0,"poly":{}}', /epoch/],
    ['{"format":"faxniks-key/1","identity":"mail:a@b.c","epoch":1}', /no suite/],
    ['{"format":"faxniks-key/1","identity":"mail:a@b.c","epoch":1,"poly":{"suite":1,"t":3,"share":"AAAA"}}', /16\(t\+1\)/],
  ];
  for (const [text, why] of cases) {
    writeFileSync(p, text, { mode: 0o600 });
    assert.throws(() => readKeyFile(p), why, text);
  }
  assert.throws(() => readKeyFile(join(d, 'missing.key')), /ENOENT/);
});

test.run();
