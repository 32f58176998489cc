import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pageProgress } from '../../cli/progress.ts';

function fakeStream(isTTY: boolean): { s: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const s = { isTTY, write: (t: string) => { out += t; return true; } } as unknown as NodeJS.WriteStream;
  return { s, text: () => out };
}

test('on a terminal: one line rewritten per page, cleared at the end', () => {
  const f = fakeStream(true);
  const p = pageProgress('writing x.pdf', 3, f.s);
  p.page(1); p.page(2); p.page(3); p.done();
  assert.is(f.text(), '\rwriting x.pdf: page 1 of 3\x1b[K\rwriting x.pdf: page 2 of 3\x1b[K\rwriting x.pdf: page 3 of 3\x1b[K\r\x1b[K');
});

test('nothing when not a terminal, or for one page', () => {
  for (const [tty, n] of [[false, 5], [true, 1]] as const) {
    const f = fakeStream(tty);
    const p = pageProgress('w', n, f.s);
    p.page(1); p.done();
    assert.is(f.text(), '');
  }
});

test.run();
