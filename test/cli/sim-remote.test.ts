// `faxvault sim --remote NUMBER[,ecm]`: a fax machine answers at a number of the simulated line,
// so a send from the panel (scan + START) reaches somebody, and its pages come out as PNG files
// whose paths the run prints.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { writePbm } from '../../host/image/pbm.ts';
import { newBitmap, rowOf } from '../../host/image/bitmap.ts';

const dir = mkdtempSync(join(tmpdir(), 'fv-remote-'));
const page = newBitmap(1728, 200, 204, 196);
for (let y = 20; y < 180; y++) rowOf(page, y)[(y * 7) % 216] = 0xf0;
const doc = join(dir, 'letter.pbm');
writeFileSync(doc, writePbm([page]));

function sim(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/faxvault.js', 'sim', '--quiet', '--seed', 'remote', ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

for (const ecm of [false, true]) {
  test(`a panel send reaches the machine at --remote 5551234${ecm ? ',ecm' : ''}; its page is written as PNG with the pixels sent`, () => {
    const data = join(dir, 'data' + (ecm ? '-ecm' : ''));
    const r = sim(['--data', data, '--scan', doc, '--remote', '5551234' + (ecm ? ',ecm' : ''), '--keys', 'START 5551234 START wait:90s']);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /TX 5551234 1 page .* ok/);
    const m = /remote 5551234 received 1 page: (\S+\.png)/.exec(r.out);
    assert.ok(m, r.out);
    const png = PNG.sync.read(readFileSync(m![1]));
    assert.is(png.width, 1728);
    assert.is(png.height, 200);
    for (let y = 0; y < 200; y++) {
      for (let x = 0; x < 1728; x += 7) {
        const black = png.data[(y * 1728 + x) * 4] < 128;
        assert.is(black, ((rowOf(page, y)[x >> 3] >> (7 - (x & 7))) & 1) === 1, `pixel ${x},${y}`);
      }
    }
  });
}

test('bad --remote values are usage errors', () => {
  const r = sim(['--remote', '555-1234', '--keys', 'wait:1s']);
  assert.is(r.code, 2);
  assert.match(r.err, /--remote must be a number, optionally with ,ecm/);
});

test.run();
