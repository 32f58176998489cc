// Hostile and broken peers against the appliance's LAN service, in virtual time: malformed
// frames, oversize lengths, a replayed request, slow-loris connections, too many connections at
// once, owners' computers that vanish in the middle of a document. Each gets a clear ERROR (or
// timeout), the service's memory stays bounded, and no document is lost or wrongly marked.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TcpSocket } from '../../../hal/net.ts';
import type { Session } from '../../../sim/session.ts';
import { FRAME_ERROR, FRAME_MESSAGE, FrameReader, decodeError, encodeFrame, encodeHello } from '../../../firmware/lan/frame.ts';
import { ClientSession } from '../../../host/client/session.ts';
import { ANN, boot, clientKeys, fetch, list, ownerListens, page, pagesOf, receive, samePixels } from './rig.ts';

const SENT = [page(5, 400), page(6, 400)];

/** A raw connection to the appliance that records what comes back. */
function raw(s: Session, host = 'evil.lan') {
  const sock = s.sim.lan!.host(host).connect('fax.lan', 7760);
  const r = new FrameReader();
  const got: { type: number; payload: Uint8Array }[] = [];
  let closed = false;
  sock.onReadable = () => {
    r.push(sock.read(1 << 20));
    for (let f = r.next(); f; f = r.next()) got.push(f);
  };
  sock.onClose = () => { closed = true; };
  return {
    sock, got,
    get closed() { return closed; },
    errors: () => got.filter((f) => f.type === FRAME_ERROR).map((f) => decodeError(f.payload).code),
    write: (b: Uint8Array | number[]) => sock.write(b instanceof Uint8Array ? b : Uint8Array.from(b)),
  };
}

const HELLO = encodeHello({ version: 1, challenge: new Uint8Array(16).fill(1), identity: 'host:evil.lan' });

