// The store's capacity (#15): the default 1 MiB store takes one 10-page fax of typed text but not
// a second one (memory full part way), a board with a larger flash (the simulator's
// --flash-size) takes both; the room the panel shows (arrow key at the idle screen, Status)
// grows with the flash and shrinks as pages arrive. Pages: dense typed text rendered by
// ghostscript at fine resolution (scripts/fax/dense-pages.ts), sent in MR by a remote machine on
// the emulated line to confidential box 12 (kept in the store until its owner prints or fetches).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSession } from '../../../sim/session.ts';
import type { Session } from '../../../sim/session.ts';
import { validateSettings } from '../../../firmware/app/settings.ts';
import { denseTextPages } from '../../../scripts/fax/dense-pages.ts';
import type { Bitmap } from '../../../host/image/bitmap.ts';
import { settingsJson, T0, runCall, keys } from './helpers.ts';

const letter: Bitmap[] = denseTextPages(10).map((p) => ({ width: p.width, height: p.height, xDpi: 204, yDpi: 196, data: p.rows }));

function boot(flashSectors?: number, storeMaxDocuments?: number): Session {
  const r = validateSettings(settingsJson());
  if (!r.settings) throw new Error(r.errors.join('; '));
  return startSession({ settings: r.settings, wallStart: T0, seed: 'capacity', dataDir: null, flashSectors, storeMaxDocuments });
}

/** What the panel shows for the memory: an arrow key at the idle screen. */
function roomShown(s: Session): { free: number; total: number; line0: string } {
  keys(s, 'UP');
  const m = /^Room ~(\d+) of (\d+) pages\s*$/.exec(s.sim.lcd.lines[1]);
  assert.ok(m, 'memory screen: ' + s.sim.lcd.lines.join('|'));
  const out = { free: Number(m![1]), total: Number(m![2]), line0: s.sim.lcd.lines[0] };
  s.runFor(5000); // back to the idle screen
  assert.match(s.sim.lcd.lines[1], /^MEM \d+%  CONF \d+\s*$/, 'the idle line is unchanged');
  return out;
}

function receiveLetter(s: Session): string {
  const calls = s.app.callsEnded;
  s.remoteSends(letter, { sub: '12', coding: 'MR' });
  runCall(s, 3600000);
  assert.is(s.app.callsEnded, calls + 1, 'the call ended');
  const docs = s.app.store.documents();
  return docs[docs.length - 1].result + ' ' + docs[docs.length - 1].pages;
}

test('the default 1 MB store: one 10-page letter fits, a second ends memory full part way', () => {
  const s = boot();
  const empty = roomShown(s);
  assert.match(empty.line0, /^Memory 1 MB 0% used/);
  assert.is(empty.total, 17);
  assert.ok(empty.free >= 16 && empty.free <= empty.total, String(empty.free));
  assert.is(receiveLetter(s), 'ok 10');
  const after1 = roomShown(s);
  assert.ok(after1.free < empty.free - 8 && after1.free > 0, `room after one letter: ${after1.free}`);
  const second = receiveLetter(s);
  assert.match(second, /^memory.full \d$/, 'the second letter does not fit: ' + second);
  assert.ok(s.app.store.isFull());
  assert.match(s.sim.lcd.lines[1], /^MEMORY FULL/);
});

test('a 4 MB flash (sim --flash-size 4M) takes both letters, and shows four times the room', () => {
  const s = boot(1024);
  const empty = roomShown(s);
  assert.match(empty.line0, /^Memory 4 MB 0% used/);
  assert.ok(empty.total >= 4 * 17 && empty.total <= 4 * 17 + 2, String(empty.total));
  assert.is(receiveLetter(s), 'ok 10');
  assert.is(receiveLetter(s), 'ok 10');
  const docs = s.app.store.documents();
  assert.is(docs.reduce((n, d) => n + d.pages, 0), 20);
  const after = roomShown(s);
  assert.ok(after.free < empty.free - 16 && after.free > 30, `room after two letters: ${after.free} of ${after.total}`);
  assert.not.ok(s.app.store.isFull());
  // The Status menu's memory page says the same.
  keys(s, 'MENU OK UP');
  assert.is(s.sim.lcd.lines[1].trim(), `Room ~${after.free} of ${after.total} pages`);
});

test('a board that keeps at most 2 documents (its RAM): a third fax is refused as on a full memory, and fits once one is deleted', () => {
  const s = boot(undefined, 2);
  const short = letter.slice(0, 1);
  for (let n = 1; n <= 2; n++) {
    s.remoteSends(short, { sub: '12', coding: 'MR' });
    runCall(s, 3600000);
    assert.is(s.app.store.documents().length, n);
  }
  assert.ok(s.app.store.isFull());
  assert.match(s.sim.lcd.lines[1], /^MEMORY FULL/);
  keys(s, 'UP');
  assert.match(s.sim.lcd.lines[1], /^Room ~0 of 17 pages/, 'no room at the cap, though the flash has some');
  s.runFor(5000);
  const third = s.remoteSends(short, { sub: '12', coding: 'MR' });
  runCall(s, 3600000);
  assert.is(s.app.store.documents().length, 2, 'the two kept are still there, nothing more');
  assert.is(third.result.status, 'failed', 'the sender is told: ' + JSON.stringify(third.result));
  assert.is(third.result.pages, 0);
  assert.match(s.app.store.journal().slice(-1)[0].text, /memory full/i);
  // One fetched or deleted (here: deleted from the store), and the next fax is taken.
  assert.ok(s.app.store.deleteDocument(s.app.store.documents()[0].id));
  assert.not.ok(s.app.store.isFull());
  s.remoteSends(short, { sub: '12', coding: 'MR' });
  runCall(s, 3600000);
  assert.is(s.app.store.documents().length, 2);
  assert.is(s.app.store.documents()[1].result, 'ok');
});

test.run();
