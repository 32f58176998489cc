// The log engine: records appended to the flash sectors (format in layout.ts), scanned back at
// mount, reclaimed by compaction, spread over the sectors by wear. It knows records only by
// type, key and payload; what they mean belongs to the indexes attached to it (settings-index,
// journal-index, document-index, …), which tell it which records are still live.
//
// Records are only ever appended to the head sector; a sector whose records are all superseded
// or deleted is reclaimed by compaction (its live records are copied to the head verbatim, then
// the sector is marked obsolete and later erased for reuse). Every record is checked by CRC.
// Mount rebuilds the indexes from a scan, so a power cut at any write leaves either the old or
// the new state.
//
// Space classes: bulk data (document pages) may not use the last `reserveBulk` free sectors,
// small records (settings, journal, document metadata) not the last one, compaction may use all:
// a full log refuses bulk data but can still save a setting, journal a call, and delete.
import type { Flash } from '../../hal/flash.ts';
import { crc32 } from './crc32.ts';
import { OBSOLETE_OFFSET, REC, RECORD_HEADER, SECTOR_HEADER, SECTOR_MAGIC, align4, allFF, rd16, rd32, wr16, wr32 } from './layout.ts';

/** The log's own record type: a bridge over bad bytes (layout.ts). */
const REC_BRIDGE = REC.BRIDGE;

export type SpaceClass = 'bulk' | 'meta' | 'gc';

/**
 * What an index of the log does. The log calls apply() for every record that exists (found by
 * the mount scan, appended, or copied by compaction), and isLive() for every record in a sector
 * it reclaims: a live record is copied to the head, the rest is dropped.
 */
export interface LogIndex {
  /** Forget everything (a mount is about to scan). */
  clear(): void;
  /** A record of one of this index's types now exists at `addr` (`size`: header, payload, padding). */
  apply(type: number, key: number, addr: number, payload: Uint8Array, size: number): void;
  /** Is the record at `addr` (in sector `victim`, about to be reclaimed) still needed? */
  isLive(type: number, key: number, addr: number, payload: Uint8Array, victim: number): boolean;
  /** Sector `victim` was reclaimed (its live records copied elsewhere). */
  reclaimed(victim: number): void;
}

export interface LogOptions {
  /** Free sectors bulk data may not use. */
  reserveBulk: number;
  /** Check every record's payload CRC at mount, not only the newest record. */
  verifyAll: boolean;
  /** CRC-32 of a whole buffer (the store's hot loops are CRCs). */
  crc: (data: Uint8Array) => number;
}

export interface ScanReport {
  /** Sectors in use. */
  sectors: number;
  /** Sectors whose last record was torn (a power cut) or whose free tail was not blank. */
  tornSectors: number;
}

const FREE = 0;
const ACTIVE = 1;
const BAD = 2;
/** Compaction is not worth it for less garbage than this. */
export const MIN_GARBAGE = 64;
/** Static wear spreading: move a sector's data when its erase count lags the most worn by this. */
const WEAR_GAP = 64;
/** An erase count not known (`erases`). */
const UNKNOWN = 0xffff;

export class RecordLog {
  readonly sectorSize: number;
  readonly sectorCount: number;
  readonly reserveBulk: number;
  readonly verifyAll: boolean;
  /** CRC-32 of a whole buffer (LogOptions.crc). */
  readonly crcOf: (data: Uint8Array) => number;
  /** Payload CRC of the record the last append() wrote (the page check chains them). */
  lastCrc = 0;
  /** Changes with every record written or dropped (and at mount): callers cache what they derive by it. */
  version = 0;
  /** Counters since construction (bench, tests). */
  compactions = 0;
  erasures = 0;

  private state: Uint8Array;
  /**
   * Each sector's erase count less `wearBase` (the least count found at mount), UNKNOWN where the
   * header is blank or torn. 16 bits hold it: static wear spreading keeps the counts within
   * WEAR_GAP of each other, and one boot would need 65,535 erases of one sector beyond the least
   * worn to overflow (it then stays at the top). Half the memory of 32-bit counts on the board.
   */
  private erases: Uint16Array;
  private wearBase = 0;
  // Bytes per sector: 16 bits while a sector is at most 64 KB (~75 variables less on the board
  // for 256 sectors), 32 bits beyond.
  private used: Uint16Array | Int32Array;
  private live: Uint16Array | Int32Array;
  private head = -1;
  private maxSeq = 0;
  private freeCount = 0;
  /**
   * The index of each record type (by type byte): 1 + its place in `indexes`, 0 where no index
   * takes it. Bytes, not a 256-element array: on the board each array element is a variable.
   */
  private byType = new Uint8Array(256);
  private indexes: LogIndex[] = [];

