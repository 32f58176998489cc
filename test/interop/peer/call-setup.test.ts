// How a call starts on faxpeer's modem, as a Class 1 driver sees it (the behaviours INTEROP.md
// lists), with a bare Node DTE: RING then ATA (the terminal calls), and ATD (the terminal
// answers, +FRH=3 implied, its DIS arrives as the first frame). Real time, ~15 s.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openPtyPort, startPeer, type DtePort } from './harness.ts';
import { pbmToTiff, tempDir, textPage, writePbm } from './pages.ts';

function reader(port: DtePort) {
  let buf = '';
  port.onData((d) => { buf += d.toString('latin1'); });
  return {
    /** Wait for `re` in everything received since the last match; returns what was consumed. */
    async expect(re: RegExp, ms: number): Promise<string> {
      const t0 = Date.now();
      for (;;) {
        const m = re.exec(buf);
        if (m) {
          const got = buf.slice(0, m.index + m[0].length);
          buf = buf.slice(m.index + m[0].length);
          return got;
        }
        if (Date.now() - t0 > ms) throw new Error(`no ${re} within ${ms} ms; have ${JSON.stringify(buf.slice(0, 300))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

test('the terminal calls: RING once the DTE is set up and quiet, ATA gives CONNECT after the answer tone', async () => {
  const dir = tempDir();
  writePbm(join(dir, 'p.pbm'), textPage(['call set-up'], { height: 100 }));
  pbmToTiff([join(dir, 'p.pbm')], join(dir, 'doc.tif'));
  const peer = await startPeer({ role: 'send', file: join(dir, 'doc.tif') });
  const port = openPtyPort(peer.ptyPath!);
  try {
    const rx = reader(port);
    port.write('ATE0\r');
    await rx.expect(/OK\r\n/, 2000);
    port.write('AT+FCLASS=1\r');
    await rx.expect(/\r\nOK\r\n/, 2000);
    const t0 = Date.now();
    await rx.expect(/\r\nRING\r\n/, 4000);
    assert.ok(Date.now() - t0 >= 1000, 'no RING while the DTE is still setting the modem up');
    port.write('ATA\r');
    const t1 = Date.now();
    await rx.expect(/\r\nCONNECT\r\n/, 8000);
    const toneMs = Date.now() - t1;
    assert.ok(toneMs > 2500 && toneMs < 5000, `CONNECT after the answer tone (${toneMs} ms)`);
    // The modem now transmits V.21 flags and waits for our CSI/DIS; we end the call instead.
    port.write(Buffer.from([0xff, 0x13, 0xfa, 0x10, 0x03])); // DCN (T.30 Table 2), final frame
    await rx.expect(/\r\nOK\r\n/, 5000);
    port.write('ATH\r');
    await rx.expect(/\r\nOK\r\n/, 2000);
  } catch (e) {
    console.log(peer.trace());
    throw e;
  } finally {
    port.close();
    await peer.kill();
  }
});

test('the DTE dials: ATD gives CONNECT with +FRH=3 implied, the terminal\'s CSI/DIS follow', async () => {
  const peer = await startPeer({ role: 'receive', file: join(tempDir(), 'rx.tif'), ident: '+49 30 5550100' });
  const port = openPtyPort(peer.ptyPath!);
  try {
    const rx = reader(port);
    port.write('ATE0\r');
    await rx.expect(/OK\r\n/, 2000);
    port.write('AT+FCLASS=1\rATD5550100\r');
    await rx.expect(/\r\nOK\r\n/, 2000);
    await rx.expect(/\r\nCONNECT\r\n/, 10000);   // V.21 flags after the terminal's CED
    const first = await rx.expect(/\x10\x03\r\nOK\r\n/, 5000);
    // First frame: non-final (control 0x03) CSI (FCF 0x40 as SpanDSP orders bits), ident reversed
    assert.equal([...Buffer.from(first.slice(0, 3), 'latin1')], [0xff, 0x03, 0x40], 'CSI, more frames follow');
    const ident = Buffer.from(first.slice(3, 23), 'latin1').reverse().toString('latin1').trim();
    assert.is(ident, '+49 30 5550100', 'CSI digits are sent last digit first (T.30 §5.3.6.2.4)');
    port.write('AT+FRH=3\r');
    await rx.expect(/\r\nCONNECT\r\n/, 3000);
    const dis = await rx.expect(/\x10\x03\r\nOK\r\n/, 5000);
    assert.equal([...Buffer.from(dis.slice(0, 3), 'latin1')], [0xff, 0x13, 0x80], 'DIS, final frame');
    port.write('ATH\r');
    await rx.expect(/\r\nOK\r\n/, 2000);
  } catch (e) {
    console.log(peer.trace());
    throw e;
  } finally {
    port.close();
    await peer.kill();
  }
});

test.run();
