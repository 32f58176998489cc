// `faxvault flash` as a user runs it: the dry run prints exactly the console lines, and those
// lines rebuild the device files byte for byte in a board's Storage; over TCP it writes a
// console that answers like a board's (a fake one here, the interpreter's own telnet console
// when ESPRUINO names an interpreter binary).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { crc32 } from 'node:zlib';
import { deviceFilesOf, uploadPlan, quoteBytes, PIECE, BOOT_CODE } from '../../host/device/upload-plan.ts';
import { Interpreter, interpreterPath } from '../build/interpreter.ts';

const BUNDLE = 'dist/faxvault.device.js';
if (!existsSync(BUNDLE)) spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], { stdio: 'inherit' });
const bundle = readFileSync(BUNDLE, 'latin1');
const files = deviceFilesOf((dist) => readFileSync(dist, 'latin1'));

function faxvault(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/faxvault.js', ...args], { encoding: 'latin1', timeout: 60000, maxBuffer: 1 << 24 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A board's Storage as far as the upload uses it: write(name, data, offset, size) on bytes. */
function fakeStorage() {
  const files = new Map<string, Buffer>();
  return {
    files,
    write(name: string, data: string, offset?: number, size?: number): boolean {
      if (!offset) files.set(name, Buffer.alloc(size ?? data.length, 0xff));
      const f = files.get(name);
      if (!f || (offset ?? 0) + data.length > f.length) return false;
      f.write(data, offset ?? 0, 'latin1');
      return true;
    },
  };
}

/** Runs console lines as a board would (print, echo, load), against a fake Storage. */
function fakeBoard() {
  const storage = fakeStorage();
  const printed: string[] = [];
  let loads = 0;
  const ctx = vm.createContext({
    require: (m: string) => { if (m !== 'Storage') throw new Error('no module ' + m); return storage; },
    print: (s: unknown) => printed.push(String(s)),
    echo: () => undefined,
    load: () => { loads++; },
  });
  return { storage, printed, run: (line: string) => vm.runInContext(line, ctx), loads: () => loads };
}

test('the upload plan: pieces of at most PIECE bytes, every byte value quoted safely', () => {
  const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
  assert.equal(eval(quoteBytes(all)), all);
  assert.not.match(quoteBytes(all), /[^\x20-\x7e]/);
  assert.throws(() => quoteBytes('\u20ac'), /U\+20AC/);
  const steps = uploadPlan(files);
  assert.is(steps.length, Math.ceil(bundle.length / PIECE) + 1);
  for (const s of steps) assert.ok(s.bytes <= PIECE);
  assert.throws(() => uploadPlan([{ name: 'a name with spaces', text: 'x' }]), /not a Storage file name/);
  assert.throws(() => uploadPlan([{ name: 'x.js', text: '' }]), /empty/);
});

test('flash --dry-run prints exactly the console lines, and they write the build byte for byte', () => {
  const r = faxvault(['flash', '--dry-run']);
  assert.is(r.code, 0, r.err);
  const writes = Math.ceil(bundle.length / PIECE) + 1;
  assert.match(r.err, new RegExp(`${writes} Storage writes of at most ${PIECE} bytes: faxvault\\.js ${bundle.length} bytes, \\.bootcde ${BOOT_CODE.length} bytes; then load\\(\\)`));
  const lines = r.out.trimEnd().split('\n');
  assert.is(lines[0], 'echo(0)');
  assert.is(lines[lines.length - 1], 'load()');
  const board = fakeBoard();
  for (const l of lines) board.run(l);
  assert.is(board.storage.files.get('faxvault.js')!.toString('latin1'), bundle);
  assert.is(board.storage.files.get('.bootcde')!.toString('latin1'), BOOT_CODE);
  assert.is(board.printed.filter((p) => p.startsWith('FV-OK')).length, lines.length - 2);
  assert.is(board.loads(), 1);
  assert.not.match(faxvault(['flash', '--dry-run', '--no-restart']).out.trimEnd().split('\n').pop()!, /load\(\)/);
});

test('flash refuses what it cannot use', () => {
  assert.match(faxvault(['flash']).err, /--port is required/);
  assert.match(faxvault(['flash', '--port', 'tcp://host:port']).err, /tcp:\/\/HOST\[:PORT\]/);
  assert.match(faxvault(['flash', '--port', '/dev/x', '--baud', 'fast']).err, /--baud must be a number/);
});

/** A TCP console that answers like a board's: one line at a time, output after each. */
function fakeConsole(failAt = -1): Promise<{ port: number; board: ReturnType<typeof fakeBoard>; close: () => void }> {
  const board = fakeBoard();
  let writes = 0;
  const server = net.createServer((s) => {
    let pending = '';
    s.on('data', (d) => {
      pending += d.toString('latin1').replace(/\x03/g, '');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.startsWith('print((require("Storage").write') && writes++ === failAt) {
          s.write('Uncaught Error: Unable to write file\r\n');
          continue;
        }
        const before = board.printed.length;
        board.run(line);
        s.write(board.printed.slice(before).map((p) => p + '\r\n').join(''));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, board, close: () => server.close() })));
}

