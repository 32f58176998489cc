// `faxvault client`: the box owner's program (docs/LAN-PROTOCOL.md). listen for the appliance's
// notices, pushed documents and pushed job results; list or fetch what waits in a box.
import { mkdirSync, existsSync, statSync } from 'node:fs';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseArgs, intOption } from '../args.ts';
import { readKeyFile, agreementsOf, KeyFileError } from '../../host/crypto/keyfile.ts';
import { NodeNet } from '../../hal/node/net.ts';
import { ClientError } from '../../host/client/session.ts';
import type { ClientSession, ReceivedDocument } from '../../host/client/session.ts';
import { clientKeys, connect, fetchDocument, listBox, listen, parseApplianceAddress } from '../../host/client/client.ts';
import { describeDocument, saveDocument } from '../../host/client/output.ts';
import type { Notice } from '../../firmware/lan/messages.ts';
import { JOB_SUBCOMMANDS, JOBS_HELP, runJobs, localTime } from './client-jobs.ts';
import { jobLine } from '../../host/client/jobs.ts';
import { MAIL_HELP, runMail } from './client-mail.ts';
import { askCode, PromptQueue } from './client-prompt.ts';
import { ReceivedIndex, saveOnce } from '../../host/client/received.ts';

const help = `usage: faxvault client listen --key KEY --port P --out DIR [--code CODE]
       faxvault client list  --key KEY --appliance IDENTITY@HOST:PORT --box N
       faxvault client fetch --key KEY --appliance IDENTITY@HOST:PORT --box N [--code C] [--doc ID] --out DIR

The box owner's program. Confidential faxes in your box reach your computer sealed with
FAXNIKS keys (no key exchange): the appliance tells this program when one arrived (a notice),
and sends the document when you answer with the box's pass code.

Set up a box owner's computer (a few commands, once):
  1. the administrator issues your key at the key center:
       faxvault center issue host:pc-ann.lan --out ann.key      (give ann.key to the owner)
  2. the appliance's settings name you as the box owner and where you listen:
       "boxes": [{ "number": "12", "owner": "host:pc-ann.lan", "address": "192.168.1.20:7761",
                   "code": "4711" }]
  3. on your computer, leave this running:
       faxvault client listen --key ann.key --port 7761 --out ~/faxes
     every notice prints one line (box, sender, time, pages); in a terminal it asks for the
     pass code (Enter: later), or give --code to fetch every document at once. The results of
     the faxes you send (client send) are pushed here too: one line each, "result: #17 …".
  Computer was off? Ask the appliance directly:
       faxvault client list  --key ann.key --appliance host:fax.lan@192.168.1.10:7760 --box 12
       faxvault client fetch --key ann.key --appliance host:fax.lan@192.168.1.10:7760 --box 12 --code 4711 --out ~/faxes

Documents are written to DIR as a multi-page TIFF (the fax coding as received) and a PDF,
named date_time_sender_boxN_docID (.tif, .pdf), readable only by you (mode 0600).

options:
  --key KEY           your FAXNIKS key file (faxvault center issue); must be mode 0600
  --port P            listen: the TCP port the appliance connects to (the box's address)
  --host ADDR         listen: the address to listen on (default 0.0.0.0, every interface)
  --out DIR           where documents are written (created if missing)
  --code CODE         the box's pass code: fetch without asking
  --answer-within S   in a terminal without --code: how long "fetch now? pass code:" waits
                      for an answer (default 60 s; keep it under the appliance's lan.idleSeconds,
                      120, which is how long it waits for the request). Unanswered or Enter: the
                      document stays in its box for later and listen goes on listening. A wrong
                      code shows the tries left before the box locks and asks again.
  --appliance I@H:P   the appliance's identity and address, e.g. host:fax.lan@192.168.1.10:7760
  --box N             the box number
  --doc ID            fetch: only this document (default: every waiting one)
  --exit-after N      listen: stop after N notices, documents or job results (scripts, tests)

exit codes: 0 done; 2 usage; 3 appliance unreachable; 4 wrong pass code; 5 box locked;
  6 not the box's owner; 7 unknown box; 8 no such document; 1 anything else.

${JOBS_HELP}

${MAIL_HELP}`;

const EXIT: { [code: string]: number } = {
  unreachable: 3, 'wrong-code': 4, locked: 5, 'not-owner': 6, 'unknown-box': 7, 'no-document': 8, 'no-code': 4,
};

function say(line: string): void {
  process.stdout.write(line + '\n');
}

function explain(e: unknown): { text: string; code: number } {
  if (e instanceof ClientError) {
    const r = e.refusal;
    if (e.code === 'wrong-code' && r && r.triesLeft !== undefined) return { text: `wrong pass code: ${r.triesLeft} more tr${r.triesLeft === 1 ? 'y' : 'ies'} before the box locks`, code: 4 };
    if (e.code === 'locked' && r && r.lockedMs !== undefined) return { text: `the box is locked after wrong pass codes: try again in ${Math.ceil(r.lockedMs / 60000)} min`, code: 5 };
    if (e.code === 'not-owner') return { text: `not the box's owner: ${e.message.replace(/^the appliance refused: not-owner \(?/, '').replace(/\)$/, '')}`, code: 6 };
    if (e.code === 'unknown-box') return { text: e.message, code: 7 };
    if (e.code === 'no-document') return { text: e.message, code: 8 };
    return { text: e.message, code: EXIT[e.code] ?? 1 };
  }
  return { text: (e as Error).message, code: 1 };
}

