// The receive-path bench (bench/device-receive.ts): its projection arithmetic, the call its
// scripted modem plays (run here on Node: a good call confirms and stores every page, sealed
// when the box is confidential; nothing timed), and that it measures nothing, cleanly, when no
// interpreter is named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import run, { keepUp, answerDelayS, callScript, codePages, expectedAnswers, BOARD_FACTOR, UART_BUFFER, GAP_MS } from '../../bench/device-receive.ts';
import { receiveCall } from '../../bench/entries/receive-device.ts';
import { T4Decoder } from '../../firmware/fax/t4/index.ts';

test('keepUp: a path faster than the line leaves no backlog; a slower one leaves what it has not taken when the last octet arrives', () => {
  // 90,000 octets through the path in 500 ms of the interpreter: 17.6 s on the board, the line (14400) needs 50 s
  const fast = keepUp(90000, 500, 14400);
  assert.ok(Math.abs(fast.boardRate - 90000 / (0.5 * BOARD_FACTOR)) < 1e-6);
  assert.is(fast.lineRate, 1800);
  assert.ok(fast.ratio > 1);
  assert.equal([fast.backlog, fast.lost, fast.drainS], [0, 0, 0]);
  // the same path at half the line's pace: half the page is still waiting at its end
  const ms = (90000 / 900 / BOARD_FACTOR) * 1000; // 900 octets/s on the board
  const slow = keepUp(90000, ms, 14400);
  assert.ok(Math.abs(slow.ratio - 0.5) < 1e-9);
  assert.is(slow.backlog, 45000);
  assert.is(slow.lost, 45000 - UART_BUFFER);
  assert.ok(Math.abs(slow.drainS - 50) < 1e-9);
  // at 7200 bit/s (900 octets/s) the same path just keeps up
  assert.is(keepUp(90000, ms, 7200).backlog, 0);
});

test('answerDelayS: the backlog worked off, then the answer\'s own CPU on the board, then the gap', () => {
  assert.ok(Math.abs(answerDelayS(10, 0) - (10 * BOARD_FACTOR + GAP_MS) / 1000) < 1e-9);
  assert.ok(Math.abs(answerDelayS(10, 2.5) - (2.5 + (10 * BOARD_FACTOR + GAP_MS) / 1000)) < 1e-9);
});

/** Small pages (120 rows of noise bands and white) so that the call runs in a moment. */
function pages(n: number) {
  const width = 1728, height = 120, stride = width / 8;
  return Array.from({ length: n }, (_, p) => {
    const rows = new Uint8Array(stride * height);
    let seed = 11 + p;
    for (let i = 0; i < rows.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      rows[i] = (i / stride + p * 7) % 30 < 10 ? seed >> 23 : 0;
    }
    return { width, height, rows };
  });
}

for (const ecm of [false, true]) {
  for (const coding of ['mh', 'mr'] as const) {
    test(`the scripted call (${coding.toUpperCase()}${ecm ? ', ECM' : ''}): every page confirmed (MCF), stored as sent, sealed in a confidential box`, () => {
      const coded = codePages(pages(3), coding);
      const script = callScript(coded, coding, ecm);
      // with ECM a page of more than 64 KB goes in two blocks: here one each
      assert.is(script.filter((s) => s.kind === 'data').length, 4);
      for (const seal of ['js', 'none'] as const) {
        let clock = 0;
        const f = receiveCall({ script, seal, piece: 128, rate: 14400, rxDecodeBacklog: 0, ecmRxWindow: 16, cpuMs: () => clock++ });
        assert.equal(f.sent, expectedAnswers(script), f.trace.join('\n'));
        assert.equal(f.faults, []);
        assert.is(f.pages, 3);
        assert.is(f.storedOctets, coded.reduce((a, p) => a + p.length, 0));
        assert.is(f.sealed, seal !== 'none');
        assert.is(f.answers.length, 3);
        assert.equal(f.data.map((d) => d.tag), ['tcf', 'p1', 'p2', 'p3']);
        assert.ok(f.data.every((d) => d.ms > 0));
        if (!ecm) assert.match(f.trace.join('\n'), /judged by the line scan/);
      }
      // the coded pages are what the receiver must see: each decodes to its rows
      const d = new T4Decoder({ coding, width: 1728, bitOrder: 'lsb-first' });
      d.push(coded[0]);
      d.end();
      assert.equal([d.lines, d.badLines], [120, 0]);
    });
  }
}

test('without an interpreter named the bench says so and measures nothing', async () => {
  const saved = [process.env.ESPRUINO_SPEED, process.env.ESPRUINO];
  delete process.env.ESPRUINO_SPEED;
  delete process.env.ESPRUINO;
  const log = console.log;
  const lines: string[] = [];
  console.log = (s: string) => lines.push(s);
  try {
    await run();
  } finally {
    console.log = log;
    if (saved[0] !== undefined) process.env.ESPRUINO_SPEED = saved[0];
    if (saved[1] !== undefined) process.env.ESPRUINO = saved[1];
  }
  assert.equal(lines.length, 1);
  assert.match(lines[0], /not measured/);
});

test.run();
