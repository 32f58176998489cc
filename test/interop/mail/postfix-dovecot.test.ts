// The firmware's SMTP and POP3 clients against real servers nobody here wrote: Postfix takes our
// mail (STARTTLS + AUTH through Dovecot's SASL, and SMTPS), Dovecot's LMTP files it, curl (an
// independent client) reads it back and mailparser checks our MIME; curl sends, our POP3 client
// (plain+STLS and POP3S) reads through our MIME reader and deletes. Postfix's own refusals (relay
// denied, bad password) and its bounce (DSN) come back as a 5xx and as a mail we can read.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { mailServers, freshAddress, curlPop3, curlSend, mailboxCount, waitForMail } from './servers.ts';
import { realRig } from './real-rig.ts';
import { MimeWriter } from '../../../firmware/mail/mime-writer.ts';
import { bytesSource } from '../../../firmware/mail/source.ts';

const S = mailServers();
const FAX = 'fax@appliance.test';
const smtpUrl = `smtp://${encodeURIComponent(FAX)}:${S.password}@127.0.0.1:${S.ports.smtp}`;
const smtpsUrl = `smtps://${encodeURIComponent(FAX)}:${S.password}@127.0.0.1:${S.ports.smtps}`;
const t = realRig({ ca: S.cert });

function writer(to: string, payload: Buffer) {
  return new MimeWriter({
    from: 'Faxvault <' + FAX + '>',
    to: [to],
    subject: 'Ein vertrauliches Fax wartet',
    date: Date.now(),
    messageId: '<' + randomBytes(8).toString('hex') + '@appliance.test>',
    boundary: 'fv-' + randomBytes(12).toString('hex'),
    parts: [
      { type: 'text/plain', text: 'A confidential fax is waiting.\n.\n..\n' },
      { type: 'application/x-faxvault-sealed', filename: 'notice.fxv', body: bytesSource(payload) },
    ],
  });
}

test('our SMTP client → Postfix (STARTTLS, AUTH PLAIN, PIPELINING) → Dovecot; curl reads it, mailparser agrees', async () => {
  const to = freshAddress('owner');
  const payload = randomBytes(300_000);
  const r = await t.send(smtpUrl, FAX, [to], writer(to, payload), 420_000);
  assert.ok(r.ok, r.text + '\n' + t.trace());
  assert.match(t.trace(), /TLS started/);
  assert.match(t.trace(), /authenticated/);
  await waitForMail(S, to);
  const raw = curlPop3(S, to, 1);
  const p = await simpleParser(raw);
  assert.is(p.subject, 'Ein vertrauliches Fax wartet');
  assert.is(p.text?.replace(/\r\n/g, '\n'), 'A confidential fax is waiting.\n.\n..\n');
  assert.is(p.attachments.length, 1);
  assert.ok(p.attachments[0].content.equals(payload));
  assert.not.match(t.trace(), new RegExp(S.password));
});

test('SMTPS (implicit TLS, port 465 style) delivers too', async () => {
  const to = freshAddress('owner');
  const payload = randomBytes(1000);
  const r = await t.send(smtpsUrl, FAX, [to], writer(to, payload));
  assert.ok(r.ok, r.text);
  await waitForMail(S, to);
  const p = await simpleParser(curlPop3(S, to, 1));
  assert.ok(p.attachments[0].content.equals(payload));
});

test("Postfix's refusals: relaying without AUTH is a permanent 554 at RCPT; a wrong password a permanent 535", async () => {
  const r = await t.send(`smtp://127.0.0.1:${S.ports.smtp}?starttls=no`, FAX, ['someone@elsewhere.invalid'], bytesSource(Buffer.from('x')));
  assert.is(r.ok, false);
  assert.is(r.temporary, false);
  assert.is(r.stage, 'RCPT');
  assert.ok(r.code >= 550 && r.code < 560, String(r.code));
  assert.match(r.text, /Relay access denied/);
  const r2 = await t.send(`smtp://${encodeURIComponent(FAX)}:wrong@127.0.0.1:${S.ports.smtp}`, FAX, [freshAddress('x')], bytesSource(Buffer.from('x')));
  assert.is(r2.code, 535);
  assert.is(r2.temporary, false);
});

test('curl sends (nodemailer composes) → our POP3 client (STLS) reads it through the MIME reader, deletes it', async () => {
  const box = freshAddress('fax', 'appliance.test');
  const bin = randomBytes(123_457);
  const raw: Buffer = await new MailComposer({
    from: 'Änne <ann@example.test>',
    to: box,
    subject: 'Re: Fax für Änne',
    text: 'Hier ist mein Code.',
    attachments: [{ filename: 'request.fxv', content: bin, contentType: 'application/x-faxvault-sealed' }],
  }).compile().build();
  curlSend(S, 'ann@example.test', box, raw);
  await waitForMail(S, box);
  const { r, mails } = await t.fetch(`pop3://${encodeURIComponent(box)}:${S.password}@127.0.0.1:${S.ports.pop3}`);
  assert.ok(r.ok, r.text + '\n' + t.trace());
  assert.match(t.trace(), /pop3: TLS started/);
  assert.is(mails.length, 1);
  assert.is(mails[0].error, null);
  assert.is(mails[0].headers.subject, 'Re: Fax für Änne');
  const att = mails[0].parts.find((x) => x.info.filename === 'request.fxv');
  assert.ok(att && att.data.equals(bin));
  assert.is(r.deleted, 1);
  assert.is(mailboxCount(S, box), 0);
});

test('POP3S (implicit TLS): a message kept is still there afterwards', async () => {
  const box = freshAddress('fax', 'appliance.test');
  curlSend(S, 'ann@example.test', box, Buffer.from('Subject: keep me\r\n\r\nhello\r\n'));
  await waitForMail(S, box);
  const { r, mails } = await t.fetch(`pop3s://${encodeURIComponent(box)}:${S.password}@127.0.0.1:${S.ports.pop3s}`, () => false);
  assert.ok(r.ok, r.text);
  assert.is(mails[0].headers.subject, 'keep me');
  assert.is(r.deleted, 0);
  assert.is(mailboxCount(S, box), 1);
});

test("a mail Postfix cannot deliver comes back as a bounce (DSN) our POP3 client and MIME reader read", async () => {
  const box = freshAddress('fax', 'appliance.test');
  const sender = `smtp://${encodeURIComponent(box)}:${S.password}@127.0.0.1:${S.ports.smtp}`;
  const r = await t.send(sender, box, ['nobody@' + S.bounceDomain], writer('nobody@' + S.bounceDomain, randomBytes(100)));
  assert.ok(r.ok, r.text); // accepted: the failure comes later, as a mail
  await waitForMail(S, box);
  const { mails } = await t.fetch(`pop3://${encodeURIComponent(box)}:${S.password}@127.0.0.1:${S.ports.pop3}`);
  assert.is(mails[0].error, null);
  assert.match(mails[0].headers['content-type'], /multipart\/report; report-type=delivery-status/);
  const status = mails[0].parts.find((p) => p.info.type === 'message/delivery-status');
  assert.ok(status);
  assert.match(status!.data.toString(), /Status: 5\.\d\.\d/);
});

test.run();
