// The flash record store: a log over the flash sectors (format in layout.ts). Records are only
// ever appended to the head sector; a sector whose records are all superseded or deleted is
// reclaimed by compaction (its live records are copied to the head verbatim, then the sector is
// marked obsolete and later erased for reuse). Every record is checked by CRC, and a document
// only exists once its DOC_OPEN is written; a page once its PAGE_END (the page's commit, written
// after its data); a document is complete once its DOC_CLOSE is written. Mount rebuilds a small
// RAM index from a scan, so a power cut at any write leaves either the old or the new state.
//
// Space classes: document data may not use the last `reserveDoc` free sectors, settings and the
// journal not the last one, compaction may use all: a full store refuses pages but can still
// save a setting, journal a call, and delete documents.
import type { Flash } from '../../hal/flash.ts';
import { crc32, crc32Final, crc32Init, crc32Update } from './crc32.ts';
import {
  OBSOLETE_OFFSET,
  RECORD_HEADER,
  REC,
  SECTOR_HEADER,
  SECTOR_MAGIC,
  align4,
  allFF,
  asciiJson,
  bytesText,
  rd16,
  rd32,
  textBytes,
  wr16,
  wr32,
} from './layout.ts';

/** Page coding parameters kept with each page (what the T.4 decoder needs to print it). */
export interface PageParams {
  coding: string;
  width: number;
  linesPerMm: number;
  bitOrder: string;
  [extra: string]: unknown;
}

/** What is known about a document when it is opened. */
export interface DocMeta {
  /** 'rx' received, 'tx' to send, 'copy' scanned for the printer. */
  dir: string;
  /** Calendar time (Unix ms) when it started. */
  time: number;
  /** Remote ident (TSI/CSI) or the number dialled. */
  remote: string;
  /** T.30 subaddress as received ('' none). */
  sub: string;
  /** Confidential box number ('' = ordinary). */
  box: string;
  [extra: string]: unknown;
}

export interface DocInfo {
  id: number;
  meta: DocMeta;
  /** Committed pages. */
  pages: number;
  bytes: number;
  /** The result given at close ('' while open or when interrupted). */
  result: string;
  /** Latest state record (printed, delivered…), {} when none. */
  state: { [k: string]: unknown };
  /** Open when the power went: its committed pages are whole, the rest was dropped. */
  interrupted: boolean;
  /** A page lost chunks (bit rot): it is listed but reading it reports the damage. */
  damaged: boolean;
  /** Still being written. */
  open: boolean;
}

export interface StoreOptions {
  /** Free sectors document data may not use (default 2). */
  reserveDoc?: number;
  /** Journal entries kept (oldest dropped, default 200). */
  journalMax?: number;
  /** Page data is written in chunks of this many bytes (default 512). */
  chunkBytes?: number;
  /** Check every record's payload CRC at mount, not only the newest record (default false). */
  verifyAll?: boolean;
  /**
   * CRC-32 of a whole buffer (IEEE), e.g. the interpreter's native `E.CRC32` on a board: the
   * store's hot loops are CRCs, and a JS byte loop is slow there. Default: crc32.ts.
   */
  crc?: (data: Uint8Array) => number;
}

export interface MountReport {
  sectors: number;
  documents: number;
  interrupted: number;
  /** Sectors whose last record was torn (a power cut) or whose free tail was not blank. */
  tornSectors: number;
  /** Documents dropped because they had no committed page. */
  dropped: number;
}

interface PageEntry {
  slot: number;
  chunks: number;
  bytes: number;
  crc: number;
  params: PageParams;
  endAddr: number;
  damaged: boolean;
}

interface DocEntry {
  id: number;
  meta: DocMeta | null;
  openAddr: number;
  /**
   * Chunk addresses per page slot (a slot is one attempt at a page; slots are never reused),
   * -1 where none: an Int32Array, because on the device a plain array costs a variable or two
   * per element and a full store has thousands of chunks.
   */
  slots: { [slot: string]: Int32Array };
  maxSlot: number;
  pages: PageEntry[];
  closeAddr: number;
  result: string;
  state: { [k: string]: unknown } | null;
  stateAddr: number;
  /** Slot being written by a live DocWriter, or -1. */
  writing: number;
  interrupted: boolean;
}

interface Tomb {
  addr: number;
  /** Sectors still holding records of the deleted document: the tombstone lives while any do. */
  sectors: number[];
}

export type SpaceClass = 'doc' | 'meta' | 'gc';

/** Setting that keeps document ids from being reused. */
const DOC_FLOOR = 'doc.next';
const FREE = 0;
const ACTIVE = 1;
const BAD = 2;
/** Compaction is not worth it for less garbage than this. */
const MIN_GARBAGE = 64;
/** Static wear spreading: move a sector's data when its erase count lags the most worn by this. */
const WEAR_GAP = 64;

