#!/usr/bin/env node
// Test setup: a real mail system on loopback for the mail tests — Postfix (SMTP, from Debian's
// package) and Dovecot (POP3, LMTP delivery into Maildirs, SASL for Postfix's SMTP AUTH), both run
// as root from a private directory with their own configuration, never touching /etc or the
// standard ports:
//
//   SMTP  127.0.0.1:2525 (STARTTLS offered)   SMTPS 127.0.0.1:2465 (implicit TLS)
//   POP3  127.0.0.1:1110 (STLS offered)       POP3S 127.0.0.1:1995 (implicit TLS)
//   internal: LMTP 127.0.0.1:2424 (Postfix → Dovecot), auth 127.0.0.1:2426 (Postfix SASL → Dovecot)
//
// Mail for example.test and appliance.test is delivered to STATE/maildir/DOMAIN/USER; every user
// exists, with the password `secret` (Dovecot's static passdb): tests use fresh addresses and so
// never see each other's mail. Mail to bounce.test is refused after acceptance (Postfix's error
// transport), so a test gets a real bounce (DSN) back. The TLS certificate is self-signed for
// localhost/127.0.0.1 (STATE/tls/cert.pem; clients are given it as their trust anchor).
//
// STATE is $FAXVAULT_MAIL_DIR or $TMPDIR/faxvault-mail; STATE/servers.json describes all this for
// the tests (test/interop/mail/servers.ts reads it). Idempotent and fast when the servers already
// run (checked by their pid files and ports); configuration files are rewritten only when their
// text changed (Postfix waits ~2 s after a main.cf younger than 2 s).
//
//   node test/setup/30-mail-servers.mjs          install if needed, start if not running
//   node test/setup/30-mail-servers.mjs --stop   stop both by their pid files
//
// teardown: --stop   (scripts/test.mjs runs setup scripts carrying this line again with --stop
//                     after the tests)
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STATE = process.env.FAXVAULT_MAIL_DIR || join(tmpdir(), 'faxvault-mail');
const PORTS = { smtp: 2525, smtps: 2465, pop3: 1110, pop3s: 1995, lmtp: 2424, auth: 2426 };
const NOBODY = 65534;
const PASSWORD = 'secret';

const dirs = {
  postfix: join(STATE, 'postfix'),
  queue: join(STATE, 'postfix-queue'),
  data: join(STATE, 'postfix-data'),
  dovecot: join(STATE, 'dovecot'),
  run: join(STATE, 'dovecot-run'),
  dstate: join(STATE, 'dovecot-state'),
  maildir: join(STATE, 'maildir'),
  tls: join(STATE, 'tls'),
};
const pidFiles = { postfix: join(dirs.queue, 'pid/master.pid'), dovecot: join(dirs.run, 'master.pid') };

function say(s) {
  console.log('30-mail-servers: ' + s);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

function alive(pidFile) {
  if (!existsSync(pidFile)) return 0;
  const pid = parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
  if (!(pid > 0)) return 0;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return 0;
  }
}

function stop() {
  for (const [name, f] of Object.entries(pidFiles)) {
    const pid = alive(f);
    if (!pid) continue;
    process.kill(pid, 'SIGTERM');
    say(`stopped ${name} (pid ${pid})`);
  }
}

function portOpen(port) {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitPorts(ports, ms) {
  const end = Date.now() + ms;
  for (const p of ports) {
    while (!(await portOpen(p))) {
      if (Date.now() > end) return p;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return 0;
}

/** Write a file only when its text changed; true when written. */
function put(file, text) {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  writeFileSync(file, text);
  return true;
}

function installed() {
  const need = ['postfix', 'dovecot-core', 'dovecot-pop3d', 'dovecot-lmtpd'];
  return need.filter((p) => !run('dpkg-query', ['-W', '-f=${Status}', p]).stdout.includes('install ok installed'));
}

function install(missing) {
  if (process.getuid() !== 0) {
    console.error(`30-mail-servers: missing Debian packages ${missing.join(' ')} (run as root)`);
    process.exit(1);
  }
  say('installing ' + missing.join(' '));
  // No package script may start the system's daemons on ports 25/110, and Postfix must not be
  // configured as the system mailer ("No configuration").
  const policy = '/usr/sbin/policy-rc.d';
  const had = existsSync(policy);
  if (!had) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    run('sh', ['-c', "echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections"]);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let r = run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env, stdio: 'inherit' });
    if (r.status !== 0) {
      run('apt-get', ['update', '-q'], { env, stdio: 'inherit' });
      r = run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env, stdio: 'inherit' });
    }
    if (r.status !== 0) throw new Error('apt-get install failed');
  } finally {
    if (!had) run('rm', ['-f', policy]);
  }
}

function daemonStdio() {
  const fd = openSync(join(STATE, 'start.log'), 'a');
  return { stdio: ['ignore', fd, fd] };
}

function startLog() {
  const f = join(STATE, 'start.log');
  return existsSync(f) ? readFileSync(f, 'utf8').split('\n').slice(-10).join('\n') : '';
}

function certificate() {
  const cert = join(dirs.tls, 'cert.pem');
  const key = join(dirs.tls, 'key.pem');
  if (existsSync(cert) && existsSync(key)) return { cert, key };
  mkdirSync(dirs.tls, { recursive: true });
  const r = run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '3650',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
  if (r.status !== 0) throw new Error('openssl: ' + r.stderr);
  return { cert, key };
}

