// The SMTP client in virtual time against the simulated LAN's SMTP peer: the whole dialogue with
// and without PIPELINING/EHLO/AUTH mechanisms, dot-stuffing, SIZE, and every reply class at every
// stage (RFC 5321 §4.2.1: 4xx temporary, 5xx permanent), dropped connections, slow and hung servers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rig } from './rig.ts';
import { bytesSource } from '../../../firmware/mail/source.ts';
import type { SmtpStage } from '../../../sim/mail/smtp-peer.ts';
import { mailText } from '../../../sim/mail/smtp-peer.ts';

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const BODY = 'Subject: t\r\n\r\nline one\r\n.starts with a dot\r\n.\r\n..two dots\r\nbare lf\nend without line end';

test('a message goes through with AUTH PLAIN, SIZE and PIPELINING; dot-stuffing undone by the server', () => {
  const t = rig();
  const peer = t.smtpPeer();
  const { r } = t.send(bytesSource(enc(BODY)), { size: 200 });
  assert.ok(r.ok, r.text);
  assert.is(r.code, 250);
  assert.equal(r.accepted, ['ann@example.test']);
  assert.is(peer.received.length, 1);
  // The server sees exactly the body, line ends made CRLF, ended by a CRLF before the dot.
  assert.is(mailText(peer.received[0]), BODY.replace(/\r?\n/g, '\r\n') + '\r\n');
  assert.is(peer.received[0].params, 'SIZE=200');
  assert.ok(peer.commands.some((c) => c.startsWith('AUTH PLAIN ')));
  assert.is(t.smtp.state.name, 'IDLE');
  // No secret in the trace.
  assert.not.match(t.trace(), /s3cret|czNjcmV0/);
  assert.match(t.trace(), /AUTH PLAIN \(credentials\)/);
});

test('PIPELINING saves round trips (MAIL, RCPT and DATA in one go, RFC 2920)', () => {
  const a = rig();
  a.smtpPeer({ delayMs: 100 });
  const piped = a.send(bytesSource(enc('x')), { to: ['a@x.test', 'b@x.test', 'c@x.test'] });
  const b = rig();
  b.smtpPeer({ delayMs: 100, extensions: ['SIZE 1000000', 'AUTH PLAIN'] });
  const plain = b.send(bytesSource(enc('x')), { to: ['a@x.test', 'b@x.test', 'c@x.test'] });
  assert.ok(piped.r.ok && plain.r.ok);
  // Without pipelining: MAIL, 3×RCPT, DATA each wait for a reply; with it, one wait.
  assert.ok(plain.ms - piped.ms >= 400, `pipelined ${piped.ms} ms, in turn ${plain.ms} ms`);
});

test('an old server: EHLO refused, HELO used; AUTH LOGIN when PLAIN is not offered', () => {
  const t = rig();
  const peer = t.smtpPeer({ noEhlo: true });
  const r1 = t.send(bytesSource(enc('hello')), { server: 'smtp://10.0.0.25:2525' }).r;
  assert.ok(r1.ok, r1.text);
  assert.ok(peer.commands.includes('HELO fax.appliance.test'));
  const u = rig();
  const p2 = u.smtpPeer({ extensions: ['AUTH LOGIN'] });
  const r2 = u.send(bytesSource(enc('hello'))).r;
  assert.ok(r2.ok, r2.text);
  assert.ok(p2.commands.includes('AUTH LOGIN'));
  assert.not.match(u.trace(), /s3cret|czNjcmV0/);
});

test('wrong credentials: 535, permanent; credentials but no AUTH offered: permanent, clear', () => {
  const t = rig();
  t.smtpPeer();
  const r = t.send(bytesSource(enc('x')), { server: 'smtp://fax:wrong@10.0.0.25:2525' }).r;
  assert.is(r.ok, false);
  assert.is(r.temporary, false);
  assert.is(r.code, 535);
  assert.is(r.stage, 'AUTH');
  const u = rig();
  u.smtpPeer({ extensions: ['PIPELINING'] });
  const r2 = u.send(bytesSource(enc('x'))).r;
  assert.is(r2.temporary, false);
  assert.match(r2.text, /offers neither AUTH PLAIN nor AUTH LOGIN/);
});

