// Device-side mail figures, bundled by bench/mail.ts with the device build (lowered to ES5) and run
// on the Espruino interpreter's Linux build: the JS variables in use after loading the mail stack
// and the kernel, and their peak while (1) a multipart message with a 24 KB attachment is written
// and read back through the MIME writer and reader, and (2) the SMTP client sends it through a
// small in-process SMTP responder on a loopback socket pair, in virtual time. Prints
// `MAIL-BENCH {json}`.
import { Kernel } from '../../firmware/kernel/index.ts';
import { VirtualClock } from '../../firmware/kernel/virtual-clock.ts';
import { SmtpClient } from '../../firmware/mail/smtp-client.ts';
import type { SmtpResult } from '../../firmware/mail/smtp-client.ts';
import { MimeWriter } from '../../firmware/mail/mime-writer.ts';
import { MimeReader } from '../../firmware/mail/mime-reader.ts';
import { bytesSource } from '../../firmware/mail/source.ts';
import type { Net, TcpSocket } from '../../hal/net.ts';

declare const print: ((s: string) => void) | undefined;
declare const process: { memory?: () => { usage: number; total: number } } | undefined;

function out(s: string): void {
  if (typeof print === 'function') print(s);
  else console.log(s);
}

function vars(): number {
  return typeof process !== 'undefined' && process && process.memory ? process.memory().usage : 0;
}

let peak = 0;
function sample(): void {
  const v = vars();
  if (v > peak) peak = v;
}

/** One socket end of a loopback pair, bytes delivered through the virtual clock. */
class End implements TcpSocket {
  peer: End | null = null;
  inbox: Uint8Array[] = [];
  size = 0;
  closed = false;
  onConnect: (() => void) | null = null;
  onReadable: (() => void) | null = null;
  onWritable: (() => void) | null = null;
  onClose: ((error: string | null) => void) | null = null;
  constructor(private clock: VirtualClock) {}
  write(b: Uint8Array): number {
    const p = this.peer as End;
    const copy = new Uint8Array(b.length);
    copy.set(b);
    this.clock.after(1, function () {
      const was = p.size;
      p.inbox.push(copy);
      p.size += copy.length;
      if (was === 0 && p.onReadable) p.onReadable();
    });
    return b.length;
  }
  read(max: number): Uint8Array {
    const n = Math.min(max, this.size);
    const o = new Uint8Array(n);
    let k = 0;
    while (k < n) {
      const c = this.inbox[0];
      const t = Math.min(c.length, n - k);
      o.set(c.subarray(0, t), k);
      k += t;
      if (t === c.length) this.inbox.shift();
      else this.inbox[0] = c.subarray(t);
    }
    this.size -= n;
    return o;
  }
  readable(): number {
    return this.size;
  }
  close(): void {
    this.closed = true;
  }
  remote(): string {
    return 'loopback';
  }
}

/** An SMTP responder: canned replies, counts the data bytes it took. */
function responder(s: End, got: { bytes: number; messages: number }): void {
  let line = '';
  let data = false;
  const say = function (t: string): void {
    const b = new Uint8Array(t.length + 2);
    for (let i = 0; i < t.length; i++) b[i] = t.charCodeAt(i);
    b[t.length] = 13;
    b[t.length + 1] = 10;
    s.write(b);
  };
  say('220 bench ESMTP');
  s.onReadable = function () {
    const b = s.read(s.readable());
    for (let i = 0; i < b.length; i++) {
      if (b[i] === 10) {
        const l = line;
        line = '';
        if (data) {
          if (l === '.') {
            data = false;
            got.messages++;
            say('250 queued');
          } else got.bytes += l.length + 2;
          continue;
        }
        const v = l.substring(0, 4).toUpperCase();
        if (v === 'EHLO') say('250-bench\r\n250-PIPELINING\r\n250 SIZE 10000000');
        else if (v === 'DATA') {
          data = true;
          say('354 go on');
        } else if (v === 'QUIT') say('221 bye');
        else say('250 ok');
      } else if (b[i] !== 13) line += String.fromCharCode(b[i]);
    }
  };
}

function message(att: Uint8Array): MimeWriter {
  return new MimeWriter({
    from: 'fax@example.com', to: ['ann@example.com'], subject: 'faxvault message', date: 0, messageId: '<1@example.com>',
    boundary: 'fv-bench', parts: [{ type: 'text/plain', text: 'A sealed message is attached.' }, { type: 'application/x-faxvault-sealed', filename: 'document.fxv', body: bytesSource(att) }],
  });
}

export function run(): void {
  const base = vars();
  const att = new Uint8Array(24 * 1024);
  for (let i = 0; i < att.length; i++) att[i] = (i * 131 + 7) & 255;
  // (1) MIME round trip, 100 bytes at a time.
  peak = 0;
  let n = 0;
  let parts = 0;
  const r = new MimeReader({
    header: function () {},
    partStart: function () {
      parts++;
    },
    partData: function (b: Uint8Array) {
      if (parts === 2) n += b.length;
      sample();
    },
    partEnd: function () {},
  });
  const w = message(att);
  for (let b = w.read(100); b !== null; b = w.read(100)) r.feed(b);
  r.end();
  const mimePeak = peak;
  out('MAIL-BENCH-MIME ' + JSON.stringify({ base: base, mimePeak: mimePeak, mimeOk: n === att.length && !r.error }));
  // (2) SMTP through the loopback, in virtual time.
  const clock = new VirtualClock(0);
  const k = new Kernel(clock, { faultPolicy: 'halt' });
  const got = { bytes: 0, messages: 0 };
  const net: Net = {
    connect: function (): TcpSocket {
      const a = new End(clock);
      const b = new End(clock);
      a.peer = b;
      b.peer = a;
      clock.after(1, function () {
        responder(b, got);
        if (a.onConnect) a.onConnect();
      });
      return a;
    },
    listen: function () {
      return { close: function () {} };
    },
    localAddress: function () {
      return '127.0.0.1';
    },
  };
  const smtp = new SmtpClient(1, net, 'bench');
  k.add(smtp);
  k.start();
  const loaded = vars();
  let result: SmtpResult | null = null;
  peak = 0;
  smtp.send({ scheme: 'smtp', host: 'mx', port: 25, user: '', pass: '', tls: false, starttls: 'no' }, {
    from: 'fax@example.com', to: ['ann@example.com'], body: message(att), size: 0,
    done: function (x: SmtpResult) {
      result = x;
    },
  });
  for (let i = 0; i < 1000000 && clock.step(); i++) sample();
  const ok = result !== null && (result as SmtpResult).ok;
  out('MAIL-BENCH ' + JSON.stringify({ base: base, loaded: loaded, mimePeak: mimePeak, mimeOk: n === att.length && !r.error, smtpPeak: peak, smtpOk: ok, dataBytes: got.bytes, total: typeof process !== 'undefined' && process && process.memory ? process.memory().total : 0 }));
}
