// Power cuts during a real reception on the simulated appliance: a remote sends two pages to
// box 12; the board's flash loses power at write N (the write in progress lands partly), the
// appliance boots again on the same flash image. Every page the remote saw confirmed (MCF) must
// be in box 12, pixel for pixel; nothing half-written shows; the settings (box 12's code)
// survive. Cut points spread over every write of the reception.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { T4Decoder } from '../../../firmware/fax/t4/index.ts';
import { saveStoredSettings } from '../../../firmware/store/index.ts';
import type { Store } from '../../../firmware/store/index.ts';
import { boot, dataDir, page } from './helpers.ts';

const SENT = [page(21, 260), page(22, 200)];

function rand(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

function decoded(store: Store, id: number, p: number): Uint8Array | string {
  const rd = store.readPage(id, p)!;
  const params = store.pageParams(id, p)!;
  const rows: Uint8Array[] = [];
  const d = new T4Decoder({ coding: params.coding as 'mh', width: params.width, bitOrder: 'lsb-first', onRow: (r) => rows.push(r.slice()) });
  for (let c = rd.next(); c; c = rd.next()) d.push(c);
  d.end();
  if (rd.error) return rd.error;
  const out = new Uint8Array(rows.length * 216);
  rows.forEach((r, i) => out.set(r, i * 216));
  return out;
}

/** One run: returns [writes the reception made, pages the remote saw confirmed]. */
function run(cutAt: number, seed: number): { writes: number; confirmed: number; dir: string } {
  const dir = dataDir();
  const s = boot(dir);
  s.runFor(100);
  // A setting changed at the panel before the call: kept in the store.
  s.app.settings.fax.unknownSub = 'refuse';
  assert.ok(saveStoredSettings(s.app.store, s.app.settings));
  const flash = s.sim.flash;
  const w0 = flash.writes;
  if (cutAt >= 0) flash.cutPowerAtWrite(cutAt, rand(seed));
  const remote = s.remoteSends(SENT, { sub: '12', ident: '+1 555 0100' });
  const clock = s.sim.virtual!;
  const end = clock.now() + 300000;
  while (!flash.isDead() && s.app.callsEnded === 0 && clock.now() < end) clock.step();
  const writes = flash.writes - w0;
  const confirmed = remote.result.pages;
  flash.close();
  return { writes, confirmed, dir };
}

test('power cut at writes spread over a whole reception: confirmed pages are whole after the reboot', () => {
  const dry = run(-1, 0);
  assert.is(dry.confirmed, 2);
  assert.ok(dry.writes > 20, 'writes ' + dry.writes);
  const step = Math.max(1, Math.floor(dry.writes / 40));
  let runs = 0;
  let withPages = 0;
  for (let k = 0; k < dry.writes; k += step) {
    const r = run(k, k + 1);
    const t = boot(r.dir);
    t.runFor(1000);
    const docs = t.app.store.documents();
    const where = 'cut at write ' + k + ' of ' + dry.writes;
    assert.ok(docs.length <= 1, where);
    const d = docs[0];
    const pages = d ? d.pages : 0;
    assert.ok(pages >= r.confirmed, where + ': ' + r.confirmed + ' confirmed, ' + pages + ' kept');
    if (d) {
      assert.is(d.meta.box, '12', where);
      for (let p = 0; p < pages; p++) {
        const got = decoded(t.app.store, d.id, p);
        assert.ok(got instanceof Uint8Array, where + ': ' + got);
        assert.ok(Buffer.compare(Buffer.from(got as Uint8Array), Buffer.from(SENT[p].data)) === 0, where + ': page ' + (p + 1) + ' differs');
      }
      withPages++;
    }
    assert.is(t.app.settings.fax.unknownSub, 'refuse', where + ': settings intact');
    assert.is(t.app.mailbox.tryCode('12', '4711', 'panel').result, 'ok', where);
    t.sim.flash.close();
    runs++;
  }
  assert.ok(runs >= 20, 'runs ' + runs);
  assert.ok(withPages > 0 && withPages < runs, 'cuts both before and after the first commit (' + withPages + ' of ' + runs + ')');
});

test.run();
