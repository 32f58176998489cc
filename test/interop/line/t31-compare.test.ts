// The emulator is faithful: the same AT script runs against SpanDSP's real t31 modems (the
// interop peer's modempair, two modems back to back, over loopback TCP) and against two of the
// emulator's modems (sim/line on RealClock, served over loopback TCP), through the same client
// (hal/node TcpUart), in parallel; the result codes and the frame bytes must be the same.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RealClock } from '../../../hal/node/clock.ts';
import { TcpUart } from '../../../hal/node/tcp-uart.ts';
import { createLine, serveModem } from '../../../sim/line/index.ts';
import { startBackToBack } from '../peer/harness.ts';
import { AsyncDte } from '../../hal/node/async-dte.ts';

const DLE = 0x10;
const ETX = 0x03;

function stuff(f: number[]): Uint8Array {
  const out: number[] = [];
  for (const b of f) {
    out.push(b);
    if (b === DLE) out.push(DLE);
  }
  out.push(DLE, ETX);
  return Uint8Array.from(out);
}

const show = (s: string) => s.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `<${c.charCodeAt(0).toString(16).padStart(2, '0')}>`);

/** The script; returns what each step gave, as comparable text. */
async function script(A: AsyncDte, B: AsyncDte, number: string): Promise<string[]> {
  const log: string[] = [];
  const step = async (label: string, p: Promise<string>) => {
    log.push(`${label}: ${show(await p)}`);
    if (process.env.T31_COMPARE_LOG) console.log(`  ${A.name}: ${log[log.length - 1]}`);
  };
  for (const [n, d] of [['A', A], ['B', B]] as const) {
    await step(`${n} ATE0`, d.cmd('ATE0', /OK\r\n/).then(() => 'ok'));
    await step(`${n} AT`, d.cmd('AT'));
  }
  await step('A +FCLASS=?', A.cmd('AT+FCLASS=?'));
  await step('A +FCLASS=1', A.cmd('AT+FCLASS=1'));
  await step('B +FCLASS=1', B.cmd('AT+FCLASS=1'));
  await step('A +FCLASS?', A.cmd('AT+FCLASS?'));
  await step('A +FTM=?', A.cmd('AT+FTM=?'));
  await step('A +FRM=?', A.cmd('AT+FRM=?'));
  await step('A +FTH=?', A.cmd('AT+FTH=?'));
  await step('A +FRH=?', A.cmd('AT+FRH=?'));
  await step('A +FTH=3 on hook', A.cmd('AT+FTH=3', /\r\n(OK|ERROR)\r\n/));
  await step('A unknown command', A.cmd('AT&Q9', /\r\n(OK|ERROR)\r\n/));
  // B waits off hook, A dials: B answers with CED and goes into V.21 transmit; A's receive is implied.
  B.send('ATA\r');
  await new Promise((r) => setTimeout(r, 300));
  A.send(`ATD${number}\r`);
  await step('B after ATA', B.expect(/\r\n[A-Z+:0-9 ]+\r\n/, 15000).then((r) => r.text));
  B.send(stuff([0xff, 0x03, 0x40, 0x31, 0x32]));
  await step('A implied +FRH=3', A.expect(/\r\n[A-Z+:0-9 ]+\r\n/, 10000).then((r) => r.text));
  await step('A first frame', A.expect(/\x10\x03\r\n[A-Z]+\r\n/, 10000).then((r) => r.text));
  await step('B after a 0x03 frame', B.expect(/\r\n[A-Z]+\r\n/, 10000).then((r) => r.text));
  A.send('AT+FRH=3\r');
  B.send(stuff([0xff, 0x13, 0x80, 0x00, 0xce, DLE, 0x42]));
  await step('B after the final frame', B.expect(/\r\n[A-Z]+\r\n/, 10000).then((r) => r.text));
  await step('A final frame', A.expect(/\x10\x03\r\n[A-Z]+\r\n/, 10000).then((r) => r.text));
  // No carrier: +FRH=3 waits (no timeout in the modem); a byte aborts it.
  A.send('AT+FRH=3\r');
  await new Promise((r) => setTimeout(r, 1500));
  log.push(`A +FRH=3 with no carrier, 1.5 s: ${show(A.unread())}`);
  A.send('X');
  await step('A abort by a byte', A.expect(/\r\n[A-Z]+\r\n/, 5000).then((r) => r.text));
  await step('A +FTH=96 off hook', A.cmd('AT+FTH=96', /\r\n(OK|ERROR)\r\n/));
  // SpanDSP quirk: after a receive aborted by a byte, +FTS finds the modem already labelled
  // "silence", skips the restart and runs the stale transmitter: no OK.
  A.send('AT+FTS=10\r');
  await new Promise((r) => setTimeout(r, 1000));
  log.push(`A +FTS=10 after the abort, 1 s: ${show(A.unread())}`);
  await step('A AT while stuck', A.cmd('AT', /\r\n(OK|ERROR)\r\n/));
  // A listens for V.29 while B sends V.21: +FCERROR.
  A.send('AT+FRM=96\r');
  await new Promise((r) => setTimeout(r, 100));
  const tFth = Date.now();
  let tFcerror = 0;
  const fcerror = A.expect(/\r\n[A-Z+]+\r\n/, 10000).then((r) => ((tFcerror = r.at), r.text));
  await step('B +FTH=3', B.cmd('AT+FTH=3', /\r\n[A-Z]+\r\n/, 10000));
  await step('A +FRM=96 hearing V.21', fcerror);
  if (process.env.T31_COMPARE_LOG) console.log(`  ${A.name} timing: +FTH=3 sent → far +FCERROR (V.21 framed) ${tFcerror - tFth} ms`);
  B.send(stuff([0xff, 0x13, 0xfa]));
  await step('B DCN sent', B.expect(/\r\n[A-Z]+\r\n/, 10000).then((r) => r.text));
  await step('A ATH', A.cmd('ATH', /\r\n(OK|ERROR)\r\n/, 5000));
  await step('B ATH', B.cmd('ATH', /\r\n(OK|ERROR)\r\n/, 5000));
  return log;
}

