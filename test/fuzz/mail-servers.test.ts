// What a mail server sends the appliance's SMTP and POP3 clients (firmware/mail): for every line
// the client writes, a generated server answers a generated sequence of pieces — reply lines of
// every class (2xx/3xx/4xx/5xx, multi-line, with and without the extensions the client looks
// for), POP3 +OK/-ERR, message text with dot-stuffing, noise — or hangs up. Whatever comes, the
// client must not fault, must end with exactly one outcome in bounded virtual time (every wait
// has its RFC 5321 §4.5.3.2 / POP3 timeout), and never report success for what was refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel } from '../../firmware/kernel/index.ts';
import { VirtualClock } from '../../firmware/kernel/virtual-clock.ts';
import { LoopbackLan } from '../../sim/board/net.ts';
import { SmtpClient } from '../../firmware/mail/smtp-client.ts';
import type { SmtpResult } from '../../firmware/mail/smtp-client.ts';
import { Pop3Client } from '../../firmware/mail/pop3-client.ts';
import type { Pop3Result } from '../../firmware/mail/pop3-client.ts';
import { parseServerUrl } from '../../firmware/mail/url.ts';
import { bytesSource } from '../../firmware/mail/source.ts';
import type { TcpSocket } from '../../hal/net.ts';
import { bytes, check, fc } from './budget.ts';

const LINES = [
  '220 mail.test ESMTP', '250 ok', '250-mail.test', '250-PIPELINING', '250-SIZE 1000', '250-AUTH PLAIN LOGIN', '250 STARTTLS', '334 ', '334 VXNlcm5hbWU6',
  '235 ok', '354 go', '421 bye', '450 later', '451 local error', '500 what', '501 syntax', '535 no', '550 no such user', '552 too big', '554 failed',
  '+OK', '+OK 2 320', '+OK 1 120', '1 120', '2 200', '1 uid-1', '2 uid-2', '.', '..dotted', 'Subject: x', '', '-ERR no', '-ERR [IN-USE] busy', '+ ',
  '250', '2', '999 odd', '+OKAY', 'x'.repeat(1100),
];

const piece = fc.oneof(
  fc.constantFrom(...LINES).map((l) => l + '\r\n'),
  fc.constantFrom(...LINES).map((l) => l + '\n'),
  bytes(40).map((b) => String.fromCharCode(...b)),
  fc.constant('<close>'),
);

/** The server: greets with answers[0], then answers[n] to the client's n-th line (n ≥ 1). */
function serve(lan: LoopbackLan, clock: VirtualClock, port: number, answers: { parts: string[]; gap: number }[]): void {
  const host = lan.host('10.0.0.25');
  host.listen(port, (s: TcpSocket) => {
    let n = 0;
    let line = 0;
    let closed = false;
    const say = (i: number) => {
      const a = answers[i % Math.max(1, answers.length)];
      if (!a || i > 60) return; // then silence: the client's timeout must end it
      let t = 1;
      for (const p of a.parts) {
        t += a.gap;
        clock.after(t, () => {
          if (closed) return;
          if (p === '<close>') {
            closed = true;
            s.close();
          } else s.write(Uint8Array.from(Array.from(p, (c) => c.charCodeAt(0) & 0xff)));
        });
      }
    };
    s.onReadable = () => {
      const b = s.read(65536);
      for (const x of b) if (x === 10) say(++line);
    };
    s.onClose = () => {
      closed = true;
    };
    say(n++);
  });
}

const answers = fc.array(fc.record({ parts: fc.array(piece, { maxLength: 4 }), gap: fc.integer({ min: 0, max: 2000 }) }), { maxLength: 10 });

test('the SMTP client, whatever the server says: one outcome, no fault, no success without 250 after the data', () => {
  check(
    'smtp server replies',
    fc.property(answers, fc.boolean(), (ans, auth) => {
      const clock = new VirtualClock(0);
      const lan = new LoopbackLan(clock);
      const kernel = new Kernel(clock, { faultPolicy: 'halt' });
      const smtp = new SmtpClient(2, lan.host('10.0.0.2'), 'fax.test');
      kernel.add(smtp);
      kernel.start();
      serve(lan, clock, 2525, ans);
      const results: SmtpResult[] = [];
      const url = parseServerUrl(auth ? 'smtp://u:p@10.0.0.25:2525' : 'smtp://10.0.0.25:2525', ['smtp']).url!;
      smtp.send(url, { from: 'fax@test', to: ['a@test', 'b@test'], body: bytesSource(Uint8Array.from([104, 105, 13, 10])), size: 4, done: (r) => results.push(r) });
      clock.runUntilIdle(2_000_000);
      assert.equal(kernel.faults, [], 'faults');
      assert.is(results.length, 1, 'exactly one outcome');
      const r = results[0];
      if (r.ok) assert.ok(ans.some((a) => a.parts.some((p) => p.startsWith('250'))), 'success needs a 250');
    }),
    0.2,
  );
});

test('the POP3 client, whatever the server says: one outcome, no fault, every begun message ended', () => {
  check(
    'pop3 server replies',
    fc.property(answers, (ans) => {
      const clock = new VirtualClock(0);
      const lan = new LoopbackLan(clock);
      const kernel = new Kernel(clock, { faultPolicy: 'halt' });
      const pop3 = new Pop3Client(1, lan.host('10.0.0.2'));
      kernel.add(pop3);
      kernel.start();
      serve(lan, clock, 1110, ans);
      const results: Pop3Result[] = [];
      let begun = 0;
      let ended = 0;
      pop3.check(parseServerUrl('pop3://u:p@10.0.0.25:1110', ['pop3']).url!, {
        want: () => true,
        begin: () => begun++,
        line: (b, len) => assert.ok(len <= b.length),
        end: (uid) => {
          ended++;
          clock.after(10, () => pop3.decide(uid, true));
        },
        done: (r) => results.push(r),
      });
      clock.runUntilIdle(2_000_000);
      assert.equal(kernel.faults, [], 'faults');
      assert.is(results.length, 1, 'exactly one outcome');
      assert.is(ended, begun, 'every message begun is ended');
    }),
    0.2,
  );
});

test.run();
