// The whole appliance (faxvault sim, the firmware composition) answers a real fax terminal:
// SpanDSP's terminal calls through faxpeer's T.31 modem on loopback TCP with SUB 12 and PWD.
// Process 1 (real time, --modem tcp:…) receives; nothing of the document prints, only the
// confidential reception list. Process 2 (same --data, virtual line) takes box 12's pass code
// at the keypad and prints: the PNG equals the page the terminal sent, pixel for pixel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { startPeer } from '../peer/harness.ts';
import { textPage, writePbm, pbmToTiff, tempDir, diffBitmaps, type Bitmap } from '../peer/pages.ts';

function readPng(buf: Buffer): Bitmap {
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
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) for (let i = 0; i < stride; i++) rows[y * stride + i] = ~raw[y * (stride + 1) + 1 + i] & 0xff;
  return { width, height, rows };
}

test('SpanDSP sends to box 12 with SUB and PWD; the appliance keeps it; box 12 and the code print it pixel for pixel', async () => {
  const dir = tempDir('fv-appl-');
  const sent = textPage(['SpanDSP to the faxvault appliance', 'box 12, password 555', 'CONFIDENTIAL'], { height: 320 });
  writePbm(join(dir, 'p.pbm'), sent);
  pbmToTiff([join(dir, 'p.pbm')], join(dir, 'doc.tif'), { coding: 'g3:2d' });
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({ station: { ident: '+1 555 0100', name: 'Office 3' }, fax: { ringsBeforeAnswer: 1 }, boxes: [{ number: '12', code: '4711', pwd: '555' }] }));
  const data = join(dir, 'data');
  const peer = await startPeer({ role: 'send', file: join(dir, 'doc.tif'), tcp: 0, ident: '+49 30 5550100', ecm: false, codings: ['mh', 'mr'], maxRate: 14400, sub: '12', pwd: '555' });
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, ['bin/faxvault.js', 'sim', '--data', data, '--config', cfg, '--modem', `tcp:127.0.0.1:${peer.tcpPort}`, '--exit-after-calls', '1', '--seed', 'interop'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.stderr.on('data', (d) => (text += d));
      const timer = setTimeout(() => {
        p.kill();
        reject(new Error('appliance did not finish the call:\n' + text.slice(-3000)));
      }, 150000);
      p.on('exit', () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    const r = await peer.result;
    assert.is(r.status, 0, 'terminal: ' + r.text + '\n' + out.slice(-2000));
    assert.match(out, /SUB 12 ok/);
    // The process ends with the call; the list prints then or, if it had no time, at the next boot.
    const first = readdirSync(join(data, 'printer'));
    assert.ok(first.length <= 1, 'at most the list: ' + first.join(' '));
    for (const f of first) assert.ok(readPng(readFileSync(join(data, 'printer', f))).height < 600, 'a list, not the document');
    const second = spawnSync(process.execPath, ['bin/faxvault.js', 'sim', '--data', data, '--config', cfg, '--seed', 'interop2', '--keys', 'show BOX 12 OK 4711 OK wait:10s show'], { encoding: 'utf8', timeout: 120000 });
    assert.is(second.status, 0, second.stderr);
    assert.match(second.stdout, /CONF 1/);
    assert.match(second.stdout, /\|Delete 1 document\? *\|/); // after printing, the panel offers to delete
    const pngs = readdirSync(join(data, 'printer')).map((f) => readPng(readFileSync(join(data, 'printer', f))));
    const lists = pngs.filter((b) => b.height < 600 && b.height !== sent.height);
    const docs = pngs.filter((b) => b.height === sent.height);
    assert.is(docs.length, 1, 'the document printed once');
    assert.is(diffBitmaps(sent, docs[0]), null);
    assert.ok(lists.length >= 1, 'the confidential list printed (in the first or the second run)');
  } finally {
    await peer.kill();
  }
});

test.run();
