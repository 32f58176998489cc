// The firmware's SMTP client in real time against npm's smtp-server (an SMTP implementation nobody
// here wrote), for the error paths Postfix will not produce on demand: a 4xx or 5xx at each stage,
// a refused AUTH, a connection dropped in the middle of DATA, a slow server and a hung one, SIZE,
// and STARTTLS with a certificate the client was told to trust.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';
import { realRig } from './real-rig.ts';
import { bytesSource } from '../../../firmware/mail/source.ts';

const dir = mkdtempSync(join(tmpdir(), 'fv-smtp-server-'));
spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2',
  '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1']);
const key = readFileSync(join(dir, 'key.pem'));
const cert = readFileSync(join(dir, 'cert.pem'));

function smtpError(code: number, text: string): Error {
  const e = new Error(text) as Error & { responseCode: number };
  e.responseCode = code;
  return e;
}

interface Peer {
  port: number;
  received: Buffer[];
  sockets: Socket[];
  close(): Promise<void>;
}

async function server(opts: Partial<SMTPServerOptions>): Promise<Peer> {
  const received: Buffer[] = [];
  const sockets: Socket[] = [];
  const srv = new SMTPServer({
    key,
    cert,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'fax' && auth.password === 'pw') cb(null, { user: 'fax' });
      else cb(smtpError(535, 'bad credentials'));
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        cb();
      });
    },
    ...opts,
  });
  srv.on('error', () => {}); // a client giving up (untrusted certificate, dropped socket) is expected here
  (srv as unknown as { server: import('node:net').Server }).server.on('connection', (s: Socket) => sockets.push(s));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = ((srv as unknown as { server: import('node:net').Server }).server.address() as { port: number }).port;
  return { port, received, sockets, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

const t = realRig({
  ca: join(dir, 'cert.pem'),
  smtpTimeouts: { greeting: 2000, command: 2000, dataStart: 2000, dataBlock: 2000, dataEnd: 1500 },
});
const body = (n = 2000) => bytesSource(Buffer.alloc(n, 'line of text\r\n'));
const send = (p: Peer, creds = 'fax:pw@', size = 0, n?: number) => t.send(`smtp://${creds}127.0.0.1:${p.port}`, 'fax@appliance.test', ['ann@example.test'], body(n), size);

test('a clean delivery with STARTTLS (our trust anchor) and AUTH', async () => {
  const p = await server({});
  const r = await send(p);
  assert.ok(r.ok, r.text + '\n' + t.trace());
  assert.match(t.trace(), /TLS started/);
  assert.is(p.received.length, 1);
  assert.is(p.received[0].length, 2000 + 2); // our body, then the CRLF before the dot
  await p.close();
});

test('4xx at MAIL and at the end of DATA: temporary; 5xx at RCPT: permanent; nothing kept by the server', async () => {
  const cases: [Partial<SMTPServerOptions>, number, boolean, string][] = [
    [{ onMailFrom: (_a, _s, cb) => cb(smtpError(451, 'try later')) }, 451, true, 'MAIL'],
    [{ onRcptTo: (_a, _s, cb) => cb(smtpError(550, 'no such user')) }, 550, false, 'RCPT'],
    [{ onRcptTo: (_a, _s, cb) => cb(smtpError(452, 'mailbox full')) }, 452, true, 'RCPT'],
    [{ onData: (s, _x, cb) => { s.resume(); s.on('end', () => cb(smtpError(452, 'insufficient storage'))); } }, 452, true, 'DOT'],
    [{ onData: (s, _x, cb) => { s.resume(); s.on('end', () => cb(smtpError(554, 'content rejected'))); } }, 554, false, 'DOT'],
  ];
  for (const [opts, code, temporary, stage] of cases) {
    const p = await server(opts);
    const r = await send(p);
    assert.is(r.ok, false, String(code));
    assert.is(r.code, code);
    assert.is(r.temporary, temporary, String(code));
    assert.is(r.stage, stage, String(code));
    assert.is(p.received.length, 0);
    await p.close();
  }
});

test('refused AUTH: 535 permanent, the password in no trace line', async () => {
  const p = await server({});
  const r = await send(p, 'fax:wrong-password@');
  assert.is(r.code, 535);
  assert.is(r.temporary, false);
  assert.not.match(t.trace(), /wrong-password|pw@/);
  await p.close();
});

test('a connection dropped in the middle of DATA: temporary, and the server delivered nothing', async () => {
  let seen = 0;
  const p: Peer = await server({
    onData(stream, _s, cb) {
      stream.on('data', (d: Buffer) => {
        seen += d.length;
        if (seen > 100_000) for (const s of p.sockets) s.destroy();
      });
      stream.on('end', () => cb());
    },
  });
  const r = await send(p, 'fax:pw@', 0, 2_000_000);
  assert.is(r.ok, false);
  assert.is(r.temporary, true);
  assert.is(r.stage, 'BODY');
  assert.match(r.text, /closed|reset|EPIPE/i);
  assert.ok(seen > 100_000 && seen < 2_000_000);
  await p.close();
});

test('a slow server is waited for; one that never confirms the data times out (temporary)', async () => {
  const slow = await server({ onData: (s, _x, cb) => { s.resume(); s.on('end', () => setTimeout(() => cb(), 800)); } });
  const r = await send(slow);
  assert.ok(r.ok, r.text);
  await slow.close();
  const hung = await server({ onData: (s) => s.resume() });
  const t0 = Date.now();
  const r2 = await send(hung);
  assert.is(r2.temporary, true);
  assert.is(r2.stage, 'DOT');
  assert.match(r2.text, /no answer from the server in time/);
  assert.ok(Date.now() - t0 >= 1400);
  for (const s of hung.sockets) s.destroy();
  await hung.close();
});

test('SIZE: the server announces its limit and a larger message is not even offered', async () => {
  const p = await server({ size: 1000 });
  const r = await send(p, 'fax:pw@', 5000, 5000);
  assert.is(r.code, 552);
  assert.is(r.temporary, false);
  assert.is(p.received.length, 0);
  const ok = await send(p, 'fax:pw@', 600, 600);
  assert.ok(ok.ok, ok.text);
  await p.close();
});

test('smtps with an untrusted certificate is refused (the connection fails, temporary)', async () => {
  const p = await server({ secure: true });
  const other = realRig({});
  const r = await other.send(`smtps://fax:pw@127.0.0.1:${p.port}`, 'fax@appliance.test', ['a@b.test'], body());
  assert.is(r.ok, false);
  assert.match(r.text, /certificate/i);
  const trusted = await t.send(`smtps://fax:pw@127.0.0.1:${p.port}`, 'fax@appliance.test', ['a@b.test'], body());
  assert.ok(trusted.ok, trusted.text);
  await p.close();
});

test.run();
