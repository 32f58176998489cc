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
  await step('B +FTH=3', B.cmd('AT+FTH=3', /\r\n[A-Z]+\r\n/, 10000));
  await step('A +FRM=96 hearing V.21', A.expect(/\r\n[A-Z+]+\r\n/, 10000).then((r) => r.text));
  B.send(stuff([0xff, 0x13, 0xfa]));
  await step('B DCN sent', B.expect(/\r\n[A-Z]+\r\n/, 10000).then((r) => r.text));
  await step('A ATH', A.cmd('ATH', /\r\n(OK|ERROR)\r\n/, 5000));
  await step('B ATH', B.cmd('ATH', /\r\n(OK|ERROR)\r\n/, 5000));
  return log;
}

test('the same AT script gives the same results on SpanDSP\'s t31 and on the emulator', async () => {
  let pair;
  try {
    pair = await startBackToBack({ tcp: true });
  } catch (e) {
    console.log(`  skipped: SpanDSP peer not available (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  const clock = new RealClock();
  const line = createLine(clock);
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