function outDir(dir: string | undefined): string {
  if (!dir) throw new UsageError('--out DIR is needed (where documents are written)');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} is not a folder`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function saved(d: ReceivedDocument, dir: string): string {
  const f = saveDocument(d, dir);
  say(`saved ${f.tiff}  ${f.pdf}${d.imageEncrypted ? '' : '  (image came unencrypted; its hash was checked)'}`);
  return '';
}

/** A pushed or fetched document in `listen`: written unless it is here already (sent again). */
function savedOnce(d: ReceivedDocument, dir: string, index: ReceivedIndex): string {
  const r = saveOnce(d, dir, index);
  if (r.again) say(`document ${d.summary.doc} of box ${d.summary.box} came again (its acknowledgement was lost): already saved as ${r.files[0]}`);
  else say(`saved ${r.files.join('  ')}${d.imageEncrypted ? '' : '  (image came unencrypted; its hash was checked)'}`);
  return '';
}


function loadKeys(path: string | undefined) {
  if (!path) throw new UsageError('--key KEY is needed (your FAXNIKS key file)');
  try {
    return clientKeys(agreementsOf(readKeyFile(path)));
  } catch (e) {
    if (e instanceof KeyFileError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * In a terminal (S24–S38): asks for the pass code of a noticed document and fetches it on the
 * notice's connection. A wrong code shows the tries left and asks again (the appliance keeps the
 * connection after a sealed refusal); Enter, no answer within `within` seconds, or a locked box
 * leave the document in its box — the client goes on listening.
 */
async function promptAndFetch(n: Notice, s: ClientSession, within: number): Promise<void> {
  const left = `document ${n.doc} stays in box ${n.box} for later (faxvault client fetch … --box ${n.box} --doc ${n.doc})`;
  for (;;) {
    if (s.closed) {
      say(`the appliance closed the connection meanwhile: ${left}`);
      return;
    }
    const a = await askCode(`fetch document ${n.doc} of box ${n.box} now? pass code (not shown; Enter: later): `, within);
    if (a.kind === 'interrupt') {
      s.close();
      process.kill(process.pid, 'SIGINT');
      return;
    }
    if (a.kind !== 'code') {
      s.close();
      say(a.kind === 'timeout' ? `no answer within ${within} s: ${left}` : left);
      return;
    }
    const err = await new Promise<ClientError | null>((resolve) => s.fetch(n.box, n.doc, a.code, (e) => resolve(e)));
    if (!err) return; // written by onDocument
    process.stderr.write(`faxvault client: document ${n.doc}: ${explain(err).text}\n`);
    const again = err.code === 'wrong-code' && (err.refusal?.triesLeft ?? 0) > 0;
    if (!again) {
      s.close();
      say(left);
      return;
    }
  }
}

/** --answer-within S: seconds, 1 to 3600 (default 60). */
function answerWithin(opts: { [k: string]: string | boolean }): number {
  const v = opts['answer-within'];
  if (v === undefined) return 60;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 3600) throw new UsageError('--answer-within S must be seconds, 1 to 3600');
  return Number(v);
}

async function runListen(opts: { [k: string]: string | boolean }, exitAfter: number | null): Promise<number> {
  const keys = loadKeys(opts.key as string);
  const port = Number(opts.port);
  if (!opts.port || !/^\d+$/.test(String(opts.port)) || port < 1 || port > 65535) throw new UsageError('--port P is needed (1 to 65535): where the appliance connects');
  const dir = outDir(opts.out as string);
  const code = (opts.code as string) ?? null;
  const within = answerWithin(opts);
  const interactive = code === null && process.stdin.isTTY === true;
  const prompts = new PromptQueue();
  const received = new ReceivedIndex(dir);
  let events = 0;
  return new Promise((resolve) => {
    let failed = false;
    const net = new NodeNet((opts.host as string) ?? '0.0.0.0', (text) => {
      process.stderr.write(`faxvault client: ${text}\n`);
      resolve(1);
    });
    const done = () => {
      events++;
      if (exitAfter !== null && events >= exitAfter) {
        l.close();
        setTimeout(() => resolve(failed ? 1 : 0), 50);
      }
    };
    const l = listen(keys, {
      port,
      host: (opts.host as string) ?? '0.0.0.0',
      onNotice: (n: Notice, s: ClientSession) => {
        const line = `notice: ${describeDocument(n)}  (from ${s.peer})`;
        // In a terminal the line comes with its question (one open question at a time).
        if (!interactive) say(line);
        const fetchWith = (c: string) => s.fetch(n.box, n.doc, c, (err) => {
          if (err) {
            failed = true;
            process.stderr.write(`faxvault client: document ${n.doc}: ${explain(err).text}\n`);
          }
          done();
        });
        if (code !== null) fetchWith(code);
        else if (interactive) {
          prompts.add(async () => {
            say(line);
            await promptAndFetch(n, s, within);
            done();
          });
        } else done();
      },
      onDocument: (d) => {
        if (d.summary && code === null && !interactive) say(`document: ${describeDocument(d.summary)}  (pushed by ${d.appliance})`);
        try {
          return savedOnce(d, dir, received);
        } catch (e) {
          failed = true;
          process.stderr.write(`faxvault client: cannot save document ${d.summary.doc}: ${(e as Error).message}\n`);
          return (e as Error).message;
        } finally {
          if (code === null && !interactive) done();
        }
      },
      onJobResult: (j, s) => {
        say(`result: ${jobLine(j, localTime)}  (from ${s.peer})`);
        done();
      },
      onError: (text) => process.stderr.write(`faxvault client: ${text}\n`),
    }, net);
    say(`listening on port ${port} as ${keys.agreements[0].identity}; documents go to ${dir}`);
    process.once('SIGINT', () => { l.close(); resolve(0); });
    process.once('SIGTERM', () => { l.close(); resolve(0); });
  });
}

async function runAsk(sub: string, opts: { [k: string]: string | boolean }): Promise<number> {
  const keys = loadKeys(opts.key as string);
  if (!opts.appliance) throw new UsageError('--appliance IDENTITY@HOST:PORT is needed, e.g. host:fax.lan@192.168.1.10:7760');
  let a;
  try {
    a = parseApplianceAddress(opts.appliance as string);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const box = opts.box as string;
  if (!box || !/^\d+$/.test(box)) throw new UsageError('--box N is needed (the box number)');
  const dir = sub === 'fetch' ? outDir(opts.out as string) : '';
  let session: ClientSession | null = null;
  try {
    session = await connect(keys, a);
    if (sub === 'list') {
      const l = await listBox(session, box);
      if (l.docs.length === 0) say(`box ${box}: nothing waiting`);
      for (const d of l.docs) say(describeDocument(d));
      return 0;
    }
    let ids: number[];
    if (opts.doc !== undefined) {
      if (!/^\d+$/.test(String(opts.doc))) throw new UsageError('--doc must be a document number');
      ids = [Number(opts.doc)];
    } else {
      ids = (await listBox(session, box)).docs.map((d) => d.doc);
      if (ids.length === 0) {
        say(`box ${box}: nothing waiting`);
        return 0;
      }
    }
    let code: string | null = (opts.code as string) ?? null;
    const asking = code === null;
    /** In a terminal: the code, asked (again after a wrong one); null: not now. */
    const ask = async (): Promise<string | null> => {
      const a = await askCode(`fetch box ${box} now? pass code (not shown; Enter: later): `, answerWithin(opts));
      if (a.kind === 'code') return a.code;
      say(a.kind === 'timeout' ? 'no answer: nothing more fetched' : 'nothing more fetched');
      return null;
    };
    if (asking) {
      if (!process.stdin.isTTY) throw new UsageError('--code C is needed (the box\'s pass code)');
      code = await ask();
      if (code === null) return 0;
    }
    for (const id of ids) {
      for (;;) {
        try {
          const d = await fetchDocument(session, box, id, code as string);
          say(describeDocument(d.summary));
          const why = saved(d, dir);
          if (why) throw new Error(why);
          break;
        } catch (e) {
          // A wrong code typed at the question: the tries left, and the question again (the
          // appliance keeps the connection after a sealed refusal).
          const wrong = e instanceof ClientError && e.code === 'wrong-code' && (e.refusal?.triesLeft ?? 0) > 0;
          if (!asking || !wrong || session.closed) throw e;
          process.stderr.write(`faxvault client ${sub}: ${explain(e).text}\n`);
          code = await ask();
          if (code === null) return 0;
        }
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const x = explain(e);
    process.stderr.write(`faxvault client ${sub}: ${x.text}\n`);
    return x.code;
  } finally {
    if (session) session.close();
  }
}

const command: Command = {
  name: 'client',
  summary: 'the program for computers on the LAN: confidential faxes (listen, list, fetch), sending faxes (send, status, cancel), the journal',
  help,
  async run(argv) {
    const sub = argv[0];
    if (JOB_SUBCOMMANDS.indexOf(sub) >= 0) return runJobs(sub, argv.slice(1));
    if (sub === 'mail') return runMail(argv.slice(1));
    if (sub !== 'listen' && sub !== 'list' && sub !== 'fetch') throw new UsageError(`say listen, list, fetch, mail, send, status, cancel or journal (got '${sub ?? ''}'); faxvault client --help`);
    const args = parseArgs(argv.slice(1), {
      key: 'value', port: 'value', host: 'value', out: 'value', code: 'value', 'answer-within': 'value',
      appliance: 'value', box: 'value', doc: 'value', 'exit-after': 'value',
    });
    if (args.positional.length) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
    if (sub === 'listen') return runListen(args.opts, intOption(args, 'exit-after', 1, 1000000));
    return runAsk(sub, args.opts);
  },
};

export default command;
