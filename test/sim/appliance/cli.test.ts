// The same story through the `faxvault sim` command, one process per run, the flash image and
// printed pages in --data: the confidential reception in one process, the pass code at the
// keypad in the next; the printed PNG is the page that was sent, pixel for pixel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { writePbm } from '../../../host/image/pbm.ts';
import { page } from './helpers.ts';

/** Rows of a 1-bit greyscale PNG written with filter 0 (the simulator's printer), 1 = black. */
function readPng(buf: Buffer): { width: number; height: number; rows: Buffer[] } {
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = (width + 7) >> 3;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const r = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) r[i] = ~r[i] & 0xff;
    rows.push(r);
  }
  return { width, height, rows };
}

function sim(args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/faxvault.js', 'sim', '--seed', 'cli', ...args], { encoding: 'utf8', timeout: 120000 });
  assert.is(r.status, 0, r.stderr);
  return r.stdout;
}

test('faxvault sim: reception to box 12 in one process, printed with the pass code in the next', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-sim-cli-'));
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({ station: { ident: '+49 30 1234567', name: 'Office 3' }, fax: { ringsBeforeAnswer: 1 }, boxes: [{ number: '12', code: '4711' }] }));
  const sent = page(11, 320);
  writePbmFile(join(dir, 'page.pbm'), sent);
  const data = join(dir, 'data');
  const out1 = sim(['--data', data, '--config', cfg, '--remote-send', join(dir, 'page.pbm'), '--remote-sub', '12', '--keys', 'wait:60s show']);
  assert.match(out1, /\|MEM \d+%  CONF 1\s*\|/);
  const list = readPng(readFileSync(join(data, 'printer', 'page-0001.png')));
  assert.ok(list.height < 600, 'the first printout is the one-page list, not the document');
  const out2 = sim(['--data', data, '--config', cfg, '--keys', 'show BOX 12 OK 4711 OK wait:10s show']);
  assert.match(out2, /\|MEM \d+%  CONF 1\s*\|/, 'kept across the restart');
  assert.match(out2, /\|Delete 1 document\?  \|/);
  // The second run numbers its pages after the first run's list.
  const printed = readPng(readFileSync(join(data, 'printer', 'page-0002.png')));
  assert.is(printed.width, 1728);
  assert.is(printed.height, sent.height);
  for (let y = 0; y < sent.height; y++) {
    assert.ok(Buffer.compare(printed.rows[y], Buffer.from(sent.data.subarray(y * 216, (y + 1) * 216))) === 0, 'row ' + y);
  }
});

function writePbmFile(path: string, b: ReturnType<typeof page>): void {
  writeFileSync(path, writePbm([b]));
}

test.run();
