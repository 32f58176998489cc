// The outbox of confidential delivery, transport-neutral: which message (a notice, or the
// document itself) still has to reach which document's box owner, and when to try next. It is
// kept in the flash store as one named value (`delivery.outbox`, JSON), rewritten on every
// change, so a power cut loses nothing that was queued: the store's records are CRC-checked and
// the newest complete one wins. Items are removed only when the owner's side acknowledged
// (docs/LAN-PROTOCOL.md §5); a failed attempt is retried with a doubling back-off. A transport
// whose acknowledgement comes later and separately (mail: the owner's client mails it back,
// docs/MAIL.md) leaves the item here as "sent, awaiting acknowledgement": sent again if none comes,
// a bounded number of times, then only held until it comes.

/** A notice (the owner is told; ¶0055) or the document itself (automatic delivery, ¶0100). */
export type OutboxKind = 'notice' | 'document';

export interface OutboxItem {
  doc: number;
  kind: OutboxKind;
  /** Failed attempts so far. */
  tries: number;
  /** Calendar time (Unix ms) of the next attempt; 0 = at once. */
  at: number;
  /** Why the last attempt failed ('' none). */
  last: string;
  /** Times it went out with no acknowledgement yet (a transport whose acknowledgement comes later). */
  sent: number;
  /** Sent ACK_RESENDS + 1 times: not sent again, only waiting for the acknowledgement. */
  held: boolean;
  /** The owner asked for it: sent even if the document was delivered before (and kept). */
  asked: boolean;
}

/** The two store calls the outbox needs (the flash store satisfies it). */
export interface OutboxStore {
  getSetting(name: string): string | null;
  setSetting(name: string, value: string): boolean;
}

export const OUTBOX_SETTING = 'delivery.outbox';
/** First retry after 30 s, doubling, at most hourly. */
export const RETRY_FIRST_MS = 30000;
export const RETRY_MAX_MS = 3600000;
/** Items kept at most (a box holds at most as many documents as the store; this bounds RAM). */
export const OUTBOX_MAX = 64;

/**
 * Waiting for an acknowledgement that travels separately (mail): the same doubling, but from an
 * hour — the owner's client may be off, and each re-send is a whole document in their mailbox.
 * After ACK_RESENDS re-sends (1 h, 2 h, 4 h after the sends before them) the item is held: never
 * sent again by itself, still acknowledged whenever the acknowledgement comes, and sent again at
 * once when the owner asks for the document.
 */
export const ACK_WAIT_FIRST_MS = 3600000;
export const ACK_RESENDS = 3;

export function ackWait(sent: number): number {
  let d = ACK_WAIT_FIRST_MS;
  for (let i = 1; i < sent; i++) d *= 2;
  return d;
}

interface SavedItem {
  d: number;
  k: string;
  n: number;
  a: number;
  l: string;
  s?: number;
  h?: number;
  q?: number;
}

export function retryDelay(tries: number): number {
  let d = RETRY_FIRST_MS;
  for (let i = 1; i < tries && d < RETRY_MAX_MS; i++) d *= 2;
  return d > RETRY_MAX_MS ? RETRY_MAX_MS : d;
}

/** A list saved as JSON under `name` (empty when absent or damaged: each reader checks its items). */
export function savedList(store: OutboxStore, name: string): unknown[] {
  const text = store.getSetting(name);
  if (!text) return [];
  try {
    const list = JSON.parse(text);
    return Array.isArray(list) ? list : [];
  } catch (e) {
    return [];
  }
}

export class Outbox {
  items: OutboxItem[] = [];
  /** A save that the store refused (full settings reserve): tried again on the next change. */
  unsaved = false;

  constructor(readonly store: OutboxStore) {
    this.load();
  }

  /** Reads the saved outbox (at boot: whatever was queued before a power cut comes back). */
  load(): void {
    this.items = [];
    const list = savedList(this.store, OUTBOX_SETTING);
    for (let i = 0; i < list.length && this.items.length < OUTBOX_MAX; i++) {
      const o = list[i] as SavedItem;
      if (!o || typeof o.d !== 'number' || (o.k !== 'n' && o.k !== 'd')) continue;
      this.items.push({
        doc: o.d, kind: o.k === 'n' ? 'notice' : 'document', tries: o.n | 0, at: +o.a || 0, last: typeof o.l === 'string' ? o.l : '',
        sent: (o.s as number) | 0, held: o.h === 1, asked: o.q === 1,
      });
    }
  }

