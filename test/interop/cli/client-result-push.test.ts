// A LAN sender's job result, pushed, across separate processes in real time (#11; docs/FAX-SERVER.md
// §3): `faxvault client listen` runs on the sender's computer, `faxvault client send --notify PORT`
// queues a page through `faxvault sim` (the appliance with its FAXNIKS key; a fax machine of the
// simulator answers at 5551234 on the emulated line), and when the job has ended the appliance
// connects to the listener and hands it the sealed result, which it prints and acknowledges.
// The LAN bytes, recorded by a relay in front of the listener, hold nothing in clear.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { FV, fv, relay, freePort, run, exited, waitForPort, collect } from './processes.ts';
import { textPage, writePbm, tempDir } from '../peer/pages.ts';

test('client send --notify → the job ends → its sealed result appears on client listen, once', async () => {
  const dir = tempDir('fv-result-push-');
  const center = join(dir, 'center');
  assert.is(fv(['center', 'init', '--dir', center, '--suites', 'poly', '--t', '7']).status, 0);
  for (const id of ['host:fax.test', 'host:pc-ann.test']) {
    assert.is(fv(['center', 'issue', id, '--dir', center, '--out', join(dir, id.slice(5) + '.key')]).status, 0);
  }
  const lanPort = await freePort();
  const listenPort = await freePort();
  const capture: Buffer[] = [];
  const toListener = await relay(listenPort, capture);
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({ lan: { listen: lanPort }, boxes: [{ number: '12', owner: 'host:pc-ann.test', code: '471100' }] }));
  const file = join(dir, 'letter.pbm');
  writePbm(file, textPage(['the result comes back', 'by itself'], { height: 300 }));
  const listen = spawn(process.execPath, [...FV, 'client', 'listen', '--key', join(dir, 'pc-ann.test.key'), '--port', String(listenPort), '--host', '127.0.0.1', '--out', join(dir, 'in'), '--exit-after', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const listenOut = collect(listen);
  const sim = spawn(process.execPath, [...FV, 'sim', '--realtime', '--config', cfg, '--data', join(dir, 'data'), '--key', join(dir, 'fax.test.key'), '--remote', '5551234'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const simOut = collect(sim);
  const simDone = exited(sim, 300000);
  try {
    await waitForPort(lanPort);
    await waitForPort(listenPort);
    // The listener is reached through the relay (its port is what --notify names).
    const send = await run(['client', 'send', '--key', join(dir, 'pc-ann.test.key'), '--appliance', `host:fax.test@127.0.0.1:${lanPort}`, file, '--to', '5551234', '--notify', String(toListener.port)]);
    assert.is(send.status, 0, send.stdout + send.stderr + '\n--- sim ---\n' + simOut.text());
    const job = /job (\d+) queued: 1 page to 5551234/.exec(send.stdout)![1];
    const code = await exited(listen, 200000);
    assert.is(code, 0, listenOut.text() + '\n--- sim ---\n' + simOut.text());
    assert.match(listenOut.text(), new RegExp(`^result: #${job} 5551234 sent 1/1 pages \\d+ \\(1 dial\\) {2}\\(from host:fax\\.test\\)$`, 'm'));
    // Sealed on the wire: neither the number nor the state in clear.
    const wire = Buffer.concat(capture);
    assert.ok(wire.length > 100);
    assert.is(wire.indexOf('5551234'), -1);
    assert.is(wire.indexOf('sent'), -1);
    // Acknowledged: status still lists it (from the journal).
    const st = await run(['client', 'status', '--key', join(dir, 'pc-ann.test.key'), '--appliance', `host:fax.test@127.0.0.1:${lanPort}`]);
    assert.match(st.stdout, new RegExp(`#${job} 5551234 sent 1/1 pages`));
  } finally {
    listen.kill('SIGTERM');
    sim.kill('SIGTERM');
    await simDone;
    toListener.server.close();
  }
});

test.run();
