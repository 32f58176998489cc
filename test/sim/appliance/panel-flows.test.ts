// The rest of the front panel on the simulated appliance: ordinary receptions printing as they
// arrive (and through an empty paper tray), reports from the keypad, send from the scanner and
// copy, the settings menu behind the administrator code, a full store.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { journalEntries } from '../../../firmware/store/index.ts';
import { adminCodeMatches } from '../../../firmware/auth/index.ts';
import { readText } from '../../firmware/print/ocr.ts';
import { testPage } from '../../firmware/print/helpers.ts';
import { boot, dataDir, farReceiver, keys, page, runCall, samePage } from './helpers.ts';
import { T4Decoder } from '../../../firmware/fax/t4/index.ts';

test('an ordinary reception prints as it arrives and leaves the store; with no paper it waits and is kept', () => {
  const s = boot(null);
  const sent = [page(3, 300)];
  s.remoteSends(sent);
  runCall(s);
  assert.is(s.sim.printer.pages.length, 1);
  assert.is(samePage(sent[0], s.sim.printer.pages[0]), null);
  assert.is(s.app.store.documents().length, 0);
  // Paper out before the next one: kept, printed when paper is back.
  keys(s, 'paper:out');
  s.remoteSends([page(4, 200)]);
  runCall(s);
  assert.is(s.sim.printer.pages.length, 1);
  assert.is(s.app.store.documents().length, 1);
  assert.is(s.sim.lcd.lines[0].slice(-4), 'PAPR');
  keys(s, 'paper:in wait:10s');
  assert.is(s.sim.printer.pages.length, 2);
  assert.is(samePage(page(4, 200), s.sim.printer.pages[1]), null);
  assert.is(s.app.store.documents().length, 0);
});

test('an ordinary reception cut off by a restart before printing prints at the next boot', () => {
  const dir = dataDir();
  const s = boot(dir);
  keys(s, 'paper:out');
  s.remoteSends([page(5, 200)]);
  runCall(s);
  assert.is(s.sim.printer.pages.length, 0);
  s.sim.flash.close();
  const t = boot(dir);
  t.runFor(10000);
  assert.is(t.sim.printer.pages.length, 1);
  assert.is(samePage(page(5, 200), t.sim.printer.pages[0]), null);
  t.sim.flash.close();
});

test('REPORT key: journal and settings list print; the settings list has no code in it', () => {
  const s = boot(null);
  s.remoteSends([page(6, 100)], { sub: '12' });
  runCall(s);
  const before = s.sim.printer.pages.length;
  keys(s, 'REPORT 9999 OK 2 wait:10s');
  assert.is(s.sim.printer.pages.length, before + 1);
  const j = readText(s.sim.printer.pages[before].rows);
  assert.is(j[0], 'JOURNAL');
  assert.ok(j.some((l) => /RECV  \+49 89 5550123\s+1  BOX 12 ok/.test(l)), j.join('\n'));
  keys(s, 'REPORT 9999 OK 3 wait:10s');
  const t = readText(s.sim.printer.pages[before + 1].rows);
  assert.is(t[0], 'SETTINGS');
  assert.ok(t.some((l) => /^12\s+mail:ann@example.com\s+all\s+on request\s+set \(short\)$/.test(l)), t.join('\n'));
  assert.not.ok(t.join('\n').includes('4711'));
  keys(s, 'REPORT 9999 OK 1 wait:10s');
  assert.is(readText(s.sim.printer.pages[before + 2].rows)[0], 'CONFIDENTIAL RECEPTION LIST');
});

test('copy: the feeder is scanned and printed pixel-identical; with no document the panel says so', () => {
  const s = boot(null);
  keys(s, 'MENU 6');
  assert.equal(s.sim.lcd.lines, ['Load the document   ', 'in the feeder       ']);
  const rows = testPage(1728, 300, 9);
  s.sim.scanner.load([{ width: 1728, linesPerMm: 7.7, rows }]);
  keys(s, 'wait:3s MENU 6 wait:10s');
  assert.is(s.sim.printer.pages.length, 1);
  assert.equal(s.sim.printer.pages[0].rows.map((r) => Buffer.from(r).toString('hex')), rows.map((r) => Buffer.from(r).toString('hex')));
  assert.is(s.app.store.documents().length, 0);
});

test('send from the scanner: number typed, START; the far terminal receives it pixel-identical; journaled', () => {
  const s = boot(null);
  // The far end is another firmware terminal on the same line; what it stores is decoded here.
  const far = farReceiver(s, '555');
  const rows = testPage(1728, 250, 10);
  s.sim.scanner.load([{ width: 1728, linesPerMm: 7.7, rows }]);
  keys(s, 'START 555');
  assert.equal(s.sim.lcd.lines, ['Send fax: number    ', '> 555               ']);
  keys(s, 'START');
  runCall(s);
  assert.is(far.pages.length, 1);
  assert.ok(far.pages[0].confirmed);
  const got: string[] = [];
  const dec = new T4Decoder({ coding: String(far.pages[0].info.coding).toLowerCase() as 'mh', width: 1728, bitOrder: 'lsb-first', onRow: (r) => got.push(Buffer.from(r).toString('hex')) });
  dec.push(far.pages[0].data);
  dec.end();
  assert.equal(got, rows.map((r) => Buffer.from(r).toString('hex')));
  const calls = journalEntries(s.app.store).filter((e) => e.kind === 'call');
  assert.equal([calls[0].dir, calls[0].result, calls[0].pages], ['tx', 'ok', 1]);
  assert.is(s.app.store.documents().length, 0, 'the scanned document is gone after the call');
});

