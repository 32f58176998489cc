// hal/espruino EspruinoUart (the modem on Serial2) on a fake interpreter: the setup the
// interpreter accepts, the bounded receive buffer, onReadable per 0→n, DTR, and XON/XOFF from the
// modem (hal/uart.ts: XON/XOFF are not data and XOFF holds our output, as the host UARTs do).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import { ESP32_APPLIANCE } from '../../../hal/espruino/pins.ts';
import type { Uart } from '../../../hal/uart.ts';

const { EspruinoUart } = await espruinoModule('uart');
const XON = 0x11;
const XOFF = 0x13;

function withUart(f: (fk: FakeEspruino, u: Uart) => void): void {
  const fk = new FakeEspruino();
  fk.install();
  try {
    f(fk, new EspruinoUart(ESP32_APPLIANCE) as Uart);
  } finally {
    fk.uninstall();
  }
}

const text = (b: Uint8Array | number[]) => String.fromCharCode(...b);

test('Serial2 is set up with the pin map and only options the interpreter knows; DTR is raised', () => {
  withUart((fk) => {
    const s = fk.serial.Serial2.setups;
    assert.is(s.length, 1);
    assert.is(s[0].baud, 115200);
    assert.is(s[0].opts.rx, 'D16');
    assert.is(s[0].opts.tx, 'D17');
    assert.is(fk.pins.D4, 1);
  });
});

test('received bytes wait for read(); onReadable once per empty→data; partial reads keep the order', () => {
  withUart((fk, u) => {
    let calls = 0;
    u.onReadable = () => calls++;
    fk.serial.Serial2.inject('OK\r\n');
    assert.is(calls, 1);
    assert.is(u.readable(), 4);
    fk.serial.Serial2.inject('CONNECT\r\n');
    assert.is(calls, 1, 'not again while data waits');
    assert.is(text(u.read(2)), 'OK');
    assert.is(u.readable(), 11);
    assert.is(text(u.read(100)), '\r\nCONNECT\r\n');
    assert.is(u.readable(), 0);
    assert.is(u.read(10).length, 0);
    fk.serial.Serial2.inject('');
    assert.is(calls, 1, 'nothing arrived: no call');
    fk.serial.Serial2.inject([0x00, 0xff, 0x10, 0x03]); // binary survives
    assert.is(calls, 2);
    assert.equal([...u.read(4)], [0x00, 0xff, 0x10, 0x03]);
  });
});

test('the receive buffer is bounded: what fits is kept in order, the rest is dropped', () => {
  withUart((fk, u) => {
    u.inCall!(true);
    const big: number[] = [];
    for (let i = 0; i < 3000; i++) big.push(i & 0xff);
    fk.serial.Serial2.inject(big);
    const n = u.readable();
    assert.is(n, 2048);
    const got = u.read(5000);
    for (let i = 0; i < n; i++) if (got[i] !== (i & 0xff)) assert.unreachable('byte ' + i);
    fk.serial.Serial2.inject('A');
    assert.is(text(u.read(5)), 'A');
  });
});

test('setDtr drives the DTR pin', () => {
  withUart((fk, u) => {
    u.setDtr(false);
    assert.is(fk.pins.D4, 0);
    u.setDtr(true);
    assert.is(fk.pins.D4, 1);
  });
});

test('writes reach Serial2 in order', () => {
  withUart((fk, u) => {
    assert.is(u.write(new TextEncoder().encode('AT+FCLASS=1\r')), 12);
    fk.advance(10);
    assert.is(text(fk.serial.Serial2.take()), 'AT+FCLASS=1\r');
  });
});

