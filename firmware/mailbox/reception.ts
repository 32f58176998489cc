// Received pages into the store, routed by the mailbox: the T.30 session's DocumentSink
// (fax/t30/types.ts). The first page of a call opens a document in the box its SUB names (or
// as an ordinary reception); a page is committed to flash in pageEnd(true), which the session
// calls before it answers MCF, so a confirmed page survives any power cut. At the end of the
// call the document is closed with the call's result and the call is journaled; then
// `onStored` tells the appliance (ordinary: print it; confidential: print the reception list).
import type { Clock } from '../../hal/clock.ts';
import type { Store, DocWriter } from '../store/index.ts';
import { journalAdd } from '../store/index.ts';
import type { DocumentSink, Refusal, PageInfo, PageQuality, JournalRecord } from '../fax/t30/index.ts';
import type { Mailbox, Route } from './mailbox.ts';

export type StoredCallback = (id: number, route: Route) => void;

/** The store has no room for the document or its next page. */
const MEMORY_FULL: Refusal = { full: true, reason: 'memory full' };

/** The mailbox refused the call (its reason); 'memory full' when it could not even count the try. */
function routeRefusal(route: Route): Refusal {
  return { full: route.reason === MEMORY_FULL.reason, reason: route.reason };
}

export class ReceptionSink implements DocumentSink {
  writer: DocWriter | null = null;
  route: Route | null = null;
  onStored: StoredCallback | null = null;
  /** What this sink last answered no, for the call's journal line ('refused: wrong password'). */
  private refused: Refusal | null = null;

  constructor(readonly store: Store, readonly mailbox: Mailbox, readonly clock: Clock) {}

  /**
   * At DCS, before any page: a wrong PWD or a refused SUB ends the call there with DCN (T.30
   * result 'refused'), instead of refusing its first page as if the memory were full.
   */
  accept(info: PageInfo): Refusal | null {
    if (!this.route) this.route = this.mailbox.route(info.sub, info.pwd, info.remoteIdent);
    if (this.route.action !== 'refuse') return null;
    return this.no(routeRefusal(this.route));
  }

  pageStart(info: PageInfo): Refusal | null {
    if (!this.route) this.route = this.mailbox.route(info.sub, info.pwd, info.remoteIdent);
    if (this.route.action === 'refuse') return this.no(routeRefusal(this.route));
    if (!this.writer) {
      this.writer = this.store.beginDocument({
        dir: 'rx',
        time: this.clock.wall(),
        remote: info.remoteIdent,
        sub: info.sub,
        box: this.route.box,
      });
      if (!this.writer) return this.no(MEMORY_FULL);
    }
    this.writer.beginPage({
      coding: String(info.coding).toLowerCase(), // the T.4 coder's names: mh, mr, mmr
      width: info.width,
      linesPerMm: info.fine ? 7.7 : 3.85,
      bitOrder: info.bitOrder,
      ecm: info.ecm,
      rate: info.rate,
    });
    return null;
  }

  pageData(bytes: Uint8Array): Refusal | null {
    if (!this.writer) return MEMORY_FULL;
    if (this.writer.write(bytes)) return null;
    return this.no(MEMORY_FULL);
  }

  pageEnd(confirmed: boolean, quality: PageQuality): Refusal | null {
    const w = this.writer;
    if (!w) return null;
    if (!confirmed) {
      w.abortPage();
      return null;
    }
    void quality;
    // Committed to flash before the session answers MCF.
    if (w.endPage()) return null;
    w.abortPage();
    return this.no(MEMORY_FULL);
  }
  /** The session's onCallEnd: close the document, journal the call, tell the appliance. */
  callEnded(r: JournalRecord): void {
    const w = this.writer;
    const route = this.route;
    let id = -1;
    if (w) {
      if (w.pages() > 0) {
        w.close(r.result);
        id = w.id;
      } else w.discard();
    }
    journalAdd(this.store, {
      t: r.start || this.clock.wall(),
      kind: 'call',
      dir: r.direction === 'send' ? 'tx' : 'rx',
      remote: r.remoteIdent || r.number,
      number: r.number,
      pages: r.pages,
      result: this.refused && r.result !== 'ok' ? 'refused: ' + this.refused.reason : r.result,
      reason: r.reason,
      sub: r.sub,
      box: route && route.action === 'confidential' ? route.box : '',
      doc: id,
      dur: r.duration,
    });
    this.writer = null;
    this.route = null;
    this.refused = null;
    if (id >= 0 && route && this.onStored) this.onStored(id, route);
  }

  private no(r: Refusal): Refusal {
    this.refused = r;
    return r;
  }
}