/** A chunk address list with room for at least `n` entries (doubling), new entries -1. */
function growChunks(old: Int32Array | null, n: number): Int32Array {
  let cap = old ? old.length : 8;
  while (cap < n) cap *= 2;
  if (old && cap === old.length) return old;
  const a = new Int32Array(cap);
  a.fill(-1);
  if (old) a.set(old);
  return a;
}

function jsCrc(data: Uint8Array): number {
  return crc32(data, 0, data.length);
}

/** The page check: CRC-32 over the chunks' payload CRCs in order (4 bytes each, little-endian). */
function chainCrc(c: number, chunkCrc: number): number {
  const b = new Uint8Array(4);
  wr32(b, 0, chunkCrc);
  return crc32Update(c, b, 0, 4);
}

function parseJson(p: Uint8Array, start: number): unknown {
  try {
    return JSON.parse(bytesText(p, start, p.length));
  } catch (e) {
    return null;
  }
}

export class Store {
  readonly sectorSize: number;
  readonly sectorCount: number;
  readonly reserveDoc: number;
  readonly journalMax: number;
  readonly chunkBytes: number;
  readonly verifyAll: boolean;
  /** CRC-32 of a whole buffer (StoreOptions.crc). */
  readonly crcOf: (data: Uint8Array) => number;
  /** Payload CRC of the record the last append() wrote (the page check chains them). */
  lastCrc = 0;
  /** Changes with every record written (and at mount): callers cache what they derive by it. */
  version = 0;
  private fullCache = -1;
  private fullFlag = false;
  /** Counters since construction (bench, tests). */
  compactions = 0;
  erasures = 0;
  mounted = false;

  private state: Uint8Array;
  private seq: Int32Array;
  private erases: Int32Array;
  private used: Int32Array;
  private live: Int32Array;
  private head = -1;
  private maxSeq = 0;
  private freeCount = 0;
  private settings: { [name: string]: string } = {};
  private settingAddr: { [name: string]: number } = {};
  private jSeq: number[] = [];
  private jAddr: number[] = [];
  private nextJournal = 1;
  private docs: { [id: string]: DocEntry } = {};
  private tombs: { [id: string]: Tomb } = {};
  private nextDoc = 1;

  constructor(readonly flash: Flash, opts?: StoreOptions) {
    const o = opts || {};
    this.sectorSize = flash.sectorSize;
    this.sectorCount = flash.sectorCount;
    this.reserveDoc = o.reserveDoc === undefined ? 2 : o.reserveDoc;
    this.journalMax = o.journalMax || 200;
    this.chunkBytes = o.chunkBytes || 512;
    this.verifyAll = !!o.verifyAll;
    this.crcOf = o.crc || jsCrc;
    if (this.sectorCount < this.reserveDoc + 2) throw new Error('store: needs at least ' + (this.reserveDoc + 2) + ' sectors');
    if (this.chunkBytes + 4 + RECORD_HEADER + SECTOR_HEADER > this.sectorSize) throw new Error('store: chunk larger than a sector');
    this.state = new Uint8Array(this.sectorCount);
    this.seq = new Int32Array(this.sectorCount);
    this.erases = new Int32Array(this.sectorCount);
    this.used = new Int32Array(this.sectorCount);
    this.live = new Int32Array(this.sectorCount);
  }

  // ---- mount ------------------------------------------------------------------------------

  /** Scan the flash and rebuild the index. Safe after a power cut at any point. */
  mount(): MountReport {
    const n = this.sectorCount;
    this.settings = {};
    this.settingAddr = {};
    this.jSeq = [];
    this.jAddr = [];
    this.docs = {};
    this.tombs = {};
    this.head = -1;
    this.maxSeq = 0;
    this.freeCount = 0;
    this.nextJournal = 1;
    this.nextDoc = 1;
    const order: number[] = [];
    for (let s = 0; s < n; s++) {
      const h = this.flash.read(s * this.sectorSize, SECTOR_HEADER);
      this.live[s] = 0;
      this.used[s] = this.sectorSize;
      if (rd32(h, 0) === SECTOR_MAGIC && (crc32(h, 0, 12) & 0xffff) === rd16(h, 12)) {
        this.erases[s] = rd32(h, 8);
        this.seq[s] = rd32(h, 4);
        if (this.seq[s] > this.maxSeq) this.maxSeq = this.seq[s];
        if (h[OBSOLETE_OFFSET] === 0xff) {
          this.state[s] = ACTIVE;
          order.push(s);
          continue;
        }
      } else this.erases[s] = -1; // blank, or an erase/header write that a power cut interrupted
      this.state[s] = FREE;
      this.freeCount++;
    }
    const seqs = this.seq;
    order.sort(function (a, b) {
      return seqs[a] - seqs[b];
    });
    let torn = 0;
    for (let i = 0; i < order.length; i++) if (!this.scanSector(order[i], i === order.length - 1)) torn++;
    if (order.length) {
      const last = order[order.length - 1];
      if (this.used[last] < this.sectorSize) this.head = last;
    }
    const dropped = this.settleDocuments();
    // Document ids are never reused (journal entries name them), even once every record of the
    // newest ones was compacted away: a setting keeps a floor, raised 16 ids at a time.
    const floor = Number(this.settings[DOC_FLOOR] || 0);
    if (floor > this.nextDoc) this.nextDoc = floor;
    const tombIds = Object.keys(this.tombs);
    for (let i = 0; i < tombIds.length; i++) {
      const t = this.tombs[tombIds[i]];
      if (t.sectors.length === 0) {
        this.kill(t.addr);
        delete this.tombs[tombIds[i]];
      }
    }
    this.mounted = true;
    let docs = 0;
    let interrupted = 0;
    const ids = Object.keys(this.docs);
    for (let i = 0; i < ids.length; i++) {
      docs++;
      if (this.docs[ids[i]].interrupted) interrupted++;
    }
    return { sectors: order.length, documents: docs, interrupted: interrupted, tornSectors: torn, dropped: dropped };
  }

