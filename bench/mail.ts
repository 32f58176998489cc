// Mail (#10, docs/MAIL.md):
//  1. MIME throughput: the firmware's streaming writer and bounded reader on a message with a
//     2 MB attachment, against nodemailer's composer and mailparser on the same message in the
//     same run (ratios > 1: ours is faster);
//  2. delivery through real servers (Postfix + Dovecot from test/setup/30-mail-servers.mjs): the
//     whole appliance in real time on the simulated board receives a fax for a `mail:` owner;
//     from the reception's end to the notice in the owner's mailbox, then from the owner's
//     request mail to the document on disk, then from the acknowledgement mail to the document
//     marked delivered (the appliance reads its mailbox at once here instead of waiting for
//     mail.checkSeconds, which otherwise adds up to that interval).
//   npm run bench -- mail
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { MimeWriter } from '../firmware/mail/mime-writer.ts';
import { MimeReader } from '../firmware/mail/mime-reader.ts';
import { bytesSource } from '../firmware/mail/source.ts';
import { parseServerUrl } from '../firmware/mail/url.ts';
import { Kernel } from '../firmware/kernel/index.ts';
import { validateSettings } from '../firmware/app/settings.ts';
import { PolyAgreement } from '../firmware/crypto/poly.ts';
import { polyMaster, polyShare } from '../host/crypto/poly-center.ts';
import { RealClock } from '../hal/node/clock.ts';
import { NodeNet } from '../hal/node/net.ts';
import { startSession } from '../sim/session.ts';
import { SeededEntropy } from '../sim/board/entropy.ts';
import { OwnerMail } from '../host/client/mail.ts';
import type { MailboxResult } from '../host/client/mail.ts';
import { saveDocument } from '../host/client/output.ts';
import { page } from '../test/sim/appliance/helpers.ts';
import { mailServers, freshAddress, mailboxCount } from '../test/interop/mail/servers.ts';
import { scratchDeviceBundle } from './scratch-bundle.ts';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function mime(): Promise<void> {
  const att = randomBytes(2 * 1024 * 1024);
  const mb = att.length / 1048576;
  const enc: number[] = [];
  const encRef: number[] = [];
  const dec: number[] = [];
  const decRef: number[] = [];
  let raw = Buffer.alloc(0);
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    const w = new MimeWriter({
      from: 'fax@example.com', to: ['ann@example.com'], subject: 'faxvault message', date: Date.now(), messageId: '<b@example.com>',
      boundary: 'fv-bench', parts: [{ type: 'text/plain', text: 'hello' }, { type: 'application/octet-stream', filename: 'a.bin', body: bytesSource(att) }],
    });
    const out: Buffer[] = [];
    for (let b = w.read(4096); b; b = w.read(4096)) out.push(Buffer.from(b));
    raw = Buffer.concat(out);
    enc.push(performance.now() - t);
    t = performance.now();
    await new MailComposer({ from: 'fax@example.com', to: 'ann@example.com', subject: 'faxvault message', text: 'hello', attachments: [{ filename: 'a.bin', content: att }] }).compile().build();
    encRef.push(performance.now() - t);
    t = performance.now();
    let n = 0;
    const r = new MimeReader({ header() {}, partStart() {}, partData(b) { n += b.length; }, partEnd() {} });
    for (let o = 0; o < raw.length; o += 65536) r.feed(raw.subarray(o, o + 65536));
    r.end();
    if (r.error || n < att.length) throw new Error('reader: ' + r.error);
    dec.push(performance.now() - t);
    t = performance.now();
    const p = await simpleParser(raw);
    if (!p.attachments[0].content.equals(att)) throw new Error('mailparser disagrees');
    decRef.push(performance.now() - t);
  }
  const [e, er, d, dr] = [median(enc), median(encRef), median(dec), median(decRef)];
  console.log(`MIME encode, 2 MB attachment: ours ${(mb / (e / 1000)).toFixed(1)} MB/s, nodemailer composer ${(mb / (er / 1000)).toFixed(1)} MB/s — ratio ${(er / e).toFixed(2)}`);
  console.log(`MIME decode, same message:   ours ${(mb / (d / 1000)).toFixed(1)} MB/s, mailparser ${(mb / (dr / 1000)).toFixed(1)} MB/s — ratio ${(dr / d).toFixed(2)}`);
  console.log(`  (ours streams: the writer holds one 76-column line, the reader one line and decodes in pieces; both libraries hold the whole message)`);
}

