// `faxvault client send|status|cancel|journal`: the fax server from a computer on the LAN
// (docs/FAX-SERVER.md). Pages are coded here and sent sealed; results come back sealed.
import { UsageError } from '../command.ts';
import { parseArgs } from '../args.ts';
import { readKeyFile, agreementsOf, KeyFileError } from '../../host/crypto/keyfile.ts';
import { ClientError } from '../../host/client/session.ts';
import type { ClientSession } from '../../host/client/session.ts';
import { clientKeys, connect, parseApplianceAddress } from '../../host/client/client.ts';
import { readJobFiles, jobPages, sendJob, jobStatus, cancelJob, readJournal, jobLine } from '../../host/client/jobs.ts';
import type { JobStatus, JournalList } from '../../firmware/lan/job-messages.ts';
import { DocumentError } from '../../host/image/document.ts';
import { readFileSync } from 'node:fs';
import { Kernel } from '../../firmware/kernel/index.ts';
import { RealClock } from '../../hal/node/clock.ts';
import { NodeNet } from '../../hal/node/net.ts';
import { parseServerUrl } from '../../firmware/mail/url.ts';
import { OwnerMail } from '../../host/client/mail.ts';
import type { MailboxResult } from '../../host/client/mail.ts';
import type { SmtpResult } from '../../firmware/mail/smtp-client.ts';
import { MSG_JOB_ACCEPTED } from '../../firmware/lan/job-messages.ts';
import { parseBody } from '../../firmware/lan/messages-parse.ts';

export const JOB_SUBCOMMANDS = ['send', 'status', 'cancel', 'journal'];

export const JOBS_HELP = `       faxvault client send    --key KEY --appliance IDENTITY@HOST:PORT FILE… --to NUMBER
                               [--sub S] [--sid P] [--at HH:MM] [--resolution fine|standard] [--wait]
                               [--notify [HOST:]PORT]
       faxvault client send --mail --key KEY --appliance mail:ADDRESS --smtp URL FILE… --to NUMBER
                               [--pop3 URL --wait SECONDS] [--address FROM] [--ca PEM]
       faxvault client status  --key KEY --appliance IDENTITY@HOST:PORT
       faxvault client cancel  --key KEY --appliance IDENTITY@HOST:PORT JOB
       faxvault client journal --key KEY --appliance IDENTITY@HOST:PORT [--max N]

Sending through the appliance (its fax server, docs/FAX-SERVER.md): FILE… are PBM, PNG, TIFF or
PDF (PDF needs Ghostscript); the pages are coded here and sent sealed. Who may send is the
appliance's setting lan.senders (default: the box owners). send prints the job number; with
--wait it waits for the result. status lists your jobs (queued, dialling, sent with pages and
rate, failed with the reason); cancel stops one; journal (lan.admins only) prints the call
journal and every job.
  --to NUMBER         the fax number to dial
  --sub S, --sid P    subaddress and password (SID) for a confidential box at the far end
  --at HH:MM          not before this time (your computer's local time, today or tomorrow)
  --resolution R      fine (default, 196 lines per inch) or standard (98)
  --wait              wait until the job is sent or failed (exit 0 sent, 9 failed)
  --notify [HOST:]PORT  where your 'client listen' runs: when the job ends the appliance pushes
                      its result there, sealed (PORT alone: this computer). Default: the
                      address of a box you own, else your host: identity's name at port 7761
                      (lan.clientPort). Unreachable, it retries for about a day; status
                      always has the result
  --max N             journal: the newest N entries (default 50)
  --mail              send the job by e-mail instead (sealed, two attachments) through --smtp URL
                      (smtp://user:pass@host:port or smtps://…); with --pop3 URL and --wait S,
                      wait for the appliance's sealed answer (job accepted, or refused)

more exit codes: 9 the job failed or was cancelled; 10 not allowed to send; 11 queue or memory full.`;

const EXIT: { [code: string]: number } = {
  unreachable: 3, 'not-allowed': 10, 'not-owner': 6, 'queue-full': 11, 'memory-full': 11, 'bad-job': 2, 'no-job': 8,
};

function say(line: string): void {
  process.stdout.write(line + '\n');
}

/** A calendar time in this computer's local time, as the job lines show it. */
export function localTime(ms: number): string {
  return time(ms);
}

function time(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** HH:MM today, or tomorrow when that time has passed (local time of this computer). */
export function atTime(hhmm: string, now: Date = new Date()): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new UsageError(`--at must be HH:MM (got '${hhmm}')`);
  const t = new Date(now.getFullYear(), now.getMonth(), now.getDate(), Number(m[1]), Number(m[2]), 0, 0);
  if (t.getTime() <= now.getTime()) t.setDate(t.getDate() + 1);
  return t.getTime();
}

