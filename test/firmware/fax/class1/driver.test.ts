// The Class 1 driver against a small scripted fake modem (a Uart that answers AT commands the way
// SpanDSP's t31 does for the exchange under test), in virtual time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel, Active } from '../../../../firmware/kernel/index.ts';
import type { Evt, State } from '../../../../firmware/kernel/index.ts';
import { VirtualClock } from '../../../../firmware/kernel/virtual-clock.ts';
import { Class1 } from '../../../../firmware/fax/class1/driver.ts';
import { fcs16 } from '../../../../firmware/fax/class1/hdlc.ts';
import type { Uart } from '../../../../hal/uart.ts';

const DLE = 0x10;
const ETX = 0x03;

/** A Uart whose far side is a script: `onCommand(text)` for AT lines, raw bytes otherwise. */
class FakeModem implements Uart {
  onReadable: (() => void) | null = null;
  onWritable: (() => void) | null = null;
  fromDte: number[] = [];
  lines: string[] = [];
  xonxoff: boolean[] = [];
  private rx: number[] = [];
  private line = '';
  dataMode = false;
  onCommand: (cmd: string) => void = () => {};
  onData: (b: number) => void = () => {};
  constructor(readonly clock: VirtualClock) {}
  write(bytes: Uint8Array): number {
    for (const b of bytes) {
      this.fromDte.push(b);
      if (this.dataMode) {
        this.onData(b);
        continue;
      }
      if (b === 0x0d) {
        const l = this.line;
        this.line = '';
        this.lines.push(l);
        this.clock.after(5, () => this.onCommand(l));
      } else this.line += String.fromCharCode(b);
    }
    return bytes.length;
  }
  read(max: number): Uint8Array {
    const n = Math.min(max, this.rx.length);
    return Uint8Array.from(this.rx.splice(0, n));
  }
  readable(): number {
    return this.rx.length;
  }
  setDtr(): void {}
  setXonXoff(on: boolean): void {
    this.xonxoff.push(on);
  }
  calls: boolean[] = [];
  inCall(on: boolean): void {
    this.calls.push(on);
  }
  /** Modem -> DTE, after `ms`. */
  send(bytes: number[] | string, ms = 1): void {
    const arr = typeof bytes === 'string' ? Array.from(bytes, (c) => c.charCodeAt(0)) : bytes;
    this.clock.after(ms, () => {
      const was = this.rx.length;
      this.rx.push(...arr);
      if (was === 0 && this.onReadable) this.onReadable();
    });
  }
  result(text: string, ms = 1): void {
    this.send('\r\n' + text + '\r\n', ms);
  }
}

/** A frame as +FRH delivers it: shielded octets, 2 FCS octets, DLE ETX. */
function wireFrame(bytes: number[], goodFcs = true): number[] {
  const f = fcs16(Uint8Array.from(bytes), 0, bytes.length) ^ (goodFcs ? 0 : 0xffff);
  const all = [...bytes, f & 0xff, f >> 8];
  const out: number[] = [];
  for (const b of all) {
    out.push(b);
    if (b === DLE) out.push(DLE);
  }
  return [...out, DLE, ETX];
}

class Client extends Active {
  events: any[] = [];
  /** C1_CARRIER (a receive's CONNECT) apart from the request's report, with its time. */
  carriers: number[] = [];
  constructor() {
    super('client', 1, 32, CLIENT);
  }
}
const CLIENT: State<Client> = {
  name: 'CLIENT',
  on(me, e: Evt) {
    if (e.sig === 'C1_CARRIER') me.carriers.push(me.kernel!.now());
    else if (e.sig !== 'ENTRY' && e.sig !== 'EXIT') me.events.push(e);
  },
};

function rig() {
  const clock = new VirtualClock(0);
  const k = new Kernel(clock);
  const modem = new FakeModem(clock);
  const c1 = new Class1(modem, 2);
  const client = new Client();
  c1.client = client;
  k.add(c1);
  k.add(client);
  k.start();
  clock.runUntilIdle();
  return { clock, k, modem, c1, client };
}

test('init: echo off, verbose results, Class 1; then READY', () => {
  const { clock, modem, c1, client } = rig();
  modem.onCommand = () => modem.result('OK');
  c1.init();
  clock.runUntilIdle();
  assert.equal(modem.lines, ['ATE0V1', 'AT+FCLASS=1']);
  assert.equal(client.events.map((e) => e.sig), ['C1_READY']);
});

