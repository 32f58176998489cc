// `faxvault docs` on the flash image a `faxvault sim` run left behind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePbm, readPbm } from '../../host/image/pbm.ts';
import { readTiff } from '../../host/image/tiff.ts';
import { newBitmap, rowOf } from '../../host/image/bitmap.ts';

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
  const r = faxvault(['docs', '--data', data, '--config', cfg, 'list']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^\s+\d+\s+rx\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\+49 89 5550123\s+box 12\s+1 p\s+.*ok/m);
});

test('a confidential document needs the right pass code; wrong codes are refused and lock the box', () => {
  const id = /^\s+(\d+)/m.exec(faxvault(['docs', '--data', data, 'list']).out)![1];
  const out = join(dir, 'x.tif');
  assert.match(faxvault(['docs', '--data', data, '--config', cfg, 'export', id, out]).err, /confidential \(box 12\): give the box's pass code/);
  assert.match(faxvault(['docs', '--data', data, '--config', cfg, 'export', id, out, '--code', '0000']).err, /pass code refused \(wrong\)/);
  assert.not.ok(existsSync(out));
  const ok = faxvault(['docs', '--data', data, '--config', cfg, 'export', id, out, '--code', '4711']);
  assert.is(ok.code, 0, ok.err);
  const [p] = readTiff(readFileSync(out));
  assert.is(p.height, 200);
  for (let y = 0; y < 200; y++) assert.equal(rowOf(p, y), rowOf(page, y), `row ${y}`);
  const pbm = join(dir, 'x.pbm');
  assert.is(faxvault(['docs', '--data', data, '--config', cfg, 'export', id, pbm, '--code', '4711']).code, 0);
  assert.equal(readPbm(readFileSync(pbm))[0].data, page.data);
  // Five wrong codes in a row lock the box, even for the right code afterwards.
  for (let i = 0; i < 5; i++) faxvault(['docs', '--data', data, '--config', cfg, 'export', id, out, '--code', '1111']);
  assert.match(faxvault(['docs', '--data', data, '--config', cfg, 'export', id, out, '--code', '4711']).err, /box 12 is locked for \d+ s/);
});

test('bad arguments are named', () => {
  assert.match(faxvault(['docs', 'list']).err, /--data DIR is required/);
  assert.match(faxvault(['docs', '--data', join(dir, 'none'), 'list']).err, /no flash image/);
  assert.match(faxvault(['docs', '--data', data, 'export', '99', join(dir, 'y.tif')]).err, /no document 99/);
  assert.match(faxvault(['docs', '--data', data, 'frobnicate']).err, /expected 'list' or 'export ID OUT'/);
});

test.run();
