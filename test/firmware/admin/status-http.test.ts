// The appliance's plain-HTTP status page on the simulated LAN, in virtual time: off by default;
// with http.port set, GET / gives the status, the boxes' numbers and counts, and the journal —
// an ordinary reception with its sender and time, a confidential one as kind, box and result only
// (no sender, no time: docs/SECURITY.md). Wrong methods and paths, an endless request head, a
// silent client and too many connections each get their answer; the page never names an owner.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootAppliance } from '../../rig/appliance.ts';
import type { Session } from '../../rig/appliance.ts';
import type { TcpSocket } from '../../../hal/net.ts';
import { journalLine, StatusPage, htmlEscape } from '../../../firmware/admin/status-page.ts';
import { page, runCall, settingsJson } from '../../sim/appliance/helpers.ts';

function boot(http: number | null): Session {
  const json: Record<string, unknown> = { ...settingsJson() };
  if (http !== null) json.http = { port: http };
  return bootAppliance(json, { seed: 'http' });
}

/** Sends `request` from a computer on the simulated LAN; returns all it got until the close. */
function fetchRaw(s: Session, request: string, opts: { port?: number; from?: string; keepOpen?: boolean } = {}): { text: () => string; closed: () => boolean; sock: TcpSocket } {
  const net = s.sim.lan!.host(opts.from ?? 'pc.lan');
  const sock = net.connect('fax.lan', opts.port ?? 8080);
  let got = '';
  let closed = false;
  sock.onConnect = () => {
    if (request) sock.write(Uint8Array.from(Buffer.from(request, 'latin1')));
  };
  sock.onReadable = () => {
    const b = sock.read(65536);
    got += Buffer.from(b).toString('latin1');
  };
  sock.onClose = () => { closed = true; };
  return { text: () => got, closed: () => closed, sock };
}

function get(s: Session, path = '/'): string {
  const r = fetchRaw(s, `GET ${path} HTTP/1.1\r\nHost: fax.lan\r\n\r\n`);
  s.runFor(2000);
  assert.ok(r.closed(), 'the appliance closes after the answer (HTTP/1.0)');
  return r.text();
}

test('off by default: nobody listens, the object says why', () => {
  const s = boot(null);
  s.runFor(1000);
  const r = fetchRaw(s, 'GET / HTTP/1.0\r\n\r\n');
  s.runFor(1000);
  assert.ok(r.closed());
  assert.is(r.text(), '');
  assert.ok(s.app.kernel.tracer.snapshot().some((l: string) => /http.*status page off/.test(l)), 'traced');
  s.sim.flash.close();
});

test('GET /: status and boxes; after receptions, the journal hides who sent to a box and when', () => {
  const s = boot(8080);
  s.runFor(1000);
  let html = get(s);
  assert.match(html, /^HTTP\/1.0 200 OK\r\nContent-Type: text\/html/);
  assert.match(html, /<h1>Office 3<\/h1>/);
  assert.match(html, /<th>line<\/th><td>IDLE<\/td>/);
  assert.match(html, /<th>memory<\/th><td>0 % of 1 MB: room for about 1[67] of 17 typical pages<\/td>/);
  assert.match(html, /<tr><td>12<\/td><td>0<\/td><td>0<\/td><\/tr>/);
  assert.match(html, /<\/html>\n$/);
  // An ordinary fax and a confidential one to box 12.
  s.remoteSends([page(3, 120)], { ident: '+49 40 5550199' });
  runCall(s);
  s.remoteSends([page(4, 120)], { ident: '+49 89 5550123', sub: '12' });
  runCall(s);
  html = get(s);
  assert.match(html, /<th>confidential waiting<\/th><td>1<\/td>/);
  assert.match(html, /<tr><td>12<\/td><td>1<\/td><td>1<\/td><\/tr>/);
  assert.match(html, /<li>2026-11-25 \d\d:\d\d call rx \+49 40 5550199, 1 page\(s\): ok<\/li>/);
  assert.match(html, /<li>call \(confidential, box 12\): ok<\/li>/);
  assert.not.match(html, /5550123/, 'the confidential sender is not on the page');
  assert.not.match(html, /ann@example.com/, 'no owner');
  assert.not.match(html, /4711/, 'no code');
  s.sim.flash.close();
});