test('+FRH=3: two frames (a DLE in the FIF, the LF after CONNECT), FCS stripped, ends at the final frame', () => {
  const { clock, modem, c1, client } = rig();
  const frames = [[0xff, 0x03, 0x40, 0x10, 0x31], [0xff, 0x13, 0x80, 0x00, 0x4e]];
  let n = 0;
  modem.onCommand = (cmd) => {
    assert.is(cmd, 'AT+FRH=3');
    modem.send(['\r\nCONNECT\r\n', ...[]].join('').split('').map((c) => c.charCodeAt(0)).concat(wireFrame(frames[n++])), 200);
    modem.result('OK', 400);
  };
  c1.receiveFrames(3000);
  clock.runUntilIdle();
  assert.equal(modem.lines, ['AT+FRH=3', 'AT+FRH=3']);
  assert.is(client.events.length, 1);
  assert.is(client.events[0].sig, 'C1_FRAMES');
  assert.equal(client.events[0].frames.map((f: Uint8Array) => Array.from(f)), frames);
  assert.is(client.events[0].bad, 0);
});

test('+FRH=3: a frame with a bad FCS (ERROR) is dropped and the driver listens again', () => {
  const { clock, modem, c1, client } = rig();
  let n = 0;
  modem.onCommand = () => {
    const first = n++ === 0;
    modem.send([...'\r\nCONNECT\r\n'].map((c) => c.charCodeAt(0)).concat(wireFrame([0xff, 0x13, 0x80, 1, 2], !first)), 100);
    modem.result(first ? 'ERROR' : 'OK', 300);
  };
  c1.receiveFrames(3000);
  clock.runUntilIdle();
  assert.is(client.events[0].sig, 'C1_FRAMES');
  assert.is(client.events[0].bad, 1);
  assert.is(client.events[0].frames.length, 1);
});

test('no carrier within the timeout: the driver aborts the receive with a byte and reports timeout', () => {
  const { clock, modem, c1, client } = rig();
  modem.onCommand = () => {};
  let aborted = -1;
  c1.receiveFrames(3000);
  clock.runFor(100);
  const before = modem.fromDte.length;
  modem.onCommand = () => {};
  const origWrite = modem.write.bind(modem);
  modem.write = (b: Uint8Array) => {
    if (aborted < 0 && b.length === 1 && b[0] !== 0x0d) {
      aborted = clock.now();
      modem.result('OK');
    }
    return origWrite(b);
  };
  clock.runUntilIdle();
  assert.ok(modem.fromDte.length > before);
  assert.ok(aborted >= 3000 && aborted < 3100, 'aborted at ' + aborted);
  assert.equal(client.events.map((e) => [e.sig, e.why]), [['C1_NO_FRAMES', 'timeout']]);
});

test('+FTH=3: frames go out shielded with DLE ETX; CONNECT between them, OK after the final', () => {
  const { clock, modem, c1, client } = rig();
  let sent = 0;
  modem.onCommand = (cmd) => {
    assert.is(cmd, 'AT+FTH=3');
    modem.result('CONNECT', 500);
    modem.dataMode = true;
  };
  const got: number[] = [];
  modem.onData = (b) => {
    got.push(b);
    const l = got.length;
    if (l >= 2 && got[l - 2] === DLE && got[l - 1] === ETX && !(l >= 3 && got[l - 3] === DLE && (l < 4 || got[l - 4] !== DLE))) {
      sent++;
      if (sent === 1) modem.result('CONNECT', 800);
      else {
        modem.dataMode = false;
        modem.result('OK', 800);
      }
    }
  };
  c1.sendFrames([Uint8Array.from([0xff, 0x03, 0x43, 0x10]), Uint8Array.from([0xff, 0x13, 0x83, 0x00])]);
  clock.runUntilIdle();
  assert.equal(got, [0xff, 0x03, 0x43, DLE, DLE, DLE, ETX, 0xff, 0x13, 0x83, 0x00, DLE, ETX]);
  assert.equal(client.events.map((e) => e.sig), ['C1_SENT']);
});