function configure(tls) {
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  chownSync(dirs.maildir, NOBODY, NOBODY);
  // Postfix's master locks and caches in data_directory as the mail_owner.
  const pf = run('id', ['-u', 'postfix']).stdout.trim();
  const pg = run('id', ['-g', 'postfix']).stdout.trim();
  if (pf) chownSync(dirs.data, Number(pf), Number(pg));
  const mainCf = `# faxvault test Postfix (test/setup/30-mail-servers.mjs): loopback only, private directories
compatibility_level = 3.6
queue_directory = ${dirs.queue}
data_directory = ${dirs.data}
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.faxvault.test
mydomain = faxvault.test
myorigin = faxvault.test
mydestination =
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
biff = no
append_dot_mydomain = no
smtp_dns_support_level = disabled
maillog_file = ${join(STATE, 'postfix.log')}
maillog_file_prefixes = ${STATE}
message_size_limit = 20000000
virtual_mailbox_domains = example.test appliance.test
virtual_transport = lmtp:inet:127.0.0.1:${PORTS.lmtp}
smtpd_reject_unlisted_recipient = no
relay_domains = bounce.test
transport_maps = inline:{ bounce.test=error:5.1.1_mailbox_unavailable }
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:${PORTS.auth}
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_tls_cert_file = ${tls.cert}
smtpd_tls_key_file = ${tls.key}
smtpd_tls_security_level = may
smtpd_tls_auth_only = no
`;
  const masterCf = `# service type private unpriv chroot wakeup maxproc command
127.0.0.1:${PORTS.smtp} inet n - n - - smtpd
127.0.0.1:${PORTS.smtps} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
lmtp unix - - n - - lmtp
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
`;
  const dovecotConf = `# faxvault test Dovecot (test/setup/30-mail-servers.mjs): loopback only, private directories
instance_name = faxvault-test
base_dir = ${dirs.run}
state_dir = ${dirs.dstate}
protocols = pop3 lmtp
listen = 127.0.0.1
log_path = ${join(STATE, 'dovecot.log')}
default_internal_user = dovecot
default_login_user = dovenull
ssl = yes
ssl_cert = <${tls.cert}
ssl_key = <${tls.key}
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dirs.maildir}/%d/%n
mail_uid = ${NOBODY}
mail_gid = ${NOBODY}
first_valid_uid = 1
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = static
  args = password=${PASSWORD}
}
userdb {
  driver = static
  args = uid=${NOBODY} gid=${NOBODY} home=${dirs.maildir}/%d/%n
}
service pop3-login {
  inet_listener pop3 {
    port = ${PORTS.pop3}
  }
  inet_listener pop3s {
    port = ${PORTS.pop3s}
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${PORTS.lmtp}
  }
}
service auth {
  inet_listener auth-postfix {
    address = 127.0.0.1
    port = ${PORTS.auth}
  }
}
`;
  const changed = {
    postfix: put(join(dirs.postfix, 'main.cf'), mainCf) | put(join(dirs.postfix, 'master.cf'), masterCf),
    dovecot: put(join(dirs.dovecot, 'dovecot.conf'), dovecotConf),
  };
  put(join(STATE, 'servers.json'), JSON.stringify({
    dir: STATE,
    host: '127.0.0.1',
    ports: PORTS,
    password: PASSWORD,
    domains: ['example.test', 'appliance.test'],
    bounceDomain: 'bounce.test',
    cert: tls.cert,
    maildir: dirs.maildir,
    pidFiles,
  }, null, 2) + '\n');
  return changed;
}

async function start() {
  // Running already (the usual case within a test run): no package queries.
  const running = alive(pidFiles.postfix) && alive(pidFiles.dovecot);
  const missing = running ? [] : installed();
  if (missing.length) install(missing);
  const tls = certificate();
  const changed = configure(tls);
  if (alive(pidFiles.dovecot) && changed.dovecot) {
    run('kill', ['-HUP', String(alive(pidFiles.dovecot))]);
  }
  if (!alive(pidFiles.dovecot)) {
    // A daemon keeps the pipes it inherited: its output goes to a file, or spawnSync would wait for ever.
    const r = run('dovecot', ['-c', join(dirs.dovecot, 'dovecot.conf')], daemonStdio());
    if (r.status !== 0) throw new Error('dovecot did not start: ' + startLog());
    say('started dovecot');
  }
  if (alive(pidFiles.postfix) && changed.postfix) run('postfix', ['-c', dirs.postfix, 'reload'], daemonStdio());
  if (!alive(pidFiles.postfix)) {
    // postfix-script checks the private directories and starts master (it daemonises itself).
    const r = run('postfix', ['-c', dirs.postfix, 'start'], daemonStdio());
    if (r.status !== 0) throw new Error('postfix did not start: ' + startLog());
    say('started postfix');
  }
  const closed = await waitPorts([PORTS.pop3, PORTS.pop3s, PORTS.lmtp, PORTS.auth, PORTS.smtp, PORTS.smtps], 20000);
  if (closed) throw new Error(`port ${closed} is not answering (logs in ${STATE})`);
  say(`Postfix on 127.0.0.1:${PORTS.smtp}/${PORTS.smtps}, Dovecot on 127.0.0.1:${PORTS.pop3}/${PORTS.pop3s} (${STATE})`);
}

if (process.argv.includes('--stop')) stop();
else {
  start().catch((e) => {
    console.error('30-mail-servers: ' + e.message);
    process.exit(1);
  });
}