async function until(what: string, ms: number, ok: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(what + ': not within ' + ms + ' ms');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function delivery(): Promise<void> {
  const S = mailServers();
  const master = polyMaster(new Uint8Array(32).fill(3), 1, 7);
  const fax = freshAddress('fax', 'appliance.test');
  const ann = freshAddress('ann');
  const enc = encodeURIComponent;
  const r = validateSettings({
    fax: { ringsBeforeAnswer: 1 },
    mail: { address: fax, smtp: `smtp://${enc(fax)}:${S.password}@127.0.0.1:${S.ports.smtp}?starttls=no`, pop3: `pop3://${enc(fax)}:${S.password}@127.0.0.1:${S.ports.pop3}?starttls=no`, checkSeconds: 3600 },
    boxes: [{ number: '12', owner: `mail:${ann}`, code: '4711' }],
  });
  if (!r.settings) throw new Error(r.errors.join('; '));
  const s = startSession({
    settings: r.settings, realtime: true, seed: 'bench', dataDir: null, net: new NodeNet('127.0.0.1'),
    applianceKey: { identity: `mail:${fax}`, epoch: 1, share: polyShare(master, `mail:${fax}`) },
  });
  let ended = 0;
  const prev = s.app.onCallEnd;
  s.app.onCallEnd = (line) => {
    ended = performance.now();
    if (prev) prev(line);
  };
  const kernel = new Kernel(new RealClock(), { faultPolicy: 'halt' });
  const id = `mail:${ann}`;
  const client = new OwnerMail(kernel, new NodeNet('127.0.0.1'), {
    keys: { agreements: [new PolyAgreement(id, 1, polyShare(master, id))], accel: null, entropy: new SeededEntropy('bench-client'), now: () => Date.now() },
    appliance: `mail:${fax}`,
    pop3: parseServerUrl(`pop3://${enc(ann)}:${S.password}@127.0.0.1:${S.ports.pop3}?starttls=no`, ['pop3']).url!,
    smtp: parseServerUrl(`smtp://${enc(ann)}:${S.password}@127.0.0.1:${S.ports.smtp}?starttls=no`, ['smtp']).url!,
  }, 200);
  kernel.start();
  try {
    s.remoteSends([page(7, 300)], { sub: '12', ident: '+49 89 5550123' });
    await until('the call', 180000, () => ended > 0);
    await until('the notice mail', 30000, () => mailboxCount(S, ann) > 0);
    const tNotice = performance.now() - ended;
    const check = () => new Promise<MailboxResult>((res) => client.check(res));
    const first = await check();
    const n = first.notices[0];
    const t1 = performance.now();
    await new Promise<void>((res) => client.request(n.box, n.doc, '4711', () => res()));
    await until('the request in the appliance\'s mailbox', 30000, () => mailboxCount(S, fax) > 0);
    s.app.mail!.checkNow();
    let got: MailboxResult | null = null;
    await until('the document mail', 60000, () => mailboxCount(S, ann) > 0);
    got = await check();
    const dir = mkdtempSync(join(tmpdir(), 'fv-bench-mail-'));
    saveDocument(got.documents[0], dir);
    const tDoc = performance.now() - t1;
    // The end-to-end acknowledgement (docs/MAIL.md §Acknowledgements): mailed back, read by the
    // appliance, the document marked delivered.
    const doc = got.documents[0].summary.doc;
    const t2 = performance.now();
    await new Promise<void>((res) => client.ack(doc, () => res()));
    await until('the acknowledgement in the appliance\'s mailbox', 30000, () => mailboxCount(S, fax) > 0);
    s.app.mail!.checkNow();
    await until('the document marked delivered', 30000, () => !!s.app.store.document(doc)?.state.delivered);
    const tAck = performance.now() - t2;
    console.log(`delivery through Postfix + Dovecot: reception end → notice in the owner's mailbox ${tNotice.toFixed(0)} ms; request mailed → document on disk ${tDoc.toFixed(0)} ms; acknowledgement mailed → document marked delivered ${tAck.toFixed(0)} ms (appliance mailbox read at once; add up to mail.checkSeconds otherwise for each of the two)`);
  } finally {
    // Everything this bench started stops, so the next bench runs in a quiet process.
    s.app.kernel.halt();
    kernel.halt();
    s.app.delivery.lan.shutdown();
    if (process.env.FV_BENCH_DEBUG) setTimeout(() => console.log(process.getActiveResourcesInfo()), 2000);
  }
}

/**
 * The mail stack on the Espruino interpreter named by ESPRUINO (its Linux build; the ESP32-accurate
 * one counts variables as an ESP32 does): bench/entries/mail-device.ts bundled with the device
 * build's lowering.
 */
function device(): void {
  const interp = process.env.ESPRUINO;
  if (!interp || !existsSync(interp)) {
    console.log('mail stack on the device: not measured (set ESPRUINO=/path/to/espruino, the interpreter\'s Linux build)');
    return;
  }
  const script = scratchDeviceBundle('bench/entries/mail-device.ts');
  const withCall = script.replace(/\.js$/, '-run.js');
  writeFileSync(withCall, readFileSync(script, 'utf8') + '\nfaxvault.run();\n');
  const r = spawnSync(interp, [withCall], { encoding: 'utf8', input: '', timeout: 600000 });
  const pct = (v: number) => ((100 * v) / 16383).toFixed(1) + '%';
  const mm = /MAIL-BENCH-MIME (\{.*\})/.exec(r.stdout);
  if (!mm) throw new Error('interpreter run printed no result: ' + r.stdout.slice(-800));
  const fm = JSON.parse(mm[1]) as { base: number; mimePeak: number; mimeOk: boolean };
  console.log(`mail stack on ${interp} (variables; an ESP32 has 16383, budget 75% = 12287): loaded ${fm.base} (${pct(fm.base)}), ` +
    `MIME writer -> reader round trip of a 24 KB attachment, peak ${fm.mimePeak} (${pct(fm.mimePeak)})${fm.mimeOk ? '' : ' FAILED'}`);
  const m = /MAIL-BENCH (\{.*\})/.exec(r.stdout);
  if (!m) {
    const why = /Uncaught [^\n]*/.exec(r.stdout);
    console.log(`  SMTP send on the interpreter: not measured — ${why ? why[0] : 'no result'} (the kernel's run() as the device build lowers it; see the report)`);
    return;
  }
  const f = JSON.parse(m[1]) as { loaded: number; smtpPeak: number; smtpOk: boolean };
  console.log(`  with the kernel and SMTP client: ${f.loaded} (${pct(f.loaded)}), SMTP send of that message, peak ${f.smtpPeak} (${pct(f.smtpPeak)})${f.smtpOk ? '' : ' FAILED'}`);
}

export default async function run(): Promise<void> {
  await mime();
  device();
  await delivery();
}
