// The product's story across separate processes in real time: SpanDSP's terminal sends a
// confidential fax to box 12 through SpanDSP's T.31 modem and `faxvault sim --modem tcp:` (with
// the appliance's FAXNIKS key); the box owner's `faxvault client listen` prints the notice the
// appliance delivered over the LAN; `faxvault client fetch` with the pass code writes a TIFF
// that libtiff decodes to the pixels the terminal sent. Every byte between the appliance and
// the client passes through a relay in this test that records both directions: the capture
// must hold no sender number, no pass code and no page data in clear.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { FV, fv, relay, freePort, run, collect, exited } from './processes.ts';
import { startPeer } from '../peer/harness.ts';
import { textPage, writePbm, pbmToTiff, tempDir, decodeTiff, diffBitmaps } from '../peer/pages.ts';

test('SpanDSP → sim (box 12) → notice on `client listen` → `client fetch` TIFF = the sent pixels; the LAN capture holds nothing in clear', async () => {
  const dir = tempDir('fv-client-lan-');
  const center = join(dir, 'center');
  assert.is(fv(['center', 'init', '--dir', center, '--suites', 'poly', '--t', '7']).status, 0);
  assert.is(fv(['center', 'issue', 'host:fax.test', '--dir', center, '--out', join(dir, 'fax.key')]).status, 0);
  assert.is(fv(['center', 'issue', 'host:pc-ann.test', '--dir', center, '--out', join(dir, 'ann.key')]).status, 0);

  const capture: Buffer[] = [];
  const clientPort = await freePort();
  const lanPort = await freePort();
  const toClient = await relay(clientPort, capture); // the appliance connects here for the notice
  const toAppliance = await relay(lanPort, capture); // client fetch connects here

  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({
    station: { ident: '+1 555 0100' }, fax: { ringsBeforeAnswer: 1 }, lan: { listen: lanPort },
    boxes: [{ number: '12', owner: 'host:pc-ann.test', address: `127.0.0.1:${toClient.port}`, code: '4711', pwd: '555' }],
  }));
  const out = join(dir, 'faxes');
  const listen = spawn(process.execPath, [...FV, 'client', 'listen', '--key', join(dir, 'ann.key'), '--port', String(clientPort), '--host', '127.0.0.1', '--out', out, '--exit-after', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const listenOut = collect(listen);

  const pages = [textPage(['confidential for box 12', 'page 1 of 2'], { height: 300 }), textPage(['sealed on the LAN', 'page 2 of 2'], { height: 340 })];
  const pbms = pages.map((p, i) => { const f = join(dir, `p${i}.pbm`); writePbm(f, p); return f; });
  pbmToTiff(pbms, join(dir, 'doc.tif'), { coding: 'g3:2d' });
  const peer = await startPeer({ role: 'send', file: join(dir, 'doc.tif'), tcp: 0, ident: '+49 30 5550100', ecm: false, codings: ['mh', 'mr'], sub: '12', pwd: '555' });
  const sim = spawn(process.execPath, [...FV, 'sim', '--modem', `tcp:127.0.0.1:${peer.tcpPort}`, '--config', cfg, '--data', join(dir, 'data'), '--key', join(dir, 'fax.key')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const simOut = collect(sim);
  const simDone = exited(sim, 240000);
  try {
    const code = await exited(listen, 180000);
    const result = await peer.result;
    assert.is(result.status, 0, `terminal: ${result.text}\n${peer.trace().slice(-2000)}`);
    assert.is(code, 0, listenOut.text() + '\n--- sim ---\n' + simOut.text());
    assert.match(listenOut.text(), /notice: box 12 {2}document \d+ {2}from \+49 30 5550100 {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}2 pages {2}\(from host:fax\.test\)/);

    const fetch = await run(['client', 'fetch', '--key', join(dir, 'ann.key'), '--appliance', `host:fax.test@127.0.0.1:${toAppliance.port}`, '--box', '12', '--code', '4711', '--out', out]);
    assert.is(fetch.status, 0, fetch.stdout + fetch.stderr + '\n--- sim ---\n' + simOut.text());
    const tifs = readdirSync(out).filter((f) => f.endsWith('.tif'));
    assert.is(tifs.length, 1, readdirSync(out).join(' '));
    assert.match(tifs[0], /^\d{4}-\d\d-\d\d_\d{4}_\+49-30-5550100_box12_doc\d+\.tif$/);
    assert.ok(readdirSync(out).includes(tifs[0].replace(/\.tif$/, '.pdf')));
    const got = decodeTiff(join(out, tifs[0])); // libtiff (tiffcp) and netpbm decode it
    assert.is(got.length, 2);
    for (let i = 0; i < 2; i++) assert.is(diffBitmaps(pages[i], got[i]), null, `page ${i + 1}`);

    // A wrong code now: the exit code and the tries left.
    const wrong = await run(['client', 'fetch', '--key', join(dir, 'ann.key'), '--appliance', `host:fax.test@127.0.0.1:${toAppliance.port}`, '--box', '12', '--code', '1111', '--doc', '1', '--out', out]);
    assert.is(wrong.status, 4, wrong.stderr);
    assert.match(wrong.stderr, /wrong pass code: 4 more tries before the box locks/);

    const wire = Buffer.concat(capture);
    assert.ok(wire.length > 2000, 'the relay saw the traffic');
    for (const secret of ['5550100', '555 0100', '4711']) assert.is(wire.indexOf(secret), -1, `"${secret}" in clear on the LAN`);
    // No page data in clear: no 24-byte piece of the coded pages (the TIFF's strips) on the wire.
    const tif = readFileSync(join(out, tifs[0]));
    const firstIfd = tif.readUInt32LE(4);
    let found = 0;
    for (let o = 8; o + 24 <= firstIfd; o += 24) if (wire.indexOf(tif.subarray(o, o + 24)) >= 0) found++;
    assert.is(found, 0, 'coded page data in clear on the LAN');
  } finally {
    sim.kill('SIGTERM');
    await simDone;
    await peer.kill();
    toClient.server.close();
    toAppliance.server.close();
  }
});

test.run();
