// Delivery by e-mail across separate processes in real time, through real mail servers: SpanDSP's
// terminal sends a confidential fax to box 12 through SpanDSP's T.31 modem and `faxvault sim
// --modem tcp:`; the appliance mails the notice through Postfix (STARTTLS, AUTH) into the owner's
// Dovecot mailbox, where curl (an independent client) finds it and mailparser takes it apart:
// neither the sender's number nor any page data in clear. `faxvault client mail` with a wrong code
// is refused and counted; with the right one it mails the sealed request, the appliance reads it
// by POP3 and mails the sealed document, and the TIFF the client writes decodes (libtiff, netpbm)
// to the sent pixels. The client then mails its sealed acknowledgement back through Postfix and
// Dovecot; the appliance reads it by POP3 and only then marks the document delivered (its trace
// says so, and `faxvault docs list` of its flash shows it). Then a text-only box: the document
// comes at once, its TIFF attachment in clear opens in libtiff with the sent pixels, its SHA-256
// sealed beside it, and the client acknowledges it too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { startPeer } from '../peer/harness.ts';
import { textPage, writePbm, pbmToTiff, tempDir, decodeTiff, diffBitmaps } from '../peer/pages.ts';
import type { Bitmap } from '../peer/pages.ts';
import { mailServers, freshAddress, curlPop3, waitForMail } from '../mail/servers.ts';

const FV = ['bin/faxvault.js'];
const S = mailServers();
// The sim and the client trust the test servers' certificate (STARTTLS is then used and checked).
const env = { ...process.env, NODE_EXTRA_CA_CERTS: S.cert };

function fv(args: string[]) {
  return spawnSync(process.execPath, [...FV, ...args], { encoding: 'utf8', env });
}

function collect(p: ChildProcess): { text: () => string } {
  let out = '';
  p.stdout!.on('data', (d) => (out += d));
  p.stderr!.on('data', (d) => (out += d));
  return { text: () => out };
}

function exited(p: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const t = setTimeout(() => p.kill(), ms);
    p.on('close', (c) => {
      clearTimeout(t);
      resolve(c);
    });
  });
}

