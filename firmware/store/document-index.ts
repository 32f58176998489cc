// The document index: documents as records in the log. A document exists once its DOC_OPEN is
// written; a page once its PAGE_END (the page's commit, written after its chunks of PAGE_DATA);
// a document is complete once its DOC_CLOSE is written; DOC_STATE carries its latest state
// (printed, delivered…) and DOC_DELETE is its tombstone. The index keeps, per document, the
// addresses of its live records and its committed pages; page bytes stay on flash and are
// written by a DocWriter and read by a PageReader.
//
// A tombstone lives as long as any sector still holds a record of its document, so a mount
// after compaction never sees the document's older records without it.
import type { LogIndex, RecordLog } from './log.ts';
import type { SettingsIndex } from './settings-index.ts';
import { crc32Update } from './crc32.ts';
import { REC, asciiJson, bytesText, rd16, rd32, textBytes, wr32 } from './layout.ts';

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

/** A committed page: where its chunks are and how to check them (a copy of DocEntry.a's numbers). */
export interface PageEntry {
  slot: number;
  chunks: number;
  bytes: number;
  crc: number;
  endAddr: number;
  damaged: boolean;
}

/**
 * A document's numbers in one Int32Array (DocEntry.a): H header fields (H_*), then PG int32s
 * per committed page in slot order (PG_*: slot, chunks, bytes, CRC, PAGE_END address,
 * damaged). A page's coding parameters stay in its PAGE_END record and are read from there when
 * asked for (pageParams). On the board a document kept as objects cost ~210 variables with three
 * pages (~25 per page for the parameters alone), packed ~62, and a store holds dozens of
 * documents (docs/ESPRUINO.md, "Documents kept").
 */
const H_OPEN = 0;
const H_CLOSE = 1;
const H_STATE = 2;
const H_MAXSLOT = 3;
/** 1 when the document was open at the power cut (no DOC_CLOSE). */
const H_INTERRUPTED = 4;
/** Committed pages. */
const H_NP = 5;
const H = 6;
const PG = 6;
const PG_SLOT = 0;
const PG_CHUNKS = 1;
const PG_BYTES = 2;
const PG_CRC = 3;
const PG_END = 4;
const PG_DAMAGED = 5;

interface DocEntry {
  meta: DocMeta | null;
  /**
   * Chunk addresses per page slot (a slot is one attempt at a page; slots are never reused),
   * -1 where none: an Int32Array, because on the device a plain array costs a variable or two
   * per element and a full store has thousands of chunks.
   */
  slots: { [slot: string]: Int32Array };
  /** H_* fields, then the committed pages (PG_* fields each). */
  a: Int32Array;
  result: string;
  state: { [k: string]: unknown } | null;
}

interface Tomb {
  addr: number;
  /** Sectors still holding records of the deleted document: the tombstone lives while any do. */
  sectors: number[];
}

/** Setting that keeps document ids from being reused. */
export const DOC_FLOOR = 'doc.next';

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

/** The page check: CRC-32 over the chunks' payload CRCs in order (4 bytes each, little-endian). */
export function chainCrc(c: number, chunkCrc: number): number {
  const b = new Uint8Array(4);
  wr32(b, 0, chunkCrc);
  return crc32Update(c, b, 0, 4);
}

/** Index of the page committed in `slot`, or -1. */
function pageIndex(d: DocEntry, slot: number): number {
  const a = d.a;
  for (let i = 0; i < a[H_NP]; i++) if (a[H + i * PG + PG_SLOT] === slot) return i;
  return -1;
}

/** Inserts a committed page in slot order, growing the array by one page at a time. */
function insertPage(d: DocEntry, slot: number, chunks: number, bytes: number, crc: number, addr: number): void {
  const np = d.a[H_NP];
  if (H + (np + 1) * PG > d.a.length) {
    const g = new Int32Array(H + (np + 1) * PG);
    g.set(d.a);
    d.a = g;
  }
  const a = d.a;
  let i = np;
  while (i > 0 && a[H + (i - 1) * PG + PG_SLOT] > slot) i--;
  for (let k = H + np * PG - 1; k >= H + i * PG; k--) a[k + PG] = a[k]; // (no copyWithin on the interpreter)
  const o = H + i * PG;
  a[o + PG_SLOT] = slot;
  a[o + PG_CHUNKS] = chunks;
  a[o + PG_BYTES] = bytes;
  a[o + PG_CRC] = crc;
  a[o + PG_END] = addr;
  a[o + PG_DAMAGED] = 0;
  a[H_NP] = np + 1;
}