  private save(): void {
    const out: SavedItem[] = [];
    for (let i = 0; i < this.items.length; i++) {
      const it = this.items[i];
      const o: SavedItem = { d: it.doc, k: it.kind === 'notice' ? 'n' : 'd', n: it.tries, a: it.at, l: it.last };
      if (it.sent) o.s = it.sent;
      if (it.held) o.h = 1;
      if (it.asked) o.q = 1;
      out.push(o);
    }
    this.unsaved = !this.store.setSetting(OUTBOX_SETTING, JSON.stringify(out));
  }

  find(doc: number, kind: OutboxKind): OutboxItem | null {
    for (let i = 0; i < this.items.length; i++) if (this.items[i].doc === doc && this.items[i].kind === kind) return this.items[i];
    return null;
  }

  /**
   * Queue a message (once: a second add of the same doc and kind is ignored). False when full.
   * `asked`: the owner asked for it (sent even when the document was delivered before).
   */
  add(doc: number, kind: OutboxKind, asked?: boolean): boolean {
    if (this.find(doc, kind)) return true;
    // Full: a held item (mailed ACK_RESENDS + 1 times, only waiting for an acknowledgement that
    // may never come) makes room; its document stays in its box, listed and printable.
    if (this.items.length >= OUTBOX_MAX) for (let i = 0; i < this.items.length; i++) {
      if (this.items[i].held) {
        this.items.splice(i, 1);
        break;
      }
    }
    if (this.items.length >= OUTBOX_MAX) return false;
    // A document pushed makes its notice unnecessary: the document carries the same summary.
    if (kind === 'document') this.removeQuiet(doc, 'notice');
    this.items.push({ doc: doc, kind: kind, tries: 0, at: 0, last: '', sent: 0, held: false, asked: !!asked });
    this.save();
    return true;
  }

  private removeQuiet(doc: number, kind: OutboxKind): boolean {
    for (let i = 0; i < this.items.length; i++) {
      if (this.items[i].doc === doc && this.items[i].kind === kind) {
        this.items.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** The owner acknowledged: the item is done. */
  done(doc: number, kind: OutboxKind): void {
    if (this.removeQuiet(doc, kind)) this.save();
  }

  /** Forget everything about a document (it was delivered by other means, deleted, printed). */
  drop(doc: number): void {
    const a = this.removeQuiet(doc, 'notice');
    const b = this.removeQuiet(doc, 'document');
    if (a || b) this.save();
  }

  /** An attempt failed (or a bounce says the last one did): try again after the back-off. */
  failed(doc: number, kind: OutboxKind, now: number, reason: string): void {
    const it = this.find(doc, kind);
    if (!it) return;
    it.tries++;
    it.at = now + retryDelay(it.tries);
    it.last = reason;
    it.held = false;
    this.save();
  }

  /**
   * It went out, and its acknowledgement comes later by itself (mail): kept, sent again after
   * ackWait if none came, at most ACK_RESENDS times, then held. Returns the wait (ms), -1 held.
   */
  awaitAck(doc: number, kind: OutboxKind, now: number): number {
    const it = this.find(doc, kind);
    if (!it) return -1;
    it.sent++;
    it.tries = 0;
    it.last = 'awaiting acknowledgement';
    it.held = it.sent > ACK_RESENDS;
    it.at = it.held ? now : now + ackWait(it.sent);
    this.save();
    return it.held ? -1 : it.at - now;
  }

  /** The first item due at `now` for which `eligible` says yes, documents before notices. */
  due(now: number, eligible: (it: OutboxItem) => boolean): OutboxItem | null {
    let best: OutboxItem | null = null;
    for (let i = 0; i < this.items.length; i++) {
      const it = this.items[i];
      if (it.held || it.at > now || !eligible(it)) continue;
      if (!best || it.at < best.at) best = it;
    }
    return best;
  }

  /** The earliest attempt time of any item not held, or -1 when there is none. */
  nextAt(): number {
    let t = -1;
    for (let i = 0; i < this.items.length; i++) if (!this.items[i].held && (t < 0 || this.items[i].at < t)) t = this.items[i].at;
    return t;
  }

  size(): number {
    return this.items.length;
  }
}