const stages: { stage: SmtpStage; where: string }[] = [
  { stage: 'greeting', where: 'GREETING' },
  { stage: 'ehlo', where: 'EHLO' },
  { stage: 'auth', where: 'AUTH' },
  { stage: 'mail', where: 'MAIL' },
  { stage: 'rcpt', where: 'RCPT' },
  { stage: 'data', where: 'DATA' },
  { stage: 'dot', where: 'DOT' },
];

for (const pipelining of [true, false]) {
  test(`4xx at every stage is temporary, 5xx permanent, nothing delivered (pipelining ${pipelining})`, () => {
    for (const { stage, where } of stages) {
      for (const code of [421, 451, 452, 550, 552, 554]) {
        const t = rig();
        const ext = pipelining ? undefined : ['SIZE 1000000', 'AUTH PLAIN'];
        const peer = t.smtpPeer({ fail: { stage, code, text: 'test says no' }, extensions: ext, noEhlo: false });
        const { r } = t.send(bytesSource(enc('body')));
        const label = `${stage} ${code}`;
        assert.is(r.ok, false, label);
        assert.is(r.temporary, code < 500, label);
        assert.is(r.code, code, label);
        assert.is(r.stage, where, label);
        assert.match(r.text, /test says no/, label);
        assert.is(peer.received.length, 0, label);
        assert.is(t.smtp.state.name, 'IDLE', label);
      }
    }
  });
}

test('a dropped connection at any stage, or in the middle of the data, is temporary and delivers nothing', () => {
  for (const stage of ['greeting', 'ehlo', 'auth', 'mail', 'rcpt', 'data', 'body', 'dot'] as SmtpStage[]) {
    const t = rig();
    const peer = t.smtpPeer({ drop: { stage, afterBytes: 3000 } });
    const big = new Uint8Array(20000).fill(65);
    for (let i = 76; i < big.length; i += 78) (big[i] = 13), (big[i + 1] = 10);
    const { r } = t.send(bytesSource(big));
    assert.is(r.ok, false, stage);
    assert.is(r.temporary, true, stage);
    assert.match(r.text, /closed by the server/, stage);
    assert.is(peer.received.length, 0, stage);
    assert.is(t.smtp.state.name, 'IDLE', stage);
  }
});

test('a 5xx in the middle of the data ends the attempt at once (permanent), no final dot', () => {
  const t = rig();
  const peer = t.smtpPeer({ fail: { stage: 'body', code: 552, text: 'message too big' } });
  const { r } = t.send(bytesSource(new Uint8Array(50000).fill(66)));
  assert.is(r.ok, false);
  assert.is(r.temporary, false);
  assert.is(r.code, 552);
  assert.is(peer.received.length, 0);
  assert.not.ok(peer.commands.includes('.'));
});

test('a slow server is waited for; a hung one times out after RFC 5321 §4.5.3.2 (10 minutes after the dot)', () => {
  const t = rig();
  const peer = t.smtpPeer({ delayMs: 60_000 });
  const slow = t.send(bytesSource(enc('slow but fine')));
  assert.ok(slow.r.ok, slow.r.text);
  assert.ok(slow.ms >= 5 * 60_000);
  assert.is(peer.received.length, 1);
  const u = rig();
  u.smtpPeer({ hang: 'dot' });
  const hung = u.send(bytesSource(enc('never confirmed')));
  assert.is(hung.r.temporary, true);
  assert.is(hung.r.stage, 'DOT');
  assert.match(hung.r.text, /no answer from the server in time during DOT/);
  assert.ok(hung.ms >= 600_000 && hung.ms < 620_000, String(hung.ms));
  const v = rig();
  v.smtpPeer({ hang: 'greeting' });
  const g = v.send(bytesSource(enc('x')));
  assert.ok(g.ms >= 300_000 && g.ms < 310_000, String(g.ms));
});