test('+FTM: page data shielded, DLE ETX at the end, XON/XOFF on only while sending, SENT after OK', () => {
  const { clock, modem, c1, client } = rig();
  modem.onCommand = (cmd) => {
    assert.is(cmd, 'AT+FTM=146');
    modem.result('CONNECT', 50);
    modem.dataMode = true;
  };
  const got: number[] = [];
  modem.onData = (b) => {
    got.push(b);
    if (got.length >= 2 && got[got.length - 2] === DLE && b === ETX && got.filter((x) => x === DLE).length % 2 === 1) {
      modem.dataMode = false;
      modem.result('OK', 1000);
    }
  };
  const chunks = [Uint8Array.from([1, 0x10, 2]), Uint8Array.from([0x11, 0x13, 0x10])];
  let i = 0;
  c1.sendData(146, () => (i < chunks.length ? chunks[i++] : null));
  clock.runUntilIdle();
  assert.equal(got, [1, DLE, DLE, 2, 0x11, 0x13, DLE, DLE, DLE, ETX]);
  assert.equal(modem.xonxoff, [true, false]);
  assert.equal(client.events.map((e) => e.sig), ['C1_SENT']);
});

test('+FRM: received data unshielded (DLE DLE, DLE SUB) into the sink until DLE ETX / NO CARRIER', () => {
  const { clock, modem, c1, client } = rig();
  modem.onCommand = () => {
    modem.send([...'\r\nCONNECT\r\n'].map((c) => c.charCodeAt(0)).concat([5, DLE, DLE, 6, DLE, 0x1a, 7, DLE, ETX]), 100);
    modem.result('NO CARRIER', 150);
  };
  const sink: number[] = [];
  c1.receiveData(96, 6000, (b) => sink.push(...b));
  clock.runUntilIdle();
  assert.equal(sink, [5, DLE, 6, DLE, DLE, 7]);
  assert.equal(client.events.map((e) => [e.sig, e.why, e.bytes]), [['C1_DATA_END', 'no carrier', 6]]);
});

test("the call's buffers exist from its first receive to its hang-up; the UART hears both; a second call gets them again", () => {
  const { clock, modem, c1, client } = rig();
  assert.is(c1.dataBuf.length + c1.frame.length, 0, 'none between calls');
  modem.onCommand = (cmd) => {
    if (cmd === 'ATH0') modem.result('OK');
    else {
      modem.send([...'\r\nCONNECT\r\n'].map((c) => c.charCodeAt(0)).concat([5, 6, 7, DLE, ETX]), 100);
      modem.result('NO CARRIER', 150);
    }
  };
  for (let call = 1; call <= 2; call++) {
    const sink: number[] = [];
    c1.receiveData(96, 6000, (b) => sink.push(...b));
    clock.runUntilIdle();
    assert.equal(sink, [5, 6, 7], 'call ' + call);
    assert.is(c1.dataBuf.length, 1024);
    assert.is(c1.frame.length, 300);
    c1.hangup();
    clock.runUntilIdle();
    assert.is(c1.dataBuf.length + c1.frame.length, 0, 'given back at the hang-up');
  }
  assert.equal(modem.calls, [true, false, true, false]);
  assert.equal(client.events.map((e) => e.sig), ['C1_DATA_END', 'C1_HUNG_UP', 'C1_DATA_END', 'C1_HUNG_UP']);
});

test('page data reaching the lexer outside a receive request takes the buffers rather than spinning (a bench drives the lexer so)', () => {
  const { clock, modem, c1 } = rig();
  const got: number[] = [];
  c1.sink = (b) => got.push(...b);
  c1.dataMode = true;
  c1.rxIsData = true;
  modem.send([1, 2, 3, 4, DLE, DLE, 5]);
  clock.runUntilIdle();
  (c1 as unknown as { flushData(): void }).flushData();
  assert.equal(got, [1, 2, 3, 4, DLE, 5]);
  assert.is(c1.dataBuf.length, 1024);
});

