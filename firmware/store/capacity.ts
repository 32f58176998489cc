// The store's capacity in the unit a person thinks in: pages. Office machines state their memory
// as pages of a standard test page; the appliance counts in typical pages of typed text at fine
// resolution, as the store keeps them (coded MR, in chunk records with their headers): about
// 60,000 bytes each (docs/STORE.md, "Capacity"). A scanned or dense page takes more, a sparse
// one less, so the figures are estimates and say so ("about").
import type { Store } from './store.ts';

/** Bytes a typical page (typed text, fine resolution, coded MR) takes in the store. */
export const TYPICAL_PAGE_BYTES = 60000;

export interface StoreCapacity {
  /** Bytes of the flash device the store runs on. */
  flashBytes: number;
  /** How full the store is, in percent (the idle screen's MEM n%). */
  percent: number;
  /** Typical pages the whole store holds for documents when empty. */
  totalPages: number;
  /** Typical pages that still fit (free space, head room and what compaction can reclaim). */
  freePages: number;
}

/** The capacity figures of `store` now (computed on request: a scan of the sector table). */
export function storeCapacity(store: Store): StoreCapacity {
  const u = store.usage();
  return {
    flashBytes: store.sectorSize * store.sectorCount,
    percent: u.percent,
    totalPages: Math.floor(u.capacity / TYPICAL_PAGE_BYTES),
    // At the board's document cap no page fits, whatever the flash has left.
    freePages: store.isFull() ? 0 : Math.floor(store.available() / TYPICAL_PAGE_BYTES),
  };
}

/** A flash size as people write it: 1 MB, 4 MB, 512 KB (binary units, as flash chips are sold). */
export function sizeText(bytes: number): string {
  if (bytes >= 1048576 && bytes % 1048576 === 0) return bytes / 1048576 + ' MB';
  if (bytes >= 1048576) return (Math.round((bytes / 1048576) * 10) / 10) + ' MB';
  return Math.round(bytes / 1024) + ' KB';
}
