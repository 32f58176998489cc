// `faxvault client mail` as a process, against small SMTP and POP3 servers in this test process on
// loopback (sim/mail's peers on node:net): mails the appliance would send are sealed here with
// the appliance's key. What is proven: with --keep and --watch, a kept notice is shown and asked
// for once, the document that answers it is written and acknowledged once, and later checks that
// read both again send nothing more (no request/document loop); a notice of a document already in
// the folder is not asked for. Through Postfix and Dovecot with the whole appliance:
// test/interop/cli/client-mail.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { NodeNet } from '../../hal/node/net.ts';
import type { Net, TcpListener, TcpSocket } from '../../hal/net.ts';
import { RealClock } from '../../hal/node/clock.ts';
import { SmtpPeer } from '../../sim/mail/smtp-peer.ts';
import type { ReceivedMail } from '../../sim/mail/smtp-peer.ts';
import { Pop3Peer } from '../../sim/mail/pop3-peer.ts';
import { readKeyFile, agreementsOf } from '../../host/crypto/keyfile.ts';
import { clientKeys } from '../../host/client/client.ts';
import { sealMessage } from '../../firmware/crypto/envelope.ts';
import { openMessage } from '../../firmware/crypto/envelope-open.ts';
import { MemoryPeerKeyCache } from '../../firmware/crypto/keys.ts';
import { AEAD_CHACHA20_POLY1305 } from '../../firmware/crypto/suites.ts';
import { MSG_ACK, MSG_DOCUMENT, MSG_NOTICE, MSG_REQUEST, REC_DATA, REC_DOC, REC_END, REC_PAGE, jsonBytes, record } from '../../firmware/lan/messages.ts';
import { T4Encoder } from '../../firmware/fax/t4/encoder.ts';
import { RECEIVED_FILE, ReceivedIndex } from '../../host/client/received.ts';
import { simpleParser } from 'mailparser';

const dir = mkdtempSync(join(tmpdir(), 'fv-client-mail-cli-'));
/** Where the file is and what the client said last: printed if the file ever gets stuck. */
let stage = 'start';
let lastText = '';
// A stuck file must not hold up the suite: after two minutes it ends, saying where it was.
setTimeout(() => {
  process.stderr.write(`client-mail test stuck at: ${stage}\nthe client said:\n${lastText}\n`);
  process.exit(1);
}, 120000).unref();
const FAX = 'mail:fax@appliance.test';
const ANN = 'mail:ann@example.test';
const fv = (args: string[]) => spawnSync(process.execPath, ['bin/faxvault.js', ...args], { encoding: 'utf8', timeout: 60000 });

function keys(file: string) {
  return clientKeys(agreementsOf(readKeyFile(file)));
}

const summary = { box: '12', doc: 7, from: '+49 89 5550123', time: 1764936000000, pages: 1, bytes: 0, protection: 'all' };

/** A mail as the appliance sends it: a sealed message from the appliance to ann (docs/MAIL.md). */
function applianceMail(type: number, plain: Uint8Array, filename: string): string {
  const k = keys(join(dir, 'fax.key'));
  const env = sealMessage({
    agreement: k.agreements[0], to: ANN, aead: AEAD_CHACHA20_POLY1305, contentType: type, timestamp: Date.now(), challenge: null,
    segmentSize: 4096, entropy: k.entropy, cache: new MemoryPeerKeyCache(4), accel: null,
  }, plain);
  const b64 = Buffer.from(env).toString('base64').replace(/.{76}/g, '$&\r\n');
  return ['From: fax@appliance.test', 'To: ann@example.test', 'Subject: faxvault message', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary=BB', '', '--BB', 'Content-Type: text/plain', '', 'sealed', '--BB',
    `Content-Type: application/x-faxvault-sealed; name=${filename}`, 'Content-Transfer-Encoding: base64', '', b64, '--BB--', ''].join('\r\n');
}

/** The document's record stream (docs/LAN-PROTOCOL.md §4): one MH page of 40 rows. */
function documentPlain(): Uint8Array {
  const parts: Uint8Array[] = [];
  const enc = new T4Encoder({ coding: 'mh', width: 1728, onData: (b) => parts.push(b.slice()) });
  for (let y = 0; y < 40; y++) enc.encodeRow(new Uint8Array(216).fill(y % 2 ? 0xf0 : 0));
  enc.finish();
  const data = Buffer.concat(parts);
  return Buffer.concat([
    record(REC_DOC, jsonBytes(summary)),
    record(REC_PAGE, jsonBytes({ page: 1, coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'msb-first' })),
    record(REC_DATA, data),
    record(REC_END, new Uint8Array(0)),
  ]);
}

/** What the client mailed to the appliance, opened with the appliance's key: [content type, body]. */
async function opened(m: ReceivedMail): Promise<[number, unknown]> {
  const p = await simpleParser(Buffer.from(m.data));
  const k = keys(join(dir, 'fax.key'));
  const o = openMessage({
    agreements: k.agreements, cache: new MemoryPeerKeyCache(4), accel: null, suitesFor: null, aeads: null,
    now: Date.now(), maxAgeMs: 0, maxFutureMs: 0, expectChallenge: null, replay: null,
  }, new Uint8Array(p.attachments[0].content));
  return [o.header.contentType, JSON.parse(Buffer.from(o.plain).toString())];
}