test('+FRM: long page data, DLE pairs anywhere (also split between two reads of the UART), arriving in pieces of any size: every octet once, in order', () => {
  // the driver copies the octets between DLEs a run at a time: a run may end at a read's end, a DLE pair straddle two reads
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
  const data = Array.from({ length: 5000 }, (_, i) => (rnd() < 0.08 ? DLE : i % 251 === 0 ? 0 : Math.floor(rnd() * 256)));
  // shielded: DLE DLE for a DLE, or DLE SUB for two of them (T.31 §8.3.2)
  const wire: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] === DLE && data[i + 1] === DLE && rnd() < 0.5) {
      wire.push(DLE, 0x1a);
      i++;
    } else if (data[i] === DLE) wire.push(DLE, DLE);
    else wire.push(data[i]);
  }
  assert.ok(wire.includes(0x1a));
  for (const piece of [1, 7, 255, 256, 257, 1000]) {
    const { clock, modem, c1, client } = rig();
    modem.onCommand = () => {
      const all = [...'\r\nCONNECT\r\n'].map((c) => c.charCodeAt(0)).concat(wire, [DLE, ETX]);
      for (let at = 0, k = 0; at < all.length; at += piece, k++) modem.send(all.slice(at, at + piece), 100 + k);
      modem.result('NO CARRIER', 200 + Math.ceil(all.length / piece));
    };
    const sink: number[] = [];
    c1.receiveData(146, 6000, (b) => sink.push(...b));
    clock.runUntilIdle();
    assert.equal(sink, data, 'pieces of ' + piece);
    assert.equal(client.events.map((e) => [e.sig, e.bytes]), [['C1_DATA_END', data.length]], 'pieces of ' + piece);
  }
});

test('RING is passed on; after ATA CONNECT the first frames go out without +FTH', () => {
  const { clock, modem, c1, client } = rig();
  modem.result('RING');
  clock.runUntilIdle();
  assert.equal(client.events.map((e) => e.sig), ['C1_RING']);
  modem.onCommand = (cmd) => {
    if (cmd === 'ATA') modem.result('CONNECT', 3600);
  };
  c1.answer();
  clock.runUntilIdle();
  assert.equal(client.events.map((e) => e.sig), ['C1_RING', 'C1_CONNECT']);
  modem.dataMode = true;
  modem.onData = (b) => {
    if (b === ETX) {
      modem.dataMode = false;
      modem.result('OK', 100);
    }
  };
  c1.sendFrames([Uint8Array.from([0xff, 0x13, 0x80])]);
  clock.runUntilIdle();
  assert.equal(modem.lines, ['ATA']);
  assert.is(client.events[2].sig, 'C1_SENT');
});

test('ATD: CONNECT means the DIS is coming (+FRH=3 implied); BUSY fails the dial', () => {
  const { clock, modem, c1, client } = rig();
  modem.onCommand = (cmd) => {
    if (cmd === 'ATD555') {
      modem.send([...'\r\nCONNECT\r\n'].map((c) => c.charCodeAt(0)).concat(wireFrame([0xff, 0x13, 0x80, 0, 0x20])), 4000);
      modem.result('OK', 4500);
    }
    if (cmd === 'ATD666') modem.result('BUSY', 3000);
  };
  c1.dial('555', 60000);
  clock.runUntilIdle();
  assert.equal(modem.lines, ['ATD555']);
  assert.equal(client.events.map((e) => e.sig), ['C1_CONNECT', 'C1_FRAMES']);
  c1.dial('666', 60000);
  clock.runUntilIdle();
  assert.equal(client.events.slice(2).map((e) => [e.sig, e.why]), [['C1_FAIL', 'busy']]);
});

test('after an aborted receive (or +FCERROR) the gap is timed locally: no +FTS, which SpanDSP would never answer', () => {
  const { clock, modem, c1, client } = rig();
  modem.onCommand = (cmd) => {
    if (cmd === 'AT+FRM=96') modem.result('+FCERROR', 500);
    if (cmd.startsWith('AT+FTS')) modem.result('OK', 80);
  };
  c1.receiveData(96, 6000, () => {});
  clock.runUntilIdle();
  c1.silence(75);
  clock.runUntilIdle();
  assert.equal(modem.lines, ['AT+FRM=96']);
  assert.equal(client.events.map((e) => e.sig), ['C1_DATA_END', 'C1_SILENCE']);
  assert.ok(c1.staleModem);
  c1.sendFrames([Uint8Array.from([0xff, 0x13, 0xfa])]); // any other command clears the condition
  clock.runUntilIdle();
  assert.equal(modem.lines, ['AT+FRM=96', 'AT+FTH=3']);
  assert.not.ok(c1.staleModem);
});

