// `faxvault client mail`: the box owner's program when the box's owner is a `mail:` identity
// (docs/MAIL.md): reads the owner's mailbox by POP3, opens the appliance's sealed notices and
// documents, and with --code mails the sealed request for each notice and waits for the document.
// Each document written is acknowledged by a sealed mail (docs/MAIL.md §Acknowledgements); one
// mailed again is recognised (host/client/received.ts) and acknowledged, not written twice.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from '../command.ts';
import { parseArgs, intOption } from '../args.ts';
import { readKeyFile, agreementsOf, KeyFileError } from '../../host/crypto/keyfile.ts';
import { clientKeys } from '../../host/client/client.ts';
import { describeDocument } from '../../host/client/output.ts';
import { OwnerMail } from '../../host/client/mail.ts';
import type { MailboxResult } from '../../host/client/mail.ts';
import { ReceivedIndex, saveArrived } from '../../host/client/received.ts';
import type { Arrived } from '../../host/client/received.ts';
import { Kernel } from '../../firmware/kernel/index.ts';
import { RealClock } from '../../hal/node/clock.ts';
import { NodeNet } from '../../hal/node/net.ts';
import { parseServerUrl } from '../../firmware/mail/url.ts';
import type { SmtpResult } from '../../firmware/mail/smtp-client.ts';

export const MAIL_HELP = `       faxvault client mail --key KEY --pop3 URL --smtp URL --appliance mail:ADDRESS --out DIR
                            [--code C] [--wait SECONDS] [--watch]

By e-mail (a box whose owner is a mail: identity, docs/MAIL.md): reads your mailbox, prints each
notice the appliance sent (box, sender, time, pages — only inside the sealed attachment), saves
documents that came (TIFF + PDF in DIR; a text-only box's TIFF as it came, its hash checked)
and mails the appliance a sealed acknowledgement of each: only then does it count as delivered
there (kept or deleted, as the box says); unacknowledged, it is mailed again after 1, 2 and 4 h.
A document that comes again is recognised (DIR/.faxvault-received.json) and not written twice
(unless its file was moved away: then it is written again).
With --code mails the sealed request for every notice and waits for the documents. Mails that
are not the appliance's sealed mails to you are left in the mailbox untouched.
  --pop3 URL          your mailbox: pop3://USER:PASS@HOST[:PORT] or pop3s://… (STLS used when offered)
  --smtp URL          where requests are sent: smtp://USER:PASS@HOST[:PORT] or smtps://…
  --appliance mail:A  the appliance's identity (its mail.address)
  --code C            the box's pass code: ask for every document noticed
  --wait SECONDS      keep reading the mailbox until something arrives — with --code, until every
                      requested document (or a refusal) did (default 300 with --code, else 0)
  --watch             keep reading the mailbox every --every seconds, for ever
  --every SECONDS     how often the mailbox is read while waiting or watching (default 5)
  --keep              leave the appliance's mails in the mailbox after reading them
  --ca FILE           trust this certificate (PEM) for TLS, e.g. a private mail server's
  --address A         your address for the From of requests (default: your identity's)
  --box N --doc ID    with --code: ask for this document now (known from an earlier notice)
more exit codes: 3 mail server unreachable or refusing; 13 nothing arrived within --wait.`;

