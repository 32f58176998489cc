// A DTE written in Node reaches faxpeer's modem through both port kinds, raw (fast, no call):
// the AT dialogue a Class 1 driver starts with, answered by SpanDSP's T.31 interpreter.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openPtyPort, openTcpPort, startBackToBack, startPeer, type DtePort, type PeerHandle } from './harness.ts';
import { tempDir } from './pages.ts';

function dialogue(port: DtePort) {
  let got = '';
  port.onData((d) => { got += d.toString('latin1'); });
  return async (cmd: string, until = /\r\n(OK|ERROR)\r\n$/): Promise<string> => {
    got = '';
    port.write(cmd + '\r');
    const t0 = Date.now();
    while (!until.test(got)) {
      if (Date.now() - t0 > 3000) throw new Error(`no answer to ${cmd}: ${JSON.stringify(got)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return got;
  };
}

async function classOneDialogue(peer: PeerHandle, port: DtePort): Promise<void> {
  try {
    await commands(peer, port);
  } finally {
    port.close();
    await peer.kill();
  }
}

async function commands(peer: PeerHandle, port: DtePort): Promise<void> {
  const at = dialogue(port);
  assert.is(await at('ATE0'), 'ATE0\r\r\nOK\r\n', 'the modem echoes until E0');
  assert.is(await at('AT+FCLASS=1'), '\r\nOK\r\n');
  // T.31 §8.3: the modulations offered for +FTM: V.27ter 24/48, V.29 72/96, V.17 73..146
  assert.is(await at('AT+FTM=?'), '\r\n24,48,72,73,74,96,97,98,121,122,145,146\r\n\r\nOK\r\n');
  assert.is(await at('AT+FTH=?'), '\r\n3\r\n\r\nOK\r\n', 'HDLC only on V.21 channel 2');
  assert.is(await at('AT+FTH=96'), '\r\nERROR\r\n', 'no HDLC framing on the fast modems: ECM does its own');
  port.close();
  await peer.kill();
  const r = await peer.result;
  assert.is(r.status, -1, 'no call was made');
  assert.is(r.text, 'killed');
}

test('a Node DTE talks AT to faxpeer through its pty', async () => {
  const peer = await startPeer({ role: 'receive', file: join(tempDir(), 'none.tif') });
  assert.match(peer.ptyPath ?? '', /^\/dev\/pts\/\d+$/);
  await classOneDialogue(peer, openPtyPort(peer.ptyPath!));
});

test('a Node DTE talks AT to faxpeer through loopback TCP', async () => {
  const peer = await startPeer({ role: 'receive', file: join(tempDir(), 'none.tif'), tcp: 0 });
  assert.ok(peer.tcpPort! > 0);
  await classOneDialogue(peer, await openTcpPort(peer.tcpPort!));
});

test('a DTE that dials while the terminal is the caller gets BUSY', async () => {
  const peer = await startPeer({ role: 'send', file: join(tempDir(), 'never-sent.tif'), terminalCalls: true });
  const port = openPtyPort(peer.ptyPath!);
  try {
    const at = dialogue(port);
    await at('ATE0');
    assert.is(await at('ATD5550100', /\r\n(BUSY|CONNECT|NO CARRIER)\r\n$/), '\r\nBUSY\r\n');
  } finally {
    port.close();
    await peer.kill();
  }
});

test('the back-to-back modems mix port kinds: A on TCP (the firmware\'s TcpUart), B on a pty (efax)', async () => {
  const pair = await startBackToBack({ tcpA: true });
  const a = await openTcpPort(pair.tcpA!);
  const b = openPtyPort(pair.ptyB);
  try {
    assert.is(pair.ptyA, '');
    assert.match(pair.ptyB, /^\/dev\/pts\/\d+$/);
    assert.is(await dialogue(a)('AT+FCLASS=1'), 'AT+FCLASS=1\r\r\nOK\r\n');
    assert.is(await dialogue(b)('AT+FCLASS=1'), 'AT+FCLASS=1\r\r\nOK\r\n');
  } finally {
    a.close();
    b.close();
    await pair.kill();
  }
});

test.run();
