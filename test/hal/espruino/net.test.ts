// hal/espruino espruinoNet on a fake `net` module: null without it; received data waits for
// read() with onReadable per empty→data, bytes are 8-bit both ways, the end is told once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeEspruino, espruinoModule } from './fake-espruino.ts';
import type { Net } from '../../../hal/net.ts';

const { espruinoNet, SEND_MARK } = await espruinoModule('net');

test('no net module: null', () => {
  const fk = new FakeEspruino();
  fk.install();
  try {
    assert.is(espruinoNet(), null);
  } finally {
    fk.uninstall();
  }
});

test('a connection: onConnect, reads and writes of 8-bit bytes, one onClose with the error', () => {
  const fk = new FakeEspruino({ net: true });
  fk.install();
  try {
    const net = espruinoNet() as Net;
    const s = net.connect('192.0.2.1', 8080);
    assert.is(s.remote(), '192.0.2.1:8080');
    let connected = 0;
    let readable = 0;
    const closes: (string | null)[] = [];
    s.onConnect = () => connected++;
    s.onReadable = () => readable++;
    s.onClose = (e) => closes.push(e);
    fk.advance(0);
    assert.is(connected, 1);
    const sock = fk.sockets[0];
    sock.emit('data', '\x00\xff\x80A');
    sock.emit('data', 'BC');
    assert.is(readable, 1);
    assert.is(s.readable(), 6);
    assert.equal([...s.read(3)], [0x00, 0xff, 0x80]);
    assert.equal([...s.read(10)], [0x41, 0x42, 0x43]);
    sock.emit('data', '');
    assert.is(readable, 1);
    sock.emit('data', 'D');
    assert.is(readable, 2);
    assert.is(s.write(new Uint8Array([0, 0xfe, 0x41])), 3);
    assert.is(sock.written, '\x00\xfeA');
    sock.emit('error', { message: 'ECONNRESET' });
    sock.emit('close');
    assert.equal(closes, ['ECONNRESET']);
    s.close();
    assert.ok(sock.ended);
  } finally {
    fk.uninstall();
  }
});

test('a connect the interpreter refuses at once (nothing listens) is a closed socket with the reason, not a throw', () => {
  const fk = new FakeEspruino({ net: true });
  fk.refusedPorts.push(7761);
  fk.install();
  try {
    const net = espruinoNet() as Net;
    const s = net.connect('192.0.2.1', 7761);
    assert.is(s.remote(), '192.0.2.1:7761');
    const closes: (string | null)[] = [];
    let connected = 0;
    s.onConnect = () => connected++;
    s.onClose = (e) => closes.push(e);
    assert.equal(closes, [], 'told only once the caller listens');
    fk.advance(0);
    assert.equal(closes, ['Unable to create socket']);
    assert.is(connected, 0);
    assert.is(s.readable(), 0);
    s.close();
  } finally {
    fk.uninstall();
  }
});

test('implicit TLS (SMTPS/POP3S) through the tls module when the build has one, else no connectTls', () => {
  const fk = new FakeEspruino({ net: true });
  fk.install();
  try {
    assert.is((espruinoNet() as Net).connectTls, undefined);
    const opened: { host: string; port: number }[] = [];
    const net = fk.modules.net as { connect: (o: { host: string; port: number }, cb: () => void) => unknown };
    fk.modules.tls = {
      connect(o: { host: string; port: number }, cb: () => void) {
        opened.push(o);
        return net.connect(o, cb);
      },
    };
    const n = espruinoNet() as Net;
    const s = n.connectTls!('mail.example.com', 465);
    let up = 0;
    s.onConnect = () => up++;
    fk.advance(0);
    assert.equal(opened, [{ host: 'mail.example.com', port: 465 }]);
    assert.is(up, 1);
    assert.is(s.remote(), 'mail.example.com:465');
  } finally {
    fk.uninstall();
  }
});

test('backpressure: past SEND_MARK bytes since the last drain, write() takes nothing; the drain says writable once', () => {
  const fk = new FakeEspruino({ net: true });
  fk.install();
  try {
    const net = espruinoNet() as Net;
    const s = net.connect('192.0.2.1', 8080);
    let writable = 0;
    s.onWritable = () => writable++;
    fk.advance(0);
    const sock = fk.sockets[0];
    const piece = new Uint8Array(400).fill(0x55);
    let taken = 0;
    while (s.write(piece) === piece.length) taken += piece.length;
    assert.ok(taken >= SEND_MARK && taken < SEND_MARK + piece.length, 'took ' + taken);
    assert.is(sock.written.length, taken, 'nothing of the refused write reached the socket');
    assert.is(s.write(piece), 0, 'still refused before the drain');
    assert.is(writable, 0);
    sock.emit('drain');
    assert.is(writable, 1, 'told once');
    assert.is(s.write(piece), piece.length, 'takes again after the drain');
    sock.emit('drain');
    assert.is(writable, 1, 'a drain after no refusal says nothing');
  } finally {
    fk.uninstall();
  }
});

test('pending(): bytes not yet handed to the network; asked while more than 0, the drain says writable', () => {
  const fk = new FakeEspruino({ net: true });
  fk.install();
  try {
    const net = espruinoNet() as Net;
    const s = net.connect('192.0.2.1', 8080);
    let writable = 0;
    s.onWritable = () => writable++;
    fk.advance(0);
    const sock = fk.sockets[0];
    assert.is(s.pending!(), 0);
    assert.is(s.write(new Uint8Array(100)), 100);
    sock.emit('drain');
    assert.is(writable, 0, 'nobody waited');
    assert.is(s.write(new Uint8Array(300)), 300);
    assert.is(s.pending!(), 300);
    sock.emit('drain');
    assert.is(writable, 1, 'the writer that asked is told');
    assert.is(s.pending!(), 0);
  } finally {
    fk.uninstall();
  }
});

test.run();