test('XON/XOFF on: XOFF holds our output and is not data, XON releases it; off: they are data', () => {
  withUart((fk, u) => {
    let readable = 0;
    u.onReadable = () => readable++;
    u.inCall!(true); // page data: the call's buffers
    u.setXonXoff(true);
    for (const st of fk.serial.Serial2.setups) assert.ok(!('xon' in st.opts));
    fk.serial.Serial2.inject([XOFF]);
    assert.is(u.readable(), 0, 'XOFF is not data');
    assert.is(readable, 0);
    const page = new Uint8Array(300).map((_, i) => i & 0xff);
    assert.is(u.write(page), 300);
    fk.advance(50);
    assert.equal(fk.serial.Serial2.take(), [], 'held by XOFF');
    fk.serial.Serial2.inject([XON, 0x41]);
    fk.advance(50);
    assert.equal(fk.serial.Serial2.take(), [...page]);
    assert.equal([...u.read(10)], [0x41]);
    // an XOFF in the middle of a long write stops it within a piece; XON sends the rest
    const long = new Uint8Array(1000).map((_, i) => (i * 7) & 0xff);
    assert.is(u.write(long), 1000);
    const first = fk.serial.Serial2.take();
    assert.ok(first.length > 0 && first.length < 1000, 'sent at once: ' + first.length);
    fk.serial.Serial2.inject([XOFF]);
    fk.advance(100);
    assert.equal(fk.serial.Serial2.take(), []);
    fk.serial.Serial2.inject([XON]);
    fk.advance(100);
    assert.equal(first.concat(fk.serial.Serial2.take()), [...long]);
    // off again: DC1/DC3 are ordinary bytes both ways, and a pending XOFF does not hold output
    fk.serial.Serial2.inject([XOFF]);
    u.setXonXoff(false);
    fk.serial.Serial2.inject([XON, XOFF]);
    assert.equal([...u.read(10)], [XON, XOFF]);
    u.write(new Uint8Array([1, 2]));
    fk.advance(10);
    assert.equal(fk.serial.Serial2.take(), [1, 2]);
  });
});

test('between calls the buffers are small; a call widens them keeping what waits; the hang-up shrinks them once it fits', () => {
  withUart((fk, u) => {
    const big: number[] = [];
    for (let i = 0; i < 3000; i++) big.push(i & 0xff);
    fk.serial.Serial2.inject(big.slice(0, 300));
    assert.is(u.readable(), 256, 'at rest: 256 octets (result codes, RING)');
    assert.is(u.write(new Uint8Array(500)), 128, 'at rest: 128 octets of commands');
    u.inCall!(true);
    assert.is(u.readable(), 256, 'what waited is kept');
    fk.serial.Serial2.inject(big.slice(256, 3000));
    assert.is(u.readable(), 2048);
    u.inCall!(false);
    assert.is(u.readable(), 2048, 'nothing received is dropped by the hang-up');
    const got = u.read(1000);
    for (let i = 0; i < 1000; i++) if (got[i] !== (i & 0xff)) assert.unreachable('byte ' + i);
    assert.is(u.readable(), 1048, 'still more than the small buffer holds: kept');
    const rest = u.read(900);
    for (let i = 0; i < 900; i++) if (rest[i] !== ((1000 + i) & 0xff)) assert.unreachable('byte ' + (1000 + i));
    assert.is(u.readable(), 148);
    fk.serial.Serial2.inject(big.slice(0, 300));
    assert.is(u.readable(), 256, 'shrunk once what waited fitted');
    assert.is(u.read(148)[0], (1900 & 0xff), 'in order across the shrink');
  });
});

test('output is paced at the baud rate (10 bits a byte): never more than the wire takes plus a piece', () => {
  withUart((fk, u) => {
    u.inCall!(true);
    const data = new Uint8Array(1000).map((_, i) => i & 0xff);
    assert.is(u.write(data), 1000);
    const sent: number[] = [];
    for (let ms = 0; ms < 200; ms++) {
      sent.push(...fk.serial.Serial2.take());
      assert.ok(sent.length <= 64 + ms * 11.52 + 1, `${sent.length} bytes handed over after ${ms} ms`);
      fk.advance(1);
    }
    sent.push(...fk.serial.Serial2.take());
    assert.equal(sent, [...data]);
  });
});

test('a write larger than the transmit queue is accepted in part; onWritable says when there is room', () => {
  withUart((fk, u) => {
    let writable = 0;
    u.onWritable = () => writable++;
    u.inCall!(true);
    u.setXonXoff(true);
    fk.serial.Serial2.inject([XOFF]);
    const n = u.write(new Uint8Array(100000));
    assert.ok(n > 0 && n < 100000, 'accepted ' + n);
    assert.is(u.write(new Uint8Array(10)), 0, 'full while held');
    fk.advance(100);
    assert.is(writable, 0);
    fk.serial.Serial2.inject([XON]);
    fk.advance(1000);
    assert.is(writable, 1);
    assert.is(fk.serial.Serial2.take().length, n);
  });
});

test.run();