  constructor(readonly flash: Flash, o: LogOptions) {
    this.sectorSize = flash.sectorSize;
    this.sectorCount = flash.sectorCount;
    this.reserveBulk = o.reserveBulk;
    this.verifyAll = o.verifyAll;
    this.crcOf = o.crc;
    if (this.sectorCount < this.reserveBulk + 2) throw new Error('store: needs at least ' + (this.reserveBulk + 2) + ' sectors');
    this.state = new Uint8Array(this.sectorCount);
    this.erases = new Uint16Array(this.sectorCount);
    this.used = this.sectorSize < 65536 ? new Uint16Array(this.sectorCount) : new Int32Array(this.sectorCount);
    this.live = this.sectorSize < 65536 ? new Uint16Array(this.sectorCount) : new Int32Array(this.sectorCount);
  }

  private indexOf(type: number): LogIndex | null {
    const k = this.byType[type];
    return k ? this.indexes[k - 1] : null;
  }

  /** Give the records of these types to `index` (before mount). */
  attach(types: number[], index: LogIndex): void {
    for (let i = 0; i < types.length; i++) {
      if (this.byType[types[i]]) throw new Error('store: record type ' + types[i] + ' has an index already');
      this.byType[types[i]] = this.indexes.length + 1;
    }
    this.indexes.push(index);
  }

  // ---- mount ------------------------------------------------------------------------------

