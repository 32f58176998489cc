// The story end to end on the simulated board: a remote machine sends to box 12 with
// SUB 12; nothing of the document prints, the confidential reception list does, the idle
// screen counts one waiting; a restart keeps it; box 12 and its pass code at the keypad print
// it pixel-identical; five wrong codes lock the box; paper out while printing loses nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { journalEntries } from '../../../firmware/store/index.ts';
import { moduleHolds } from '../../../firmware/app/modules.ts';
import { readText } from '../../firmware/print/ocr.ts';
import { boot, dataDir, keys, page, runCall, samePage } from './helpers.ts';

const DIR = dataDir();
const SENT = [page(1, 500), page(2, 300)];

test('SUB 12: the document is kept, only the confidential reception list prints, the LCD counts it', () => {
  const s = boot(DIR);
  s.remoteSends(SENT, { sub: '12', ident: '+49 89 5550123' });
  runCall(s);
  const docs = s.app.store.documents();
  assert.is(docs.length, 1);
  assert.equal([docs[0].meta.box, docs[0].pages, docs[0].result], ['12', 2, 'ok']);
  const pages = s.sim.printer.pages;
  assert.is(pages.length, 1, 'only the list');
  for (const p of pages) for (const want of SENT) assert.ok(samePage(want, p) !== null, 'no page of the document printed');
  const text = readText(pages[0].rows);
  assert.is(text[0], 'CONFIDENTIAL RECEPTION LIST');
  // Box and count only (the default): the list lies in the tray for anyone to read.
  assert.ok(text.some((l) => /^12\s+1$/.test(l)), text.join('\n'));
  assert.not.ok(text.some((l) => /5550123/.test(l)), 'no sender on the list');
  assert.match(s.sim.lcd.lines[1], /^MEM \d+%  CONF 1/);
  s.sim.flash.close();
});

test('a restart (same data) keeps it: still one waiting, nothing printed again', () => {
  const s = boot(DIR, Date.UTC(2026, 10, 25, 9, 30));
  s.runFor(2000);
  assert.is(s.app.store.documents().length, 1);
  assert.match(s.sim.lcd.lines[1], /CONF 1/);
  assert.is(s.sim.printer.pages.length, 0);
  s.sim.flash.close();
});

test('wrong pass codes say how many tries are left; the fifth locks the box, even for the right code', () => {
  const s = boot(DIR, Date.UTC(2026, 10, 25, 9, 40));
  s.runFor(1000);
  keys(s, 'BOX 12 OK');
  for (let i = 1; i <= 4; i++) {
    keys(s, '1111');
    assert.equal(s.sim.lcd.lines, ['Box 12 pass code    ', '> ****              ']);
    keys(s, 'OK');
    assert.equal(s.sim.lcd.lines, ['Wrong pass code     ', (5 - i) + ' more before lock  '], 'try ' + i);
    keys(s, 'wait:3s'); // back to the pass code of the same box
  }
  keys(s, '1111 OK');
  assert.equal(s.sim.lcd.lines, ['Box 12 is locked    ', 'Try again in 1 min  ']);
  keys(s, 'wait:3s BOX 12 OK');
  assert.is(s.sim.lcd.lines[0], 'Box 12 is locked    ', 'the right code cannot even be typed');
  assert.match(s.sim.lcd.lines[1], /^Try again in 5\d s/);
  assert.is(s.sim.printer.pages.length, 0);
  const codes = journalEntries(s.app.store).filter((e) => e.kind === 'code');
  assert.equal(codes.map((e) => e.result), ['wrong', 'wrong', 'wrong', 'wrong', 'wrong, locked']);
  s.sim.flash.close();
});

test('the lock survives a restart: thirty seconds later box 12 is still locked', () => {
  const s = boot(DIR, Date.UTC(2026, 10, 25, 9, 40, 40));
  s.runFor(1000);
  keys(s, 'BOX 12 OK');
  assert.is(s.sim.lcd.lines[0], 'Box 12 is locked    ');
  assert.match(s.sim.lcd.lines[1], /^Try again in (\d+ s|1 min)/);
  s.sim.flash.close();
});

test('after the lock: box 12 and the right code print it pixel-identical; paper out loses nothing', () => {
  const s = boot(DIR, Date.UTC(2026, 10, 25, 9, 50));
  // The lock runs in powered-on time: the ten minutes the board was off do not count.
  s.runFor(1000);
  keys(s, 'BOX 12 OK');
  assert.is(s.sim.lcd.lines[0], 'Box 12 is locked    ');
  s.runFor(61000);
  keys(s, 'BOX 12 OK 4711');
  assert.is(s.sim.lcd.lines[1], '> ****              ');
  s.sim.printer.outAfterLines = 650; // the paper runs out in the second page
  // Holds count per process (sessions of the tests before this one may still hold the dialogs).
  const held = moduleHolds('panel');
  assert.ok(held >= 1, 'the dialogs are held while the code is typed');
  keys(s, 'OK wait:5s');
  assert.is(s.sim.printer.pages.length, 1);
  assert.equal(s.sim.lcd.lines, ['Out of paper        ', 'Load paper: kept    ']);
  assert.is(moduleHolds('panel'), held - 1, 'the dialogs are let go while the box prints (a resident state watches)');
  assert.is(s.app.spooler.status(), 'NO PAPER');
  keys(s, 'wait:30s paper:in wait:10s');
  assert.is(s.sim.printer.pages.length, 2);
  assert.is(samePage(SENT[0], s.sim.printer.pages[0]), null, 'page 1');
  assert.is(samePage(SENT[1], s.sim.printer.pages[1]), null, 'page 2, printed again whole');
  assert.equal(s.sim.lcd.lines, ['Delete 1 document?  ', 'OK=delete BACK=keep ']);
  assert.is(moduleHolds('panel'), held, 'loaded again for the question');
  keys(s, 'OK');
  assert.equal(s.sim.lcd.lines, ['Deleted 1 document  ', 'Box 12 is empty     ']);
  keys(s, 'wait:5s');
  assert.match(s.sim.lcd.lines[1], /CONF 0/);
  assert.is(s.app.store.documents().length, 0);
  const audit = journalEntries(s.app.store).filter((e) => e.kind === 'print' || e.kind === 'delete');
  assert.equal(audit.map((e) => [e.kind, e.box]), [['print', '12'], ['delete', '12']]);
  assert.is(audit[0].pages, 2);
  s.sim.flash.close();
});

test('the confidential reception list survives a power cut: no paper, restart, it prints at boot', () => {
  const dir = dataDir();
  const s = boot(dir);
  keys(s, 'paper:out');
  s.remoteSends([page(9, 200)], { sub: '12' });
  runCall(s);
  assert.is(s.sim.printer.pages.length, 0);
  assert.match(s.sim.lcd.lines[1], /CONF 1/);
  s.sim.flash.close(); // the power goes before paper is back
  const t = boot(dir);
  t.runFor(15000);
  assert.is(t.sim.printer.pages.length, 1);
  assert.is(readText(t.sim.printer.pages[0].rows)[0], 'CONFIDENTIAL RECEPTION LIST');
  t.sim.flash.close();
  const u = boot(dir);
  u.runFor(15000);
  assert.is(u.sim.printer.pages.length, 0, 'printed once, not at every boot');
  u.sim.flash.close();
});

test.run();