  /**
   * Index one sector's records; false when it ended in a bad record or a non-blank tail. Only the
   * newest record of the whole log can be torn by a power cut (nothing is written after a cut
   * until this mount), so only the newest sector's last record has its payload CRC checked here
   * (verifyAll: every record). A torn one gets its type byte cleared, which breaks its header
   * check: later mounts stop at it without reading its payload.
   */
  private scanSector(s: number, newest: boolean): boolean {
    const size = this.sectorSize;
    const base = s * size;
    const buf = this.flash.read(base, size);
    let off = SECTOR_HEADER;
    let ok = true;
    while (off + RECORD_HEADER <= size) {
      if (allFF(buf, off, off + 4)) break;
      const len = rd16(buf, off + 2);
      const recSize = RECORD_HEADER + align4(len);
      if (this.crcOf(buf.subarray(off, off + 8)) !== rd32(buf, off + 8) || off + recSize > size) {
        ok = false;
        break;
      }
      const next = off + recSize;
      const last = newest && (next + RECORD_HEADER > size || allFF(buf, next, next + 4));
      if ((this.verifyAll || last) && this.crcOf(buf.subarray(off + RECORD_HEADER, off + RECORD_HEADER + len)) !== rd32(buf, off + 12)) {
        if (last) this.flash.program(base + off, new Uint8Array([0]));
        ok = false;
        break;
      }
      this.apply(buf[off], rd32(buf, off + 4), base + off, buf.subarray(off + RECORD_HEADER, off + RECORD_HEADER + len), recSize);
      off = next;
    }
    // Appends go to the newest sector only: its free tail must really be blank.
    if (ok && newest && !allFF(buf, off, size)) ok = false;
    this.used[s] = ok ? off : size;
    return ok;
  }

  /** After the scan: drop unfinished pages, documents without a committed page, check chunks. */
  private settleDocuments(): number {
    let dropped = 0;
    const ids = Object.keys(this.docs);
    for (let i = 0; i < ids.length; i++) {
      const d = this.docs[ids[i]];
      const slots = Object.keys(d.slots);
      for (let j = 0; j < slots.length; j++) {
        if (!this.pageBySlot(d, Number(slots[j]))) this.killSlot(d, Number(slots[j]));
      }
      if (!d.meta || (d.closeAddr < 0 && d.pages.length === 0)) {
        this.killDoc(d);
        delete this.docs[ids[i]];
        dropped++;
        continue;
      }
      if (d.closeAddr < 0) d.interrupted = true;
      for (let j = 0; j < d.pages.length; j++) {
        const p = d.pages[j];
        const arr = d.slots[String(p.slot)];
        for (let c = 0; c < p.chunks; c++) if (!arr || !(c < arr.length && arr[c] >= 0)) p.damaged = true;
      }
    }
    return dropped;
  }

  // ---- index --------------------------------------------------------------------------------

  private docEntry(id: number): DocEntry {
    let d = this.docs[String(id)];
    if (!d) {
      d = {
        id: id,
        meta: null,
        openAddr: -1,
        slots: {},
        maxSlot: -1,
        pages: [],
        closeAddr: -1,
        result: '',
        state: null,
        stateAddr: -1,
        writing: -1,
        interrupted: false,
      };
      this.docs[String(id)] = d;
    }
    if (id >= this.nextDoc) this.nextDoc = id + 1;
    return d;
  }

  private pageBySlot(d: DocEntry, slot: number): PageEntry | null {
    for (let i = 0; i < d.pages.length; i++) if (d.pages[i].slot === slot) return d.pages[i];
    return null;
  }

