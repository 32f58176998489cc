// The flash record store: a log engine (log.ts, format in layout.ts) with three indexes over it —
// settings, the journal, documents — put together by Store (store.ts). It depends only on
// hal/flash and the kernel.
//
//   const store = new Store(board.flash, { reserveDoc: 2, chunkBytes: 512, crc: nativeCrc32 });
//   store.mount();                                   // after every boot; survives any power cut
//   (crc: a whole-buffer CRC-32 such as the interpreter's native E.CRC32; default: JS crc32.ts)
//   const w = store.beginDocument({ dir: 'rx', time, remote, sub, box });   // null = store full
//   w.beginPage({ coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' });
//   w.write(bytes) …                                 // false = full: w.abortPage(), refuse the page
//   w.endPage()                                      // true = the page is durable (send MCF now)
//   w.close('ok')                                    // the document's commit
//   store.documents() / document(id) / pageParams(id, i)
//   const r = store.readPage(id, i); for (let b = r.next(); b; b = r.next()) …; r.error
//   store.setDocState(id, { printed: true }); store.deleteDocument(id)
//   store.getSetting(name) / setSetting(name, value)  // small named strings, latest wins
//   store.addJournal(text) / journal()               // the newest `journalMax` entries
//   store.usage().percent, store.isFull(), store.maintain()   // maintain(): one compaction if low
//   storeCapacity(store)                             // size, MEM %, room in typical pages (capacity.ts)
//   store.version                                    // changes with every record: cache by it
//   store.attach([REC_TYPE…], index)                 // another LogIndex over the log (before mount)
//   saveStoredSettings(store, settings) / readStoredSettings(store)   // the settings as JSON
// A document whose writer never closed it (power cut) comes back `interrupted` with its
// committed pages; one with no committed page is dropped at mount.
export { Store, DocWriter, PageReader } from './store.ts';
export type { DocMeta, DocInfo, PageParams, StoreOptions, MountReport, SpaceClass, LogIndex } from './store.ts';
export { RecordLog } from './log.ts';
export { storeCapacity, sizeText, TYPICAL_PAGE_BYTES } from './capacity.ts';
export type { StoreCapacity } from './capacity.ts';
export { REC } from './layout.ts';
export { crc32 } from './crc32.ts';
export { journalAdd, journalEntries } from './journal.ts';
export type { JournalEntry } from './journal.ts';
export { saveStoredSettings, readStoredSettings, SETTINGS_RECORD } from './settings-store.ts';
// Background compaction while the line is quiet: kernel.add(new StoreUpkeep(prio, store, busy)).
export { StoreUpkeep, UPKEEP_MS } from './upkeep.ts';
