// The Class 1 modem emulator against scripted AT exchanges: each SpanDSP behaviour docs/FAX-LINE.md
// lists, plus the AT interpreter's details, in virtual time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { createLine } from '../../../sim/line/index.ts';
import type { LineOptions } from '../../../sim/line/index.ts';
import { withFcs } from '../../../sim/line/hdlc.ts';
import { TestDte, stuff, unstuff, DLE, ETX } from './dte.ts';

function setup(opts: LineOptions = {}) {
  const clock = new VirtualClock(0);
  const line = createLine(clock, opts);
  const a = line.attachModem('100');
  const b = line.attachModem('200');
  const A = new TestDte(clock, a.uart, 'A');
  const B = new TestDte(clock, b.uart, 'B');
  return { clock, line, a, b, A, B };
}

/** Both DTEs quiet, fax class; A dials B, B answers on RING. Returns when both have CONNECT. */
function call(s: ReturnType<typeof setup>) {
  for (const d of [s.A, s.B]) {
    d.cmd('ATE0');
    d.cmd('AT+FCLASS=1');
  }
  s.A.send('ATD200\r');
  s.B.expect(/\r\nRING\r\n/);
  const tAta = s.clock.now();
  s.B.send('ATA\r');
  const c = s.B.expect(/\r\nCONNECT\r\n/);
  return { tAta, tConnect: c.at };
}

const DIS_FINAL = [0xff, 0x13, 0x80, 0x00, 0xce, 0xf4];
const CSI = [0xff, 0x03, 0x40, 0x31, 0x32, 0x33];

test('AT with echo on (the factory default), then ATE0: bare OK', () => {
  const { A } = setup();
  assert.is(A.cmd('AT'), 'AT\r\r\nOK\r\n');
  assert.is(A.cmd('ATE0'), 'ATE0\r\r\nOK\r\n');
  assert.is(A.cmd('AT'), '\r\nOK\r\n');
});

test('ATV0 gives numeric results, ATQ1 none, ATZ restores the factory profile', () => {
  const { A } = setup();
  A.cmd('ATE0');
  assert.is(A.cmd('ATV0', /0\r/), '0\r');
  assert.is(A.cmd('AT+FTH=3', /4\r/), '4\r'); // ERROR on hook
  A.send('ATV1Q1\r');
  A.wait(100);
  assert.is(A.unread(), '');
  assert.is(A.cmd('ATZ'), '\r\nOK\r\n', 'results back after ATZ');
  assert.is(A.cmd('AT'), 'AT\r\r\nOK\r\n', 'and echo');
});

test('+FCLASS=? lists 0,1,1.0; +FCLASS? shows the class; +FTM=?/+FRM=? the modulations; +FTH=? 3', () => {
  const { A } = setup();
  A.cmd('ATE0');
  assert.is(A.cmd('AT+FCLASS=?'), '\r\n0,1,1.0\r\n\r\nOK\r\n');
  A.cmd('AT+FCLASS=1');
  assert.is(A.cmd('AT+FCLASS?'), '\r\n1\r\n\r\nOK\r\n');
  assert.is(A.cmd('AT+FTM=?'), '\r\n24,48,72,73,74,96,97,98,121,122,145,146\r\n\r\nOK\r\n');
  assert.is(A.cmd('AT+FRM=?'), '\r\n24,48,72,73,74,96,97,98,121,122,145,146\r\n\r\nOK\r\n');
  assert.is(A.cmd('AT+FTH=?'), '\r\n3\r\n\r\nOK\r\n');
  assert.is(A.cmd('AT+FRS=?'), '\r\n0-255\r\n\r\nOK\r\n');
});

test('class 1 commands are ERROR on hook; AT+FTH=96 is refused off hook; +FTM=99 too', () => {
  const { A } = setup();
  A.cmd('ATE0');
  A.cmd('AT+FCLASS=1');
  assert.is(A.cmd('AT+FRH=3', /ERROR\r\n/), '\r\nERROR\r\n');
  A.cmd('ATH1');
  assert.is(A.cmd('AT+FTH=96', /ERROR\r\n/), '\r\nERROR\r\n');
  assert.is(A.cmd('AT+FTM=99', /ERROR\r\n/), '\r\nERROR\r\n');
  assert.is(A.cmd('ATE2', /ERROR\r\n/), '\r\nERROR\r\n');
});

test('an unknown command ends the line with OK (SpanDSP stops at it), ATI0/ATI3 answer', () => {
  const { A } = setup();
  A.cmd('ATE0');
  assert.is(A.cmd('AT\\Q1E1'), '\r\nOK\r\n');
  A.send('AT\r');
  A.expect(/\r\nOK\r\n/);
  assert.match(A.cmd('ATI0'), /\r\n.+\r\n\r\nOK\r\n/);
  assert.is(A.cmd('AT&K4'), '\r\nOK\r\n');
});

