// The receive-path bench (bench/device-receive.ts): its projection arithmetic, the call its
// scripted modem plays (run here on Node: a good call confirms and stores every page, sealed
// when the box is confidential; nothing timed), and that it measures nothing, cleanly, when no
// interpreter is named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import run, { keepUp, splitCost, answerDelayS, callScript, codePages, expectedAnswers, BOARD_FACTOR, UART_BUFFER, GAP_MS } from '../../bench/device-receive.ts';
import { receiveCall } from '../../bench/entries/receive-device.ts';
import { T4Decoder } from '../../firmware/fax/t4/index.ts';

test('splitCost: the cost per octet and per event come back from two runs with different pieces', () => {
  const octets = 100000, cUs = 5, eMs = 2;
  const ms = (piece: number) => (octets * cUs) / 1000 + Math.ceil(octets / piece) * eMs;
  const got = splitCost(octets, 128, ms(128), 1024, ms(1024));
  assert.ok(Math.abs(got.cUs - cUs) < 1e-9 && Math.abs(got.eMs - eMs) < 1e-9, JSON.stringify(got));
});

/** Interpreter units for a board that takes `rate` octets/s and `eventS` s an event. */
const interp = (rate: number, eventS: number) => ({ cUs: 1e6 / rate / BOARD_FACTOR, eMs: (eventS * 1000) / BOARD_FACTOR });

test('keepUp: twice the line\'s pace keeps up with pieces that pay for each event; a piece is all that waits at the end', () => {
  const { cUs, eMs } = interp(3600, 0.1);
  const k = keepUp(60000, cUs, eMs, 14400);
  assert.is(k.lineRate, 1800);
  assert.ok(Math.abs(k.ratio - 2) < 1e-9);
  // 0.1 s an event + P/3600 s ≤ P/1800 s → P ≥ 360
  assert.is(k.piece, 360);
  assert.equal([k.keeps, k.backlog, k.lost], [true, 360, 0]);
  assert.ok(Math.abs(k.drainS - 0.2) < 1e-9);
});

test('keepUp: half the line\'s pace falls behind whatever the pieces: half the page waits, what passes the buffer is lost', () => {
  const { cUs, eMs } = interp(900, 0);
  const k = keepUp(60000, cUs, eMs, 14400);
  assert.equal([k.keeps, k.piece], [false, Infinity]);
  assert.is(k.backlog, 30000);
  assert.is(k.lost, 30000 - UART_BUFFER);
  assert.ok(Math.abs(k.drainS - 30000 / 900) < 1e-6);
  // at 7200 bit/s (900 octets/s) the same path keeps up, as it does at 4800
  assert.ok(keepUp(60000, cUs, eMs, 4800).keeps);
});

test('keepUp: a little faster than the line but dear events need pieces larger than the UART keeps: behind', () => {
  const { cUs, eMs } = interp(1900, 1);
  const k = keepUp(60000, cUs, eMs, 14400);
  assert.ok(k.ratio > 1);
  assert.ok(k.piece > UART_BUFFER);
  assert.is(k.keeps, false);
  assert.ok(k.backlog > UART_BUFFER && k.lost > 0);
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
        // sealed for the LAN after the call (#9): the envelope carries every page and a little more
        if (seal === 'none') assert.is(f.send, null);
        else assert.ok(f.send && f.send.octets > f.storedOctets && f.send.aead === 'CHACHA20-POLY1305', JSON.stringify(f.send));
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