test('SIZE: a message larger than the server takes is refused before MAIL (552, permanent)', () => {
  const t = rig();
  const peer = t.smtpPeer({ extensions: ['SIZE 1000', 'AUTH PLAIN'] });
  const { r } = t.send(bytesSource(enc('x')), { size: 5000 });
  assert.is(r.code, 552);
  assert.is(r.temporary, false);
  assert.not.ok(peer.commands.some((c) => c.startsWith('MAIL')));
});

test('one recipient refused of two: sent to the other, the refusal reported per address', () => {
  for (const piped of [true, false]) {
    const t = rig();
    const peer = t.smtpPeer({ fail: { stage: 'rcpt', code: 550, text: 'no such user', rcptOnly: ['bad@x.test'] }, extensions: piped ? undefined : ['AUTH PLAIN'] });
    const { r } = t.send(bytesSource(enc('x')), { to: ['bad@x.test', 'good@x.test'] });
    assert.is(r.ok, false);
    assert.is(r.code, 250);
    assert.equal(r.accepted, ['good@x.test']);
    assert.equal(r.rejected.map((x) => x.address + ' ' + x.code), ['bad@x.test 550']);
    assert.equal(peer.received[0].to, ['good@x.test']);
  }
});

test('a source that fails in the middle: the connection is dropped without the final dot', () => {
  const t = rig();
  const peer = t.smtpPeer();
  let n = 0;
  const { r } = t.send({
    read(max) {
      if (++n > 3) throw new Error('flash read error at 0x3000');
      return new Uint8Array(Math.min(max, 500)).fill(67);
    },
  });
  assert.is(r.ok, false);
  assert.match(r.text, /could not be read: flash read error/);
  assert.is(peer.received.length, 0);
});

test('garbage instead of a reply, and a reply line without end: clear errors, no hang', () => {
  const t = rig();
  t.smtpPeer({ fail: { stage: 'greeting', code: 99, text: 'x' } });
  const r = t.send(bytesSource(enc('x'))).r;
  assert.match(r.text, /not an SMTP reply/);
  const u = rig();
  u.smtpPeer({ hostname: 'x'.repeat(5000) });
  const r2 = u.send(bytesSource(enc('x'))).r;
  assert.match(r2.text, /reply line longer than 512 bytes/);
  // RFC 5321 §4.5.3.1.5: 512 octets with the CRLF are a reply line's most; that still goes.
  const v = rig();
  v.smtpPeer({ hostname: 'h'.repeat(496) });
  assert.is(v.send(bytesSource(enc('x'))).r.ok, true, 'a greeting line of 512 octets with its CRLF is accepted');
});

test('messages sent while one is under way wait their turn', () => {
  const t = rig();
  const peer = t.smtpPeer();
  const results: boolean[] = [];
  for (let i = 0; i < 3; i++) {
    t.smtp.send(
      { scheme: 'smtp', host: '10.0.0.25', port: 2525, user: 'fax', pass: 's3cret', tls: false, starttls: 'auto' },
      { from: 'fax@appliance.test', to: ['n' + i + '@x.test'], body: bytesSource(enc('m' + i)), size: 0, done: (r) => results.push(r.ok) },
    );
  }
  t.clock.runUntilIdle();
  assert.equal(results, [true, true, true]);
  assert.equal(peer.received.map((m) => m.to[0]), ['n0@x.test', 'n1@x.test', 'n2@x.test']);
  assert.is(peer.connections, 3);
});

test('smtps: with a network stack without TLS, a clear permanent error', () => {
  const t = rig();
  t.smtpPeer();
  const r = t.send(bytesSource(enc('x')), { server: 'smtps://fax:s3cret@10.0.0.25:2525' }).r;
  assert.is(r.temporary, false);
  assert.match(r.text, /no TLS/);
});

test.run();
