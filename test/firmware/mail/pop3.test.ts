// The POP3 client in virtual time against the simulated LAN's POP3 peer: listing, streaming a
// message into the MIME reader, DELE only after the handler decided (and the server applies it
// only at QUIT), messages not wanted left alone, and broken servers: a connection dropped in the
// middle of a message, a truncated reply, garbage, a wrong password, no UIDL, a failing QUIT.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { rig, url } from './rig.ts';
import type { Pop3Handler, Pop3Result } from '../../../firmware/mail/pop3-client.ts';
import { MimeReader } from '../../../firmware/mail/mime-reader.ts';
import { MimeWriter } from '../../../firmware/mail/mime-writer.ts';
import { bytesSource } from '../../../firmware/mail/source.ts';

interface Seen {
  uid: string;
  error: string | null;
  subject: string;
  attachment: Buffer;
  mimeError: string | null;
}

/** A handler that parses each message with the MIME reader and deletes those `remove` approves. */
function handler(t: ReturnType<typeof rig>, opts: { want?: (uid: string) => boolean; remove?: (s: Seen) => boolean } = {}) {
  const seen: Seen[] = [];
  let result: Pop3Result | null = null;
  let reader: MimeReader | null = null;
  let cur: Seen | null = null;
  let parts: Buffer[] = [];
  const h: Pop3Handler = {
    want: (uid) => (opts.want ? opts.want(uid) : true),
    begin(uid) {
      cur = { uid, error: null, subject: '', attachment: Buffer.alloc(0), mimeError: null };
      parts = [];
      reader = new MimeReader({
        header(name, value) {
          if (name === 'subject') (cur as Seen).subject = value;
        },
        partStart() {},
        partData(b) {
          parts.push(Buffer.from(b));
        },
        partEnd() {},
      });
    },
    line(b, len) {
      (reader as MimeReader).line(b, 0, len);
    },
    end(uid, error) {
      const s = cur as Seen;
      s.error = error;
      if (!error) {
        (reader as MimeReader).end();
        s.mimeError = (reader as MimeReader).error;
        s.attachment = Buffer.concat(parts);
      }
      seen.push(s);
      // Processing and commit happen later (another event): the session must wait for it.
      t.clock.after(5000, () => t.pop3.decide(uid, !error && (opts.remove ? opts.remove(s) : true)));
    },
    done(r) {
      result = r;
    },
  };
  return {
    h,
    seen,
    check(server = 'pop3://fax:s3cret@10.0.0.25:1110') {
      result = null;
      t.pop3.check(url(server), h);
      t.clock.runUntilIdle(2_000_000);
      if (!result) throw new Error('no result\n' + t.trace());
      return result as Pop3Result;
    },
  };
}

function mail(subject: string, payload: Uint8Array): Uint8Array {
  const w = new MimeWriter({
    from: 'ann@example.test',
    to: ['fax@appliance.test'],
    subject,
    date: 0,
    messageId: '<' + subject + '@x>',
    boundary: 'b-' + randomBytes(8).toString('hex'),
    parts: [
      { type: 'text/plain', text: 'hello\n.dot line\n..two' },
      { type: 'application/x-faxvault-sealed', filename: 'r.fxv', body: bytesSource(payload) },
    ],
  });
  const out: Buffer[] = [];
  for (let b = w.read(999); b; b = w.read(999)) out.push(Buffer.from(b));
  return new Uint8Array(Buffer.concat(out));
}

test('messages are listed, streamed through the MIME reader, deleted after the decision, at QUIT', () => {
  const t = rig();
  const peer = t.pop3Peer();
  const a = randomBytes(40_000);
  const b = randomBytes(10);
  peer.deliver(mail('first', a));
  peer.deliver(mail('second', b));
  const hd = handler(t);
  const r = hd.check();
  assert.ok(r.ok, r.text);
  assert.is(r.listed, 2);
  assert.is(r.fetched, 2);
  assert.is(r.deleted, 2);
  assert.equal(hd.seen.map((s) => s.subject), ['first', 'second']);
  assert.equal(hd.seen.map((s) => s.mimeError), [null, null]);
  // text part + attachment, concatenated: the attachment bytes come last and whole
  assert.ok(hd.seen[0].attachment.subarray(-a.length).equals(a));
  assert.ok(hd.seen[1].attachment.subarray(-b.length).equals(b));
  assert.is(peer.mailbox.length, 0);
  const dele = peer.commands.indexOf('DELE 1');
  const retr2 = peer.commands.indexOf('RETR 2');
  assert.ok(dele > 0 && retr2 > dele, 'DELE 1 after the decision, before RETR 2');
  assert.not.match(t.trace(), /s3cret/);
});