test('HEAD, other methods and paths, a long or missing request, too many connections', () => {
  const s = boot(8080);
  s.runFor(1000);
  const head = fetchRaw(s, 'HEAD / HTTP/1.0\r\n\r\n');
  s.runFor(1000);
  assert.match(head.text(), /^HTTP\/1.0 200 OK\r\n[^]*\r\n\r\n$/);
  assert.match(get(s, '/settings'), /^HTTP\/1.0 404 Not Found/);
  const post = fetchRaw(s, 'POST / HTTP/1.0\r\nContent-Length: 4\r\n\r\ncode');
  s.runFor(1000);
  assert.match(post.text(), /^HTTP\/1.0 405 Method Not Allowed/);
  const long = fetchRaw(s, 'GET / HTTP/1.0\r\nX: ' + 'a'.repeat(2000));
  s.runFor(1000);
  assert.match(long.text(), /^HTTP\/1.0 431 /);
  // Two silent clients hold both connections; a third is told to come back; the silent ones
  // are closed after 10 s.
  const a = fetchRaw(s, '', { from: 'a.lan' });
  const b = fetchRaw(s, '', { from: 'b.lan' });
  s.runFor(100);
  const c = fetchRaw(s, 'GET / HTTP/1.0\r\n\r\n', { from: 'c.lan' });
  s.runFor(1000);
  assert.match(c.text(), /^HTTP\/1.0 503 /);
  assert.not.ok(a.closed());
  s.runFor(11000);
  assert.ok(a.closed() && b.closed(), 'silent clients closed');
  assert.match(get(s), /^HTTP\/1.0 200 OK/);
  assert.is(s.app.kernel.faults.length, 0);
  s.sim.flash.close();
});

test('journal lines: confidential entries reduced; others as written; escaping', () => {
  const t = (x: number) => 'T' + x;
  assert.is(journalLine('{"t":5,"kind":"call","dir":"rx","remote":"+1 2","pages":2,"result":"ok"}', t), 'T5 call rx +1 2, 2 page(s): ok');
  assert.is(journalLine('{"t":5,"kind":"code","box":"12","src":"panel","result":"wrong"}', t), 'code (confidential, box 12): wrong');
  assert.is(journalLine('{"t":5,"kind":"refused","sub":"99","reason":"wrong PWD"}', t), 'refused (confidential)');
  assert.is(journalLine('not json', t), '(entry not readable)');
  assert.is(htmlEscape('<a href="x">&\u00e9'), '&lt;a href=&quot;x&quot;&gt;&amp;?');
  // The page lists at most the 20 newest entries, newest first.
  const texts: string[] = [];
  for (let i = 0; i < 25; i++) texts.push(JSON.stringify({ t: i + 1, kind: 'print', doc: i, result: 'printed' }));
  const p = new StatusPage({
    stationName: () => 'x', lineState: () => 'IDLE', memoryPercent: () => 1, paper: () => 'loaded', waiting: () => 0,
    faults: () => 0, boxes: () => [], waitingIn: () => 0, keptIn: () => 0,
    journalCount: () => texts.length, journalText: (i) => texts[i], fmtTime: (x) => 'T' + x,
  });
  const lines: string[] = [];
  for (let l = p.next(); l !== null; l = p.next()) lines.push(l);
  const items = lines.filter((l) => l.startsWith('<li>'));
  assert.is(items.length, 20);
  assert.is(items[0], '<li>T25 print: printed</li>');
  assert.is(items[19], '<li>T6 print: printed</li>');
});

test.run();
