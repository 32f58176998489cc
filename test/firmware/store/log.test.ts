// firmware/store/log.ts: which sector a compaction reclaims. The most garbage first; between
// sectors with equal garbage the older one (the lower sequence number in its header), whatever
// their places on the flash. The log no longer keeps every sector's sequence number in memory
// (1 KB on the board); the tie-break reads it from the headers. Erase counts are kept in 16 bits
// above the least count found at mount: a worn chip's counts past 65,535 carry on in new headers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RecordLog } from '../../../firmware/store/log.ts';
import type { LogIndex } from '../../../firmware/store/log.ts';
import { crc32 } from '../../../firmware/store/crc32.ts';
import { CutFlash } from './cut-flash.ts';
import { SECTOR_MAGIC, rd32, wr16, wr32 } from '../../../firmware/store/layout.ts';

function rig() {
  const flash = new CutFlash(256, 6);
  const live = new Set<number>();
  const reclaimed: number[] = [];
  const ix: LogIndex = {
    clear: () => live.clear(),
    apply: (_t, _k, addr) => void live.add(addr),
    isLive: (_t, _k, addr) => live.has(addr),
    reclaimed: (v) => void reclaimed.push(v),
  };
  const log = new RecordLog(flash, { reserveBulk: 0, verifyAll: false, crc: (d) => crc32(d, 0, d.length) });
  log.attach([1], ix);
  log.scan();
  const bySector = new Map<number, number[]>();
  let key = 0;
  const put = (): number => {
    const addr = log.append(1, ++key, new Uint8Array(40).fill(key), 'meta');
    assert.ok(addr >= 0, 'appended');
    const s = log.sectorOf(addr);
    if (!bySector.has(s)) bySector.set(s, []);
    bySector.get(s)!.push(addr);
    return s;
  };
  const killSector = (s: number): void => {
    for (const a of bySector.get(s) || []) {
      log.kill(a);
      live.delete(a);
    }
    bySector.delete(s);
  };
  return { flash, log, put, killSector, reclaimed, bySector };
}

/** Append until the head leaves sector `s` (it is full). */
function fill(r: ReturnType<typeof rig>, until: (s: number) => boolean): number {
  for (let i = 0; i < 100; i++) {
    const s = r.put();
    if (until(s)) return s;
  }
  throw new Error('never got there');
}

test('equal garbage: the older sector is reclaimed, also when it lies after the newer one on the flash', () => {
  const r = rig();
  // sectors 0, 1, 2 in that order
  fill(r, (s) => s === 2);
  // sector 0 emptied and reclaimed: it is free again (and, as worn as the blank ones, taken next)
  r.killSector(0);
  assert.ok(r.log.compactOnce());
  assert.equal(r.reclaimed, [0]);
  const reused = fill(r, (s) => s !== 2);
  assert.is(reused, 0, 'the freed sector 0 became the head after sector 2');
  fill(r, (s) => s !== 0);
  // sector 1 (written second) and sector 0 (written fourth) with nothing live: equal garbage
  r.killSector(1);
  r.killSector(0);
  r.reclaimed.length = 0;
  assert.ok(r.log.compactOnce());
  assert.equal(r.reclaimed, [1], 'the older of the two, not the first on the flash');
  assert.ok(r.log.compactOnce());
  assert.equal(r.reclaimed, [1, 0]);
});

test('more garbage wins over age; a mount keeps the order (sequence numbers from the headers)', () => {
  const r = rig();
  fill(r, (s) => s === 3);
  // sector 0 half dead, sector 1 all dead: sector 1 first although sector 0 is older
  const zero = r.bySector.get(0)!;
  r.log.kill(zero[0]);
  r.log.kill(zero[1]);
  r.killSector(1);
  assert.ok(r.log.compactOnce());
  assert.equal(r.reclaimed, [1]);
  // a fresh log over the same flash finds the same records and sectors
  const again = new RecordLog(r.flash, { reserveBulk: 0, verifyAll: false, crc: (d) => crc32(d, 0, d.length) });
  const seen: number[] = [];
  again.attach([1], { clear() {}, apply: (_t, k) => void seen.push(k), isLive: () => true, reclaimed() {} });
  const m = again.scan();
  assert.is(m.sectors, 3, 'sectors 0, 2 and 3 in use');
  assert.equal(seen, [...seen].sort((a, b) => a - b), 'records replayed oldest first');
});

test('erase counts past 16 bits (a worn chip): a new sector header carries the count on, not one from zero', () => {
  const r = rig();
  fill(r, (s) => s === 2);
  // As if the chip had been erased 70,000 times per sector: every written header says so.
  for (let s = 0; s < 6; s++) {
    const h = r.flash.mem.subarray(s * 256, s * 256 + 14);
    if (rd32(h, 0) !== SECTOR_MAGIC) continue;
    wr32(h, 8, rd32(h, 8) + 70000);
    wr16(h, 12, crc32(h, 0, 12) & 0xffff);
  }
  const again = new RecordLog(r.flash, { reserveBulk: 0, verifyAll: false, crc: (d) => crc32(d, 0, d.length) });
  again.attach([1], { clear() {}, apply() {}, isLive: () => true, reclaimed() {} });
  assert.is(again.scan().sectors, 3);
  const counts = (): number[] => [0, 1, 2, 3, 4, 5].map((s) => (rd32(r.flash.mem, s * 256) === SECTOR_MAGIC ? rd32(r.flash.mem, s * 256 + 8) : -1));
  const before = counts();
  for (let i = 0; i < 12; i++) again.append(1, 100 + i, new Uint8Array(40), 'meta');
  const after = counts();
  const fresh = after.filter((c, s) => before[s] === -1 && c !== -1);
  assert.ok(fresh.length > 0, 'a new sector was opened: ' + after);
  for (const c of fresh) assert.ok(c >= 70000 && c <= 70002, 'its header says ' + c + ' erases');
});

test.run();
