// `faxvault docs` on the flash image a `faxvault sim` run left behind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePbm, readPbm } from '../../host/image/pbm.ts';
import { readTiff } from '../../host/image/tiff.ts';
import { newBitmap, rowOf } from '../../host/image/bitmap.ts';
import { SimFlash } from '../../sim/board/flash.ts';
import { Store, SETTINGS_RECORD } from '../../firmware/store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'fv-docs-'));
const page = newBitmap(1728, 200, 204, 196);
for (let y = 5; y < 195; y++) rowOf(page, y)[(y * 7) % 216] = 0xa5;
const doc = join(dir, 'doc.pbm');
writeFileSync(doc, writePbm([page]));
const cfg = join(dir, 'cfg.json');
writeFileSync(cfg, JSON.stringify({ station: { ident: '+1 555 0100' }, boxes: [{ number: '12', owner: 'mail:ann@example.com', code: '4711' }] }));
const data = join(dir, 'data');

function faxvault(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/faxvault.js', ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const sim = faxvault(['sim', '--config', cfg, '--data', data, '--seed', 'docs', '--remote-send', doc, '--remote-sub', '12', '--exit-after-calls', '1']);

test('list shows the confidential document with its box, pages and result', () => {
  assert.is(sim.code, 0, sim.err);
  const r = faxvault(['docs', '--data', data, 'list']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^\s+\d+\s+rx\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\+49 89 5550123\s+box 12\s+1 p\s+.*ok/m);
});

test('a confidential document needs the right pass code; wrong codes are refused and lock the box', () => {
  const id = /^\s+(\d+)/m.exec(faxvault(['docs', '--data', data, 'list']).out)![1];
  const out = join(dir, 'x.tif');
  assert.match(faxvault(['docs', '--data', data, 'export', id, out]).err, /confidential \(box 12\): give the box's pass code/);
  assert.match(faxvault(['docs', '--data', data, 'export', id, out, '--code', '0000']).err, /pass code refused \(wrong\)/);
  assert.not.ok(existsSync(out));
  const ok = faxvault(['docs', '--data', data, 'export', id, out, '--code', '4711']);
  assert.is(ok.code, 0, ok.err);
  const [p] = readTiff(readFileSync(out));
  assert.is(p.height, 200);
  for (let y = 0; y < 200; y++) assert.equal(rowOf(p, y), rowOf(page, y), `row ${y}`);
  const pbm = join(dir, 'x.pbm');
  assert.is(faxvault(['docs', '--data', data, 'export', id, pbm, '--code', '4711']).code, 0);
  assert.equal(readPbm(readFileSync(pbm))[0].data, page.data);
  // Five wrong codes in a row lock the box, even for the right code afterwards.
  const out2 = join(dir, 'x2.tif');
  for (let i = 0; i < 5; i++) faxvault(['docs', '--data', data, 'export', id, out2, '--code', '1111']);
  assert.match(faxvault(['docs', '--data', data, 'export', id, out2, '--code', '4711']).err, /box 12 is locked for \d+ s/);
});

test('attack (#12.2): codes come only from the image — not the demo settings, not a --config the caller brings', () => {
  const d2 = join(dir, 'real');
  const realCfg = join(dir, 'real.json');
  writeFileSync(realCfg, JSON.stringify({ boxes: [{ number: '12', owner: 'mail:ann@example.com', code: '8888' }] }));
  const run = faxvault(['sim', '--config', realCfg, '--data', d2, '--seed', 'real', '--remote-send', doc, '--remote-sub', '12', '--exit-after-calls', '1']);
  assert.is(run.code, 0, run.err);
  const id = /^\s+(\d+)/m.exec(faxvault(['docs', '--data', d2, 'list']).out)![1];
  const out = join(dir, 'stolen.tif');
  // The embedded demo's code for box 12.
  const demo = faxvault(['docs', '--data', d2, 'export', id, out, '--code', '4711']);
  assert.is(demo.code, 2, demo.out);
  assert.match(demo.err, /pass code refused/);
  // A settings file of the attacker's choosing.
  const evilCfg = join(dir, 'evil.json');
  writeFileSync(evilCfg, JSON.stringify({ boxes: [{ number: '12', owner: 'mail:eve@example.com', code: '1234' }] }));
  const evil = faxvault(['docs', '--data', d2, '--config', evilCfg, 'export', id, out, '--code', '1234']);
  assert.is(evil.code, 2);
  assert.match(evil.err, /only from the flash image/);
  assert.not.ok(existsSync(out));
  // The owner's code, kept in the image since the first run, still opens it: no --config needed.
  const own = faxvault(['docs', '--data', d2, 'export', id, out, '--code', '8888']);
  assert.is(own.code, 0, own.err);
});

test('attack (#12.2): an image holding no settings refuses every code', () => {
  const d3 = join(dir, 'bare');
  assert.is(faxvault(['sim', '--data', d3, '--seed', 'bare', '--remote-send', doc, '--remote-sub', '12', '--exit-after-calls', '1']).code, 0);
  const flash = new SimFlash({ file: join(d3, 'flash.bin') });
  const store = new Store(flash);
  store.mount();
  assert.ok(store.getSetting(SETTINGS_RECORD), 'the first run kept its settings in the image');
  store.setSetting(SETTINGS_RECORD, ''); // as an image from before settings were kept
  flash.close();
  const id = /^\s+(\d+)/m.exec(faxvault(['docs', '--data', d3, 'list']).out)![1];
  const r = faxvault(['docs', '--data', d3, 'export', id, join(dir, 'bare.tif'), '--code', '4711']);
  assert.is(r.code, 2);
  assert.match(r.err, /holds no settings/);
  assert.not.ok(existsSync(join(dir, 'bare.tif')));
});

test('export (#12.12, #15): 0600, extension checked before the code, PNG pages named OUT-1.png…, journaled, --force to overwrite', () => {
  const old = process.umask(0o022);
  try {
    const d4 = join(dir, 'two');
    const two = join(dir, 'two.pbm');
    writeFileSync(two, writePbm([page, page]));
    assert.is(faxvault(['sim', '--data', d4, '--config', cfg, '--seed', 'two', '--remote-send', two, '--remote-sub', '12', '--exit-after-calls', '1']).code, 0);
    const list = faxvault(['docs', '--data', d4, 'list']);
    assert.match(list.out, /^\s+ID\s+DIR\s+TIME \(UTC\)\s+REMOTE\s+BOX\s+PAGES\s+STATE\s+RESULT/, 'a header names the columns');
    const id = /^\s+(\d+)\s+rx/m.exec(list.out)![1];
    const png = join(dir, 'two.png');
    const r = faxvault(['docs', '--data', d4, 'export', id, png, '--code', '4711']);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /2 page\(s\) written to .*two-1\.png, .*two-2\.png/);
    assert.not.ok(existsSync(png));
    assert.is(statSync(join(dir, 'two-1.png')).mode & 0o777, 0o600);
    const again = faxvault(['docs', '--data', d4, 'export', id, png, '--code', '4711']);
    assert.is(again.code, 1);
    assert.match(again.err, /two-1\.png already exists; not overwriting it \(pass --force\)/);
    assert.is(faxvault(['docs', '--data', d4, 'export', id, png, '--force', '--code', '4711']).code, 0);
    const journal = faxvault(['docs', '--data', d4, 'journal']);
    assert.is(journal.code, 0);
    assert.match(journal.out, /^JOURNAL/);
    assert.match(journal.out, /RECV\s+\+49 89 5550123\s+2\s+BOX 12 ok/);
    assert.is(journal.out.match(/EXPORT\s*document \d+\s+2\s+box 12 \(host\) two\.png/g)!.length, 2, 'both exports journaled');
    // A confidential document with an unusable extension: refused before the code is tried.
    const cid = /^\s+(\d+)/m.exec(faxvault(['docs', '--data', data, 'list']).out)![1];
    const before = faxvault(['docs', '--data', data, 'journal']).out.split('\n').length;
    const bad = faxvault(['docs', '--data', data, 'export', cid, join(dir, 'x.jpg'), '--code', '9999']);
    assert.is(bad.code, 2);
    assert.match(bad.err, /use \.tif, \.pdf, \.pbm or \.png/);
    assert.is(faxvault(['docs', '--data', data, 'journal']).out.split('\n').length, before, 'no code attempt journaled');
  } finally {
    process.umask(old);
  }
});

test('images that are not ours and folders that do not exist: one line, no stack trace (#15)', () => {
  const junk = join(dir, 'junk');
  mkdirSync(junk);
  writeFileSync(join(junk, 'flash.bin'), randomBytes(1 << 20));
  const r = faxvault(['docs', '--data', junk, 'list']);
  assert.is(r.code, 0);
  assert.match(r.err, /warning: .*holds no faxvault store/);
  writeFileSync(join(junk, 'flash.bin'), randomBytes(1000));
  const small = faxvault(['docs', '--data', junk, 'list']);
  assert.is(small.code, 1);
  assert.match(small.err, /^faxvault docs: .*flash\.bin has 1000 bytes; a faxvault flash image has 1048576/);
  assert.is(small.err.trim().split('\n').length, 1);
  const id = /^\s+(\d+)/m.exec(faxvault(['docs', '--data', data, 'list']).out)![1];
  const nodir = faxvault(['docs', '--data', data, 'export', id, '/nodir/x.png', '--code', '4711']);
  assert.is(nodir.code, 1);
  assert.is(nodir.err.trim(), 'faxvault docs: cannot write /nodir/x.png: no such folder /nodir');
});

test('bad arguments are named', () => {
  assert.match(faxvault(['docs', 'list']).err, /--data DIR is required/);
  assert.match(faxvault(['docs', '--data', join(dir, 'none'), 'list']).err, /no flash image/);
  assert.match(faxvault(['docs', '--data', data, 'export', '99', join(dir, 'y.tif')]).err, /no document 99/);
  assert.match(faxvault(['docs', '--data', data, 'frobnicate']).err, /expected 'list', 'journal' or 'export ID OUT'/);
});

test.run();