/** Two free ports, different (both probes are open at once, so the system cannot hand out one twice). */
async function freePorts(): Promise<[number, number]> {
  const probes = [createServer(), createServer()];
  const ports = await Promise.all(probes.map((srv) => new Promise<number>((resolve) => srv.listen(0, '127.0.0.1', () => resolve((srv.address() as AddressInfo).port)))));
  await Promise.all(probes.map((srv) => new Promise((r) => srv.close(r))));
  return [ports[0], ports[1]];
}

/** ann's mailbox (POP3) and the SMTP server she sends through, on loopback; close() stops both. */
async function servers() {
  const node = new NodeNet('127.0.0.1');
  const listeners: TcpListener[] = [];
  const net: Net = Object.assign(Object.create(node) as Net, {
    listen: (port: number, cb: (s: TcpSocket) => void) => {
      const l = node.listen(port, cb);
      listeners.push(l);
      return l;
    },
  });
  const clock = new RealClock();
  const [p1, p2] = await freePorts();
  const pop3 = new Pop3Peer(net, clock, p1, { user: 'ann@example.test', pass: 'pw' });
  const smtp = new SmtpPeer(net, clock, p2, { user: 'ann@example.test', pass: 'pw' });
  return { pop3, smtp, close: () => listeners.forEach((l) => l.close()) };
}

async function runClient(pop3: number, smtp: number, out: string, ms: number): Promise<string> {
  const p = spawn(process.execPath, ['bin/faxvault.js', 'client', 'mail', '--key', join(dir, 'ann.key'),
    '--pop3', `pop3://ann%40example.test:pw@127.0.0.1:${pop3}`, '--smtp', `smtp://ann%40example.test:pw@127.0.0.1:${smtp}`,
    '--appliance', FAX, '--out', out, '--code', '4711', '--keep', '--watch', '--every', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  p.stdout.on('data', (d) => (lastText = text += d));
  p.stderr.on('data', (d) => (lastText = text += d));
  stage = 'client running';
  const closed = new Promise<number | null>((r) => p.on('close', (c) => r(c)));
  const early = await Promise.race([closed, new Promise<'running'>((r) => setTimeout(() => r('running'), ms))]);
  if (early !== 'running') return text + `\n(the client ended by itself: exit ${early})`;
  stage = 'client killed, waiting for it to close';
  p.kill();
  await closed;
  stage = 'client closed';
  return text;
}

test('set-up: the appliance\'s and the owner\'s keys', () => {
  assert.is(fv(['center', 'init', '--dir', join(dir, 'c'), '--suites', 'poly', '--t', '3']).status, 0);
  for (const [id, f] of [[FAX, 'fax.key'], [ANN, 'ann.key']]) assert.is(fv(['center', 'issue', id, '--dir', join(dir, 'c'), '--out', join(dir, f)]).status, 0);
});

test('--keep --watch: a kept notice is asked for once; its document written and acknowledged once; checks that read both again send nothing', async () => {
  stage = 'starting the servers';
  const { pop3, smtp, close } = await servers();
  // The appliance answers the request with the document mail (into ann's kept mailbox).
  const seen: ReceivedMail[] = [];
  smtp.opts.onReceive = (m) => {
    seen.push(m);
    void opened(m).then(([type]) => {
      if (type === MSG_REQUEST) pop3.deliver(applianceMail(MSG_DOCUMENT, documentPlain(), 'document.fxv'));
    });
  };
  pop3.deliver(applianceMail(MSG_NOTICE, jsonBytes({ ...summary, kind: 'notice' }), 'notice.fxv'));
  const out = join(dir, 'out1');
  const text = await runClient(pop3.port, smtp.port, out, 7000);
  stage = 'opening what the client mailed';
  const got = await Promise.all(seen.map(opened));
  assert.equal(got.map(([t]) => t), [MSG_REQUEST, MSG_ACK], text);
  assert.equal(got[1][1], { doc: 7, of: 'document' });
  assert.is(pop3.mailbox.length, 2, 'both kept');
  assert.is(text.match(/notice: box 12 {2}document 7/g)?.length, 1, text);
  assert.is(text.match(/saved .*box12_doc7\.tif/g)?.length, 1, text);
  assert.is(readdirSync(out).filter((f) => f.endsWith('.tif')).length, 1);
  close();
});

test('a notice of a document already in the folder is not asked for', async () => {
  stage = 'starting the servers';
  const { pop3, smtp, close } = await servers();
  const out = join(dir, 'out2');
  const index = new ReceivedIndex((spawnSync('mkdir', ['-p', out]), out));
  const file = join(out, 'had.tif');
  writeFileSync(file, 'x');
  index.add(ReceivedIndex.key(FAX, summary), file);
  assert.ok(readdirSync(out).includes(RECEIVED_FILE));
  const seen: ReceivedMail[] = [];
  smtp.opts.onReceive = (m) => seen.push(m);
  pop3.deliver(applianceMail(MSG_NOTICE, jsonBytes({ ...summary, kind: 'notice' }), 'notice.fxv'));
  const text = await runClient(pop3.port, smtp.port, out, 3500);
  assert.match(text, new RegExp(`already saved as ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not asked for again`));
  assert.is(seen.length, 0, 'no request mailed');
  close();
});

test.run();
