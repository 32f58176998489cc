// `faxvault sim --modem tcp:…` against a real modem and a real fax terminal: SpanDSP's T.31
// modem (faxpeer) answers the CLI's TCP connection, SpanDSP's terminal calls with SUB 12 and
// the box's password (PWD/SID) and sends two pages. The simulator keeps them in box 12; `faxvault docs` exports them with the
// pass code, and libtiff decodes that export to exactly the pixels the terminal sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startPeer } from '../peer/harness.ts';
import { textPage, writePbm, pbmToTiff, tempDir, decodeTiff, diffBitmaps } from '../peer/pages.ts';

test('a real terminal sends to box 12 with its password through a real modem on TCP; kept, exported with the code, pixel-identical', async () => {
  const dir = tempDir('fv-cli-tcp-');
  const pages = [textPage(['faxvault sim over TCP', 'page 1 of 2'], { height: 320 }), textPage(['for box 12 only', 'page 2 of 2'], { height: 360 })];
  const pbms = pages.map((p, i) => {
    const f = join(dir, `p${i}.pbm`);
    writePbm(f, p);
    return f;
  });
  pbmToTiff(pbms, join(dir, 'doc.tif'), { coding: 'g3:2d' });
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({ station: { ident: '+1 555 0100' }, fax: { ringsBeforeAnswer: 1 }, boxes: [{ number: '12', owner: 'mail:ann@example.com', code: '4711', pwd: '555' }] }));
  const peer = await startPeer({ role: 'send', file: join(dir, 'doc.tif'), tcp: 0, ident: '+49 30 5550100', ecm: false, codings: ['mh', 'mr'], sub: '12', pwd: '555' });
  const data = join(dir, 'data');
  const sim = spawn(process.execPath, ['bin/faxvault.js', 'sim', '--modem', `tcp:127.0.0.1:${peer.tcpPort}`, '--config', cfg, '--data', data, '--exit-after-calls', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  sim.stdout.on('data', (d) => (out += d));
  sim.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => {
    const t = setTimeout(() => sim.kill(), 150000);
    sim.on('close', (c) => {
      clearTimeout(t);
      resolve(c);
    });
  });
  const result = await peer.result;
  assert.is(code, 0, out + '\n' + peer.trace().slice(-3000));
  assert.match(out, /RX \+49 30 5550100 2 pages .* SUB 12 ok/);
  assert.is(result.status, 0, `terminal: ${result.text}`);
  const tif = join(dir, 'out.tif');
  const exp = spawnSync(process.execPath, ['bin/faxvault.js', 'docs', '--data', data, 'export', '1', tif, '--code', '4711'], { encoding: 'utf8' });
  assert.is(exp.status, 0, exp.stderr);
  const got = decodeTiff(tif); // libtiff's tiffcp/netpbm decode of our export
  assert.is(got.length, 2);
  for (let i = 0; i < 2; i++) assert.is(diffBitmaps(pages[i], got[i]), null, `page ${i + 1}`);
});

test.run();