/**
 * A committed page's chunk list cut to its length (the list grows by doubling while the page
 * is written). Only when nothing past the length is held: a chunk moved by a compaction may be
 * seen after its page's PAGE_END at mount, and is then kept until settle() fits it.
 */
function fitSlot(d: DocEntry, slot: number, chunks: number): void {
  const arr = d.slots[String(slot)];
  if (!arr || arr.length <= chunks) return;
  for (let c = chunks; c < arr.length; c++) if (arr[c] >= 0) return;
  const fit = new Int32Array(chunks);
  fit.set(arr.subarray(0, chunks));
  d.slots[String(slot)] = fit;
}

function parseJson(p: Uint8Array, start: number): unknown {
  try {
    return JSON.parse(bytesText(p, start, p.length));
  } catch (e) {
    return null;
  }
}

const DOC_TYPES = [REC.DOC_OPEN, REC.PAGE_DATA, REC.PAGE_END, REC.DOC_CLOSE, REC.DOC_STATE, REC.DOC_DELETE];

export class DocumentIndex implements LogIndex {
  private docs: { [id: string]: DocEntry } = {};
  private tombs: { [id: string]: Tomb } = {};
  private nextDoc = 1;

  constructor(readonly log: RecordLog, readonly settings: SettingsIndex, readonly chunkBytes: number) {
    log.attach(DOC_TYPES, this);
  }

  clear(): void {
    this.docs = {};
    this.tombs = {};
    this.nextDoc = 1;
  }

  /**
   * After the scan: drop unfinished pages and documents without a committed page, mark the
   * interrupted ones and pages with missing chunks, retire tombstones nothing needs any more.
   * Returns the number of documents dropped.
   */
  settle(): number {
    let dropped = 0;
    const ids = Object.keys(this.docs);
    for (let i = 0; i < ids.length; i++) {
      const d = this.docs[ids[i]];
      const slots = Object.keys(d.slots);
      for (let j = 0; j < slots.length; j++) {
        if (pageIndex(d, Number(slots[j])) < 0) this.killSlot(d, Number(slots[j]));
      }
      const a = d.a;
      if (!d.meta || (a[H_CLOSE] < 0 && a[H_NP] === 0)) {
        this.killDoc(d);
        delete this.docs[ids[i]];
        dropped++;
        continue;
      }
      if (a[H_CLOSE] < 0) a[H_INTERRUPTED] = 1;
      for (let j = 0; j < a[H_NP]; j++) {
        const o = H + j * PG;
        const arr = d.slots[String(a[o + PG_SLOT])];
        for (let c = 0; c < a[o + PG_CHUNKS]; c++) if (!arr || !(c < arr.length && arr[c] >= 0)) a[o + PG_DAMAGED] = 1;
        fitSlot(d, a[o + PG_SLOT], a[o + PG_CHUNKS]);
      }
    }
    // Document ids are never reused (journal entries name them), even once every record of the
    // newest ones was compacted away: a setting keeps the floor, the id the next document gets.
    const floor = Number(this.settings.get(DOC_FLOOR) || 0);
    if (floor > this.nextDoc) this.nextDoc = floor;
    const tombIds = Object.keys(this.tombs);
    for (let i = 0; i < tombIds.length; i++) {
      const t = this.tombs[tombIds[i]];
      if (t.sectors.length === 0) {
        this.log.kill(t.addr);
        delete this.tombs[tombIds[i]];
      }
    }
    return dropped;
  }

  // ---- index --------------------------------------------------------------------------------

  private docEntry(id: number): DocEntry {
    let d = this.docs[String(id)];
    if (!d) {
      const a = new Int32Array(H);
      a[H_OPEN] = -1;
      a[H_CLOSE] = -1;
      a[H_STATE] = -1;
      a[H_MAXSLOT] = -1;
      d = { meta: null, slots: {}, a: a, result: '', state: null };
      this.docs[String(id)] = d;
    }
    if (id >= this.nextDoc) this.nextDoc = id + 1;
    return d;
  }