test('+FRM: a slow page may take minutes, but a modem gone silent without NO CARRIER is aborted', () => {
  const { clock, modem, c1, client } = rig();
  modem.onCommand = (cmd) => {
    if (cmd === 'AT+FRM=24') {
      modem.send([...'\r\nCONNECT\r\n'].map((c) => c.charCodeAt(0)), 100);
      // 120 s of data, one octet a second, then the modem says nothing more
      for (let i = 1; i <= 120; i++) modem.send([0x40 | (i & 0x0f)], 100 + i * 1000);
    }
  };
  const origWrite = modem.write.bind(modem);
  let abortAt = -1;
  modem.write = (b: Uint8Array) => {
    if (abortAt < 0 && b.length === 1 && b[0] === 0x18) {
      abortAt = clock.now();
      modem.send([0x10, 0x03]);
      modem.result('OK', 2);
    }
    return origWrite(b);
  };
  let got = 0;
  c1.receiveData(24, 6000, (b) => (got += b.length));
  clock.runUntilIdle();
  assert.is(got, 120);
  assert.ok(abortAt >= 120100 + 15000 && abortAt < 120100 + 16000, 'aborted at ' + abortAt);
  assert.equal(client.events.map((e) => [e.sig, e.why]), [['C1_DATA_END', 'timeout']]);
});

test('a receive tells its CONNECT (C1_CARRIER, where T.30 stops T2/T4); endReceive ends one still waiting for it, with the reason given', () => {
  const { clock, modem, c1, client } = rig();
  modem.onCommand = () => {
    modem.send([...'\r\nCONNECT\r\n'].map((c) => c.charCodeAt(0)).concat([5, 6, DLE, ETX]), 300);
    modem.result('NO CARRIER', 350);
  };
  c1.receiveData(96, 6000, () => {});
  clock.runUntilIdle();
  assert.is(client.carriers.length, 1);
  assert.ok(client.carriers[0] >= 300 && client.carriers[0] < 320, 'CONNECT (sent at 300 ms) told at ' + client.carriers[0]);
  assert.equal(client.events.map((e) => [e.sig, e.why, e.bytes]), [['C1_DATA_END', 'no carrier', 2]]);
  // no carrier at all: the client's timer ends the +FRH=3 at 1 s, long before the driver's 5 s bound
  client.events.length = 0;
  modem.onCommand = () => {};
  let aborted = -1;
  const origWrite = modem.write.bind(modem);
  modem.write = (b: Uint8Array) => {
    if (aborted < 0 && b.length === 1 && b[0] === 0x18) {
      aborted = clock.now();
      modem.result('OK');
    }
    return origWrite(b);
  };
  const t0 = clock.now();
  c1.receiveFrames(5000);
  clock.after(1000, () => c1.endReceive('timeout'));
  clock.runUntilIdle();
  assert.ok(aborted - t0 >= 1000 && aborted - t0 < 1100, 'aborted after ' + (aborted - t0));
  assert.equal(client.events.map((e) => [e.sig, e.why]), [['C1_NO_FRAMES', 'timeout']]);
  assert.is(client.carriers.length, 1);
});

test('endReceive leaves a transmission alone (a T4 that ran out late must not cut a page short)', () => {
  const { clock, modem, c1, client } = rig();
  modem.onCommand = () => {
    modem.result('CONNECT', 50);
    modem.dataMode = true;
  };
  const got: number[] = [];
  modem.onData = (b) => {
    got.push(b);
    if (got.length >= 2 && got[got.length - 2] === DLE && b === ETX) {
      modem.dataMode = false;
      modem.result('OK', 500);
    }
  };
  const chunks = [Uint8Array.from([1, 2, 3]), Uint8Array.from([4, 5, 6])];
  let i = 0;
  c1.sendData(146, () => (i < chunks.length ? chunks[i++] : null));
  clock.after(60, () => c1.endReceive('timeout'));
  clock.runUntilIdle();
  assert.equal(got, [1, 2, 3, 4, 5, 6, DLE, ETX]);
  assert.equal(client.events.map((e) => e.sig), ['C1_SENT']);
});

test.run();
