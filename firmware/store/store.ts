// The flash record store: one log over the flash sectors (log.ts, format in layout.ts) and the
// three indexes over it — settings (settings-index.ts), the journal (journal-index.ts) and the
// documents (document-index.ts, written by DocWriter, read by PageReader). This class puts them
// together and is what the rest of the firmware uses. Mount rebuilds every index from a scan, so
// a power cut at any write leaves either the old or the new state.
//
// Space classes: document data may not use the last `reserveDoc` free sectors, settings and the
// journal not the last one, compaction may use all: a full store refuses pages but can still
// save a setting, journal a call, and delete documents.
import type { Flash } from '../../hal/flash.ts';
import { crc32 } from './crc32.ts';
import { RECORD_HEADER, SECTOR_HEADER } from './layout.ts';
import { RecordLog } from './log.ts';
import type { LogIndex, SpaceClass } from './log.ts';
import { SettingsIndex } from './settings-index.ts';
import { JournalIndex } from './journal-index.ts';
import { DocumentIndex } from './document-index.ts';
import type { DocInfo, DocMeta, PageParams } from './document-index.ts';
import { DocWriter } from './doc-writer.ts';
import { PageReader } from './page-reader.ts';

export type { DocInfo, DocMeta, PageParams } from './document-index.ts';
export type { LogIndex, SpaceClass } from './log.ts';
export { DocWriter } from './doc-writer.ts';
export { PageReader } from './page-reader.ts';

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
  /**
   * Documents kept at most (0: no cap). At the cap the store is full (isFull, usage's percent
   * 100): on a board the RAM of the document index, not the flash, is what runs out first.
   */
  maxDocuments?: number;
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

function jsCrc(data: Uint8Array): number {
  return crc32(data, 0, data.length);
}

/** The interpreter's CRC-32 (the same IEEE CRC, native) where the platform has one. */
declare const E: { CRC32?: (data: Uint8Array) => number } | undefined;

/**
 * The default CRC: the platform's native one when it has it (a board's page data passes a CRC
 * of every octet on its way to flash; in JavaScript that costs an ESP32 more than the line's
 * pace allows: docs/FAX-LINE.md, keeping up), else crc32.ts.
 */
function defaultCrc(): (data: Uint8Array) => number {
  if (typeof E === 'undefined' || !E || !E.CRC32) return jsCrc;
  const native = E.CRC32;
  return function (data: Uint8Array): number {
    return native(data) >>> 0;
  };
}

export class Store {
  readonly sectorSize: number;
  readonly sectorCount: number;
  readonly reserveDoc: number;
  readonly journalMax: number;
  readonly chunkBytes: number;
  readonly verifyAll: boolean;
  readonly maxDocuments: number;
  /** CRC-32 of a whole buffer (StoreOptions.crc). */
  readonly crcOf: (data: Uint8Array) => number;
  /** The log engine, for indexes of other records (LogIndex, attached before mount). */
  readonly log: RecordLog;
  readonly settings: SettingsIndex;
  readonly journalIndex: JournalIndex;
  readonly docs: DocumentIndex;
  mounted = false;
  private fullCache = -1;
  private fullFlag = false;

  constructor(readonly flash: Flash, opts?: StoreOptions) {
    const o = opts || {};
    this.reserveDoc = o.reserveDoc === undefined ? 2 : o.reserveDoc;
    this.journalMax = o.journalMax || 200;
    this.chunkBytes = o.chunkBytes || 512;
    this.verifyAll = !!o.verifyAll;
    this.maxDocuments = o.maxDocuments || 0;
    this.crcOf = o.crc || defaultCrc();
    this.log = new RecordLog(flash, { reserveBulk: this.reserveDoc, verifyAll: this.verifyAll, crc: this.crcOf });
    this.sectorSize = this.log.sectorSize;
    this.sectorCount = this.log.sectorCount;
    if (this.chunkBytes + 4 + RECORD_HEADER + SECTOR_HEADER > this.sectorSize) throw new Error('store: chunk larger than a sector');
    this.settings = new SettingsIndex(this.log);
    this.journalIndex = new JournalIndex(this.log, this.journalMax);
    this.docs = new DocumentIndex(this.log, this.settings, this.chunkBytes);
  }

  /** Changes with every record written (and at mount): callers cache what they derive by it. */
  get version(): number {
    return this.log.version;
  }

  /** Payload CRC of the record the last append() wrote. */
  get lastCrc(): number {
    return this.log.lastCrc;
  }