  private sectorOf(addr: number): number {
    return Math.floor(addr / this.sectorSize);
  }

  /** A record stopped being live: take its size off its sector's live bytes. */
  private kill(addr: number): void {
    if (addr < 0) return;
    this.version++;
    const h = this.flash.read(addr, 4);
    this.live[this.sectorOf(addr)] -= RECORD_HEADER + align4(rd16(h, 2));
  }

  private docAddrs(d: DocEntry): number[] {
    const out: number[] = [];
    if (d.openAddr >= 0) out.push(d.openAddr);
    if (d.closeAddr >= 0) out.push(d.closeAddr);
    if (d.stateAddr >= 0) out.push(d.stateAddr);
    for (let i = 0; i < d.pages.length; i++) out.push(d.pages[i].endAddr);
    const slots = Object.keys(d.slots);
    for (let i = 0; i < slots.length; i++) {
      const arr = d.slots[slots[i]];
      for (let c = 0; c < arr.length; c++) if (arr[c] >= 0) out.push(arr[c]);
    }
    return out;
  }

  private killDoc(d: DocEntry): number[] {
    const addrs = this.docAddrs(d);
    const sectors: number[] = [];
    for (let i = 0; i < addrs.length; i++) {
      this.kill(addrs[i]);
      const s = this.sectorOf(addrs[i]);
      if (sectors.indexOf(s) < 0) sectors.push(s);
    }
    return sectors;
  }

  private killSlot(d: DocEntry, slot: number): void {
    const arr = d.slots[String(slot)];
    if (!arr) return;
    for (let c = 0; c < arr.length; c++) if (arr[c] >= 0) this.kill(arr[c]);
    delete d.slots[String(slot)];
  }

  /** Update the index for a record that now exists at `addr` (from the scan, an append or a copy). */
  private apply(type: number, key: number, addr: number, p: Uint8Array, size: number): void {
    this.version++;
    this.live[this.sectorOf(addr)] += size;
    if (type === REC.SETTING) {
      let z = 0;
      while (z < p.length && p[z] !== 0) z++;
      const name = bytesText(p, 0, z);
      if (this.settingAddr[name] !== undefined) this.kill(this.settingAddr[name]);
      this.settingAddr[name] = addr;
      this.settings[name] = bytesText(p, z + 1, p.length);
      return;
    }
    if (type === REC.JOURNAL) {
      this.applyJournal(key, addr);
      return;
    }
    if (type < REC.DOC_OPEN || type > REC.DOC_DELETE) {
      this.kill(addr); // a type this firmware does not know: kept out of the index, reclaimed
      return;
    }
    if (key >= this.nextDoc) this.nextDoc = key + 1;
    const tomb = this.tombs[String(key)];
    if (type === REC.DOC_DELETE) {
      if (tomb) {
        this.kill(tomb.addr);
        tomb.addr = addr;
        return;
      }
      const d0 = this.docs[String(key)];
      const t: Tomb = { addr: addr, sectors: d0 ? this.killDoc(d0) : [] };
      delete this.docs[String(key)];
      this.tombs[String(key)] = t;
      return;
    }
    if (tomb) {
      // A record of a deleted document (never written after its tombstone, but be safe).
      this.kill(addr);
      const s = this.sectorOf(addr);
      if (tomb.sectors.indexOf(s) < 0) tomb.sectors.push(s);
      return;
    }
    const d = this.docEntry(key);
    if (type === REC.DOC_OPEN) {
      if (d.openAddr >= 0) this.kill(d.openAddr);
      d.openAddr = addr;
      d.meta = parseJson(p, 0) as DocMeta;
    } else if (type === REC.PAGE_DATA) {
      const slot = rd16(p, 0);
      const chunk = rd16(p, 2);
      if (slot > d.maxSlot) d.maxSlot = slot;
      let arr = d.slots[String(slot)];
      if (!arr || chunk >= arr.length) {
        arr = growChunks(arr || null, chunk + 1);
        d.slots[String(slot)] = arr;
      }
      if (arr[chunk] >= 0) this.kill(arr[chunk]);
      arr[chunk] = addr;
    } else if (type === REC.PAGE_END) {
      const slot = rd16(p, 0);
      if (slot > d.maxSlot) d.maxSlot = slot;
      const old = this.pageBySlot(d, slot);
      if (old) {
        this.kill(old.endAddr);
        old.endAddr = addr;
        return;
      }
      const pe: PageEntry = {
        slot: slot,
        chunks: rd16(p, 2),
        bytes: rd32(p, 4),
        crc: rd32(p, 8),
        params: parseJson(p, 12) as PageParams,
        endAddr: addr,
        damaged: false,
      };
      let i = d.pages.length;
      while (i > 0 && d.pages[i - 1].slot > slot) i--;
      d.pages.splice(i, 0, pe);
    } else if (type === REC.DOC_CLOSE) {
      if (d.closeAddr >= 0) this.kill(d.closeAddr);
      d.closeAddr = addr;
      const r = parseJson(p, 0) as { result?: string } | null;
      d.result = r && typeof r.result === 'string' ? r.result : '';
      d.interrupted = false;
    } else if (type === REC.DOC_STATE) {
      if (d.stateAddr >= 0) this.kill(d.stateAddr);
      d.stateAddr = addr;
      d.state = parseJson(p, 0) as { [k: string]: unknown };
    }
  }

