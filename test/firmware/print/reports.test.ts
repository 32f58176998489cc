import { PRINT_JOBS } from '../../../firmware/print/job-maker.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel } from '../../../firmware/kernel/index.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { Store, journalAdd, journalEntries } from '../../../firmware/store/index.ts';
import { Spooler, confidentialList, callJournal, settingsList, glyphRow, paginate } from '../../../firmware/print/index.ts';
import { validateSettings } from '../../../firmware/app/settings.ts';
import { prepareBoxes } from '../../../firmware/mailbox/index.ts';
import { SimPrinter } from '../../../sim/board/printer.ts';
import { SeededEntropy } from '../../../sim/board/entropy.ts';
import { CutFlash } from '../store/cut-flash.ts';
import { storeDocument, testPage } from './helpers.ts';
import { readText } from './ocr.ts';

function settings(receptionList = 'senders') {
  const s = validateSettings({
    station: { name: 'Office 3', ident: '+49 30 1234567' },
    panel: { receptionList },
    boxes: [{ number: '12', owner: 'ann@example.com', code: '4711', protection: 'text', delivery: { mode: 'time', time: '17:30' } }],
  }).settings!;
  prepareBoxes(s, new SeededEntropy('r'));
  return s;
}

test('the font has 95 distinct glyphs, all but the space with ink', () => {
  const seen = new Set<string>();
  for (let c = 0x20; c <= 0x7e; c++) {
    const g = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((y) => glyphRow(c, y)).join(','); // with the descender rows
    assert.ok(!seen.has(g), 'glyph ' + String.fromCharCode(c) + ' is a duplicate');
    seen.add(g);
    if (c !== 0x20) assert.ok(g !== '0,0,0,0,0,0,0,0,0', String.fromCharCode(c) + ' is blank');
  }
  assert.is(glyphRow(0x7f, 0), glyphRow(0x3f, 0), 'unknown prints as ?');
});

test('the confidential reception list prints box, time, sender and pages, never content', () => {
  const clock = new VirtualClock(Date.UTC(2026, 10, 25, 10, 0));
  const kernel = new Kernel(clock);
  const store = new Store(new CutFlash(4096, 32));
  store.mount();
  const printer = new SimPrinter(null);
  const sp = new Spooler(10, printer, store, PRINT_JOBS);
  kernel.add(sp);
  kernel.start();
  const id = storeDocument(store, [testPage(1728, 50, 1), testPage(1728, 50, 2)], '12');
  storeDocument(store, [testPage(1728, 50, 3)], '');
  const docs = store.documents().filter((d) => d.meta.box);
  const lines = confidentialList(docs, settings(), clock.wall() + 3600000, 3600000);
  sp.printReport('list', lines, null);
  clock.runFor(3000);
  assert.is(printer.pages.length, 1);
  const text = readText(printer.pages[0].rows);
  assert.is(text[0], 'CONFIDENTIAL RECEPTION LIST');
  assert.match(text[1], /Office 3  \+49 30 1234567   printed 2026-11-25 11:00/);
  const row = text.find((l) => l.startsWith('12 '))!;
  assert.ok(row, text.join('\n'));
  assert.match(row, /^12\s+2026-11-25 10:30\s+\+1 555 0100\s+2  WAITING$/);
  assert.ok(text.some((l) => l.startsWith('1 document(s) waiting')));
  assert.is(text.filter((l) => /^\d+\s{2,}/.test(l)).length, 1, 'only the box line');
  void id;
});

test('by default the reception list names boxes and counts only: no sender, no time', () => {
  const store = new Store(new CutFlash(4096, 32));
  store.mount();
  storeDocument(store, [testPage(1728, 50, 1)], '12');
  storeDocument(store, [testPage(1728, 50, 2)], '12');
  const docs = store.documents().filter((d) => d.meta.box);
  const lines = confidentialList(docs, settings('count'), Date.UTC(2026, 10, 25, 11, 0), 0);
  const text = lines.join('\n');
  assert.ok(lines.some((l) => /^12\s+2$/.test(l)), text);
  assert.not.match(text, /555 0100|10:30/);
});

test('journal and settings list: attempts and calls listed, no pass code or hash anywhere', () => {
  const s = settings();
  const store = new Store(new CutFlash(1024, 16));
  store.mount();
  const t = Date.UTC(2026, 10, 25, 9, 5);
  journalAdd(store, { t, kind: 'call', dir: 'rx', remote: '+1 555 0100', pages: 3, result: 'ok', box: '12' });
  journalAdd(store, { t, kind: 'code', box: '12', src: 'panel', result: 'wrong' });
  journalAdd(store, { t, kind: 'refused', sub: '7', remote: 'X', reason: 'wrong password' });
  const j = callJournal(journalEntries(store), s, t, 0);
  assert.match(j.join('\n'), /2026-11-25 09:05\s+RECV  \+1 555 0100\s+3  BOX 12 ok/);
  assert.match(j.join('\n'), /CODE  box 12 \(panel\)\s+wrong/);
  assert.match(j.join('\n'), /REFUSE/);
  const sl = settingsList(s, t).join('\n');
  assert.match(sl, /12\s+mail:ann@example.com\s+text only\s+daily 17:30\s+set/);
  const box = (s.boxes as { codeHash: string; codeSalt: string }[])[0];
  assert.not.ok(sl.includes(box.codeHash) || sl.includes(box.codeSalt) || sl.includes('4711'));
});

test('long reports are paginated and long lines wrapped', () => {
  const p = paginate(['x'.repeat(200)].concat(Array.from({ length: 90 }, (_, i) => 'l' + i)));
  assert.is(p.length, 2);
  assert.is(p[0][0].length, 90);
  assert.is(p[0][2], 'x'.repeat(20));
});

test.run();