test('RING arrives as \\r\\nRING\\r\\n once per ring burst (2 s on, 4 s off)', () => {
  const s = setup();
  s.B.cmd('ATE0');
  s.A.cmd('ATE0');
  s.A.cmd('AT+FCLASS=1');
  s.A.send('ATD200\r');
  const r1 = s.B.expect(/\r\nRING\r\n/);
  const r2 = s.B.expect(/\r\nRING\r\n/);
  assert.is(r1.text, '\r\nRING\r\n');
  assert.ok(Math.abs(r2.at - r1.at - 6000) < 5, `rings 6 s apart (${r2.at - r1.at})`);
});

test('ATA: answer tone ~3.7 s, then straight into V.21 transmit: CONNECT, first frame at once; ATD implies +FRH=3', () => {
  const s = setup();
  const { tAta, tConnect } = call(s);
  const dt = tConnect - tAta;
  assert.ok(dt > 3500 && dt < 4000, `CONNECT ${dt} ms after ATA`);
  // The caller never sent AT+FRH=3: the CONNECT of its implied receive comes with the preamble.
  s.B.send(stuff(CSI));
  s.A.expect(/\r\nCONNECT\r\n/);
  s.B.expect(/\r\nCONNECT\r\n/); // more frames may follow (control 0x03)
  const f1 = s.A.expect(/\x10\x03\r\nOK\r\n/);
  assert.equal(unstuff(f1.raw), [...withFcs(Uint8Array.from(CSI))], 'CSI with its 2 FCS bytes');
  s.A.send('AT+FRH=3\r');
  s.B.send(stuff(DIS_FINAL));
  s.B.expect(/\r\nOK\r\n/);
  s.A.expect(/\r\nCONNECT\r\n/);
  const f2 = s.A.expect(/\x10\x03/);
  assert.equal(unstuff(f2.raw), [...withFcs(Uint8Array.from(DIS_FINAL))], 'DIS with FCS');
  // Final frame: OK only once the carrier dropped.
  const ok = s.A.expect(/\r\nOK\r\n/);
  assert.ok(ok.at > f2.at, 'OK after the frame');
  assert.ok(s.line.trace().some((l) => l.includes('200 carrier off')));
});

test('+FRH=3 with no carrier waits forever (no timeout in the modem); a byte aborts it: OK, byte discarded', () => {
  const s = setup();
  call(s);
  s.B.send(stuff(DIS_FINAL));
  s.A.expect(/\x10\x03\r\nOK\r\n/);
  s.B.expect(/\r\nOK\r\n/);
  s.A.send('AT+FRH=3\r');
  s.A.wait(120000);
  assert.is(s.A.unread(), '', 'nothing for 2 minutes');
  s.A.send('X');
  assert.is(s.A.expect(/\r\nOK\r\n/).text, '\r\nOK\r\n');
  assert.is(s.A.cmd('AT'), '\r\nOK\r\n', 'back in command mode');
});

test('a byte during +FRM data aborts with DLE ETX then OK', () => {
  const s = setup();
  call(s);
  s.B.send(stuff(DIS_FINAL));
  s.B.expect(/\r\nOK\r\n/);
  s.A.expect(/\x10\x03\r\nOK\r\n/);
  s.B.send('AT+FRM=96\r');
  s.A.cmd('AT+FTM=96', /\r\nCONNECT\r\n/);
  s.A.send(new Uint8Array(100).fill(0x55));
  s.B.expect(/\r\nCONNECT\r\n/);
  s.B.expect(/U/);
  s.B.send('\x18');
  const r = s.B.expect(/\r\nOK\r\n/);
  assert.match(r.text, /\x10\x03\r\nOK\r\n$/);
});

test('SpanDSP quirk: +FTS right after a receive aborted by a byte never answers (stale transmitter); AT still works', () => {
  const s = setup();
  call(s);
  s.B.send(stuff(DIS_FINAL));
  s.A.expect(/\x10\x03\r\nOK\r\n/);
  s.A.send('AT+FRH=3\r');
  s.A.wait(500);
  s.A.send('X');
  s.A.expect(/\r\nOK\r\n/);
  s.A.send('AT+FTS=10\r');
  s.A.wait(5000);
  assert.is(s.A.unread(), '', 'no OK for +FTS');
  assert.is(s.A.cmd('AT'), '\r\nOK\r\n');
  assert.ok(s.line.trace().some((l) => l.includes('stale')));
});

