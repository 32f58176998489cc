// An ordinary fax to e-mail across real peers in real time: SpanDSP's terminal sends two pages
// with no SUB through SpanDSP's T.31 modem to `faxvault sim --modem tcp:`, whose settings mail
// ordinary receptions (ordinary.mailTo, mailInClear) through Postfix; Dovecot delivers to the
// mailbox, curl reads it over POP3, mailparser finds a T.37 simple-mode message (RFC 3965) with an
// `image/tiff; application=faxbw` attachment, and libtiff decodes it to the pixels the terminal sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { startPeer } from '../peer/harness.ts';
import { textPage, writePbm, pbmToTiff, tempDir, decodeTiff, diffBitmaps } from '../peer/pages.ts';
import { mailServers, freshAddress, waitForMail, curlPop3 } from './servers.ts';

function exited(p: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const t = setTimeout(() => p.kill(), ms);
    p.on('close', (c) => { clearTimeout(t); resolve(c); });
  });
}

test('SpanDSP → sim (no SUB) → T.37 mail through Postfix into Dovecot; libtiff decodes the attachment to the sent pixels', async () => {
  const servers = mailServers();
  const dir = tempDir('fv-t37-');
  const to = freshAddress('office');
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({
    station: { ident: '+1 555 0100', name: 'Front office' }, fax: { ringsBeforeAnswer: 1 },
    mail: { address: 'fax@appliance.test', smtp: `smtp://fax:${servers.password}@${servers.host}:${servers.ports.smtp}?starttls=no` },
    ordinary: { print: false, mailTo: [to], mailInClear: true },
  }));
  const pages = [textPage(['an ordinary fax', 'to the office mailbox', 'page 1 of 2'], { height: 360 }), textPage(['T.37 simple mode', 'page 2 of 2'], { height: 300 })];
  const pbms = pages.map((p, i) => { const f = join(dir, `p${i}.pbm`); writePbm(f, p); return f; });
  pbmToTiff(pbms, join(dir, 'doc.tif'), { coding: 'g3:2d' });
  const peer = await startPeer({ role: 'send', file: join(dir, 'doc.tif'), tcp: 0, ident: '+49 30 5550100', ecm: false, codings: ['mh', 'mr'] });
  const sim = spawn(process.execPath, ['bin/faxvault.js', 'sim', '--modem', `tcp:127.0.0.1:${peer.tcpPort}`, '--config', cfg, '--data', join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  sim.stdout!.on('data', (d) => (out += d));
  sim.stderr!.on('data', (d) => (out += d));
  const done = exited(sim, 240000);
  try {
    const r = await peer.result;
    assert.is(r.status, 0, `terminal: ${r.text}`);
    await waitForMail(servers, to, 1, 60000).catch((e) => { throw new Error(e.message + '\n--- sim ---\n' + out); });
    const raw = curlPop3(servers, to, 1); // curl: an independent POP3 client
    const m = await simpleParser(raw);
    assert.is(m.subject, 'Fax from +49 30 5550100 (2 pages)');
    assert.match(raw.toString(), /Content-Type: image\/tiff; application=faxbw/);
    const att = m.attachments.find((a) => a.contentType === 'image/tiff');
    assert.ok(att, 'the TIFF attachment');
    const tif = join(dir, 'att.tif');
    writeFileSync(tif, att!.content);
    assert.match(execFileSync('tiffinfo', [tif], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), /CCITT Group 3/);
    const got = decodeTiff(tif); // libtiff (tiffcp) and netpbm decode it
    assert.is(got.length, 2);
    for (let i = 0; i < 2; i++) assert.is(diffBitmaps(pages[i], got[i]), null, `page ${i + 1}`);
  } finally {
    sim.kill('SIGTERM');
    await done;
    await peer.kill();
  }
});

test.run();
