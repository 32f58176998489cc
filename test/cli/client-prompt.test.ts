// The pass code question of `faxvault client` (cli/commands/client-prompt.ts) on stand-in
// streams: keys as a terminal in raw mode sends them (Backspace, Ctrl-U, Enter, Ctrl-C, Ctrl-D),
// the time limit, nothing echoed, and questions asked one at a time. The whole program under a
// real pseudo-terminal: test/interop/cli/client-prompt.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { askCode, PromptQueue } from '../../cli/commands/client-prompt.ts';
import type { Answer } from '../../cli/commands/client-prompt.ts';

function io() {
  const input = new PassThrough() as unknown as NodeJS.ReadStream & PassThrough;
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d) => (shown += d));
  return { input, output, shown: () => shown };
}

test('keys: a code with Backspace and Ctrl-U edits, Enter alone is "later", Ctrl-D is "later", Ctrl-C interrupts — nothing typed is shown', async () => {
  const cases: [string, Answer][] = [
    ['12\u007f3\r', { kind: 'code', code: '13' }],
    ['99\u00154712\u00081\r', { kind: 'code', code: '4711' }],
    ['\r', { kind: 'later' }],
    ['\u0004', { kind: 'later' }],
    ['47\u0003', { kind: 'interrupt' }],
  ];
  for (const [keys, want] of cases) {
    const t = io();
    const a = askCode('pass code: ', 5, t);
    t.input.write(keys);
    assert.equal(await a, want, JSON.stringify(keys));
    assert.is(t.shown(), 'pass code: \n', 'only the question and the end of its line');
  }
});

test('no Enter within the time: a timeout, with what was typed so far thrown away', async () => {
  const t = io();
  const t0 = Date.now();
  const a = askCode('pass code: ', 1, t);
  t.input.write('47');
  assert.equal(await a, { kind: 'timeout' });
  assert.ok(Date.now() - t0 >= 950);
});

test('questions are asked one after another, also after one failed', async () => {
  const q = new PromptQueue();
  const order: string[] = [];
  const step = (name: string, ms: number, fail = false) => () => new Promise<void>((resolve, reject) => setTimeout(() => {
    order.push(name);
    if (fail) reject(new Error('a failure that does not stop the queue'));
    else resolve();
  }, ms));
  const err = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    q.add(step('a', 30, true));
    q.add(step('b', 1));
    let last!: () => void;
    const end = new Promise<void>((r) => (last = r));
    q.add(async () => { order.push('c'); last(); });
    await end;
  } finally {
    process.stderr.write = err;
  }
  assert.equal(order, ['a', 'b', 'c']);
});

test.run();