function promise<T>(f: (cb: (err: ClientError | null, r: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => f((err, r) => (err ? reject(err) : resolve(r))));
}

export async function runJobs(sub: string, argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    key: 'value', appliance: 'value', to: 'value', sub: 'value', sid: 'value', at: 'value', resolution: 'value', max: 'value', notify: 'value',
    // --wait is a flag over the LAN (until sent), seconds by mail (for the answer mail).
    wait: sub === 'send' && argv.indexOf('--mail') >= 0 ? 'value' : 'flag',
    mail: 'flag', smtp: 'value', pop3: 'value', address: 'value', ca: 'value',
  });
  const o = args.opts;
  if (o.mail) {
    if (sub !== 'send') throw new UsageError('--mail goes with send (status and cancel are over the LAN)');
    return runMailJob(o, args.positional);
  }
  if (!o.key) throw new UsageError('--key KEY is needed (your FAXNIKS key file)');
  if (!o.appliance) throw new UsageError('--appliance IDENTITY@HOST:PORT is needed, e.g. host:fax.lan@192.168.1.10:7760');
  let a;
  let keys;
  try {
    a = parseApplianceAddress(o.appliance as string);
    keys = clientKeys(agreementsOf(readKeyFile(o.key as string)));
  } catch (e) {
    if (e instanceof KeyFileError || e instanceof Error) throw new UsageError((e as Error).message);
    throw e;
  }
  let job = -1;
  let pages = null;
  let at = 0;
  if (sub === 'send') {
    if (!o.to || typeof o.to !== 'string') throw new UsageError('--to NUMBER is needed (the fax number to dial)');
    if (args.positional.length === 0) throw new UsageError('name the document file(s) to send (PBM, PNG, TIFF, PDF)');
    const res = (o.resolution ?? 'fine') as string;
    if (res !== 'fine' && res !== 'standard') throw new UsageError(`--resolution must be fine or standard (got '${res}')`);
    if (o.at) at = atTime(o.at as string);
    if (o.notify !== undefined && (typeof o.notify !== 'string' || !/^(([A-Za-z0-9][A-Za-z0-9.-]*):)?\d{1,5}$/.test(o.notify) || Number(o.notify.slice(o.notify.lastIndexOf(':') + 1)) > 65535)) {
      throw new UsageError(`--notify must be PORT or HOST:PORT, where 'faxvault client listen' runs (got '${o.notify}')`);
    }
    try {
      pages = jobPages(readJobFiles(args.positional, res), Date.now());
    } catch (e) {
      if (e instanceof DocumentError) {
        process.stderr.write(`faxvault client send: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  } else if (sub === 'cancel') {
    if (args.positional.length !== 1 || !/^\d+$/.test(args.positional[0])) throw new UsageError('cancel needs the job number (faxvault client status lists them)');
    job = Number(args.positional[0]);
  } else if (args.positional.length) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
  const max = o.max === undefined ? 50 : Number(o.max);
  if (!(max >= 1 && max <= 200)) throw new UsageError('--max must be 1 to 200');

  let session: ClientSession | null = null;
  try {
    session = await connect(keys, a);
    const s = session;
    if (sub === 'send') {
      const id = await promise<number>((cb) => sendJob(s, { to: o.to as string, sub: o.sub as string, sid: o.sid as string, at, notify: o.notify as string | undefined }, pages!, cb));
      say(`job ${id} queued: ${pages!.pages} page${pages!.pages === 1 ? '' : 's'} to ${o.to}${at ? ' at ' + time(at) : ''}`);
      if (!o.wait) return 0;
      // Poll the job's state (sealed status requests) until it has ended.
      let last = '';
      for (;;) {
        await new Promise((r) => setTimeout(r, 2000));
        const jobs = await promise<JobStatus[]>((cb) => jobStatus(s, cb));
        const j = jobs.find((x) => x.job === id);
        if (!j) throw new Error(`job ${id} is no longer known to the appliance`);
        const line = jobLine(j, time);
        if (line !== last) say(line);
        last = line;
        if (j.state === 'sent') return 0;
        if (j.state === 'failed' || j.state === 'cancelled') return 9;
      }
    }
    if (sub === 'status') {
      const jobs = await promise<JobStatus[]>((cb) => jobStatus(s, cb));
      if (jobs.length === 0) say('no jobs');
      for (const j of jobs) say(jobLine(j, time));
      return 0;
    }
    if (sub === 'cancel') {
      await promise<JobStatus[]>((cb) => cancelJob(s, job, cb));
      say(`job ${job} cancelled`);
      return 0;
    }
    const j = await promise<JournalList | null>((cb) => readJournal(s, max, cb));
    for (const e of j!.entries) {
      const { t, kind, ...rest } = e as { t: number; kind: string };
      say(`${time(t)}  ${String(kind).padEnd(9)} ${Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}`);
    }
    if (j!.jobs.length) say('jobs:');
    for (const x of j!.jobs) say('  ' + jobLine(x, time));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof ClientError) {
      process.stderr.write(`faxvault client ${sub}: ${e.code === 'unreachable' ? e.message : e.message.replace(/^the appliance refused: /, 'refused: ')}\n`);
      return EXIT[e.code] ?? 1;
    }
    process.stderr.write(`faxvault client ${sub}: ${(e as Error).message}\n`);
    return 1;
  } finally {
    if (session) session.close();
  }
}

/** `client send --mail`: the job as a mail with two sealed attachments; optionally wait for the answer mail. */
async function runMailJob(o: { [k: string]: string | boolean }, files: string[]): Promise<number> {
  if (!o.key) throw new UsageError('--key KEY is needed (your FAXNIKS key file)');
  const appliance = String(o.appliance ?? '');
  if (!/^mail:[^@\s]+@[^@\s]+$/.test(appliance)) throw new UsageError('with --mail, --appliance is the appliance\'s mail identity, e.g. mail:fax@example.com');
  const smtp = parseServerUrl(String(o.smtp ?? ''), ['smtp', 'smtps']);
  if (!smtp.url) throw new UsageError(`--smtp URL: ${smtp.error}`);
  const waitS = o.wait === undefined ? 0 : Number(o.wait);
  if (!(waitS >= 0 && waitS <= 86400)) throw new UsageError('--wait must be 0 to 86400 seconds');
  const pop3 = o.pop3 ? parseServerUrl(String(o.pop3), ['pop3', 'pop3s']) : null;
  if (pop3 && !pop3.url) throw new UsageError(`--pop3 URL: ${pop3.error}`);
  if (waitS && !pop3) throw new UsageError('--wait needs --pop3 URL (where the answer arrives)');
  if (!o.to || typeof o.to !== 'string') throw new UsageError('--to NUMBER is needed (the fax number to dial)');
  if (files.length === 0) throw new UsageError('name the document file(s) to send (PBM, PNG, TIFF, PDF)');
  const res = (o.resolution ?? 'fine') as string;
  if (res !== 'fine' && res !== 'standard') throw new UsageError(`--resolution must be fine or standard (got '${res}')`);
  const at = o.at ? atTime(o.at as string) : 0;
  let keys;
  try {
    keys = clientKeys(agreementsOf(readKeyFile(o.key as string)));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let pages;
  try {
    pages = jobPages(readJobFiles(files, res), Date.now());
  } catch (e) {
    if (e instanceof DocumentError) {
      process.stderr.write(`faxvault client send: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const ca = o.ca ? readFileSync(String(o.ca)) : undefined;
  const kernel = new Kernel(new RealClock(), { faultPolicy: 'halt' });
  const client = new OwnerMail(kernel, new NodeNet('0.0.0.0', null, ca ? { ca } : {}), {
    keys, appliance, smtp: smtp.url, pop3: pop3 && pop3.url ? pop3.url : smtp.url, address: o.address ? String(o.address) : undefined,
  });
  kernel.start();
  const body = { to: o.to, sub: (o.sub as string) || '', sid: (o.sid as string) || '', at, pages: pages.pages, bytes: pages.bytes };
  const sent = await new Promise<SmtpResult>((resolve) => client.job(body, pages.stream, resolve));
  if (!sent.ok) {
    process.stderr.write(`faxvault client send: the job mail was not sent: ${sent.code ? sent.code + ' ' : ''}${sent.text}\n`);
    return 3;
  }
  say(`job mailed to ${appliance.slice(5)}: ${pages.pages} page${pages.pages === 1 ? '' : 's'} to ${o.to}`);
  if (!waitS) return 0;
  const end = Date.now() + waitS * 1000;
  while (Date.now() < end) {
    const r = await new Promise<MailboxResult>((resolve) => client.check(resolve));
    for (const p of r.problems) process.stderr.write(`faxvault client send: ${p}\n`);
    for (const ref of r.refusals) {
      process.stderr.write(`faxvault client send: refused: ${ref.text}\n`);
      return EXIT[ref.code] ?? 1;
    }
    for (const j of r.jobReplies) {
      if (j.type === MSG_JOB_ACCEPTED) {
        const b = parseBody(j.plain);
        say(`job ${b.job} queued: ${b.pages} page${b.pages === 1 ? '' : 's'} to ${o.to}`);
        return 0;
      }
    }
    await new Promise((r2) => setTimeout(r2, 3000));
  }
  process.stderr.write(`faxvault client send: no answer from the appliance within ${waitS} s (it reads its mailbox every mail.checkSeconds)\n`);
  return 3;
}
