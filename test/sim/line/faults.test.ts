// Every fault the line can inject, each with its documented outcome, seeded and deterministic.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { createLine } from '../../../sim/line/index.ts';
import type { LineOptions, RemoteScript, ModemAttachOptions } from '../../../sim/line/index.ts';
import { fifWithBits } from '../../../sim/line/t30-frames.ts';
import { TestDte } from './dte.ts';
import { rxFrames, txFrames, rxData, txData, ident } from './class1-dte.ts';

const DCS = [0xff, 0x13, 0x83, 0x00, 0x22, 0x70]; // V.17 14400

function page(n: number, seed: number): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x >>> 24;
  });
}

function setup(script: RemoteScript, opts: LineOptions = {}, mo: ModemAttachOptions = {}) {
  const clock = new VirtualClock(0);
  const line = createLine(clock, opts);
  const a = line.attachModem('100', mo);
  const remote = line.attachRemote('200', script);
  const A = new TestDte(clock, a.uart, 'A');
  A.cmd('ATE0');
  A.cmd('AT+FCLASS=1');
  return { clock, line, a, remote, A };
}

/** DTE calls the remote receiver and trains; returns the CFR/FTT frame's FCF. */
function train(s: ReturnType<typeof setup>): number {
  s.A.send('ATD200\r');
  rxFrames(s.A, true);
  txFrames(s.A, [[0xff, 0x03, 0x43, ...ident('T')], DCS]);
  txData(s.A, 145, new Uint8Array(2700));
  return rxFrames(s.A).pop()!.bytes[2] & 0xfe;
}

function sendPage(s: ReturnType<typeof setup>, data: Uint8Array, last: boolean): number {
  txData(s.A, 145, data);
  txFrames(s.A, [[0xff, 0x13, last ? 0x2f : 0x4f]]);
  return rxFrames(s.A).pop()!.bytes[2] & 0xfe;
}

function diffBits(a: Uint8Array, b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) for (let k = 0; k < 8; k++) if (((a[i] ^ b[i]) >> k) & 1) out.push(i * 8 + k);
  return out;
}

test('bit errors at chosen bytes of page 1: exactly those bytes arrive with a bit inverted, TCF untouched', () => {
  const s = setup({}, { faults: { bitErrors: [{ page: 1, bytes: [10, 777] }] } });
  assert.is(train(s), 0x84);
  const p = page(2000, 1);
  sendPage(s, p, true);
  assert.equal(diffBits(p, s.remote.pages[0]), [10 * 8, 777 * 8]);
});

test('bit error rate on page data: about rate × bits errors; none in the TCF unless tcfErrors', () => {
  const s = setup({}, { faults: { seed: 7, bitErrorRate: 1e-3 } });
  assert.is(train(s), 0x84, 'TCF clean: CFR');
  const p = page(5000, 2);
  sendPage(s, p, true);
  const n = diffBits(p, s.remote.pages[0]).length;
  assert.ok(n > 20 && n < 70, `${n} bit errors in 40000 bits at 1e-3`);
  const t = setup({}, { faults: { seed: 7, bitErrorRate: 1e-3, tcfErrors: true } });
  assert.is(train(t), 0x44, 'a noisy TCF: FTT');
});

test('a corrupted V.21 frame (chosen by FCF) reaches the modem with a bad FCS: ERROR', () => {
  const s = setup({}, { faults: { corruptFrames: (f) => f.fcf === 0x80 && f.index < 3 } });
  s.A.send('ATD200\r');
  const frames = rxFrames(s.A, true);
  assert.equal(frames.map((f) => f.ok), [true, false, true, true], 'CSI, DIS (ERROR); the remote repeats after T4');
  assert.ok(s.line.trace().some((l) => l.includes('fault: frame 1 from 200 corrupted')));
});

test('frame bit error rate: the same seed corrupts the same frames', () => {
  const oks = (seed: number) => {
    const s = setup({}, { faults: { seed, frameBitErrorRate: 0.01 } });
    s.A.send('ATD200\r');
    const r = rxFrames(s.A, true);
    return r.map((f) => f.ok);
  };
  assert.equal(oks(3), oks(3));
  assert.ok(oks(3).includes(false) || oks(4).includes(false), 'some frame hit');
});

test('carrier loss in page 1 after 1000 bytes: the receiving DTE gets DLE ETX and NO CARRIER early', () => {
  const p = page(4000, 3);
  const s = setup({ role: 'send', call: '100', pages: [p], startAfterMs: 100 }, { faults: { carrierLoss: [{ page: 1, afterBytes: 1000 }] } });
  const { A } = s;
  A.expect(/RING/);
  A.send('ATA\r');
  A.expect(/\r\nCONNECT\r\n/);
  txFrames(A, [[0xff, 0x03, 0x40, ...ident('FV')], [0xff, 0x13, 0x80, ...fifWithBits([10, 11, 12, 14, 21, 22, 23])]], true);
  rxFrames(A);
  rxData(A, 145);
  txFrames(A, [[0xff, 0x13, 0x84]]);
  const got = rxData(A, 146); // ends with DLE ETX, NO CARRIER
  assert.ok(got.length <= 1000 + 100 && got.length >= 900, `${got.length} bytes before the carrier was lost`);
  const pmc = rxFrames(A);
  assert.is(pmc[0].bytes[2] & 0xfe, 0x2e, 'the sender, unaware, sends EOP');
});

test('the line drops at a chosen time: both ends lose the call (NO CARRIER, remote failed)', () => {
  const s = setup({}, { faults: { dropAt: 12000 } });
  s.A.send('ATD200\r');
  rxFrames(s.A, true);
  txFrames(s.A, [DCS]);
  s.A.send('AT+FTM=145\r');
  s.A.expect(/\r\nCONNECT\r\n/);
  s.A.send(new Uint8Array(4000));
  s.A.expect(/\r\nNO CARRIER\r\n/, 30000);
  assert.ok(s.clock.now() >= 12000 && s.clock.now() < 12200);
  assert.is(s.remote.result.status, 'failed');
  assert.is(s.a.port.state, 'idle');
});

