// The CLI as a newcomer meets it (#15): one line and the right exit code for every problem (1;
// 2 for usage), nothing written; settings kept in the image; the small missing pieces.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'fv-newcomer-'));
const bin = join(process.cwd(), 'bin/faxvault.js');

function faxvault(args: string[], timeout = 60000) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout, cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}

/** One line on stderr, no stack trace. */
function oneLine(err: string, what: string): void {
  assert.is(err.trim().split('\n').length, 1, `${what}: ${err}`);
  assert.not.match(err, /\n\s+at |node:internal|Error:/, `${what}: ${err}`);
}

test('faxvault --version', () => {
  const r = faxvault(['--version']);
  assert.is(r.code, 0);
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.match(r.out, new RegExp(`^faxvault ${pkg.version.replace(/\./g, '\\.')} `));
});

test('no stack traces: each problem is one line, exit 1, nothing written', () => {
  writeFileSync(join(dir, 'plain-file'), 'not a folder');
  const cases: [string[], RegExp][] = [
    [['sim', '--data', join(dir, 'plain-file'), '--keys', 'wait:1s'], /not a folder/],
    [['sim', '--data', '/proc/nope', '--keys', 'wait:1s'], /cannot create the folder/],
  ];
  mkdirSync(join(dir, 'small'));
  writeFileSync(join(dir, 'small', 'flash.bin'), randomBytes(5000));
  cases.push([['sim', '--data', join(dir, 'small'), '--keys', 'wait:1s'], /has 5000 bytes/]);
  mkdirSync(join(dir, 'random'));
  const junk = randomBytes(1 << 20);
  writeFileSync(join(dir, 'random', 'flash.bin'), junk);
  cases.push([['sim', '--data', join(dir, 'random'), '--keys', 'wait:1s'], /no faxvault store/]);
  assert.is(faxvault(['center', 'init', '--dir', 'c', '--t', '3', '--suites', 'poly']).code, 0);
  assert.is(faxvault(['center', 'issue', 'mail:a@example.com', '--dir', 'c', '--out', 'a.key']).code, 0);
  writeFileSync(join(dir, 'doc.txt'), 'hello');
  cases.push([['center', 'issue', 'mail:b@example.com', '--dir', 'c', '--out', '/nodir/k'], /cannot write \/nodir\/k: no such folder/]);
  cases.push([['seal', '--key', 'a.key', '--to', 'mail:b@example.com', 'doc.txt', '/nodir/x.fxe'], /cannot write \/nodir\/x\.fxe: no such folder/]);
  cases.push([['seal', '--key', 'a.key', '--to', 'mail:b@example.com', 'missing.txt', 'x.fxe'], /cannot read missing\.txt/]);
  for (const [args, why] of cases) {
    const r = faxvault(args, 30000);
    assert.is(r.signal, null, `${args.join(' ')} ended by itself`);
    assert.is(r.code, 1, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, why, args.join(' '));
    oneLine(r.err, args.join(' '));
  }
  assert.ok(readFileSync(join(dir, 'random', 'flash.bin')).equals(junk), 'a foreign image is left as it was');
  assert.not.ok(existsSync('/proc/nope'));
  assert.equal(readdirSync(join(dir, 'c')).sort(), ['master.json', 'registry.json']);
  assert.is(JSON.parse(readFileSync(join(dir, 'c', 'registry.json'), 'utf8')).epochs['1'].issued.length, 1, 'the failed issue is not counted');
});

test('usage problems exit 2: --remote-sub without --remote-send', () => {
  const r = faxvault(['sim', '--remote-sub', '12', '--exit-after-calls', '1']);
  assert.is(r.code, 2);
  assert.match(r.err, /--remote-sub and --remote-pwd go with --remote-send/);
  oneLine(r.err, 'remote-sub');
});