  private docAddrs(d: DocEntry): number[] {
    const out: number[] = [];
    const a = d.a;
    if (a[H_OPEN] >= 0) out.push(a[H_OPEN]);
    if (a[H_CLOSE] >= 0) out.push(a[H_CLOSE]);
    if (a[H_STATE] >= 0) out.push(a[H_STATE]);
    for (let i = 0; i < a[H_NP]; i++) out.push(a[H + i * PG + PG_END]);
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
      this.log.kill(addrs[i]);
      const s = this.log.sectorOf(addrs[i]);
      if (sectors.indexOf(s) < 0) sectors.push(s);
    }
    return sectors;
  }

  private killSlot(d: DocEntry, slot: number): void {
    const arr = d.slots[String(slot)];
    if (!arr) return;
    for (let c = 0; c < arr.length; c++) if (arr[c] >= 0) this.log.kill(arr[c]);
    delete d.slots[String(slot)];
  }

  apply(type: number, key: number, addr: number, p: Uint8Array): void {
    if (key >= this.nextDoc) this.nextDoc = key + 1;
    const tomb = this.tombs[String(key)];
    if (type === REC.DOC_DELETE) {
      if (tomb) {
        this.log.kill(tomb.addr);
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
      this.log.kill(addr);
      const s = this.log.sectorOf(addr);
      if (tomb.sectors.indexOf(s) < 0) tomb.sectors.push(s);
      return;
    }
    const d = this.docEntry(key);
    const a = d.a;
    if (type === REC.DOC_OPEN) {
      if (a[H_OPEN] >= 0) this.log.kill(a[H_OPEN]);
      a[H_OPEN] = addr;
      d.meta = parseJson(p, 0) as DocMeta;
    } else if (type === REC.PAGE_DATA) {
      const slot = rd16(p, 0);
      const chunk = rd16(p, 2);
      if (slot > a[H_MAXSLOT]) a[H_MAXSLOT] = slot;
      let arr = d.slots[String(slot)];
      if (!arr || chunk >= arr.length) {
        arr = growChunks(arr || null, chunk + 1);
        d.slots[String(slot)] = arr;
      }
      if (arr[chunk] >= 0) this.log.kill(arr[chunk]);
      arr[chunk] = addr;
    } else if (type === REC.PAGE_END) {
      const slot = rd16(p, 0);
      if (slot > a[H_MAXSLOT]) a[H_MAXSLOT] = slot;
      const old = pageIndex(d, slot);
      if (old >= 0) {
        this.log.kill(a[H + old * PG + PG_END]);
        a[H + old * PG + PG_END] = addr;
        return;
      }
      insertPage(d, slot, rd16(p, 2), rd32(p, 4), rd32(p, 8), addr);
      fitSlot(d, slot, rd16(p, 2));
    } else if (type === REC.DOC_CLOSE) {
      if (a[H_CLOSE] >= 0) this.log.kill(a[H_CLOSE]);
      a[H_CLOSE] = addr;
      const r = parseJson(p, 0) as { result?: string } | null;
      d.result = r && typeof r.result === 'string' ? r.result : '';
      a[H_INTERRUPTED] = 0;
    } else if (type === REC.DOC_STATE) {
      if (a[H_STATE] >= 0) this.log.kill(a[H_STATE]);
      a[H_STATE] = addr;
      d.state = parseJson(p, 0) as { [k: string]: unknown };
    }
  }

  isLive(type: number, key: number, addr: number, p: Uint8Array, victim: number): boolean {
    if (type === REC.DOC_DELETE) {
      const t = this.tombs[String(key)];
      if (!t || t.addr !== addr) return false;
      for (let i = 0; i < t.sectors.length; i++) if (t.sectors[i] !== victim) return true;
      return false;
    }
    const d = this.docs[String(key)];
    if (!d) return false;
    if (type === REC.DOC_OPEN) return d.a[H_OPEN] === addr;
    if (type === REC.DOC_CLOSE) return d.a[H_CLOSE] === addr;
    if (type === REC.DOC_STATE) return d.a[H_STATE] === addr;
    if (type === REC.PAGE_END) {
      const i = pageIndex(d, rd16(p, 0));
      return i >= 0 && d.a[H + i * PG + PG_END] === addr;
    }
    if (type === REC.PAGE_DATA) {
      const arr = d.slots[String(rd16(p, 0))];
      const c = rd16(p, 2);
      return !!arr && c < arr.length && arr[c] === addr;
    }
    return false;
  }

  /** No record of a deleted document is left in the reclaimed sector: its tombstone may go sooner. */
  reclaimed(v: number): void {
    const ids = Object.keys(this.tombs);
    for (let i = 0; i < ids.length; i++) {
      const t = this.tombs[ids[i]];
      const k = t.sectors.indexOf(v);
      if (k >= 0) t.sectors.splice(k, 1);
      if (t.sectors.length === 0) {
        if (this.log.sectorOf(t.addr) !== v) this.log.kill(t.addr);
        delete this.tombs[ids[i]];
      }
    }
  }

  // ---- documents ----------------------------------------------------------------------------

  /** The id the next document gets, or -1 when its id floor could not be saved. */
  openDocument(meta: DocMeta): number {
    const id = this.nextDoc;
    // The floor is the next id itself (one small settings record per document), so the ids a
    // person reads run on consecutively across reboots (1, 2, 3, not 1, 17, 33).
    if (!this.settings.set(DOC_FLOOR, String(id + 1))) return -1;
    if (this.log.append(REC.DOC_OPEN, id, textBytes(asciiJson(meta)), 'bulk') < 0) return -1;
    return id;
  }

  ids(): number[] {
    const ids = Object.keys(this.docs);
    const out: number[] = [];
    for (let i = 0; i < ids.length; i++) out.push(Number(ids[i]));
    out.sort(function (a, b) {
      return a - b;
    });
    return out;
  }

  counts(): { documents: number; interrupted: number } {
    let docs = 0;
    let interrupted = 0;
    const ids = Object.keys(this.docs);
    for (let i = 0; i < ids.length; i++) {
      docs++;
      if (this.docs[ids[i]].a[H_INTERRUPTED]) interrupted++;
    }
    return { documents: docs, interrupted: interrupted };
  }

  has(id: number): boolean {
    return !!this.docs[String(id)];
  }

  document(id: number): DocInfo | null {
    const d = this.docs[String(id)];
    if (!d || !d.meta) return null;
    const a = d.a;
    let bytes = 0;
    let damaged = false;
    for (let i = 0; i < a[H_NP]; i++) {
      bytes += a[H + i * PG + PG_BYTES];
      if (a[H + i * PG + PG_DAMAGED]) damaged = true;
    }
    return {
      id: id,
      meta: d.meta,
      pages: a[H_NP],
      bytes: bytes,
      result: d.result,
      state: d.state || {},
      interrupted: a[H_INTERRUPTED] !== 0,
      damaged: damaged,
      open: a[H_CLOSE] < 0 && !a[H_INTERRUPTED],
    };
  }

  /** The committed page `page` (0-based) of a document, null when there is none. */
  page(id: number, page: number): PageEntry | null {
    const d = this.docs[String(id)];
    if (!d || !(page >= 0 && page < d.a[H_NP])) return null;
    const o = H + page * PG;
    const g = d.a;
    return { slot: g[o + PG_SLOT], chunks: g[o + PG_CHUNKS], bytes: g[o + PG_BYTES], crc: g[o + PG_CRC] >>> 0, endAddr: g[o + PG_END], damaged: g[o + PG_DAMAGED] !== 0 };
  }

  /**
   * A committed page's coding parameters, read from its PAGE_END record (a new object each
   * call); null when there is no such page or the record no longer passes its check.
   */
  pageParams(id: number, page: number): PageParams | null {
    const d = this.docs[String(id)];
    if (!d || !(page >= 0 && page < d.a[H_NP])) return null;
    const p = this.log.payload(d.a[H + page * PG + PG_END]);
    const params = p && p.length > 12 ? (parseJson(p, 12) as PageParams | null) : null;
    return params && typeof params === 'object' ? params : null;
  }

  pageCount(id: number): number {
    const d = this.docs[String(id)];
    return d ? d.a[H_NP] : 0;
  }

  /** Address of chunk `chunk` of a page slot, -1 when missing. */
  chunkAddr(id: number, slot: number, chunk: number): number {
    const d = this.docs[String(id)];
    const arr = d ? d.slots[String(slot)] : null;
    return arr && chunk < arr.length ? arr[chunk] : -1;
  }

  /** A writer starts a page: a new slot (never reused). -1 when the document was deleted. */
  newSlot(id: number): number {
    const d = this.docs[String(id)];
    if (!d) return -1;
    const slot = ++d.a[H_MAXSLOT];
    d.slots[String(slot)] = growChunks(null, 8);
    return slot;
  }

  /** Forget a slot's chunks (a page that was not committed). */
  dropSlot(id: number, slot: number): void {
    const d = this.docs[String(id)];
    if (d) this.killSlot(d, slot);
  }

  /** Replace the document's state record (printed, delivered, …). */
  setState(id: number, state: { [k: string]: unknown }): boolean {
    if (!this.docs[String(id)]) return false;
    return this.log.append(REC.DOC_STATE, id, textBytes(asciiJson(state)), 'meta') >= 0;
  }

  /**
   * Delete a document (always possible: a tombstone may use the compaction reserve). It goes as
   * a small record first, which compacts when the free sectors run low, and takes the last free
   * sector only when that found nothing to reclaim: a tombstone that always took it left the
   * store with no free sector, where no compaction fits.
   */
  remove(id: number): boolean {
    if (!this.docs[String(id)]) return false;
    if (this.log.append(REC.DOC_DELETE, id, new Uint8Array(0), 'meta') >= 0) return true;
    return this.log.append(REC.DOC_DELETE, id, new Uint8Array(0), 'gc') >= 0;
  }
}
