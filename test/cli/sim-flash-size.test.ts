// `faxvault sim --flash-size` (#15): a board with a larger flash is a larger image; the image
// keeps its size (a different size is refused, not silently resized), `docs` reads any size, the
// panel's memory screen and the live run's summary say the size and the room in pages.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function faxvault(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/faxvault.js', ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'fv-flash-size-'));

test('a new image takes --flash-size; the memory screen shows it; later runs keep the size', () => {
  const data = join(dir, 'big');
  const r = faxvault(['sim', '--data', data, '--flash-size', '4M', '--seed', 'f', '--keys', 'UP']);
  assert.is(r.code, 0, r.err);
  assert.is(statSync(join(data, 'flash.bin')).size, 4 << 20);
  assert.match(r.out, /\|Memory 4 MB 0% used \|Room ~69 of 69 pages\|/);
  assert.match(r.out, /IDLE\|MEM 0%  CONF 0      \|/, 'the idle line as before');
  const again = faxvault(['sim', '--data', data, '--seed', 'f', '--keys', 'DOWN']);
  assert.is(again.code, 0, again.err);
  assert.match(again.out, /\|Memory 4 MB 0% used /);
  assert.is(faxvault(['docs', '--data', data, 'list']).code, 0);
  const other = faxvault(['sim', '--data', data, '--flash-size', '1M', '--keys', 'UP']);
  assert.is(other.code, 2);
  assert.match(other.err, /--flash-size 1M: the image in .* is 4 MB and keeps that size/);
  assert.is(statSync(join(data, 'flash.bin')).size, 4 << 20, 'not resized');
});

test('the default is 1 MB, about 17 pages; sizes are checked', () => {
  const r = faxvault(['sim', '--seed', 'f', '--keys', 'UP']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /\|Memory 1 MB 0% used \|Room ~17 of 17 pages\|/);
  for (const [size, why] of [['3000', /whole number of 4096-byte sectors/], ['8K', /from 64K to 64M/], ['128M', /from 64K to 64M/], ['big', /a size such as 4M/]] as const) {
    const bad = faxvault(['sim', '--flash-size', size, '--keys', 'UP']);
    assert.is(bad.code, 2, size);
    assert.match(bad.err, why);
    assert.is(bad.err.trim().split('\n').length, 1);
  }
  assert.match(faxvault(['sim', '--help']).out, /--flash-size SIZE/);
});

test('a live run says the size and the room in its summary at exit', async () => {
  const child = spawn(process.execPath, ['bin/faxvault.js', 'sim', '--realtime', '--flash-size', '2M', '--seed', 'f'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  // Stop it once it runs (its first screen is out): then the run's own SIGTERM handler ends it.
  for (let i = 0; i < 300 && !/IDLE/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGTERM');
  const code = await new Promise((r) => child.on('exit', r));
  assert.is(code, 0);
  assert.match(out, /memory: 2 MB flash, 0% used, room for about 3\d more pages of typed text \(34 when empty\)/);
});

test.run();
