// Received pages into the store, routed by the mailbox: the T.30 session's DocumentSink
// (fax/t30/types.ts). The first page of a call opens a document in the box its SUB names (or
// as an ordinary reception); a page is committed to flash in pageEnd(true), which the session
// calls before it answers MCF, so a confirmed page survives any power cut. At the end of the
// call the document is closed with the call's result and the call is journaled; then
// `onStored` tells the appliance (ordinary: print it; confidential: print the reception list).
import type { Clock } from '../../hal/clock.ts';
import type { Store, DocWriter } from '../store/index.ts';
import { journalAdd } from '../store/index.ts';
import type { DocumentSink, PageInfo, PageQuality, JournalRecord } from '../fax/t30/index.ts';
import type { Mailbox, Route } from './mailbox.ts';

export type StoredCallback = (id: number, route: Route) => void;

export class ReceptionSink implements DocumentSink {
  writer: DocWriter | null = null;
  route: Route | null = null;
  /** Why the last call's pages were refused ('' none): the mailbox's or the store's reason. */
  refusal = '';
  onStored: StoredCallback | null = null;

  constructor(readonly store: Store, readonly mailbox: Mailbox, readonly clock: Clock) {}

  /**
   * At DCS, before any page: a wrong PWD or a refused SUB ends the call there with DCN (T.30
   * result 'refused'), instead of refusing its first page as if the memory were full.
   */
  accept(info: PageInfo): boolean {
    if (!this.route) this.route = this.mailbox.route(info.sub, info.pwd, info.remoteIdent);
    if (this.route.action !== 'refuse') return true;
    this.refusal = this.route.reason;
    return false;
  }

  pageStart(info: PageInfo): boolean {
    if (!this.route) {
      this.route = this.mailbox.route(info.sub, info.pwd, info.remoteIdent);
      if (this.route.action === 'refuse') {
        this.refusal = this.route.reason;
        return false;
      }
    }
    if (this.route.action === 'refuse') return false;
    if (!this.writer) {
      this.writer = this.store.beginDocument({
        dir: 'rx',
        time: this.clock.wall(),
        remote: info.remoteIdent,
        sub: info.sub,
        box: this.route.box,
      });
      if (!this.writer) {
        this.refusal = 'memory full';
        return false;
      }
    }
    this.writer.beginPage({
      coding: String(info.coding).toLowerCase(), // the T.4 coder's names: mh, mr, mmr
      width: info.width,
      linesPerMm: info.fine ? 7.7 : 3.85,
      bitOrder: info.bitOrder,
      ecm: info.ecm,
      rate: info.rate,
    });
    return true;
  }

  pageData(bytes: Uint8Array): boolean {
    if (!this.writer) return false;
    if (this.writer.write(bytes)) return true;
    this.refusal = 'memory full';
    return false;
  }

  pageEnd(confirmed: boolean, quality: PageQuality): void {
    const w = this.writer;
    if (!w) return;
    if (!confirmed) {
      w.abortPage();
      return;
    }
    // Committed to flash before the session answers MCF.
    if (!w.endPage()) {
      this.refusal = 'memory full';
      w.abortPage();
    }
    void quality;
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
      result: this.refusal && r.result !== 'ok' ? 'refused: ' + this.refusal : r.result,
      reason: r.reason,
      sub: r.sub,
      box: route && route.action === 'confidential' ? route.box : '',
      doc: id,
      dur: r.duration,
    });
    this.writer = null;
    this.route = null;
    this.refusal = '';
    if (id >= 0 && route && this.onStored) this.onStored(id, route);
  }
}