  /** Scan the flash and rebuild every index. Safe after a power cut at any point. */
  scan(): ScanReport {
    const n = this.sectorCount;
    for (let i = 0; i < this.indexes.length; i++) this.indexes[i].clear();
    this.head = -1;
    this.maxSeq = 0;
    this.freeCount = 0;
    this.version++;
    const order: number[] = [];
    // Each sector's sequence number orders the mount; afterwards only a compaction's tie-break
    // needs one, and reads it from the sector's header (`pickVictim`): 1 KB less held on the board.
    const seqs = new Int32Array(n);
    const wear = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      const h = this.flash.read(s * this.sectorSize, SECTOR_HEADER);
      this.live[s] = 0;
      this.used[s] = this.sectorSize;
      if (rd32(h, 0) === SECTOR_MAGIC && (crc32(h, 0, 12) & 0xffff) === rd16(h, 12)) {
        wear[s] = rd32(h, 8);
        seqs[s] = rd32(h, 4);
        if (seqs[s] > this.maxSeq) this.maxSeq = seqs[s];
        if (h[OBSOLETE_OFFSET] === 0xff) {
          this.state[s] = ACTIVE;
          order.push(s);
          continue;
        }
      } else wear[s] = -1; // blank, or an erase/header write that a power cut interrupted
      this.state[s] = FREE;
      this.freeCount++;
    }
    this.wearBase = -1;
    for (let s = 0; s < n; s++) if (wear[s] >= 0 && (this.wearBase < 0 || wear[s] < this.wearBase)) this.wearBase = wear[s];
    if (this.wearBase < 0) this.wearBase = 0;
    for (let s = 0; s < n; s++) this.erases[s] = wear[s] < 0 ? UNKNOWN : Math.min(wear[s] - this.wearBase, UNKNOWN - 1);
    order.sort(function (a, b) {
      return seqs[a] - seqs[b];
    });
    let torn = 0;
    for (let i = 0; i < order.length; i++) {
      const newest = i === order.length - 1;
      const bad = this.scanSector(order[i], newest);
      if (bad < 0) continue;
      torn++;
      if (newest) this.bridge(order[i], bad);
    }
    if (order.length) {
      const last = order[order.length - 1];
      if (this.used[last] < this.sectorSize) this.head = last;
    }
    return { sectors: order.length, tornSectors: torn };
  }

  /** Does a valid record header (and a record that fits the sector) start at `off`? */
  private headerAt(buf: Uint8Array, off: number): boolean {
    if (off + RECORD_HEADER > this.sectorSize || allFF(buf, off, off + 4)) return false;
    return this.crcOf(buf.subarray(off, off + 8)) === rd32(buf, off + 8) && off + RECORD_HEADER + align4(rd16(buf, off + 2)) <= this.sectorSize;
  }

  /**
   * The offset of the BRIDGE that spans the bad bytes at `bad` (layout.ts), or -1. A bridge
   * counts only with the bad offset as its key and the CRC of exactly the bytes in between, so
   * a record-like pattern inside a torn page (bytes a caller sent) cannot pass for one.
   */
  private bridgeFrom(buf: Uint8Array, bad: number): number {
    for (let q = bad + 4; q + RECORD_HEADER + 4 <= this.sectorSize; q += 4) {
      if (buf[q] !== REC_BRIDGE || rd16(buf, q + 2) !== 4 || rd32(buf, q + 4) !== bad) continue;
      if (!this.headerAt(buf, q) || this.crcOf(buf.subarray(q + RECORD_HEADER, q + RECORD_HEADER + 4)) !== rd32(buf, q + 12)) continue;
      if (rd32(buf, q + RECORD_HEADER) === crc32(buf, bad, q)) return q;
    }
    return -1;
  }

  /**
   * Index one sector's records; returns -1, or the offset of the bad record (or non-blank
   * "blank" tail) no bridge spans, where the sector's records end. Only the newest record of the
   * whole log can be torn by a power cut (nothing is written after a cut until this mount), so
   * only the newest sector's last record has its payload CRC checked here (verifyAll: every
   * record). A torn one gets its type byte cleared, which breaks its header check: later mounts
   * do not trust its length.
   */
  private scanSector(s: number, newest: boolean): number {
    const size = this.sectorSize;
    const base = s * size;
    const buf = this.flash.read(base, size);
    let off = SECTOR_HEADER;
    let bad = -1;
    while (off + RECORD_HEADER <= size) {
      // The blank tail: appends go on here (in the newest sector).
      if (allFF(buf, off, off + 4) && allFF(buf, off, size)) break;
      let good = this.headerAt(buf, off);
      const len = rd16(buf, off + 2);
      const next = off + RECORD_HEADER + align4(len);
      if (good) {
        const last = newest && (next + RECORD_HEADER > size || allFF(buf, next, next + 4));
        if ((this.verifyAll || last) && this.crcOf(buf.subarray(off + RECORD_HEADER, off + RECORD_HEADER + len)) !== rd32(buf, off + 12)) {
          good = false;
          if (last) {
            this.flash.program(base + off, new Uint8Array([0]));
            buf[off] = 0;
          }
        }
      }
      if (!good) {
        const q = this.bridgeFrom(buf, off);
        if (q >= 0) {
          off = q;
          continue;
        }
        bad = off;
        break;
      }
      this.apply(buf[off], rd32(buf, off + 4), base + off, buf.subarray(off + RECORD_HEADER, off + RECORD_HEADER + len), next - off);
      off = next;
    }
    if (off + RECORD_HEADER > size && off < size && !allFF(buf, off, size)) bad = off;
    this.used[s] = bad < 0 ? off : size;
    return bad;
  }

  /**
   * The newest sector ends in bad bytes at `bad` (a power cut tore its last record): write a
   * BRIDGE where its blank tail begins, so appends go on in this sector. Without it the sector
   * would be closed, and when it was the last free one nothing could ever be compacted again.
   */
  private bridge(s: number, bad: number): void {
    const size = this.sectorSize;
    const base = s * size;
    const buf = this.flash.read(base, size);
    let end = size;
    while (end > bad && buf[end - 1] === 0xff) end--;
    end = align4(end > bad ? end : bad + 4);
    const rec = new Uint8Array(RECORD_HEADER + 4);
    if (end + rec.length > size) return;
    const span = new Uint8Array(4);
    wr32(span, 0, crc32(buf, bad, end));
    rec[0] = REC_BRIDGE;
    rec[1] = 0xff;
    wr16(rec, 2, 4);
    wr32(rec, 4, bad);
    wr32(rec, 8, crc32(rec, 0, 8));
    wr32(rec, 12, this.crcOf(span));
    rec.set(span, RECORD_HEADER);
    this.flash.program(base + end, rec);
    const back = this.flash.read(base + end, rec.length);
    for (let i = 0; i < rec.length; i++) if (back[i] !== rec[i]) return;
    this.used[s] = end + rec.length;
  }

  /** A record now exists at `addr`: count it live and hand it to its index. */
  private apply(type: number, key: number, addr: number, p: Uint8Array, size: number): void {
    this.version++;
    this.live[this.sectorOf(addr)] += size;
    const ix = this.indexOf(type);
    if (ix) ix.apply(type, key, addr, p, size);
    else this.kill(addr); // a type this firmware does not know: kept out of the indexes, reclaimed
  }

  // ---- for the indexes --------------------------------------------------------------------

  sectorOf(addr: number): number {
    return Math.floor(addr / this.sectorSize);
  }

  /** A record stopped being live (superseded, deleted): take its size off its sector's live bytes. */
  kill(addr: number): void {
    if (addr < 0) return;
    this.version++;
    const h = this.flash.read(addr, 4);
    this.live[this.sectorOf(addr)] -= RECORD_HEADER + align4(rd16(h, 2));
  }

  /** The payload of the record at `addr`, or null when its header or payload check fails. */
  payload(addr: number): Uint8Array | null {
    const h = this.flash.read(addr, RECORD_HEADER);
    if (crc32(h, 0, 8) !== rd32(h, 8)) return null;
    const p = this.flash.read(addr + RECORD_HEADER, rd16(h, 2));
    return this.crcOf(p) === rd32(h, 12) ? p : null;
  }

  // ---- appending ----------------------------------------------------------------------------

  /** The largest payload a record can have (a record never spans sectors). */
  maxPayload(): number {
    return this.sectorSize - SECTOR_HEADER - RECORD_HEADER;
  }

  /** Payload bytes that still fit in the head sector (0 when there is no head). */
  headRoom(): number {
    if (this.head < 0) return 0;
    const r = this.sectorSize - this.used[this.head] - RECORD_HEADER;
    return r > 0 ? r : 0;
  }

  /** Append a record; its address, or -1 when its space class has no room left. */
  append(type: number, key: number, payload: Uint8Array, cls: SpaceClass): number {
    const len = payload.length;
    if (RECORD_HEADER + len + SECTOR_HEADER > this.sectorSize) throw new Error('store: record of ' + len + ' bytes is larger than a sector');
    const rec = new Uint8Array(RECORD_HEADER + len);
    rec[0] = type;
    rec[1] = 0xff;
    wr16(rec, 2, len);
    wr32(rec, 4, key);
    wr32(rec, 8, crc32(rec, 0, 8));
    const pcrc = this.crcOf(payload);
    wr32(rec, 12, pcrc);
    this.lastCrc = pcrc;
    rec.set(payload, RECORD_HEADER);
    const addr = this.appendRaw(rec, cls);
    if (addr >= 0) this.apply(type, key, addr, payload, RECORD_HEADER + align4(len));
    return addr;
  }

  /** Program a finished record into the head (read back to catch worn cells). */
  private appendRaw(rec: Uint8Array, cls: SpaceClass): number {
    const size = align4(rec.length);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!this.ensureRoom(size, cls)) return -1;
      const s = this.head;
      const addr = s * this.sectorSize + this.used[s];
      this.flash.program(addr, rec);
      // Read back: the header byte for byte, the payload by its CRC.
      const back = this.flash.read(addr, rec.length);
      let same = true;
      for (let i = 0; i < RECORD_HEADER; i++) {
        if (back[i] !== rec[i]) {
          same = false;
          break;
        }
      }
      if (same && this.crcOf(back.subarray(RECORD_HEADER)) !== rd32(rec, 12)) same = false;
      if (same) {
        this.used[s] += size;
        return addr;
      }
      // The cells did not take the data: break the record's header check so no mount reads it,
      // and this sector takes no more appends.
      this.flash.program(addr, new Uint8Array([0]));
      this.used[s] = this.sectorSize;
      this.head = -1;
    }
    return -1;
  }

  private reserveFor(cls: SpaceClass): number {
    return cls === 'bulk' ? this.reserveBulk : cls === 'meta' ? 1 : 0;
  }

  private ensureRoom(size: number, cls: SpaceClass): boolean {
    const reserve = this.reserveFor(cls);
    for (let guard = 0; guard < 2 * this.sectorCount + 4; guard++) {
      // A class writes into the head only while the free sectors it must leave are still free:
      // a head opened out of its reserve (by a class allowed to) is not its to fill. Otherwise a
      // tombstone's sector, once the head, took every later setting and page, the last free
      // sector was gone and nothing could be deleted or compacted any more (found by the
      // power-cut campaign: a full store refused every delete).
      if (this.head >= 0 && this.used[this.head] + size <= this.sectorSize && this.freeCount >= reserve) return true;
      if (this.freeCount > reserve) {
        this.allocate();
        continue;
      }
      // Bulk data only compacts sectors worth it (a quarter dead): near full, copying a whole
      // sector to win a few bytes would wear the flash for nothing.
      if (cls === 'gc' || !this.compactOnce(cls === 'bulk' ? this.bulkGarbage() : MIN_GARBAGE)) return false;
    }
    return false;
  }

  /** Erase the least worn free sector and open it as the new head. */
  private allocate(): void {
    let known = 0;
    let sum = 0;
    for (let s = 0; s < this.sectorCount; s++) {
      if (this.erases[s] !== UNKNOWN) {
        known++;
        sum += this.erases[s];
      }
    }
    const guess = known ? Math.floor(sum / known) : 0;
    let best = -1;
    let bestWear = 0;
    for (let s = 0; s < this.sectorCount; s++) {
      if (this.state[s] !== FREE) continue;
      const w = this.erases[s] !== UNKNOWN ? this.erases[s] : guess;
      if (best < 0 || w < bestWear) {
        best = s;
        bestWear = w;
      }
    }
    if (best < 0) return;
    if (this.head >= 0) this.used[this.head] = this.sectorSize; // the old head is closed
    this.head = -1;
    this.flash.erase(best);
    this.erasures++;
    this.erases[best] = Math.min(bestWear + 1, UNKNOWN - 1);
    this.freeCount--;
    const h = new Uint8Array(SECTOR_HEADER);
    h.fill(0xff);
    wr32(h, 0, SECTOR_MAGIC);
    wr32(h, 4, this.maxSeq + 1);
    wr32(h, 8, this.wearBase + bestWear + 1);
    wr16(h, 12, crc32(h, 0, 12) & 0xffff);
    this.flash.program(best * this.sectorSize, h);
    const back = this.flash.read(best * this.sectorSize, SECTOR_HEADER);
    for (let i = 0; i < SECTOR_HEADER; i++) {
      if (back[i] !== h[i]) {
        this.state[best] = BAD; // worn out: never used again this boot
        return;
      }
    }
    this.maxSeq++;
    this.state[best] = ACTIVE;
    this.used[best] = SECTOR_HEADER;
    this.live[best] = 0;
    this.head = best;
  }

  // ---- compaction ---------------------------------------------------------------------------

  /** Bytes a compaction of sector s would win back (dead records and unused tail). */
  private garbage(s: number): number {
    // The head's unused tail is free space, not garbage: only its dead records count.
    if (s === this.head) return this.used[s] - SECTOR_HEADER - this.live[s];
    return this.sectorSize - SECTOR_HEADER - this.live[s];
  }

  /** The garbage that makes a sector worth compacting for bulk data (a quarter of it). */
  bulkGarbage(): number {
    return (this.sectorSize - SECTOR_HEADER) >> 2;
  }

  private pickVictim(minGarbage: number): number {
    let best = -1;
    let bestSeq = -1;
    let mostWorn = 0;
    let leastWorn = -1;
    for (let s = 0; s < this.sectorCount; s++) {
      if (this.erases[s] !== UNKNOWN && this.erases[s] > mostWorn) mostWorn = this.erases[s];
      if (this.state[s] !== ACTIVE) continue;
      if (leastWorn < 0 || this.erases[s] < this.erases[leastWorn]) leastWorn = s;
      if (s === this.head && this.freeCount === 0) continue;
      const g = this.garbage(s);
      const gb = best < 0 ? -1 : this.garbage(best);
      if (g < gb) continue;
      // equal garbage: the older sector (lower sequence number, read from its header)
      if (g === gb) {
        if (bestSeq < 0) bestSeq = rd32(this.flash.read(best * this.sectorSize + 4, 4), 0);
        const q = rd32(this.flash.read(s * this.sectorSize + 4, 4), 0);
        if (q >= bestSeq) continue;
        bestSeq = q;
      } else bestSeq = -1;
      best = s;
    }
    // Static wear spreading: long-lived data pins its sector's erase count; move it now and then.
    if (leastWorn >= 0 && leastWorn !== this.head && mostWorn - this.erases[leastWorn] > WEAR_GAP) return leastWorn;
    if (best >= 0 && this.garbage(best) < minGarbage) return -1;
    return best;
  }

  /** Reclaim one sector. False when no sector has enough garbage or the copy would not fit. */
  compactOnce(minGarbage?: number): boolean {
    const v = this.pickVictim(minGarbage === undefined ? MIN_GARBAGE : minGarbage);
    if (v < 0) return false;
    const room = (this.head >= 0 && this.head !== v ? this.sectorSize - this.used[this.head] : 0) + this.freeCount * (this.sectorSize - SECTOR_HEADER);
    if (this.live[v] > room) return false;
    if (v === this.head) {
      this.used[v] = this.sectorSize;
      this.head = -1;
    }
    this.compactions++;
    const size = this.sectorSize;
    const base = v * size;
    const buf = this.flash.read(base, size);
    let off = SECTOR_HEADER;
    while (off + RECORD_HEADER <= size) {
      if (allFF(buf, off, off + 4) && allFF(buf, off, size)) break;
      if (!this.headerAt(buf, off)) {
        off = this.bridgeFrom(buf, off);
        if (off < 0) break;
        continue;
      }
      const len = rd16(buf, off + 2);
      const recSize = RECORD_HEADER + align4(len);
      const type = buf[off];
      const key = rd32(buf, off + 4);
      const payload = buf.subarray(off + RECORD_HEADER, off + RECORD_HEADER + len);
      const ix = this.indexOf(type);
      if (ix && ix.isLive(type, key, base + off, payload, v)) {
        // Copied verbatim, CRCs included: damage stays detectable.
        const addr = this.appendRaw(buf.subarray(off, off + RECORD_HEADER + len), 'gc');
        if (addr < 0) throw new Error('store: compaction ran out of room');
        this.apply(type, key, addr, payload, recSize);
      }
      off += recSize;
    }
    for (let i = 0; i < this.indexes.length; i++) this.indexes[i].reclaimed(v);
    // Everything live is now elsewhere: the sector is obsolete, and free for the next erase.
    this.flash.program(base + OBSOLETE_OFFSET, new Uint8Array([0]));
    this.state[v] = FREE;
    this.live[v] = 0;
    this.used[v] = size;
    this.freeCount++;
    return true;
  }

  /** Background upkeep: one compaction when free sectors run low. True when it did one. */
  maintain(): boolean {
    if (this.freeCount > this.reserveBulk + 1) return false;
    return this.compactOnce(this.bulkGarbage());
  }

  // ---- space ------------------------------------------------------------------------------

  /** Bytes of live records, and the capacity bulk data may fill. */
  usage(): { live: number; capacity: number; percent: number; freeSectors: number } {
    let live = 0;
    for (let s = 0; s < this.sectorCount; s++) if (this.state[s] === ACTIVE) live += this.live[s];
    const capacity = (this.sectorCount - this.reserveBulk) * (this.sectorSize - SECTOR_HEADER);
    const pct = Math.min(100, Math.round((100 * live) / capacity));
    return { live: live, capacity: capacity, percent: pct, freeSectors: this.freeCount };
  }

  /** Bytes of bulk data that can still be written (free sectors, head room, reclaimable garbage). */
  available(): number {
    const usable = this.sectorSize - SECTOR_HEADER;
    let n = this.freeCount >= this.reserveBulk ? this.headRoom() : 0;
    const spare = this.freeCount - this.reserveBulk;
    if (spare > 0) n += spare * usable;
    for (let s = 0; s < this.sectorCount; s++) {
      if (this.state[s] === ACTIVE && s !== this.head && this.garbage(s) >= this.bulkGarbage()) n += this.garbage(s);
    }
    return n;
  }
}