test('a document scanned to send whose call never ended is dropped at the next boot, and journaled', () => {
  const dir = dataDir();
  const s = boot(dir);
  s.sim.line!.attachRemote('999', { role: 'receive', neverAnswer: true });
  s.sim.scanner.load([{ width: 1728, linesPerMm: 7.7, rows: testPage(1728, 100, 12) }]);
  keys(s, 'START 999 START wait:5s'); // it rings at the far end when the power goes
  assert.is(s.app.store.documents().filter((d) => d.meta.dir === 'tx').length, 1);
  s.sim.flash.close();
  const t = boot(dir);
  t.runFor(1000);
  assert.is(t.app.store.documents().length, 0);
  const j = journalEntries(t.app.store).filter((e) => e.kind === 'call');
  assert.equal([j[0].dir, j[0].remote, j[0].result], ['tx', '999', 'not sent (power cut)']);
  t.sim.flash.close();
});

test('settings behind the administrator code: wrong code refused, unknown SUB set to refuse and kept over a restart', () => {
  const dir = dataDir();
  const s = boot(dir);
  keys(s, 'MENU 7');
  assert.equal(s.sim.lcd.lines, ['Administrator code  ', '>                   ']);
  keys(s, '1234 OK');
  assert.equal(s.sim.lcd.lines, ['Wrong admin code    ', '4 more before lock  ']);
  keys(s, 'wait:3s 9999');
  assert.is(s.sim.lcd.lines[1], '> ****              ');
  keys(s, 'OK');
  assert.equal(s.sim.lcd.lines, ['>1 Unknown SUB      ', ' 2 Box pass code    ']);
  keys(s, 'OK');
  assert.equal(s.sim.lcd.lines[0], 'Unknown SUB: receive');
  keys(s, 'DOWN OK');
  assert.equal(s.sim.lcd.lines, ['Unknown SUB:        ', 'calls refused       ']);
  // A new box code, typed twice.
  keys(s, 'wait:3s 2 12 OK 2468 OK');
  assert.equal(s.sim.lcd.lines, ['Code too short      ', 'Use 6 to 12 digits  '], 'new codes have 6 digits or more');
  keys(s, 'wait:3s 246813 OK 246813 OK');
  assert.equal(s.sim.lcd.lines, ['New code saved      ', 'for box 12          ']);
  keys(s, 'wait:3s 3 432109 OK');
  assert.equal(s.sim.lcd.lines, ['Again to confirm    ', '>                   ']);
  keys(s, '432109 OK');
  assert.is(s.sim.lcd.lines[0], 'Admin code saved    ');
  keys(s, 'wait:3s 4 5');
  assert.is(s.sim.lcd.lines[0], 'Rings to answer: 5  ');
  keys(s, 'OK');
  s.sim.flash.close();
  const t = boot(dir);
  t.runFor(1000);
  assert.is(t.app.settings.fax.unknownSub, 'refuse');
  assert.is(t.app.settings.fax.ringsBeforeAnswer, 5);
  // The new code is kept hashed (salted PBKDF2), never in clear.
  assert.ok(adminCodeMatches(t.app.settings, '432109', t.app.mailbox.keys));
  assert.not.ok(adminCodeMatches(t.app.settings, '9999', t.app.mailbox.keys));
  assert.is(t.app.settings.panel.adminCode, undefined);
  assert.not.match(t.app.store.getSetting('settings') ?? '', /432109/);
  t.remoteSends([page(7, 100)], { sub: '77' });
  runCall(t);
  assert.is(t.app.store.documents().length, 0);
  assert.ok(journalEntries(t.app.store).some((e) => e.kind === 'refused' && e.reason === 'unknown subaddress'));
  assert.is(t.app.mailbox.tryCode('12', '4711', 'panel').result, 'wrong');
  assert.is(t.app.mailbox.tryCode('12', '246813', 'panel').result, 'ok');
  t.sim.flash.close();
});

test('a full store: the idle screen says MEMORY FULL and a sender is refused; deleting clears it', () => {
  const s = boot(null);
  // Fill the store with documents of box 12.
  const st = s.app.store;
  let n = 0;
  for (; n < 1000; n++) {
    const w = st.beginDocument({ dir: 'rx', time: 0, remote: 'filler', sub: '12', box: '12' });
    if (!w) break; // the store says it is full
    w.beginPage({ coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' });
    if (w.write(new Uint8Array(3000).fill(0x55)) && w.endPage()) w.close('ok');
    else w.discard();
  }
  s.runFor(2000);
  assert.ok(st.isFull(), 'full after ' + n);
  assert.match(s.sim.lcd.lines[1], /^MEMORY FULL  CONF \d+/);
  s.remoteSends([page(8, 300)], { sub: '12' });
  runCall(s);
  const call = journalEntries(st).filter((e) => e.kind === 'call').pop()!;
  assert.match(String(call.result), /memory/);
  for (const d of st.documents().slice(0, 5)) st.deleteDocument(d.id);
  s.runFor(2000);
  assert.match(s.sim.lcd.lines[1], /^MEM \d+%/);
});

test.run();