/** Second script: numeric results, RING, page data at V.29 and V.17, a modulation mismatch, +FRS. */
async function dataScript(A: AsyncDte, B: AsyncDte, number: string): Promise<string[]> {
  const log: string[] = [];
  const step = async (label: string, p: Promise<string>) => {
    log.push(`${label}: ${show(await p)}`);
    if (process.env.T31_COMPARE_LOG) console.log(`  ${A.name}: ${log[log.length - 1]}`);
  };
  for (const d of [A, B]) {
    await d.cmd('ATE0', /OK\r\n/);
    await d.cmd('AT+FCLASS=1');
  }
  await step('A ATV0', A.cmd('ATV0', /\d\r/));
  await step('A +FTH=3 on hook, numeric', A.cmd('AT+FTH=3', /\d\r/));
  await step('A ATV1', A.cmd('ATV1', /\r\nOK\r\n/));
  const times: { [k: string]: number } = {};
  const mark = (k: string) => (times[k] = Date.now());
  // This time B is on hook: it rings (2 s on, 4 s off on both), and answers after two RINGs.
  A.send(`ATD${number}\r`);
  const r1 = await B.expect(/\r\n[A-Z]+\r\n/, 15000);
  const r2 = await B.expect(/\r\n[A-Z]+\r\n/, 15000);
  log.push(`B rings: ${show(r1.text)} ${show(r2.text)} ${Math.round((r2.at - r1.at) / 1000)} s apart`);
  B.send('ATA\r');
  mark('atd');
  await step('B CONNECT', B.expect(/\r\n[A-Z]+\r\n/, 15000).then((r) => (mark('bConnect'), r.text)));
  void A.expect(/\r\nCONNECT\r\n/, 15000).then(() => mark('aConnect'));
  B.send(stuff([0xff, 0x13, 0x80, 0x00, 0xce, 0xf4]));
  await step('B OK', B.expect(/\r\n[A-Z]+\r\n/, 10000).then((r) => (mark('bOk'), r.text)));
  A.pos = 0;
  await step('A frame', A.expect(/\x10\x03\r\n[A-Z]+\r\n/, 10000).then((r) => (mark('aOk'), r.text)));
  // Page data both ways of DLE shielding: B listens for V.29 9600, A sends 3000 bytes.
  const data: number[] = [];
  let x = 99;
  for (let i = 0; i < 3000; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data.push(i % 97 === 0 ? DLE : x >>> 24);
  }
  B.send('AT+FRM=96\r');
  await new Promise((r) => setTimeout(r, 100));
  await step('A +FTM=96', A.cmd('AT+FTM=96', /\r\n[A-Z]+\r\n/));
  mark('ftm');
  A.uart.setXonXoff(true);
  A.send(stuff(data));
  await step('B +FRM=96', B.expect(/\r\n[A-Z]+\r\n/, 10000).then((r) => (mark('frm'), r.text)));
  const rx = await B.expect(/(?<!\x10)(?:\x10\x10)*\x10\x03/, 20000);
  const got: number[] = [];
  for (let i = 0; i < rx.text.length; i++) {
    const c = rx.text.charCodeAt(i);
    if (c === DLE) {
      const n = rx.text.charCodeAt(++i);
      if (n === ETX) break;
      got.push(n);
    } else got.push(c);
  }
  // The demodulator may deliver a few bytes of fill around the data: look for it whole.
  let at = -1;
  for (let i = 0; i + data.length <= got.length && at < 0; i++) {
    let j = 0;
    while (j < data.length && got[i + j] === data[j]) j++;
    if (j === data.length) at = i;
  }
  if (process.env.T31_COMPARE_LOG) console.log(`  ${B.name}: ${got.length} bytes, data at ${at}, ${at >= 0 ? got.length - at - data.length : '?'} after it`);
  if (process.env.T31_COMPARE_LOG) console.log(`  ${B.name} tail: ${got.slice(at + data.length).map((b) => b.toString(16)).join(" ")}`);
  log.push(`B received A's data whole and in order: ${at >= 0}`);
  const tail = got.slice(at + data.length);
  log.push(`B after the data: ${tail.length >= 30 && tail.length <= 60 && tail.slice(0, 20).every((b) => b === 0xff) ? '30–60 bytes starting with the turn-off ones' : `${tail.length} bytes: ${tail.slice(0, 8)}`}`);
  await step('B after data', B.expect(/\r\n[A-Z ]+\r\n/, 10000).then((r) => r.text));
  await step('A after data', A.expect(/\r\n[A-Z]+\r\n/, 20000).then((r) => (mark('ftmOk'), r.text)));
  if (process.env.T31_COMPARE_LOG) {
    console.log(
      `  ${A.name} timing: ATA→B CONNECT ${times.bConnect - times.atd} ms, A CONNECT ${times.aConnect - times.bConnect} ms after B's, ` +
        `B OK→A OK ${times.aOk - times.bOk} ms, +FTM CONNECT→B CONNECT ${times.frm - times.ftm} ms, 3000 bytes at 9600: +FTM→OK ${times.ftmOk - times.ftm} ms`,
    );
  }
  A.uart.setXonXoff(false);
  // Underrun: 100 bytes at once, a pause (the modem fills with zeros), then 100 more. (A DTE
  // that starts late gets ones first, and SpanDSP's receiver then sometimes delivers the data
  // a few bits out of byte alignment: not compared here, not reproduced by the emulator.)
  B.send('AT+FRM=96\r');
  await new Promise((r) => setTimeout(r, 100));
  await step('A +FTM=96 (fill)', A.cmd('AT+FTM=96', /\r\n[A-Z]+\r\n/));
  A.send(new Uint8Array(100).fill(0x5a));
  await new Promise((r) => setTimeout(r, 800));
  A.send(stuff(new Array(100).fill(0xa5)));
  await step('B +FRM=96 (fill)', B.expect(/\r\n[A-Z]+\r\n/, 10000).then((r) => r.text));
  const fill = await B.expect(/(?<!\x10)(?:\x10\x10)*\x10\x03/, 20000);
  // Compare at the bit level: SpanDSP's receiver sometimes hands the data over a few bits out of
  // byte alignment (seen: 4 bits), the emulator never does.
  const fbits: number[] = [];
  for (let i = 0; i < fill.text.length; i++) {
    let c = fill.text.charCodeAt(i);
    if (c === DLE) {
      c = fill.text.charCodeAt(++i);
      if (c === ETX) break;
    }
    for (let k = 0; k < 8; k++) fbits.push((c >> k) & 1);
  }
  const findBits = (byte: number, n: number, from: number): number => {
    const want: number[] = [];
    for (let i = 0; i < n; i++) for (let k = 0; k < 8; k++) want.push((byte >> k) & 1);
    for (let i = from; i + want.length <= fbits.length; i++) {
      let j = 0;
      while (j < want.length && fbits[i + j] === want[j]) j++;
      if (j === want.length) return i;
    }
    return -1;
  };
  const first = findBits(0x5a, 99, 0);
  const second = first >= 0 ? findBits(0xa5, 99, first + 99 * 8) : -1;
  let zeros = 0;
  for (let i = first + 100 * 8; first >= 0 && i < second; i++) if (fbits[i] === 0) zeros++;
  if (process.env.T31_COMPARE_LOG) console.log(`  ${B.name} fill: first chunk at bit ${first}, second at ${second}, ${zeros} zero bits between`);
  log.push(`B underrun: both chunks there ${first >= 0 && second >= 0}, zeros between ${zeros > 8 * 400 ? 'yes' : `no (${zeros} bits)`}`);
  await step('B after fill', B.expect(/\r\n[A-Z ]+\r\n/, 10000).then((r) => r.text));
  await step('A after fill', A.expect(/\r\n[A-Z]+\r\n/, 20000).then((r) => r.text));
  // V.17: long training (a TCF), then long again in the same call.
  const v17 = async (mod: number): Promise<string> => {
    B.send(`AT+FRM=${mod}\r`);
    await new Promise((r) => setTimeout(r, 100));
    await A.cmd(`AT+FTM=${mod}`, /\r\nCONNECT\r\n/);
    const pat: number[] = [];
    for (let i = 0; i < 300; i++) pat.push((i * 37 + 11) & 0xff);
    A.send(stuff(pat));
    await B.expect(/\r\nCONNECT\r\n/, 10000);
    const r = await B.expect(/(?<!\x10)(?:\x10\x10)*\x10\x03/, 20000);
    const got: number[] = [];
    for (let i = 0; i < r.text.length; i++) {
      let c = r.text.charCodeAt(i);
      if (c === DLE) {
        c = r.text.charCodeAt(++i);
        if (c === ETX) break;
      }
      got.push(c);
    }
    await B.expect(/\r\nNO CARRIER\r\n/, 5000);
    await A.expect(/\r\nOK\r\n/, 20000);
    const at = got.findIndex((_, i) => pat.every((b, j) => got[i + j] === b));
    return at === 0 ? 'data' : at > 0 ? `data after ${at} bytes` : `noise (${got.length > 2000 ? 'long' : 'short'})`;
  };
  // (+FRM=146 with short training after it gave data in one probe and noise in another on
  // SpanDSP: not compared; the emulator takes it, as T.30 DTEs use it for pages after the TCF.)
  log.push(`V.17 +FRM=145 first: ${await v17(145)}`);
  log.push(`V.17 +FRM=145 again: ${await v17(145)}`);
  // V.17 14400 sent, V.29 9600 expected: nothing, until a byte aborts.
  B.send('AT+FRM=96\r');
  await new Promise((r) => setTimeout(r, 100));
  await step('A +FTM=145', A.cmd('AT+FTM=145', /\r\n[A-Z]+\r\n/));
  A.send(stuff(new Array(2000).fill(0x55)));
  await step('A after V.17 data', A.expect(/\r\n[A-Z]+\r\n/, 20000).then((r) => r.text));
  await new Promise((r) => setTimeout(r, 300));
  log.push(`B hearing the wrong modulation: ${show(B.unread())}`);
  B.send('X');
  await step('B abort', B.expect(/\r\n[A-Z]+\r\n/, 5000).then((r) => r.text));
  await step('A +FTS=20', A.cmd('AT+FTS=20', /\r\n[A-Z]+\r\n/));
  await step('B +FRS=20', B.cmd('AT+FRS=20', /\r\n[A-Z]+\r\n/, 5000));
  // A final frame (DCN) and the sender on hook right after its OK: the receiver gets the frame,
  // its DLE ETX and OK, and nothing else (no second DLE ETX in command mode).
  A.send('AT+FRH=3\r');
  await new Promise((r) => setTimeout(r, 100));
  await step('B +FTH=3 for DCN', B.cmd('AT+FTH=3', /\r\n[A-Z]+\r\n/, 10000));
  B.send(stuff([0xff, 0x13, 0xfb]));
  await step('B after DCN', B.expect(/\r\n[A-Z]+\r\n/, 10000).then((r) => r.text));
  await step('B ATH after DCN', B.cmd('ATH', /\r\n(OK|ERROR)\r\n/, 5000));
  await step('A DCN', A.expect(/\x10\x03[^]*?\r\n(OK|ERROR|NO CARRIER)\r\n/, 10000).then((r) => r.text));
  await new Promise((r) => setTimeout(r, 1000));
  log.push(`A after the DCN, 1 s: ${show(A.unread())}`);
  await step('A ATH', A.cmd('ATH', /\r\n(OK|ERROR)\r\n/, 5000));
  return log;
}

