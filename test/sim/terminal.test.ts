// The simulator in a terminal (#15), driven through a real pty with tmux and read back from the
// screen: keys typed together all register, a digit at IDLE starts dialling, the key hint is
// complete, events stay in a status area under the LCD, and quitting prints a summary. The
// decoder's handling of escape sequences split across reads is tested directly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyDecoder, EventLog } from '../../sim/terminal.ts';
import { writePbm } from '../../host/image/pbm.ts';
import { newBitmap, rowOf } from '../../host/image/bitmap.ts';

const keys = (d: KeyDecoder, s: string) => d.feed(s).map((i) => (i.kind === 'key' ? i.key : 'quit'));

test('every key of a chunk is read; escape sequences split across reads are joined', () => {
  const d = new KeyDecoder();
  assert.equal(keys(d, '56'), ['5', '6']);
  assert.equal(keys(d, 'mb\r#*'), ['MENU', 'BOX', 'OK', '#', '*']);
  assert.equal(keys(d, '\x1b[A\x1b[B1'), ['UP', 'DOWN', '1']);
  assert.equal(keys(d, '\x1b'), []);
  assert.ok(d.waiting());
  assert.equal(keys(d, '['), []);
  assert.equal(keys(d, 'B2'), ['DOWN', '2']);
  assert.equal(keys(d, '\x1bO'), []);
  assert.equal(keys(d, 'A'), ['UP']);
  // A lone ESC is STOP once nothing follows (flush), or when another key follows.
  assert.equal(keys(d, '\x1b'), []);
  assert.equal(d.flush().map((i) => (i.kind === 'key' ? i.key : 'quit')), ['STOP']);
  assert.equal(keys(d, '\x1bm'), ['STOP', 'MENU']);
  assert.equal(keys(d, '3q4'), ['3', 'quit', '4']);
  assert.equal(keys(d, '\x1b[1;5C'), [], 'an unknown sequence is swallowed whole, not read as keys');
});

test('the event log keeps the last events and sums up', () => {
  const e = new EventLog(2);
  e.call('RX a 1 page ok');
  e.page('/x/page-0001.png');
  e.fault('t30 in IDLE on X: boom');
  assert.equal(e.lines, ['printed /x/page-0001.png', 'fault: t30 in IDLE on X: boom']);
  assert.equal(e.summary(), ['1 call, 1 page printed, 1 fault', 'printed: /x/page-0001.png']);
});

const haveTmux = spawnSync('tmux', ['-V']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'fv-term-'));
const session = `fvterm${process.pid}`;
const tmux = (...a: string[]) => execFileSync('tmux', a, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(re: RegExp, ms: number): Promise<string> {
  const until = Date.now() + ms;
  let s = '';
  while (Date.now() < until) {
    s = screen();
    if (re.test(s)) return s;
    await sleep(200);
  }
  throw new Error(`screen never showed ${re}:\n${s}`);
}

test('live in a pty: typed-together keys, dialling from IDLE, the key hint, events and the summary', async () => {
  if (!haveTmux) throw new Error('tmux is needed (scripts/debian-packages.txt)');
  const page = newBitmap(1728, 300, 204, 196);
  for (let y = 20; y < 280; y++) rowOf(page, y)[(y * 3) % 216] = 0xf0;
  const doc = join(dir, 'doc.pbm');
  writeFileSync(doc, writePbm([page]));
  const data = join(dir, 'data');
  const cmd = `${process.execPath} bin/faxvault.js sim --data ${data} --seed term --remote-send ${doc}; echo EXITED $?; sleep 60`;
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', '-c', process.cwd(), cmd);
  try {
    let s = await waitFor(/IDLE\|/, 30000);
    assert.match(s, /m=MENU\s+b=BOX\s+r=REPORT\s+s=START\s+p=SPEED\s+q=quit/);
    // A paste: two digits in one write; a digit at IDLE opens the number entry.
    tmux('send-keys', '-t', session, '-l', '56');
    s = await waitFor(/Send fax: number/, 5000);
    await sleep(300);
    tmux('send-keys', '-t', session, '3', '4');
    s = await waitFor(/> 5634/, 5000);
    // Esc (STOP) leaves, arrows move the menu.
    tmux('send-keys', '-t', session, 'Escape');
    await sleep(300);
    tmux('send-keys', '-t', session, 'Escape');
    await waitFor(/IDLE\|/, 5000);
    tmux('send-keys', '-t', session, 'm');
    await waitFor(/>1 Status/, 5000);
    tmux('send-keys', '-t', session, 'Down');
    await waitFor(/>2 /, 5000);
    tmux('send-keys', '-t', session, 'Escape');
    // The remote's call: its result and the printed page stay under the LCD after redraws.
    s = await waitFor(/printed \S+page-0001\.png/, 120000);
    assert.match(s, /RX \+49 89 5550123 1 page .*ok/);
    assert.match(s, /last events/);
    tmux('send-keys', '-t', session, 'q');
    s = await waitFor(/EXITED 0/, 10000);
    assert.match(s, /1 call, 1 page printed, 0 faults/);
    assert.match(s, /printed: \S+page-0001\.png/);
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
  }
});

test.run();