  /** Compactions and sector erasures since construction (bench, tests). */
  get compactions(): number {
    return this.log.compactions;
  }

  get erasures(): number {
    return this.log.erasures;
  }

  /** Another index over the log (its own record types; see layout.ts REC), before mount(). */
  attach(types: number[], index: LogIndex): void {
    this.log.attach(types, index);
  }

  /** Scan the flash and rebuild the indexes. Safe after a power cut at any point. */
  mount(): MountReport {
    const scan = this.log.scan();
    const dropped = this.docs.settle();
    this.mounted = true;
    const c = this.docs.counts();
    return { sectors: scan.sectors, documents: c.documents, interrupted: c.interrupted, tornSectors: scan.tornSectors, dropped: dropped };
  }

  // ---- the log ------------------------------------------------------------------------------

  /** Payload bytes that still fit in the head sector (0 when there is no head). */
  headRoom(): number {
    return this.log.headRoom();
  }

  /** Append a raw record; its address, or -1 when its space class has no room left. */
  append(type: number, key: number, payload: Uint8Array, cls: SpaceClass): number {
    return this.log.append(type, key, payload, cls);
  }

  /** Reclaim one sector. False when no sector has enough garbage or the copy would not fit. */
  compactOnce(minGarbage?: number): boolean {
    return this.log.compactOnce(minGarbage);
  }

  /** Background upkeep: one compaction when free sectors run low. True when it did one. */
  maintain(): boolean {
    return this.log.maintain();
  }

  // ---- settings and journal ---------------------------------------------------------------

  getSetting(name: string): string | null {
    return this.settings.get(name);
  }

  /** Save a named value (latest wins). False only when even the settings reserve is used up. */
  setSetting(name: string, value: string): boolean {
    return this.settings.set(name, value);
  }

  settingNames(): string[] {
    return this.settings.names();
  }

  addJournal(text: string): boolean {
    return this.journalIndex.add(text);
  }

  /** The journal, oldest first (at most `journalMax` entries). */
  journal(): { seq: number; text: string }[] {
    return this.journalIndex.entries();
  }

  // ---- documents ----------------------------------------------------------------------------

  /** Start a document; null when the store is full (the caller refuses the reception). */
  beginDocument(meta: DocMeta): DocWriter | null {
    if (this.isFull()) return null;
    const id = this.docs.openDocument(meta);
    return id < 0 ? null : new DocWriter(this.docs, id);
  }

  documents(): DocInfo[] {
    const ids = this.docs.ids();
    const out: DocInfo[] = [];
    for (let i = 0; i < ids.length; i++) {
      const info = this.docs.document(ids[i]);
      if (info) out.push(info);
    }
    return out;
  }

  document(id: number): DocInfo | null {
    return this.docs.document(id);
  }

  pageParams(id: number, page: number): PageParams | null {
    return this.docs.pageParams(id, page);
  }

  /** Stream a committed page's coded bytes, chunk by chunk. */
  readPage(id: number, page: number): PageReader | null {
    return this.docs.page(id, page) ? new PageReader(this.docs, id, page) : null;
  }

  /** Replace the document's state record (printed, delivered, …). */
  setDocState(id: number, state: { [k: string]: unknown }): boolean {
    return this.docs.setState(id, state);
  }

  /** Delete a document (always possible: a tombstone uses the compaction reserve). */
  deleteDocument(id: number): boolean {
    return this.docs.remove(id);
  }

  // ---- space ------------------------------------------------------------------------------

  /** Bytes of live records, and the capacity documents may fill. */
  usage(): { live: number; capacity: number; percent: number; freeSectors: number } {
    const u = this.log.usage();
    if (this.maxDocuments > 0) {
      const p = Math.min(100, Math.round((100 * this.docs.counts().documents) / this.maxDocuments));
      if (p > u.percent) u.percent = p;
    }
    return u;
  }

  /** Bytes of page data that can still be written (free sectors, head room, reclaimable garbage). */
  available(): number {
    return this.log.available();
  }

  /**
   * Full: a new reception would not get one sector's worth of page data, or the store keeps
   * `maxDocuments` already. The panel says so.
   */
  isFull(): boolean {
    // The idle screen asks every second: computed once per store change.
    if (this.fullCache !== this.log.version) {
      this.fullFlag = this.log.available() < this.sectorSize || (this.maxDocuments > 0 && this.docs.counts().documents >= this.maxDocuments);
      this.fullCache = this.log.version;
    }
    return this.fullFlag;
  }
}