test('numeric results, RING cadence, page data, a modulation mismatch and +FRS: the same on SpanDSP\'s t31 and on the emulator', async () => {
  let pair;
  try {
    pair = await startBackToBack({ tcp: true });
  } catch (e) {
    console.log(`  skipped: SpanDSP peer not available (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  const line = createLine(new RealClock(), { digitMs: 0, setupMs: 0 }); // modempair connects at once
  const ea = await serveModem(line.attachModem('100'));
  const eb = await serveModem(line.attachModem('5550002'));
  const uarts = await Promise.all([pair.tcpA!, pair.tcpB!, ea.port, eb.port].map((p) => TcpUart.connect(p)));
  try {
    const [real, emu] = await Promise.all([
      dataScript(new AsyncDte(uarts[0], 'spandsp A'), new AsyncDte(uarts[1], 'spandsp B'), '5550002'),
      dataScript(new AsyncDte(uarts[2], 'emulator A'), new AsyncDte(uarts[3], 'emulator B'), '5550002'),
    ]);
    for (let i = 0; i < Math.max(real.length, emu.length); i++) {
      if (real[i] !== emu[i]) console.log(`  differs: spandsp «${real[i]}» emulator «${emu[i]}»`);
    }
    assert.equal(emu, real);
  } catch (e) {
    console.log(pair.trace().split('\n').slice(-40).join('\n'));
    console.log(line.trace().slice(-40).join('\n'));
    throw e;
  } finally {
    for (const u of uarts) u.close();
    await ea.close();
    await eb.close();
    await pair.kill();
  }
});

test('the same AT script gives the same results on SpanDSP\'s t31 and on the emulator', async () => {
  let pair;
  try {
    pair = await startBackToBack({ tcp: true });
  } catch (e) {
    console.log(`  skipped: SpanDSP peer not available (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  const line = createLine(new RealClock(), { digitMs: 0, setupMs: 0 }); // modempair connects at once
  const ea = await serveModem(line.attachModem('100'));
  const eb = await serveModem(line.attachModem('5550002'));
  const uarts = await Promise.all([pair.tcpA!, pair.tcpB!, ea.port, eb.port].map((p) => TcpUart.connect(p)));
  try {
    const [real, emu] = await Promise.all([
      script(new AsyncDte(uarts[0], 'spandsp A'), new AsyncDte(uarts[1], 'spandsp B'), '5550002'),
      script(new AsyncDte(uarts[2], 'emulator A'), new AsyncDte(uarts[3], 'emulator B'), '5550002'),
    ]);
    for (let i = 0; i < Math.max(real.length, emu.length); i++) {
      if (real[i] !== emu[i]) console.log(`  differs: spandsp «${real[i]}» emulator «${emu[i]}»`);
    }
    assert.equal(emu, real);
  } catch (e) {
    console.log(pair.trace().split('\n').slice(-40).join('\n'));
    console.log(line.trace().slice(-40).join('\n'));
    throw e;
  } finally {
    for (const u of uarts) u.close();
    await ea.close();
    await eb.close();
    await pair.kill();
  }
});

test.run();
