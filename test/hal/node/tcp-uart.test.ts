// The emulated modem in real time (RealClock) on a loopback TCP port, reached through
// hal/node's TcpUart and openModemUart("tcp:…"): the same emulator a virtual-time test uses
// serves a DTE outside the simulation, at the speed of a real modem.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RealClock } from '../../../hal/node/clock.ts';
import { createLine, serveModem } from '../../../sim/line/index.ts';
import { openModemUart, parseTcpSpec } from '../../../hal/node/modem-uart.ts';
import { AsyncDte } from './async-dte.ts';

test('parseTcpSpec', () => {
  assert.equal(parseTcpSpec('tcp:127.0.0.1:5000'), { host: '127.0.0.1', port: 5000 });
  assert.equal(parseTcpSpec('tcp:[::1]:7'), { host: '::1', port: 7 });
  assert.is(parseTcpSpec('/dev/ttyS0'), null);
});

test('real time over TCP: AT set, +FTS timing, a call to a second emulated modem with a V.21 frame', async () => {
  const clock = new RealClock();
  const line = createLine(clock);
  const a = line.attachModem('100');
  const b = line.attachModem('200');
  const served = await serveModem(a);
  const opened = await openModemUart(`tcp:127.0.0.1:${served.port}`);
  const A = new AsyncDte(opened.uart, 'A');
  const B = new AsyncDte(b.uart, 'B');
  try {
    assert.is(await A.cmd('ATE0'), 'ATE0\r\r\nOK\r\n');
    assert.is(await A.cmd('AT+FCLASS=?'), '\r\n0,1,1.0\r\n\r\nOK\r\n');
    await A.cmd('AT+FCLASS=1');
    await B.cmd('ATE0');
    await B.cmd('AT+FCLASS=1');
    await B.cmd('ATH1');
    const t0 = Date.now();
    await B.cmd('AT+FTS=50');
    const dt = Date.now() - t0;
    assert.ok(dt >= 480 && dt < 2000, `+FTS=50 took ${dt} ms of real time`);
    await B.cmd('ATH0');
    A.send('ATD200\r');
    await B.expect(/\r\nRING\r\n/, 5000);
    const ta = Date.now();
    B.send('ATA\r');
    await B.expect(/\r\nCONNECT\r\n/, 8000);
    const answerMs = Date.now() - ta;
    assert.ok(answerMs > 3400 && answerMs < 7000, `CONNECT ${answerMs} ms after ATA`);
    B.send(Uint8Array.from([0xff, 0x13, 0x80, 0x00, 0xce, 0xf4, 0x10, 0x03]));
    await A.expect(/\r\nCONNECT\r\n/, 5000);
    const f = await A.expect(/\x10\x03\r\nOK\r\n/, 5000);
    assert.equal([...f.text].slice(0, 6).map((c) => c.charCodeAt(0)), [0xff, 0x13, 0x80, 0x00, 0xce, 0xf4]);
    await A.cmd('ATH');
  } finally {
    await opened.close();
    await served.close();
  }
});

test.run();
