// Fax calls through `faxvault sim` on the emulated line, as a user runs them: a real process,
// files in, PNG pages and journal lines out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { writePbm } from '../../host/image/pbm.ts';
import { newBitmap, rowOf } from '../../host/image/bitmap.ts';

const dir = mkdtempSync(join(tmpdir(), 'fv-calls-'));
const page = newBitmap(1728, 240, 204, 196);
for (let y = 10; y < 230; y++) {
  const r = rowOf(page, y);
  r[(y * 5) % 216] = 0xff;
  r[(y * 11 + 3) % 216] |= 0x3c;
}
const doc = join(dir, 'doc.pbm');
writeFileSync(doc, writePbm([page, page]));
const cfg = join(dir, 'cfg.json');
writeFileSync(cfg, JSON.stringify({ station: { ident: '+1 555 0100' }, boxes: [{ number: '12', owner: 'mail:ann@example.com', code: '4711' }] }));

function faxvault(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/faxvault.js', 'sim', '--config', cfg, '--seed', 'calls', ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The printed PNG as packed fax rows (1 = black). */
function pngRows(file: string): Uint8Array[] {
  const png = PNG.sync.read(readFileSync(file));
  const rows: Uint8Array[] = [];
  for (let y = 0; y < png.height; y++) {
    const r = new Uint8Array((png.width + 7) >> 3);
    for (let x = 0; x < png.width; x++) if (png.data[(y * png.width + x) * 4] < 128) r[x >> 3] |= 0x80 >> (x & 7);
    rows.push(r);
  }
  return rows;
}

test('an ordinary reception prints every page pixel-identical', () => {
  const data = join(dir, 'ordinary');
  const r = faxvault(['--data', data, '--remote-send', doc, '--exit-after-calls', '1']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^RX \+49 89 5550123 2 pages 14400 MH ok/m);
  const pages = readdirSync(join(data, 'printer')).sort();
  assert.equal(pages, ['page-0001.png', 'page-0002.png']);
  for (const p of pages) {
    const rows = pngRows(join(data, 'printer', p));
    assert.is(rows.length, 240);
    for (let y = 0; y < 240; y++) assert.equal(rows[y], rowOf(page, y), `${p} row ${y}`);
  }
});

test('a reception for box 12 prints only the confidential list, and the idle screen counts it', () => {
  const data = join(dir, 'box');
  const r = faxvault(['--data', data, '--remote-send', doc, '--remote-sub', '12', '--exit-after-calls', '1']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /SUB 12 ok/);
  const pages = readdirSync(join(data, 'printer'));
  assert.is(pages.length, 1, 'only the list prints');
  const rows = pngRows(join(data, 'printer', pages[0]));
  // The list is a report page, not the document: none of the document's rows appears in it.
  const docRows = new Set([...Array(240).keys()].map((y) => Buffer.from(rowOf(page, y)).toString('hex')));
  docRows.delete(Buffer.alloc(216).toString('hex'));
  assert.not.ok(rows.some((row) => docRows.has(Buffer.from(row.subarray(0, 216)).toString('hex'))));
  const lines = r.out.trim().split('\n');
  assert.match(lines[lines.length - 1], /CONF 1/);
  // A new process with the same --data still has it waiting.
  const again = faxvault(['--data', data, '--keys', 'wait:1s']);
  assert.match(again.out.trim().split('\n')[0], /CONF 1/);
});

test('the appliance sends a document to a number on the line', () => {
  const r = faxvault(['--send', doc, '--to', '555', '--exit-after-calls', '1']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^TX .* 2 pages .* ok/m);
});

test('bad call options are named', () => {
  assert.match(faxvault(['--send', doc]).err, /--send needs --to NUMBER/);
  assert.match(faxvault(['--send', doc, '--to', 'abc']).err, /--to must be a phone number/);
  assert.match(faxvault(['--remote-send', join(dir, 'nope.pbm')]).err, /--remote-send: cannot read/);
});

test.run();