function say(line: string): void {
  process.stdout.write(line + '\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function runMail(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    key: 'value', pop3: 'value', smtp: 'value', appliance: 'value', out: 'value', code: 'value', wait: 'value',
    watch: 'flag', every: 'value', keep: 'flag', ca: 'value', address: 'value', box: 'value', doc: 'value',
  });
  if (args.positional.length) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
  const o = args.opts;
  if (!o.key) throw new UsageError('--key KEY is needed (your FAXNIKS key file)');
  let keys;
  try {
    keys = clientKeys(agreementsOf(readKeyFile(o.key as string)));
  } catch (e) {
    if (e instanceof KeyFileError) throw new UsageError(e.message);
    throw e;
  }
  const pop3 = parseServerUrl(String(o.pop3 ?? ''), ['pop3', 'pop3s']);
  if (!pop3.url) throw new UsageError(`--pop3 URL: ${pop3.error}`);
  const smtp = parseServerUrl(String(o.smtp ?? ''), ['smtp', 'smtps']);
  if (!smtp.url) throw new UsageError(`--smtp URL: ${smtp.error}`);
  const appliance = String(o.appliance ?? '');
  if (!/^mail:[^@\s]+@[^@\s]+$/.test(appliance)) throw new UsageError('--appliance mail:ADDRESS is needed, e.g. mail:fax@example.com');
  const dir = String(o.out ?? '');
  if (!dir) throw new UsageError('--out DIR is needed (where documents are written)');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} is not a folder`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const code = o.code === undefined ? null : String(o.code);
  const every = (intOption(args, 'every', 1, 3600) ?? 5) * 1000;
  const wait = (intOption(args, 'wait', 0, 86400) ?? (code ? 300 : 0)) * 1000;
  const watch = o.watch === true;
  const ca = o.ca ? readFileSync(String(o.ca)) : undefined;

  const kernel = new Kernel(new RealClock(), { faultPolicy: 'halt' });
  const client = new OwnerMail(kernel, new NodeNet('0.0.0.0', null, ca ? { ca } : {}), {
    keys, appliance, pop3: pop3.url, smtp: smtp.url, address: o.address ? String(o.address) : undefined,
  });
  kernel.start();
  const check = () => new Promise<MailboxResult>((resolve) => client.check(resolve, o.keep === true));
  const request = (box: string, doc: number) => new Promise<SmtpResult>((resolve) => client.request(box, doc, code as string, resolve));
  const received = new ReceivedIndex(dir);
  /** Mails the acknowledgement of a document written (or already here, mailed again). */
  const acknowledge = async (d: Arrived) => {
    const a = await new Promise<SmtpResult>((resolve) => client.ack(d.summary.doc, resolve));
    if (a.ok) {
      for (const uid of d.uids) received.markAcked(d.key, uid);
      say(`acknowledged document ${d.summary.doc} of box ${d.summary.box}`);
    } else {
      process.stderr.write(`faxvault client mail: the acknowledgement of document ${d.summary.doc} was not sent (${a.code ? a.code + ' ' : ''}${a.text}): the appliance will mail it again later\n`);
    }
  };

  /** Notices and documents said in this run (kept mails come again at every check). */
  const shown = new Set<string>();
  /** Requested and not yet answered: box/doc → when asked. */
  const pending = new Map<string, number>();
  if (o.box !== undefined || o.doc !== undefined) {
    // A document known from an earlier notice: ask for it at once.
    if (code === null || !/^\d+$/.test(String(o.box ?? '')) || !/^\d+$/.test(String(o.doc ?? ''))) throw new UsageError('--box N --doc ID go together, with --code C');
    const s = await request(String(o.box), Number(o.doc));
    if (!s.ok) {
      process.stderr.write(`faxvault client mail: the request was not sent: ${s.code ? s.code + ' ' : ''}${s.text}\n`);
      return 3;
    }
    pending.set(`${o.box}/${o.doc}`, Date.now());
    say(`requested document ${o.doc} of box ${o.box}`);
  }
  let arrived = 0;
  let exit = 0;
  const end = Date.now() + wait;
  for (;;) {
    const r = await check();
    if (!r.pop3.ok) {
      process.stderr.write(`faxvault client mail: mailbox: ${r.pop3.text}\n`);
      if (!watch) return 3;
    }
    for (const p of r.problems) process.stderr.write(`faxvault client mail: ${p}\n`);
    // Documents first: a notice of one that came in the same check is not asked for.
    for (const a of saveArrived(r, dir, received, appliance)) {
      arrived++;
      pending.delete(`${a.summary.box}/${a.summary.doc}`);
      if (a.again && !a.ackDue && shown.has('d ' + a.key)) continue; // a kept mail read again
      shown.add('d ' + a.key);
      say(describeDocument(a.summary));
      if (a.again) say(`already saved as ${a.files[0]}: not written again`);
      else say(`saved ${a.files.join('  ')}` + (a.clearImage ? '  (image came unencrypted: text-only protection; its SHA-256 was checked)' : ''));
      if (a.uids.length > 1) say(`(it came in ${a.uids.length} mails: the appliance mailed it again; written once)`);
      if (a.ackDue) await acknowledge(a);
    }
    for (const n of r.notices) {
      arrived++;
      // A kept mail (--keep) is read again at every check: said and answered once a run.
      const key = ReceivedIndex.key(appliance, n);
      if (shown.has('n ' + key)) continue;
      shown.add('n ' + key);
      say('notice: ' + describeDocument(n));
      const have = received.file(key);
      if (have !== null) {
        say(`already saved as ${have}: not asked for again`);
        continue;
      }
      if (code !== null && !pending.has(`${n.box}/${n.doc}`)) {
        const s = await request(n.box, n.doc);
        if (!s.ok) {
          process.stderr.write(`faxvault client mail: the request was not sent: ${s.code ? s.code + ' ' : ''}${s.text}\n`);
          return 3;
        }
        pending.set(`${n.box}/${n.doc}`, Date.now());
        say(`requested document ${n.doc} of box ${n.box}`);
      }
    }
    for (const x of r.refusals) {
      arrived++;
      const tries = x.triesLeft !== undefined ? `: ${x.triesLeft} more tr${x.triesLeft === 1 ? 'y' : 'ies'} before the box locks` : '';
      const locked = x.lockedMs !== undefined ? `: try again in ${Math.ceil(x.lockedMs / 60000)} min` : '';
      process.stderr.write(`faxvault client mail: the appliance refused: ${x.code} (${x.text})${tries}${locked}\n`);
      exit = ({ 'wrong-code': 4, 'no-code': 4, locked: 5, 'not-owner': 6, 'unknown-box': 7, 'no-document': 8 } as { [k: string]: number })[x.code] ?? 1;
      // A refusal answers one request; which one is not said, so all wait no longer.
      if (!watch) pending.clear();
    }
    for (const l of r.listings) for (const d of l.docs) say('waiting: ' + describeDocument(d));
    if (r.leftAlone) say(`${r.leftAlone} other mail(s) left in the mailbox`);
    const satisfied = code !== null ? (arrived > 0 || exit !== 0) && pending.size === 0 : arrived > 0;
    if (!watch && (satisfied || Date.now() >= end)) {
      if (exit) return exit;
      if (wait > 0 && !satisfied) {
        process.stderr.write(`faxvault client mail: ${pending.size ? pending.size + ' requested document(s)' : 'nothing'} arrived within ${wait / 1000} s\n`);
        return 13;
      }
      return 0;
    }
    await sleep(every);
  }
}
