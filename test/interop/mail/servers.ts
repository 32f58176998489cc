// The real mail servers for the interop tests: makes sure Postfix + Dovecot run (the setup step
// test/setup/30-mail-servers.mjs, also run here so a test file works alone), describes them, and
// talks to them with curl as an independent client (smtp://, pop3://).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MailServers {
  dir: string;
  host: string;
  ports: { smtp: number; smtps: number; pop3: number; pop3s: number };
  password: string;
  bounceDomain: string;
  cert: string;
  maildir: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export function mailServers(): MailServers {
  const r = spawnSync(process.execPath, [join(root, 'test/setup/30-mail-servers.mjs')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('mail servers did not start:\n' + r.stdout + r.stderr);
  const dir = process.env.FAXVAULT_MAIL_DIR || join(tmpdir(), 'faxvault-mail');
  return JSON.parse(readFileSync(join(dir, 'servers.json'), 'utf8')) as MailServers;
}

/** A fresh address in a test domain, so tests never see each other's mail. */
export function freshAddress(name: string, domain = 'example.test'): string {
  return `${name}-${process.pid}-${randomBytes(3).toString('hex')}@${domain}`;
}

function curl(args: string[], input?: Buffer): Buffer {
  const r = spawnSync('curl', ['-sS', '--max-time', '20', ...args], { input, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error('curl ' + args.join(' ') + ': ' + r.stderr.toString());
  return r.stdout;
}

/** POP3 as curl sees it: the list of `n size`, or message n. */
export function curlPop3(s: MailServers, user: string, n?: number): Buffer {
  return curl(['--url', `pop3://${s.host}:${s.ports.pop3}/${n ?? ''}`, '--user', `${user}:${s.password}`]);
}

/** The number of messages in a mailbox (curl's LIST). */
export function mailboxCount(s: MailServers, user: string): number {
  return curlPop3(s, user).toString().split('\r\n').filter((l) => /^\d+ \d+$/.test(l)).length;
}

/** Wait (real time) until a mailbox holds `n` messages; delivery through LMTP takes some ms. */
export async function waitForMail(s: MailServers, user: string, n = 1, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (mailboxCount(s, user) < n) {
    if (Date.now() > end) throw new Error(`no mail for ${user} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Send a raw message with curl (authenticated as `from`). */
export function curlSend(s: MailServers, from: string, to: string, message: Buffer): void {
  curl(['--url', `smtp://${s.host}:${s.ports.smtp}`, '--mail-from', from, '--mail-rcpt', to, '--upload-file', '-', '--user', `${from}:${s.password}`], message);
}