function faxvaultAsync(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/faxvault.js', ...args]);
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => resolve({ code, err }));
  });
}

test('flash over TCP writes the build to a console that answers like a board, and restarts it', async () => {
  const c = await fakeConsole();
  const r = await faxvaultAsync(['flash', '--port', `tcp://127.0.0.1:${c.port}`]);
  c.close();
  assert.is(r.code, 0, r.err);
  assert.is(c.board.storage.files.get('faxvault.js')!.toString('latin1'), bundle);
  assert.is(c.board.storage.files.get('.bootcde')!.toString('latin1'), BOOT_CODE);
  assert.is(c.board.loads(), 1);
  assert.match(r.err, /board restarted into \.bootcde/);
});

test('flash stops at the first write the board refuses, says which, and does not restart it', async () => {
  const c = await fakeConsole(3);
  const r = await faxvaultAsync(['flash', '--port', `tcp://127.0.0.1:${c.port}`]);
  c.close();
  assert.is(r.code, 1);
  assert.match(r.err, /faxvault flash: faxvault\.js 12288\.\.16384 of \d+: Uncaught Error: Unable to write file/);
  assert.is(c.board.loads(), 0);
});

// The interpreter's Linux build has a telnet console on port 2323 (`--telnet`): the real thing.
const interp = interpreterPath();
if (interp) {
  test('flash over TCP to the interpreter\'s own console: Storage holds the build byte for byte', async () => {
    const free = await new Promise<boolean>((res) => {
      const s = net.createServer().once('error', () => res(false)).listen(2323, () => s.close(() => res(true)));
    });
    if (!free) {
      console.log('  (port 2323 is taken: the interpreter\'s telnet console cannot listen; skipped)');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'fv-flash-'));
    const p = spawn(interp, ['--telnet'], { cwd: dir, stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      let r = { code: 1 as number | null, err: '' };
      for (let tries = 0; tries < 50 && r.code !== 0; tries++) {
        await new Promise((res) => setTimeout(res, 200));
        r = await faxvaultAsync(['flash', '--port', 'tcp://127.0.0.1:2323', '--no-restart']);
        if (!/ECONNREFUSED/.test(r.err)) break;
      }
      assert.is(r.code, 0, r.err);
    } finally {
      // SIGKILL: an interpreter run under qemu-i386 (the ESP32-sized build on a 64-bit kernel,
      // docs/ESPRUINO.md) outlives SIGTERM, and the test then waited for its exit for ever
      p.kill('SIGKILL');
    }
    await new Promise((res) => p.once('exit', res));
    const check = await new Interpreter(interp, dir).run('var s=require("Storage");' + files.map((f) => 'print("CRC ' + f.name + ' "+E.CRC32(s.read("' + f.name + '")));').join(''));
    for (const f of files) assert.match(check.out, new RegExp(`CRC ${f.name.replace('.', '\\.')} ${crc32(Buffer.from(f.text, 'latin1'))}`));
  });
}

test.run();
