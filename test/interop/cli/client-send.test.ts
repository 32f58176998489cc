// The fax server across separate processes in real time: `faxvault client send` codes two pages
// on the "sender's computer", sends them sealed over the LAN to `faxvault sim --modem tcp:` (the
// appliance with its FAXNIKS key, on SpanDSP's T.31 modem), which dials and sends them to
// SpanDSP's fax terminal. The terminal's TIFF, decoded by libtiff, must be the pixels that were
// sent; `client send --wait` reports the job sent and `client status` lists it. The LAN bytes,
// recorded by a relay, hold no page data in clear.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync, readFileSync } from 'node:fs';
import { FV, fv, relay, freePort, run, exited, waitForPort } from './processes.ts';
import { startPeer } from '../peer/harness.ts';
import { textPage, writePbm, tempDir, decodeTiff, diffBitmaps } from '../peer/pages.ts';

test('client send → sealed over the LAN → sim dials SpanDSP\'s terminal → its TIFF = the sent pixels', async () => {
  const dir = tempDir('fv-client-send-');
  const center = join(dir, 'center');
  assert.is(fv(['center', 'init', '--dir', center, '--suites', 'poly', '--t', '7']).status, 0);
  for (const id of ['host:fax.test', 'host:pc-ann.test']) {
    assert.is(fv(['center', 'issue', id, '--dir', center, '--out', join(dir, id.slice(5) + '.key')]).status, 0);
  }
  const lanPort = await freePort();
  const capture: Buffer[] = [];
  const toAppliance = await relay(lanPort, capture);
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({
    station: { ident: '+1 555 0100' }, lan: { listen: lanPort },
    boxes: [{ number: '12', owner: 'host:pc-ann.test', code: '471100' }],
  }));
  const pages = [
    textPage(['faxvault client send', 'through the appliance', 'page 1 of 2'], { height: 420 }),
    textPage(['sealed on the LAN, T.30 on the line', 'page 2 of 2'], { height: 380 }),
  ];
  const files = pages.map((p, i) => { const f = join(dir, `p${i}.pbm`); writePbm(f, p); return f; });
  const received = join(dir, 'received.tif');
  const peer = await startPeer({ role: 'receive', file: received, tcp: 0, ident: '+49 30 5550199', ecm: false, codings: ['mh', 'mr'] });
  const sim = spawn(process.execPath, [...FV, 'sim', '--modem', `tcp:127.0.0.1:${peer.tcpPort}`, '--config', cfg, '--data', join(dir, 'data'), '--key', join(dir, 'fax.test.key')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let simOut = '';
  sim.stdout!.on('data', (d) => (simOut += d));
  sim.stderr!.on('data', (d) => (simOut += d));
  const simDone = exited(sim, 300000);
  const appliance = `host:fax.test@127.0.0.1:${toAppliance.port}`;
  try {
    // The appliance's LAN service listens once the process has started.
    await waitForPort(lanPort);
    const send = await run(['client', 'send', '--key', join(dir, 'pc-ann.test.key'), '--appliance', appliance, ...files, '--to', '5550199', '--wait'], 200000);
    assert.is(send.status, 0, send.stdout + send.stderr + '\n--- sim ---\n' + simOut + '\n--- faxpeer ---\n' + peer.trace().slice(-3000));
    assert.match(send.stdout, /job \d+ queued: 2 pages to 5550199/);
    assert.match(send.stdout, /#\d+ 5550199 sent 2\/2 pages/);
    const r = await peer.result;
    assert.is(r.status, 0, `terminal: ${r.text}`);
    const got = decodeTiff(received); // libtiff/netpbm decode the terminal's file
    assert.is(got.length, 2);
    for (let i = 0; i < 2; i++) assert.is(diffBitmaps(pages[i], got[i]), null, `page ${i + 1}`);

    const st = await run(['client', 'status', '--key', join(dir, 'pc-ann.test.key'), '--appliance', appliance]);
    assert.is(st.status, 0, st.stdout + st.stderr);
    assert.match(st.stdout, /#\d+ 5550199 sent 2\/2 pages \d+ \(1 dial\)/);

    // No page data in clear on the LAN: no 24-byte piece of the pages' bitmaps or of their MMR
    // coding (as the client codes them) appears in the capture.
    const wire = Buffer.concat(capture);
    assert.ok(wire.length > 2000);
    const pbm = readFileSync(files[0]);
    let found = 0;
    for (let o = pbm.length - 24 * 200; o + 24 <= pbm.length; o += 24) if (wire.indexOf(pbm.subarray(o, o + 24)) >= 0) found++;
    assert.is(found, 0);
    assert.is(wire.indexOf('5550199'), -1, 'the number dialled is sealed too');
  } finally {
    sim.kill('SIGTERM');
    await simDone;
    await peer.kill();
    toAppliance.server.close();
  }
});

test.run();