async function run(args: string[], ms = 150000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const p = spawn(process.execPath, [...FV, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  const status = await exited(p, ms);
  return { status, stdout, stderr };
}

const enc = encodeURIComponent;

/** One call from SpanDSP's terminal to a box through `faxvault sim`, which keeps running after it. */
async function call(dir: string, cfg: string, key: string, data: string, pages: Bitmap[], sub: string) {
  const pbms = pages.map((p, i) => {
    const f = join(dir, `${sub}-p${i}.pbm`);
    writePbm(f, p);
    return f;
  });
  pbmToTiff(pbms, join(dir, `${sub}.tif`), { coding: 'g3:2d' });
  const peer = await startPeer({ role: 'send', file: join(dir, `${sub}.tif`), tcp: 0, ident: '+49 30 5550100', ecm: false, codings: ['mh', 'mr'], sub, pwd: '555' });
  // --trace: the kernel's trace on stderr, where the delivery agent says when a document was delivered.
  const sim = spawn(process.execPath, [...FV, 'sim', '--modem', `tcp:127.0.0.1:${peer.tcpPort}`, '--config', cfg, '--data', data, '--key', key, '--trace'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const out = collect(sim);
  const done = exited(sim, 400000);
  return {
    peer,
    out,
    async stop() {
      sim.kill('SIGTERM');
      await done;
      await peer.kill();
    },
  };
}

/** Waits until `re` matches the process's output so far. */
async function waitFor(out: { text: () => string }, re: RegExp, ms: number): Promise<RegExpExecArray> {
  const end = Date.now() + ms;
  for (;;) {
    const m = re.exec(out.text());
    if (m) return m;
    if (Date.now() > end) throw new Error(`no ${re} within ${ms} ms; the sim said last:\n${out.text().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** 24-byte pieces of a TIFF's coded page data (between the header and the first IFD) found in `hay`. */
function pagePieces(tif: Buffer, hay: Buffer): number {
  const firstIfd = tif.readUInt32LE(4);
  let found = 0;
  for (let o = 8; o + 24 <= firstIfd; o += 24) if (hay.indexOf(tif.subarray(o, o + 24)) >= 0) found++;
  return found;
}

test('SpanDSP → sim → notice mail (Postfix/Dovecot, read by curl) → `client mail --code` → document; wrong code refused; text-only box', async () => {
  const dir = tempDir('fv-client-mail-');
  const center = join(dir, 'center');
  const faxAddr = freshAddress('fax', 'appliance.test');
  const annAddr = freshAddress('ann');
  const bobAddr = freshAddress('bob');
  assert.is(fv(['center', 'init', '--dir', center, '--suites', 'poly', '--t', '7']).status, 0);
  for (const [id, file] of [[`mail:${faxAddr}`, 'fax.key'], [`mail:${annAddr}`, 'ann.key'], [`mail:${bobAddr}`, 'bob.key']]) {
    const r = fv(['center', 'issue', id, '--dir', center, '--out', join(dir, file)]);
    assert.is(r.status, 0, r.stderr);
  }
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({
    station: { ident: '+1 555 0100' },
    fax: { ringsBeforeAnswer: 1 },
    mail: {
      address: faxAddr,
      smtp: `smtp://${enc(faxAddr)}:${S.password}@localhost:${S.ports.smtp}?starttls=yes`,
      pop3: `pop3://${enc(faxAddr)}:${S.password}@localhost:${S.ports.pop3}`,
      checkSeconds: 10,
    },
    boxes: [
      { number: '12', owner: `mail:${annAddr}`, code: '4711', pwd: '555' },
      { number: '13', owner: `mail:${bobAddr}`, code: '1234', pwd: '555', protection: 'text', delivery: { mode: 'each' } },
    ],
  }));
  const client = (key: string, addr: string, more: string[]) => run(['client', 'mail', '--key', join(dir, key),
    '--pop3', `pop3://${enc(addr)}:${S.password}@localhost:${S.ports.pop3}`,
    '--smtp', `smtp://${enc(addr)}:${S.password}@localhost:${S.ports.smtp}`,
    '--appliance', `mail:${faxAddr}`, '--out', join(dir, 'faxes-' + key), '--every', '2', ...more]);

  const pages = [textPage(['confidential for box 12', 'by e-mail, page 1 of 2'], { height: 300 }), textPage(['sealed in the mail', 'page 2 of 2'], { height: 340 })];
  const one = await call(dir, cfg, join(dir, 'fax.key'), join(dir, 'data1'), pages, '12');
  try {
    const result = await one.peer.result;
    assert.is(result.status, 0, `terminal: ${result.text}\n${one.peer.trace().slice(-2000)}`);
    await waitForMail(S, annAddr, 1, 60000).catch((e) => { throw new Error(e.message + '\n--- sim ---\n' + one.out.text()); });
    // The notice as the mail system holds it, read by curl: nothing confidential in clear.
    const notice = curlPop3(S, annAddr, 1);
    for (const secret of ['5550100', '555 0100', '4711']) assert.is(notice.indexOf(secret), -1, `"${secret}" in clear in the notice mail`);
    const parsed = await simpleParser(notice);
    assert.is(parsed.subject, 'faxvault message');
    assert.is(parsed.attachments.length, 1);
    assert.is(parsed.attachments[0].contentType, 'application/x-faxvault-sealed');
    for (const secret of ['5550100', '555 0100']) assert.is(parsed.attachments[0].content.indexOf(secret), -1);

    // The client prints the notice (and leaves the mail: --keep).
    const look = await client('ann.key', annAddr, ['--wait', '60', '--keep']);
    assert.is(look.status, 0, look.stderr + '\n--- sim ---\n' + one.out.text());
    const m = /notice: box 12 {2}document (\d+) {2}from \+49 30 5550100 {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}2 pages/.exec(look.stdout);
    assert.ok(m, look.stdout);
    const doc = m![1];

    // A wrong code: the appliance refuses by mail and counts it.
    const wrong = await client('ann.key', annAddr, ['--code', '1111', '--wait', '90']);
    assert.is(wrong.status, 4, wrong.stdout + wrong.stderr + '\n--- sim ---\n' + one.out.text());
    assert.match(wrong.stderr, /refused: wrong-code \(wrong pass code\): 4 more tries before the box locks/);

    // The right code: the sealed document comes by mail, libtiff decodes it to the sent pixels.
    const right = await client('ann.key', annAddr, ['--code', '4711', '--box', '12', '--doc', doc, '--wait', '90']);
    assert.is(right.status, 0, right.stdout + right.stderr + '\n--- sim ---\n' + one.out.text().slice(-3000));
    assert.match(right.stdout, new RegExp(`acknowledged document ${doc} of box 12`));
    // Not delivered on the mail server's word: the appliance waits for the acknowledgement mail,
    // which travels through Postfix into its Dovecot mailbox and is read at its next check.
    const delivered = await waitFor(one.out, new RegExp(`document ${doc} delivered \\(mail\\), kept`), 90000);
    const sent = one.out.text().search(new RegExp(`document mail of document ${doc} accepted: awaiting`));
    const acked = one.out.text().search(new RegExp(`document ${doc} acknowledged by mail:`));
    assert.ok(sent >= 0 && acked > sent && delivered.index > acked, 'the order: mailed, acknowledgement read, delivered');
    const out = join(dir, 'faxes-ann.key');
    const tifs = readdirSync(out).filter((f) => f.endsWith('.tif'));
    assert.is(tifs.length, 1, readdirSync(out).join(' '));
    assert.match(tifs[0], /^\d{4}-\d\d-\d\d_\d{4}_\+49-30-5550100_box12_doc\d+\.tif$/);
    const got = decodeTiff(join(out, tifs[0]));
    assert.is(got.length, 2);
    for (let i = 0; i < 2; i++) assert.is(diffBitmaps(pages[i], got[i]), null, `page ${i + 1}`);
    // The notice carried no page data in clear either (checked now that the pages are known).
    assert.is(pagePieces(readFileSync(join(out, tifs[0])), Buffer.concat([notice, parsed.attachments[0].content])), 0);
  } finally {
    await one.stop();
  }
  // What the appliance's flash says after the run: the document is kept, marked delivered.
  const listed = fv(['docs', '--data', join(dir, 'data1'), 'list']);
  assert.is(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /box 12 +2 p +\S*delivered/, listed.stdout);

  // Box 13 is text-only with automatic delivery: the document mail comes by itself.
  const textPages = [textPage(['text-only box 13', 'image not encrypted'], { height: 280 })];
  const two = await call(dir, cfg, join(dir, 'fax.key'), join(dir, 'data2'), textPages, '13');
  try {
    const result = await two.peer.result;
    assert.is(result.status, 0, `terminal: ${result.text}`);
    await waitForMail(S, bobAddr, 1, 60000).catch((e) => { throw new Error(e.message + '\n--- sim ---\n' + two.out.text()); });
    const raw = curlPop3(S, bobAddr, 1);
    assert.is(raw.indexOf('5550100'), -1, 'the sender in clear');
    const p = await simpleParser(raw);
    const tiff = p.attachments.find((a) => a.contentType === 'image/tiff');
    assert.ok(tiff, p.attachments.map((a) => a.contentType).join());
    assert.match(raw.toString('latin1'), /Content-Type: image\/tiff; application=faxbw/);
    const file = join(dir, 'attached.tif');
    writeFileSync(file, tiff!.content);
    const info = spawnSync('tiffinfo', [file], { encoding: 'utf8' });
    assert.is(info.status, 0, info.stderr);
    assert.match(info.stdout, /Compression Scheme: CCITT Group 3/);
    const img = decodeTiff(file);
    assert.is(diffBitmaps(textPages[0], img[0]), null);
    assert.ok(p.attachments.some((a) => a.contentType === 'application/x-faxvault-sealed'));
    const bob = await client('bob.key', bobAddr, ['--wait', '30']);
    assert.is(bob.status, 0, bob.stdout + bob.stderr);
    assert.match(bob.stdout, /image came unencrypted: text-only protection; its SHA-256 was checked/);
    assert.match(bob.stdout, /acknowledged document \d+ of box 13/);
  } finally {
    await two.stop();
  }
});

test.run();