test('messages the handler does not want, or decides to keep, stay on the server', () => {
  const t = rig();
  const peer = t.pop3Peer();
  const keep = peer.deliver('Subject: not for us\r\n\r\nhello\r\n');
  peer.deliver(mail('ours', randomBytes(100)));
  peer.deliver(mail('ours but kept', randomBytes(100)));
  const hd = handler(t, { want: (uid) => uid !== keep, remove: (s) => s.subject === 'ours' });
  const r = hd.check();
  assert.ok(r.ok);
  assert.is(r.fetched, 2);
  assert.is(r.deleted, 1);
  assert.not.ok(peer.commands.includes('RETR 1'));
  assert.equal(peer.mailbox.map((m) => m.uid).length, 2);
});

test('a connection lost in the middle of RETR: the message is reported broken, nothing deleted, fetched whole next time', () => {
  const t = rig();
  const peer = t.pop3Peer({ dropInRetrAfter: 3000 });
  const payload = randomBytes(20_000);
  peer.deliver(mail('big', payload));
  const hd = handler(t);
  const r1 = hd.check();
  assert.is(r1.ok, false);
  assert.is(r1.temporary, true);
  assert.match(hd.seen[0].error ?? '', /connection was lost in the middle of the message/);
  assert.is(peer.mailbox.length, 1);
  const r2 = hd.check();
  assert.ok(r2.ok, r2.text);
  assert.ok(hd.seen[1].attachment.subarray(-payload.length).equals(payload));
  assert.is(peer.mailbox.length, 0);
});

test('deletions are applied only when QUIT succeeds (RFC 1939 §6)', () => {
  const t = rig();
  const peer = t.pop3Peer({ failQuit: true });
  peer.deliver(mail('x', randomBytes(10)));
  const hd = handler(t);
  const r = hd.check();
  assert.is(r.ok, false);
  assert.is(r.temporary, true);
  assert.match(r.text, /QUIT/);
  assert.is(peer.mailbox.length, 1);
});

test('a truncated RETR (no terminating line, server silent): times out, reported, nothing deleted', () => {
  const t = rig();
  const peer = t.pop3Peer({ truncateRetr: true });
  peer.deliver(mail('x', randomBytes(1000)));
  const hd = handler(t);
  const r = hd.check();
  assert.is(r.ok, false);
  assert.match(hd.seen[0].error ?? '', /stopped arriving/);
  assert.is(peer.mailbox.length, 1);
});

test('wrong password: permanent; garbage instead of POP3: clear error; no UIDL: number+size stand in', () => {
  const t = rig();
  t.pop3Peer();
  const r = handler(t).check('pop3://fax:nope@10.0.0.25:1110');
  assert.is(r.ok, false);
  assert.is(r.temporary, false);
  assert.match(r.text, /PASS: -ERR \[AUTH\]/);
  const u = rig();
  u.pop3Peer({ garbageStat: true });
  const r2 = handler(u).check();
  assert.match(r2.text, /STAT: HELLO/);
  const v = rig();
  const peer = v.pop3Peer({ noUidl: true });
  peer.deliver(mail('x', randomBytes(10)));
  const hd = handler(v);
  const r3 = hd.check();
  assert.ok(r3.ok, r3.text);
  assert.match(hd.seen[0].uid, /^n1s\d+$/);
});

test('an empty mailbox, and a refused connection', () => {
  const t = rig();
  t.pop3Peer();
  const r = handler(t).check();
  assert.ok(r.ok);
  assert.is(r.listed, 0);
  const u = rig();
  const r2 = handler(u).check();
  assert.is(r2.ok, false);
  assert.is(r2.temporary, true);
  assert.match(r2.text, /refused/);
});

test.run();