test('settings are kept in the image: later runs use them; another --config is refused unless --replace-settings', () => {
  const data = join(dir, 'kept');
  const a = join(dir, 'a.json'), b = join(dir, 'b.json');
  writeFileSync(a, JSON.stringify({ station: { ident: '+1 555 0101' }, boxes: [{ number: '12', owner: 'mail:ann@example.com', code: '888888' }] }));
  writeFileSync(b, JSON.stringify({ station: { ident: '+1 555 0202' }, boxes: [{ number: '12', owner: 'mail:ann@example.com', code: '999999' }] }));
  assert.is(faxvault(['sim', '--data', data, '--config', a, '--quiet', '--keys', 'wait:1s']).code, 0);
  // No --config: the kept settings (box 12's code 8888), not the embedded demo's (4711).
  const again = faxvault(['sim', '--data', data, '--keys', 'BOX 12 OK 4711 OK wait:2s']);
  assert.is(again.code, 0, again.err);
  assert.match(again.out, /Wrong pass code/);
  assert.match(faxvault(['sim', '--data', data, '--keys', 'BOX 12 OK 888888 OK wait:2s']).out, /Box 12 is empty/);
  const same = faxvault(['sim', '--data', data, '--config', a, '--quiet', '--keys', 'wait:1s']);
  assert.is(same.code, 0, 'the same file again is no change');
  assert.is(same.err, '');
  const other = faxvault(['sim', '--data', data, '--config', b, '--keys', 'wait:1s']);
  assert.is(other.code, 2);
  assert.match(other.err, /keeps the settings it was first run with .* --replace-settings/);
  const replaced = faxvault(['sim', '--data', data, '--config', b, '--replace-settings', '--quiet', '--keys', 'wait:1s']);
  assert.is(replaced.code, 0, replaced.err);
  assert.match(replaced.err, /settings of .*flash\.bin replaced by .*b\.json/);
  const list = faxvault(['sim', '--data', data, '--keys', 'wait:1s']);
  assert.is(list.code, 0);
});

test("the journal's SEND line names the number dialled, not the remote's ident", () => {
  const data = join(dir, 'sent');
  const page = join(dir, 'page.pbm');
  writeFileSync(page, 'P1\n8 2\n1 0 1 0 1 0 1 0\n0 1 0 1 0 1 0 1\n');
  const r = faxvault(['sim', '--data', data, '--quiet', '--send', page, '--to', '5551234', '--exit-after-calls', '1']);
  assert.is(r.code, 0, r.err);
  const j = faxvault(['docs', '--data', data, 'journal']);
  assert.match(j.out, /SEND\s+5551234\s+1\s+ok/);
});

test('a send from the panel that fails says so on the LCD and prints a transmission report (setting fax.txReport)', () => {
  const page = join(dir, 'scan.pbm');
  writeFileSync(page, 'P1\n8 2\n1 0 1 0 1 0 1 0\n0 1 0 1 0 1 0 1\n');
  const data = join(dir, 'txfail');
  const r = faxvault(['sim', '--data', data, '--scan', page, '--keys', 'START 5551234 START wait:60s']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /TX 5551234 0 pages no-carrier/);
  assert.match(r.out, /\|Send failed\s+\|no-carrier\s+\|/);
  assert.equal(readdirSync(join(data, 'printer')), ['page-0001.png'], 'the transmission report');
  const never = join(dir, 'never.json');
  writeFileSync(never, JSON.stringify({ fax: { txReport: 'never' } }));
  const quiet = join(dir, 'txnever');
  assert.is(faxvault(['sim', '--data', quiet, '--config', never, '--scan', page, '--keys', 'START 5551234 START wait:60s']).code, 0);
  assert.not.ok(existsSync(join(quiet, 'printer')) && readdirSync(join(quiet, 'printer')).length > 0, 'no report when set to never');
});

test('a box without a pass code is refused (it could never be opened)', () => {
  const cfg = join(dir, 'nocode.json');
  writeFileSync(cfg, JSON.stringify({ boxes: [{ number: '12', code: '471100' }, { number: '34', owner: 'mail:bob@example.com' }] }));
  const r = faxvault(['sim', '--config', cfg, '--keys', 'wait:1s']);
  assert.is(r.code, 2);
  assert.match(r.err, /box 34 has no pass code/);
  oneLine(r.err, 'no code');
});

test('--keys with a modem outside (--modem tcp:) plays the keys in real time', async () => {
  // A stand-in modem on TCP that says OK to every command: enough for the panel to run.
  const server = createServer((sock) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\r')) >= 0) {
        buf = buf.slice(i + 1);
        sock.write('\r\nOK\r\n');
      }
    });
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  try {
    const started = Date.now();
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const p = spawn(process.execPath, [bin, 'sim', '--modem', `tcp:127.0.0.1:${port}`, '--keys', 'MENU DOWN wait:1500ms'], { cwd: dir });
      let out = '', err = '';
      p.stdout.on('data', (b) => (out += b));
      p.stderr.on('data', (b) => (err += b));
      p.on('close', (code) => resolve({ code, out, err }));
    });
    assert.is(r.code, 0, r.err);
    assert.match(r.out, />2 /, 'DOWN moved the menu');
    assert.ok(Date.now() - started >= 1500, 'the wait took real time');
  } finally {
    server.close();
  }
});

test('--quiet: no LCD line per screen in a scripted run', () => {
  const loud = faxvault(['sim', '--seed', 'q', '--keys', 'MENU DOWN wait:2s']);
  const quiet = faxvault(['sim', '--seed', 'q', '--quiet', '--keys', 'MENU DOWN wait:2s']);
  assert.is(quiet.code, 0);
  assert.match(loud.out, /IDLE\|/);
  assert.is(quiet.out, '');
});

test.run();