test('the line drops in page 2 after 500 bytes: page 1 stays confirmed, page 2 is lost', () => {
  const s = setup({}, { faults: { dropInPage: { page: 2, afterBytes: 500 } } });
  assert.is(train(s), 0x84);
  assert.is(sendPage(s, page(1500, 1), false), 0x8c, 'MCF for page 1');
  s.A.cmd('AT+FTM=145', /\r\nCONNECT\r\n/);
  s.A.send(new Uint8Array(3000).fill(0x11));
  s.A.expect(/\r\nNO CARRIER\r\n/, 30000);
  assert.is(s.remote.pages.length, 1, 'one page received');
  assert.is(s.remote.result.status, 'failed');
  assert.match(s.remote.result.reason, /hung up/);
});

test('a slow DTE (9600 baud towards the modem) underruns V.17 14400: zeros are inserted into the page', () => {
  const s = setup({}, {}, { dteToModemBaud: 9600 });
  assert.is(train(s), 0x84);
  const p = page(10000, 4).map((b) => b | 1); // no zero bytes of its own
  sendPage(s, p, true);
  const got = s.remote.pages[0];
  assert.ok(got.length > p.length + 3000, `${got.length} bytes received for ${p.length} sent`);
  let start = 0;
  while (got[start] === 0xff) start++; // fill before the first byte
  assert.equal([...got.subarray(start)].filter((b) => b !== 0), [...p], 'the data itself is all there, in order');
});

test('a DTE that stalls 4 s in the middle of a page: once its 3 KB buffer is empty the modem fills with zeros', () => {
  const s = setup({}, {}, {});
  assert.is(train(s), 0x84);
  const p = page(6000, 5).map((b) => b | 1);
  s.A.cmd('AT+FTM=145', /\r\nCONNECT\r\n/);
  s.a.uart.setXonXoff(true);
  s.clock.at(s.clock.now() + 2500, () => s.a.serial.stall(4000)); // 1.1 s into the data
  s.A.send(Uint8Array.from([...p, 0x10, 0x03]));
  s.A.expect(/\r\nOK\r\n/, 60000);
  s.a.uart.setXonXoff(false); // 0x13 is the final frame's control byte: XON/XOFF only while sending
  txFrames(s.A, [[0xff, 0x13, 0x2f]]);
  rxFrames(s.A);
  const got = s.remote.pages[0];
  const zeros = got.filter((b) => b === 0).length;
  // 4 s at 1800 bytes/s, less what the modem had buffered (≤ 3 KB at XOFF).
  assert.ok(zeros > 7200 - 3200 && zeros < 7200, `${zeros} zero bytes of fill`);
});

test('a DTE that reads slowly (9600 baud from the modem) gets every byte of a V.17 page, later than the line delivered it', () => {
  const p = page(3000, 8);
  const s = setup({ role: 'send', call: '100', pages: [p], startAfterMs: 100 }, {}, { modemToDteBaud: 9600 });
  const { A } = s;
  A.expect(/RING/);
  A.send('ATA\r');
  A.expect(/\r\nCONNECT\r\n/);
  txFrames(A, [[0xff, 0x13, 0x80, ...fifWithBits([10, 11, 12, 14, 21, 22, 23])]], true);
  rxFrames(A);
  rxData(A, 145);
  txFrames(A, [[0xff, 0x13, 0x84]]);
  const t0 = s.clock.now();
  const got = rxData(A, 146);
  const dt = s.clock.now() - t0;
  let at = -1;
  for (let i = 0; i + p.length <= got.length && at < 0; i++) if (p.every((b, j) => got[i + j] === b)) at = i;
  assert.ok(at >= 0, 'the page whole');
  // 3000 bytes at 960 bytes/s take 3.1 s over the cable; on the line they took 1.7 s.
  assert.ok(dt > 3100, `delivered over ${dt} ms`);
});

test('a DTE that sends XOFF to hold the modem while receiving aborts the receive (SpanDSP takes any byte as abort)', () => {
  const p = page(3000, 9);
  const s = setup({ role: 'send', call: '100', pages: [p], startAfterMs: 100 });
  const { A } = s;
  A.expect(/RING/);
  A.send('ATA\r');
  A.expect(/\r\nCONNECT\r\n/);
  txFrames(A, [[0xff, 0x13, 0x80, ...fifWithBits([10, 11, 12, 14, 21, 22, 23])]], true);
  rxFrames(A);
  rxData(A, 145);
  txFrames(A, [[0xff, 0x13, 0x84]]);
  A.send('AT+FRM=146\r');
  A.expect(/\r\nCONNECT\r\n/);
  A.wait(500);
  A.send(Uint8Array.from([0x13])); // XOFF
  const r = A.expect(/\x10\x03\r\nOK\r\n/);
  assert.ok(r.raw.length > 100, 'some data first, then DLE ETX and OK');
});

test('determinism: the same faults and seed give the same trace, byte for byte', () => {
  const run = () => {
    const s = setup({ policy: 'MCF' }, { faults: { seed: 'x', bitErrorRate: 1e-4, frameBitErrorRate: 1e-4 } });
    try {
      train(s);
      sendPage(s, page(3000, 6), true);
    } catch {
      // a frame error may end the scripted DTE early: the trace is compared either way
    }
    s.clock.runUntil(s.clock.now() + 20000);
    return s.line.trace().join('\n');
  };
  assert.is(run(), run());
});

test.run();
