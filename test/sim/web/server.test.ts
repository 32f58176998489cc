// The web panel's HTTP side on a session in virtual time: the page and its assets, the state as
// JSON (counts, never a box's owner or codes), keys to the keypad driver, the remote form's file
// (accepted, refused with a reason), requests from another site refused, the tray's PNG pages.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PNG } from 'pngjs';
import { startWebPanel, parseListen } from '../../../sim/web/server.ts';
import type { WebPanel } from '../../../sim/web/server.ts';
import { writePbm } from '../../../host/image/pbm.ts';
import { encodePngBitmap } from '../../../host/image/png.ts';
import { faxPdf } from '../../../host/image/pdf.ts';
import { codePage } from '../../../host/image/tiff.ts';
import { boot } from '../appliance/helpers.ts';
import { page } from '../appliance/helpers.ts';
import type { Session } from '../../../sim/session.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are checked field by field
type Json = any;

let s: Session;
let panel: WebPanel;

test.before(async () => {
  s = boot(null);
  s.runFor(1000);
  panel = await startWebPanel(s, { host: '127.0.0.1', port: 0 });
});
test.after(async () => {
  await panel.close();
  s.sim.flash.close();
});

const get = (path: string) => fetch(panel.url + path.replace(/^\//, ''));
const post = (path: string, body?: string | Uint8Array, headers: Record<string, string> = {}) =>
  fetch(panel.url + path.replace(/^\//, ''), { method: 'POST', body: body as string | undefined, headers });

test('--web takes [HOST:]PORT; a bare port is loopback only', () => {
  assert.equal(parseListen('8080'), { host: '127.0.0.1', port: 8080 });
  assert.equal(parseListen('0.0.0.0:80'), { host: '0.0.0.0', port: 80 });
  assert.equal(parseListen('[::1]:0'), { host: '::1', port: 0 });
  assert.throws(() => parseListen('99999'), /\[HOST:\]PORT/);
  assert.throws(() => parseListen('host:'), /\[HOST:\]PORT/);
});

test('the page, its assets (no CDN), and 404 for the rest', async () => {
  const html = await (await get('/')).text();
  assert.match(html, /<script src="\/assets\/panel.js">/);
  assert.not.match(html, /https?:\/\//, 'nothing is loaded from elsewhere');
  for (const k of ['MENU', 'OK', 'BACK', 'UP', 'DOWN', 'START', 'STOP', 'BOX', 'REPORT', 'SPEED', '0', '9', '*', '#']) {
    const e = k.replace(/[*]/g, '\\$&');
    assert.match(html, new RegExp(`<button data-key="${e}"[^>]*>${e}</button>`), `a button named ${k}`);
  }
  const js = await get('/assets/panel.js');
  assert.is(js.status, 200);
  assert.match(js.headers.get('content-type')!, /javascript/);
  assert.is((await get('/assets/../server.ts')).status, 404);
  assert.is((await get('/nothing')).status, 404);
});

test('state: LCD as on the board, boxes as numbers and counts only', async () => {
  const st = (await (await get('/state')).json()) as Json;
  assert.equal(st.lcd, s.sim.lcd.lines);
  assert.match(st.lcd[0], /IDLE/);
  assert.equal(st.boxes, [{ number: '12', waiting: 0, kept: 0, lockedSeconds: 0 }]);
  const text = JSON.stringify(st);
  assert.not.ok(text.includes('ann@example.com'), 'no owner');
  assert.not.ok(/code|hash|salt/i.test(Object.keys(st.boxes[0]).join(' ')), 'no code fields');
});

test('/appliance: the appliance\'s own status page, counts only', async () => {
  const html = await (await get('/appliance')).text();
  assert.match(html, /<h1>Office 3<\/h1>/);
  assert.match(html, /<tr><td>12<\/td><td>0<\/td><td>0<\/td><\/tr>/);
  assert.not.ok(html.includes('ann@example.com'));
});

test('keys go to the keypad driver; unknown keys and other sites are refused', async () => {
  const pressed: string[] = [];
  const orig = s.sim.keys.onKey!;
  s.sim.keys.onKey = (k) => { pressed.push(k); orig(k); };
  assert.is((await post('/key', JSON.stringify({ key: 'MENU' }))).status, 200);
  assert.is((await post('/key?key=BACK')).status, 200);
  const bad = await post('/key', JSON.stringify({ key: 'ENTER' }));
  assert.is(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /not a key/);
  assert.is((await post('/key?key=OK', undefined, { origin: 'http://elsewhere.example' })).status, 403);
  assert.equal(pressed, ['MENU', 'BACK']);
  s.sim.keys.onKey = orig;
});

test('the remote form: a PNG is sent to box 12 on the emulated line; the box counts it, nothing of it prints', async () => {
  const sent = page(7, 200);
  const r = await post('/remote?sub=12&name=letter.png&resolution=fine', encodePngBitmap(sent));
  assert.is(r.status, 202);
  assert.equal(await r.json(), { ok: true, pages: 1, queued: 0, calling: true });
  for (let i = 0; i < 120 && s.app.callsEnded === 0; i++) s.runFor(1000);
  s.runFor(20000);
  await new Promise((done) => setTimeout(done, 400)); // the panel's poll sees the call's end
  const st = (await (await get('/state')).json()) as Json;
  assert.is(st.waiting, 1);
  assert.equal(st.boxes[0].waiting, 1);
  assert.match(st.remote.results[0], /^letter.png to SUB 12: ok/);
  assert.ok(st.journal.includes('call (confidential, box 12): ok'), st.journal.join('\n'));
  assert.not.ok(JSON.stringify(st).includes('5550123'), 'the sender of a confidential fax is not shown');
  // Only the confidential reception list is in the tray, as a PNG of the printed rows.
  assert.is(st.tray.length, 1);
  const png = PNG.sync.read(Buffer.from(await (await get('/tray/1.png')).arrayBuffer()));
  assert.is(png.width, 1728);
  assert.is(png.height, s.sim.printer.pages[0].rows.length);
  assert.is((await get('/tray/2.png')).status, 404);
});

test('the remote form refuses what it cannot send, with the reason', async () => {
  const refuse = async (path: string, body: string | Uint8Array, re: RegExp) => {
    const r = await post(path, body);
    assert.is(r.status, 400, path);
    assert.match(((await r.json()) as { error: string }).error, re);
  };
  await refuse('/remote?sub=12&name=notes.txt', 'hello', /notes.txt: not a PBM, PNG, TIFF or PDF file/);
  await refuse('/remote?sub=12&name=empty.pbm', '', /no file/);
  await refuse('/remote?sub=box12&name=a.pbm', writePbm([page(1, 10)]), /SUB: up to 20 digits/);
  await refuse('/remote?sub=12&pwd=secret&name=a.pbm', writePbm([page(1, 10)]), /password: up to 20 digits/);
  await refuse('/remote?sub=12&name=broken.pdf', '%PDF-1.4\nbroken', /broken.pdf: Ghostscript could not read it/);
});

test('paper out and in from the page, as paper:out / paper:in', async () => {
  assert.is((await post('/paper?present=0')).status, 200);
  assert.is(s.sim.printer.paperPresent(), false);
  assert.is(((await (await get('/state')).json()) as Json).paper, false);
  assert.is((await post('/paper?present=1')).status, 200);
  assert.is(s.sim.printer.paperPresent(), true);
  assert.is((await post('/paper?present=maybe')).status, 400);
});

test('the remote form takes a PDF: rasterised by Ghostscript at the fax resolution', async () => {
  const pdf = faxPdf([codePage(page(9, 150), { coding: 'mmr' }), codePage(page(10, 100), { coding: 'mh' })]);
  const r = await post('/remote?sub=12&name=two.pdf&resolution=fine', pdf);
  const body = (await r.json()) as Json;
  assert.is(r.status, 202, JSON.stringify(body));
  assert.is(body.pages, 2);
});

test.run();
