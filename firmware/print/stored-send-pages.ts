// A stored document's pages as the T.30 sender takes them: what the send queue and the panel's
// send hand to the fax line (resident on the board). Each names its stored page; the sending
// side opens it with the decoder it holds (fax/page-rows.ts openSendPage), or sends the stored data
// as it is when that is what the call negotiated (coded()).
import type { Store } from '../store/index.ts';
import type { SendPage } from '../fax/t30/index.ts';

/** The document's pages from page `from` (0-based, default 0) on: a job retried after some pages went out sends the rest. */
export function storedSendPages(store: Store, docId: number, from?: number): SendPage[] {
  const doc = store.document(docId);
  const out: SendPage[] = [];
  if (!doc) return out;
  for (let i = from || 0; i < doc.pages; i++) out.push(storedSendPage(store, docId, i));
  return out;
}

function storedSendPage(store: Store, docId: number, page: number): SendPage {
  const p = store.pageParams(docId, page);
  const superfine = !!p && p.linesPerMm > 10;
  return {
    width: p ? p.width : 1728,
    // T.30 here knows standard (3.85 l/mm) and fine (7.7 l/mm, T.4 §2.2).
    fine: !!p && p.linesPerMm > 5,
    stored: { store: store, doc: docId, page: page },
    // the coded data as stored, when it is what the call needs (no coding at line rate)
    coded: function (coding: string, fine: boolean, width: number) {
      if (!p || superfine || p.coding !== coding || p.bitOrder !== 'lsb-first' || p.width !== width || (p.linesPerMm > 5) !== fine) return null;
      return store.readPage(docId, page);
    },
  };
}
