// The firmware's mail clients in real time on Node's network stack (hal/node), for tests against
// real servers: a kernel on the real clock, an SmtpClient and a Pop3Client, promises for the test.
import { readFileSync } from 'node:fs';
import { Kernel } from '../../../firmware/kernel/index.ts';
import { RealClock } from '../../../hal/node/clock.ts';
import { NodeNet } from '../../../hal/node/net.ts';
import { SmtpClient } from '../../../firmware/mail/smtp-client.ts';
import type { SmtpResult, SmtpTimeouts } from '../../../firmware/mail/smtp-client.ts';
import { Pop3Client } from '../../../firmware/mail/pop3-client.ts';
import type { Pop3Handler, Pop3Result, Pop3Timeouts } from '../../../firmware/mail/pop3-client.ts';
import { MimeReader } from '../../../firmware/mail/mime-reader.ts';
import type { MimePartInfo } from '../../../firmware/mail/mime-reader.ts';
import { parseServerUrl } from '../../../firmware/mail/url.ts';
import type { ServerUrl } from '../../../firmware/mail/url.ts';
import type { ByteSource } from '../../../firmware/mail/source.ts';

export function url(text: string): ServerUrl {
  const r = parseServerUrl(text, ['smtp', 'smtps', 'pop3', 'pop3s']);
  if (!r.url) throw new Error(r.error);
  return r.url;
}

export interface FetchedMail {
  uid: string;
  headers: { [name: string]: string };
  parts: { info: MimePartInfo; data: Buffer }[];
  error: string | null;
}

export function realRig(opts: { ca?: string; smtpTimeouts?: SmtpTimeouts; pop3Timeouts?: Pop3Timeouts } = {}) {
  const clock = new RealClock();
  const kernel = new Kernel(clock, { faultPolicy: 'halt', traceSize: 4000 });
  const net = new NodeNet('127.0.0.1', null, opts.ca ? { ca: readFileSync(opts.ca) } : {});
  const smtp = new SmtpClient(2, net, 'fax.appliance.test', opts.smtpTimeouts);
  const pop3 = new Pop3Client(1, net, opts.pop3Timeouts);
  kernel.add(smtp);
  kernel.add(pop3);
  kernel.start();
  const trace = () => kernel.tracer.snapshot().join('\n');
  return {
    kernel,
    smtp,
    pop3,
    trace,
    send(server: string, from: string, to: string[], body: ByteSource, size = 0): Promise<SmtpResult> {
      return new Promise((resolve) => smtp.send(url(server), { from, to, body, size, done: resolve }));
    },
    /** Read a mailbox; every message through the MIME reader; delete those `remove` approves. */
    fetch(server: string, remove: (m: FetchedMail) => boolean = () => true): Promise<{ r: Pop3Result; mails: FetchedMail[] }> {
      return new Promise((resolve) => {
        const mails: FetchedMail[] = [];
        let cur: FetchedMail;
        let reader: MimeReader;
        let info: MimePartInfo;
        let chunks: Buffer[] = [];
        const h: Pop3Handler = {
          want: () => true,
          begin(uid) {
            cur = { uid, headers: {}, parts: [], error: null };
            reader = new MimeReader({
              header: (n, v) => (cur.headers[n] = v),
              partStart: (p) => {
                info = p;
                chunks = [];
              },
              partData: (b) => chunks.push(Buffer.from(b)),
              partEnd: () => cur.parts.push({ info, data: Buffer.concat(chunks) }),
            });
          },
          line: (b, len) => reader.line(b, 0, len),
          end(uid, error) {
            if (!error) reader.end();
            cur.error = error || reader.error;
            mails.push(cur);
            pop3.decide(uid, !cur.error && remove(cur));
          },
          done: (r) => resolve({ r, mails }),
        };
        pop3.check(url(server), h);
      });
    },
  };
}