test('SpanDSP quirk: after +FCERROR the V.21 receiver runs on; a DTE left waiting by an aborted +FRH gets the next frame unasked', () => {
  const s = setup();
  call(s);
  s.B.send(stuff(DIS_FINAL));
  s.A.expect(/\x10\x03\r\nOK\r\n/);
  s.A.send('AT+FRH=3\r');
  s.A.wait(500);
  s.A.send('X'); // abort: "DTE waiting" stays set
  s.A.expect(/\r\nOK\r\n/);
  s.A.send('AT+FRM=96\r');
  s.B.cmd('AT+FTH=3', /\r\nCONNECT\r\n/);
  s.A.expect(/\r\n\+FCERROR\r\n/);
  s.B.send(stuff([0xff, 0x13, 0xfa]));
  const r = s.A.expect(/\x10\x03\r\nOK\r\n/);
  assert.match(r.text, /^\r\nCONNECT\r\n\xff\x13\xfa/);
});

test('+FRH=3: CONNECT ~180 ms after the far end starts its preamble (measured on SpanDSP: 179 ms), long before its CONNECT', () => {
  const s = setup();
  call(s);
  s.B.send(stuff(DIS_FINAL));
  s.A.expect(/\x10\x03\r\nOK\r\n/);
  s.B.expect(/\r\nOK\r\n/);
  s.A.send('AT+FRH=3\r');
  s.A.wait(100);
  s.B.send('AT+FTH=3\r');
  const t0 = s.clock.now();
  const a = s.A.expect(/\r\nCONNECT\r\n/);
  const b = s.B.expect(/\r\nCONNECT\r\n/);
  assert.ok(a.at - t0 > 150 && a.at - t0 < 220, `receiver CONNECT ${a.at - t0} ms after +FTH=3`);
  assert.ok(b.at - t0 > 840 && b.at - t0 < 900, `sender CONNECT ${b.at - t0} ms after +FTH=3 (32 flags)`);
});

test('+FTH=3: CONNECT after a frame with control 0x03, OK after 0x13 once the carrier is off', () => {
  const s = setup();
  call(s);
  s.B.send(stuff(CSI));
  const c = s.B.expect(/\r\nCONNECT\r\n/);
  s.B.send(stuff(DIS_FINAL));
  const ok = s.B.expect(/\r\nOK\r\n/);
  // DIS + FCS = 8 octets plus stuffing and flags at 300 bit/s: ≥ 213 ms.
  assert.ok(ok.at - c.at > 213, `OK ${ok.at - c.at} ms after the second frame was handed over`);
});

test('a frame that arrived while the DTE was not waiting is queued: the next +FRH=3 gives CONNECT twice (SpanDSP quirk)', () => {
  const s = setup();
  call(s);
  s.B.send(stuff(CSI));
  s.B.expect(/\r\nCONNECT\r\n/);
  s.A.expect(/\x10\x03\r\nOK\r\n/);
  s.B.send(stuff(DIS_FINAL)); // A is slow: no +FRH=3 until B is done
  s.B.expect(/\r\nOK\r\n/);
  s.A.wait(500);
  s.A.send('AT+FRH=3\r');
  const r = s.A.expect(/\x10\x03\r\nOK\r\n/);
  assert.match(r.text, /^\r\nCONNECT\r\n\r\nCONNECT\r\n\xff\x13\x80/);
});

test('+FRH=3 reports ERROR for a frame with a bad FCS', () => {
  const s = setup({ faults: { corruptFrames: [0] } });
  call(s);
  s.B.send(stuff(CSI));
  s.B.expect(/\r\nCONNECT\r\n/);
  s.A.expect(/\r\nCONNECT\r\n/);
  const bad = s.A.expect(/\x10\x03\r\n(OK|ERROR)\r\n/);
  assert.match(bad.text, /ERROR/);
  s.A.send('AT+FRH=3\r');
  s.B.send(stuff(DIS_FINAL));
  s.A.expect(/\r\nCONNECT\r\n/);
  const good = s.A.expect(/\x10\x03/);
  assert.equal(unstuff(good.raw).slice(0, 6), DIS_FINAL);
  s.A.expect(/\r\nOK\r\n/);
});

test('DLE in a frame is doubled both ways', () => {
  const s = setup();
  call(s);
  const f = [0xff, 0x13, 0x80, DLE, DLE, 0x01];
  s.B.send(stuff(f));
  s.A.expect(/\r\nCONNECT\r\n/);
  s.B.expect(/\r\nOK\r\n/);
  const r = s.A.expect(/(?<!\x10)\x10\x03\r\n/);
  const body = r.raw.slice(0, r.raw.length - 4);
  assert.equal(body.slice(0, 8), [0xff, 0x13, 0x80, DLE, DLE, DLE, DLE, 0x01]);
});

test.run();