  private applyJournal(seq: number, addr: number): void {
    if (seq >= this.nextJournal) this.nextJournal = seq + 1;
    let i = this.jSeq.length;
    while (i > 0 && this.jSeq[i - 1] > seq) i--;
    if (i > 0 && this.jSeq[i - 1] === seq) {
      this.kill(this.jAddr[i - 1]);
      this.jAddr[i - 1] = addr;
    } else {
      this.jSeq.splice(i, 0, seq);
      this.jAddr.splice(i, 0, addr);
    }
    while (this.jSeq.length > this.journalMax) {
      this.kill(this.jAddr[0]);
      this.jSeq.shift();
      this.jAddr.shift();
    }
  }

  // ---- appending ----------------------------------------------------------------------------

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
    return cls === 'doc' ? this.reserveDoc : cls === 'meta' ? 1 : 0;
  }

  private ensureRoom(size: number, cls: SpaceClass): boolean {
    const reserve = this.reserveFor(cls);
    for (let guard = 0; guard < 2 * this.sectorCount + 4; guard++) {
      if (this.head >= 0 && this.used[this.head] + size <= this.sectorSize) return true;
      if (this.freeCount > reserve) {
        this.allocate();
        continue;
      }
      // Document data only compacts sectors worth it (a quarter dead): near full, copying a
      // whole sector to win a few bytes would wear the flash for nothing.
      if (cls === 'gc' || !this.compactOnce(cls === 'doc' ? this.docGarbage() : MIN_GARBAGE)) return false;
    }
    return false;
  }

  /** Erase the least worn free sector and open it as the new head. */
  private allocate(): void {
    let known = 0;
    let sum = 0;
    for (let s = 0; s < this.sectorCount; s++) {
      if (this.erases[s] >= 0) {
        known++;
        sum += this.erases[s];
      }
    }
    const guess = known ? Math.floor(sum / known) : 0;
    let best = -1;
    let bestWear = 0;
    for (let s = 0; s < this.sectorCount; s++) {
      if (this.state[s] !== FREE) continue;
      const w = this.erases[s] >= 0 ? this.erases[s] : guess;
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
    this.erases[best] = bestWear + 1;
    this.freeCount--;
    const h = new Uint8Array(SECTOR_HEADER);
    h.fill(0xff);
    wr32(h, 0, SECTOR_MAGIC);
    wr32(h, 4, this.maxSeq + 1);
    wr32(h, 8, bestWear + 1);
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
    this.seq[best] = this.maxSeq;
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

  private docGarbage(): number {
    return (this.sectorSize - SECTOR_HEADER) >> 2;
  }

  private pickVictim(minGarbage: number): number {
    let best = -1;
    let mostWorn = 0;
    let leastWorn = -1;
    for (let s = 0; s < this.sectorCount; s++) {
      if (this.erases[s] > mostWorn) mostWorn = this.erases[s];
      if (this.state[s] !== ACTIVE) continue;
      if (leastWorn < 0 || this.erases[s] < this.erases[leastWorn]) leastWorn = s;
      if (s === this.head && this.freeCount === 0) continue;
      const g = this.garbage(s);
      if (best < 0 || g > this.garbage(best) || (g === this.garbage(best) && this.seq[s] < this.seq[best])) best = s;
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
    while (off + RECORD_HEADER <= size && !allFF(buf, off, off + 4)) {
      const len = rd16(buf, off + 2);
      const recSize = RECORD_HEADER + align4(len);
      if (this.crcOf(buf.subarray(off, off + 8)) !== rd32(buf, off + 8) || off + recSize > size) break;
      const type = buf[off];
      const key = rd32(buf, off + 4);
      const payload = buf.subarray(off + RECORD_HEADER, off + RECORD_HEADER + len);
      if (this.isLive(type, key, base + off, payload, v)) {
        // Copied verbatim, CRCs included: damage stays detectable.
        const addr = this.appendRaw(buf.subarray(off, off + RECORD_HEADER + len), 'gc');
        if (addr < 0) throw new Error('store: compaction ran out of room');
        this.apply(type, key, addr, payload, recSize);
      }
      off += recSize;
    }
    const ids = Object.keys(this.tombs);
    for (let i = 0; i < ids.length; i++) {
      const t = this.tombs[ids[i]];
      const k = t.sectors.indexOf(v);
      if (k >= 0) t.sectors.splice(k, 1);
      if (t.sectors.length === 0) {
        if (this.sectorOf(t.addr) !== v) this.kill(t.addr);
        delete this.tombs[ids[i]];
      }
    }
    // Everything live is now elsewhere: the sector is obsolete, and free for the next erase.
    this.flash.program(base + OBSOLETE_OFFSET, new Uint8Array([0]));
    this.state[v] = FREE;
    this.live[v] = 0;
    this.used[v] = size;
    this.freeCount++;
    return true;
  }

  private isLive(type: number, key: number, addr: number, p: Uint8Array, victim: number): boolean {
    if (type === REC.SETTING) {
      let z = 0;
      while (z < p.length && p[z] !== 0) z++;
      return this.settingAddr[bytesText(p, 0, z)] === addr;
    }
    if (type === REC.JOURNAL) {
      const i = this.jSeq.indexOf(key);
      return i >= 0 && this.jAddr[i] === addr;
    }
    if (type === REC.DOC_DELETE) {
      const t = this.tombs[String(key)];
      if (!t || t.addr !== addr) return false;
      for (let i = 0; i < t.sectors.length; i++) if (t.sectors[i] !== victim) return true;
      return false;
    }
    const d = this.docs[String(key)];
    if (!d) return false;
    if (type === REC.DOC_OPEN) return d.openAddr === addr;
    if (type === REC.DOC_CLOSE) return d.closeAddr === addr;
    if (type === REC.DOC_STATE) return d.stateAddr === addr;
    if (type === REC.PAGE_END) {
      const pe = this.pageBySlot(d, rd16(p, 0));
      return !!pe && pe.endAddr === addr;
    }
    if (type === REC.PAGE_DATA) {
      const arr = d.slots[String(rd16(p, 0))];
      const c = rd16(p, 2);
      return !!arr && c < arr.length && arr[c] === addr;
    }
    return false;
  }

  /** Background upkeep: one compaction when free sectors run low. True when it did one. */
  maintain(): boolean {
    if (this.freeCount > this.reserveDoc + 1) return false;
    return this.compactOnce(this.docGarbage());
  }

  // ---- settings and journal ---------------------------------------------------------------

  getSetting(name: string): string | null {
    const v = this.settings[name];
    return v === undefined ? null : v;
  }

  /** Save a named value (latest wins). False only when even the settings reserve is used up. */
  setSetting(name: string, value: string): boolean {
    if (this.settings[name] === value) return true;
    return this.append(REC.SETTING, 0, textBytes(name + '\u0000' + value), 'meta') >= 0;
  }

  settingNames(): string[] {
    return Object.keys(this.settings);
  }

  addJournal(text: string): boolean {
    const seq = this.nextJournal;
    const ok = this.append(REC.JOURNAL, seq, textBytes(text), 'meta') >= 0;
    if (ok) this.nextJournal = seq + 1;
    return ok;
  }

  /** The journal, oldest first (at most `journalMax` entries). */
  journal(): { seq: number; text: string }[] {
    const out: { seq: number; text: string }[] = [];
    for (let i = 0; i < this.jSeq.length; i++) {
      const h = this.flash.read(this.jAddr[i], RECORD_HEADER);
      const len = rd16(h, 2);
      const b = this.flash.read(this.jAddr[i] + RECORD_HEADER, len);
      out.push({ seq: this.jSeq[i], text: this.crcOf(b) === rd32(h, 12) ? bytesText(b, 0, len) : '(damaged entry)' });
    }
    return out;
  }

  // ---- documents ----------------------------------------------------------------------------

  /** Start a document; null when the store is full (the caller refuses the reception). */
  beginDocument(meta: DocMeta): DocWriter | null {
    const id = this.nextDoc;
    if (this.isFull()) return null;
    if (id >= Number(this.settings[DOC_FLOOR] || 0) && !this.setSetting(DOC_FLOOR, String(id + 16))) return null;
    if (this.append(REC.DOC_OPEN, id, textBytes(asciiJson(meta)), 'doc') < 0) return null;
    return new DocWriter(this, id);
  }

  documents(): DocInfo[] {
    const ids = Object.keys(this.docs);
    const out: DocInfo[] = [];
    for (let i = 0; i < ids.length; i++) {
      const info = this.document(Number(ids[i]));
      if (info) out.push(info);
    }
    out.sort(function (a, b) {
      return a.id - b.id;
    });
    return out;
  }

  document(id: number): DocInfo | null {
    const d = this.docs[String(id)];
    if (!d || !d.meta) return null;
    let bytes = 0;
    let damaged = false;
    for (let i = 0; i < d.pages.length; i++) {
      bytes += d.pages[i].bytes;
      if (d.pages[i].damaged) damaged = true;
    }
    return {
      id: d.id,
      meta: d.meta,
      pages: d.pages.length,
      bytes: bytes,
      result: d.result,
      state: d.state || {},
      interrupted: d.interrupted,
      damaged: damaged,
      open: d.closeAddr < 0 && !d.interrupted,
    };
  }

  pageParams(id: number, page: number): PageParams | null {
    const d = this.docs[String(id)];
    return d && page >= 0 && page < d.pages.length ? d.pages[page].params : null;
  }

  /** Stream a committed page's coded bytes, chunk by chunk. */
  readPage(id: number, page: number): PageReader | null {
    const d = this.docs[String(id)];
    if (!d || page < 0 || page >= d.pages.length) return null;
    return new PageReader(this, id, page);
  }

  /** Replace the document's state record (printed, delivered, …). */
  setDocState(id: number, state: { [k: string]: unknown }): boolean {
    if (!this.docs[String(id)]) return false;
    return this.append(REC.DOC_STATE, id, textBytes(asciiJson(state)), 'meta') >= 0;
  }

  /** Delete a document (always possible: a tombstone uses the compaction reserve). */
  deleteDocument(id: number): boolean {
    if (!this.docs[String(id)]) return false;
    return this.append(REC.DOC_DELETE, id, new Uint8Array(0), 'gc') >= 0;
  }

  // ---- space ------------------------------------------------------------------------------

  /** Bytes of live records, and the capacity documents may fill. */
  usage(): { live: number; capacity: number; percent: number; freeSectors: number } {
    let live = 0;
    for (let s = 0; s < this.sectorCount; s++) if (this.state[s] === ACTIVE) live += this.live[s];
    const capacity = (this.sectorCount - this.reserveDoc) * (this.sectorSize - SECTOR_HEADER);
    const pct = Math.min(100, Math.round((100 * live) / capacity));
    return { live: live, capacity: capacity, percent: pct, freeSectors: this.freeCount };
  }

  /** Bytes of page data that can still be written (free sectors, head room, reclaimable garbage). */
  available(): number {
    const usable = this.sectorSize - SECTOR_HEADER;
    let n = this.headRoom();
    const spare = this.freeCount - this.reserveDoc;
    if (spare > 0) n += spare * usable;
    for (let s = 0; s < this.sectorCount; s++) {
      if (this.state[s] === ACTIVE && s !== this.head && this.garbage(s) >= this.docGarbage()) n += this.garbage(s);
    }
    return n;
  }

  /** Full: a new reception would not get one sector's worth of page data. The panel says so. */
  isFull(): boolean {
    // The idle screen asks every second: computed once per store change.
    if (this.fullCache !== this.version) {
      this.fullFlag = this.available() < this.sectorSize;
      this.fullCache = this.version;
    }
    return this.fullFlag;
  }

  // For DocWriter and PageReader (same folder).
  docInternal(id: number): DocEntry | null {
    return this.docs[String(id)] || null;
  }

  dropSlot(id: number, slot: number): void {
    const d = this.docs[String(id)];
    if (d) this.killSlot(d, slot);
  }
}

/**
 * Writes one document: pages of coded bytes, each committed by endPage(). A false return means
 * the store is full: the page in progress is lost (call abortPage), committed pages stay.
 */
export class DocWriter {
  private slot = -1;
  private chunk = 0;
  private buf: Uint8Array;
  private len = 0;
  private bytes = 0;
  private crc = 0;
  private params: PageParams | null = null;
  /** The store refused data for the current page. */
  failed = false;
  closed = false;

  constructor(readonly store: Store, readonly id: number) {
    this.buf = new Uint8Array(store.chunkBytes);
  }

  private entry(): DocEntry {
    const d = this.store.docInternal(this.id);
    if (!d) throw new Error('store: document ' + this.id + ' was deleted while being written');
    return d;
  }

  /** Committed pages so far. */
  pages(): number {
    const d = this.store.docInternal(this.id);
    return d ? d.pages.length : 0;
  }

  beginPage(params: PageParams): void {
    if (this.slot >= 0) this.abortPage();
    const d = this.entry();
    d.maxSlot++;
    this.slot = d.maxSlot;
    d.writing = this.slot;
    d.slots[String(this.slot)] = growChunks(null, 8);
    this.params = params;
    this.chunk = 0;
    this.len = 0;
    this.bytes = 0;
    this.crc = crc32Init();
    this.failed = false;
  }

  /** Add coded bytes to the page. False when the store is full. */
  write(data: Uint8Array): boolean {
    if (this.slot < 0) throw new Error('store: write outside a page');
    if (this.failed) return false;
    this.bytes += data.length;
    let i = 0;
    while (i < data.length) {
      const n = Math.min(data.length - i, this.buf.length - this.len);
      this.buf.set(data.subarray(i, i + n), this.len);
      this.len += n;
      i += n;
      if (this.len === this.buf.length && !this.flush(false)) return false;
    }
    return true;
  }

  private flush(all: boolean): boolean {
    while (this.len > 0 && (all || this.len === this.buf.length)) {
      let n = this.len;
      // Fill the head sector's tail rather than leave it unused.
      const room = this.store.headRoom() - 4;
      if (room >= 64 && room < n) n = room;
      const rec = new Uint8Array(4 + n);
      wr16(rec, 0, this.slot);
      wr16(rec, 2, this.chunk);
      rec.set(this.buf.subarray(0, n), 4);
      if (this.store.append(REC.PAGE_DATA, this.id, rec, 'doc') < 0) {
        this.failed = true;
        return false;
      }
      this.crc = chainCrc(this.crc, this.store.lastCrc);
      this.chunk++;
      for (let j = n; j < this.len; j++) this.buf[j - n] = this.buf[j];
      this.len -= n;
    }
    return true;
  }

  /** Commit the page: once this returns true the page survives any power cut (T.30 may send MCF). */
  endPage(): boolean {
    if (this.slot < 0 || !this.params) throw new Error('store: endPage outside a page');
    if (this.failed || !this.flush(true)) return false;
    const pj = textBytes(asciiJson(this.params));
    const rec = new Uint8Array(12 + pj.length);
    wr16(rec, 0, this.slot);
    wr16(rec, 2, this.chunk);
    wr32(rec, 4, this.bytes);
    wr32(rec, 8, crc32Final(this.crc));
    rec.set(pj, 12);
    if (this.store.append(REC.PAGE_END, this.id, rec, 'meta') < 0) {
      this.failed = true;
      return false;
    }
    this.entry().writing = -1;
    this.slot = -1;
    return true;
  }

  /** Forget the page being written (bad page, the store is full, the call dropped). */
  abortPage(): void {
    if (this.slot < 0) return;
    const d = this.store.docInternal(this.id);
    if (d) d.writing = -1;
    this.store.dropSlot(this.id, this.slot);
    this.slot = -1;
    this.len = 0;
  }

  /** Commit the document with its result (e.g. 'ok', 'partial', 'line dropped'). */
  close(result: string): boolean {
    this.abortPage();
    this.closed = true;
    return this.store.append(REC.DOC_CLOSE, this.id, textBytes(asciiJson({ result: result })), 'meta') >= 0;
  }

  /** Throw the document away (nothing was committed worth keeping). */
  discard(): void {
    this.abortPage();
    this.closed = true;
    this.store.deleteDocument(this.id);
  }
}

/** Reads a committed page chunk by chunk; checks every chunk's CRC and the page's at the end. */
export class PageReader {
  private chunk = 0;
  private crc = crc32Init();
  private bytes = 0;
  /** Set when the page is damaged or was deleted while reading; next() then returns null. */
  error: string | null = null;
  done = false;

  constructor(readonly store: Store, readonly id: number, readonly page: number) {}

  /** The next piece of coded page data, or null at the end (or on error). */
  next(): Uint8Array | null {
    if (this.done) return null;
    const d = this.store.docInternal(this.id);
    const pe = d ? d.pages[this.page] : null;
    if (!d || !pe) return this.fail('document deleted');
    if (this.chunk >= pe.chunks) {
      this.done = true;
      if (this.bytes !== pe.bytes || crc32Final(this.crc) !== pe.crc) return this.fail('page check failed');
      return null;
    }
    const arr = d.slots[String(pe.slot)];
    const addr = arr && this.chunk < arr.length ? arr[this.chunk] : -1;
    if (!(addr >= 0)) return this.fail('chunk ' + this.chunk + ' missing');
    const f = this.store.flash;
    const h = f.read(addr, RECORD_HEADER);
    const len = rd16(h, 2);
    if (h[0] !== REC.PAGE_DATA || rd32(h, 4) !== this.id || crc32(h, 0, 8) !== rd32(h, 8)) return this.fail('chunk ' + this.chunk + ' header damaged');
    const p = f.read(addr + RECORD_HEADER, len);
    if (this.store.crcOf(p) !== rd32(h, 12) || rd16(p, 0) !== pe.slot || rd16(p, 2) !== this.chunk) return this.fail('chunk ' + this.chunk + ' damaged');
    this.chunk++;
    this.crc = chainCrc(this.crc, rd32(h, 12));
    this.bytes += len - 4;
    return p.subarray(4);
  }

  private fail(what: string): null {
    this.error = 'document ' + this.id + ' page ' + (this.page + 1) + ': ' + what;
    this.done = true;
    return null;
  }
}