test('malformed frames: an unknown type, an oversize length, a bad hello, garbage in a MESSAGE — each a clear ERROR and the end', () => {
  const s = boot();
  const cases: [Uint8Array | number[], string][] = [
    [new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'), 'frame'],
    [[FRAME_MESSAGE, 0xff, 0xff, 0xff, 0xff], 'frame'],
    [encodeFrame(0x48, new Uint8Array(30)), 'malformed'],
    [Uint8Array.from([...HELLO, ...encodeFrame(FRAME_MESSAGE, new Uint8Array(100).fill(0x41))]), 'magic'],
    [Uint8Array.from([...HELLO, ...encodeFrame(0x43, new Uint8Array(10))]), 'protocol'],
  ];
  for (const [bytes, code] of cases) {
    const c = raw(s);
    s.runFor(10);
    c.write(bytes);
    s.runFor(100);
    assert.equal(c.errors(), [code], 'for ' + JSON.stringify([...bytes].slice(0, 8)));
    assert.ok(c.closed, 'closed after ' + code);
  }
  assert.ok(s.app.delivery.lan.stats.peakBuffered <= 16384 + 4096 + 5, 'bounded input buffer: ' + s.app.delivery.lan.stats.peakBuffered);
  assert.is(s.app.delivery.lan.conns.length, 0);
  assert.is(s.app.kernel.faults.length, 0);
});

test('a recorded request replayed on a new connection is refused (it echoes an old challenge)', () => {
  const s = boot();
  receive(s, SENT);
  const id = s.app.store.documents()[0].id;
  // Record what the owner's client sends (its sealed request) by wrapping its socket.
  const net = s.sim.lan!.host('pc-ann.lan');
  const sock = net.connect('fax.lan', 7760);
  const sent: Uint8Array[] = [];
  const write = sock.write.bind(sock);
  sock.write = (b: Uint8Array) => { sent.push(b.slice()); return write(b); };
  const c = new ClientSession(sock, clientKeys(s, ANN), { appliance: 'host:fax.lan' });
  sock.onConnect = () => c.start();
  let ok = false;
  c.fetch('12', id, '4711', (err) => { ok = !err; });
  s.runFor(5000);
  assert.ok(ok);
  c.close();
  const request = sent.find((b) => b[0] === FRAME_MESSAGE)!;
  const r = raw(s, 'pc-ann.lan');
  s.runFor(10);
  r.write(encodeHello({ version: 1, challenge: new Uint8Array(16).fill(2), identity: ANN }));
  r.write(request);
  s.runFor(100);
  assert.equal(r.errors(), ['challenge']);
  assert.ok(r.got.every((f) => f.type !== 0x43), 'no document for the replay');
});

test('slow-loris: a hello dribbled a byte a second is cut at lan.helloSeconds; a request dribbled, at lan.idleSeconds', () => {
  const s = boot();
  const a = raw(s);
  s.runFor(10);
  for (let i = 0; i < 20 && !a.closed; i++) { a.write([HELLO[i]]); s.runFor(1000); }
  assert.ok(a.closed);
  assert.equal(a.errors(), ['timeout']);
  const b = raw(s);
  s.runFor(10);
  b.write(HELLO);
  const msg = encodeFrame(FRAME_MESSAGE, new Uint8Array(200));
  for (let i = 0; i < 200 && !b.closed; i++) { b.write([msg[i]]); s.runFor(1000); }
  assert.ok(b.closed);
  assert.equal(b.errors(), ['timeout']);
  assert.ok(s.sim.clock.now() > 120000, 'not before the idle time');
});

test('many connections at once: four served, the rest told busy; once the squatters time out, the owner gets in', () => {
  const s = boot();
  receive(s, SENT);
  const squat = Array.from({ length: 10 }, () => raw(s));
  s.runFor(100);
  const busy = squat.filter((c) => c.errors().includes('busy'));
  assert.is(busy.length, 6);
  assert.is(s.app.delivery.lan.conns.length, 4);
  const early = list(s, ANN, 'pc-ann.lan', '12');
  assert.match(early.err!.message, /busy/);
  s.runFor(15000); // the squatters never said hello
  assert.is(s.app.delivery.lan.conns.length, 0);
  const l = list(s, ANN, 'pc-ann.lan', '12');
  assert.is(l.err, null);
  assert.is(l.result!.docs.length, 1);
});

test('the client vanishes in the middle of a requested document: nothing marked delivered, the next fetch works', () => {
  const s = boot({ extra: { lan: { segmentBytes: 256 } } });
  receive(s, SENT);
  const id = s.app.store.documents()[0].id;
  const net = s.sim.lan!.host('pc-ann.lan');
  const sock = net.connect('fax.lan', 7760);
  let seen = 0;
  const read = sock.read.bind(sock);
  sock.read = (max: number) => {
    const b = read(Math.min(max, 512));
    seen += b.length;
    if (seen > 3000) sock.close();
    return b;
  };
  const c = new ClientSession(sock, clientKeys(s, ANN), { appliance: 'host:fax.lan' });
  sock.onConnect = () => c.start();
  let err = '';
  c.fetch('12', id, '4711', (e) => { err = e ? e.code : 'ok'; });
  s.runFor(10000);
  assert.is.not(err, 'ok', 'the client never got it whole');
  assert.is(s.app.store.document(id)!.state.delivered, undefined);
  assert.is(s.app.delivery.lan.conns.length, 0);
  const f = fetch(s, ANN, 'pc-ann.lan', '12', id, '4711');
  assert.is(f.err, null);
  assert.is(samePixels(SENT[1], pagesOf(f.result!)[1]), null);
});

test('a pushed document cut off mid-way (each): retried from the outbox and delivered whole later', () => {
  const s = boot({ box12: { delivery: { mode: 'each' } }, extra: { lan: { segmentBytes: 256 } } });
  const net = s.sim.lan!.host('pc-ann.lan');
  let cut = true;
  const docs: number[] = [];
  const l = net.listen(7761, (sock: TcpSocket) => {
    let seen = 0;
    const read = sock.read.bind(sock);
    if (cut) {
      cut = false;
      sock.read = (max: number) => {
        const b = read(Math.min(max, 512));
        seen += b.length;
        if (seen > 2000) sock.close();
        return b;
      };
    }
    const cs = new ClientSession(sock, clientKeys(s, ANN, 'x' + docs.length), { appliance: null, onDocument: (d) => { docs.push(d.summary.doc); return ''; } });
    cs.start();
  });
  receive(s, SENT);
  s.runFor(5000);
  const out = s.app.delivery.agent.outbox;
  assert.is(docs.length, 0);
  assert.is(out.size(), 1, 'still queued after the cut');
  assert.ok(out.items[0].tries >= 1);
  s.runFor(120000);
  assert.is(docs.length, 1, 'delivered on a retry');
  assert.is(out.size(), 0);
  l.close();
});

test.run();
