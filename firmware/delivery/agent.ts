// The delivery agent: an active object that decides what goes to whom and when (the box's
// `delivery` policy), keeps it in the power-safe outbox (outbox.ts) and hands each due item to
// the transport that reaches the box owner (the LAN service for host:/ip4: owners, mail for
// mail: owners). It knows nothing of sockets or SMTP: a transport says "acknowledged" or
// "failed, because …", and the agent removes the item or retries it after the back-off.
//
// Policies (patent ¶0100, docs/LAN-PROTOCOL.md §5):
//   request  notice only; the owner asks for the document (¶0054–0067)
//   each     push the document after every reception
//   count    notice; push all waiting documents once `count` are waiting
//   time     notice; push all waiting documents daily at `time` (HH:MM local)
// A pushed document counts as delivered only when the owner acknowledged it; then it is kept
// (marked delivered) or deleted, as the box's `delivery.after` says. The LAN acknowledges on the
// connection (the transport's `done(true)` is the acknowledgement); mail acknowledges later by a
// mail of its own: the transport says `done(true, '', true)` — sent, awaiting acknowledgement —
// and the item stays in the outbox (sent again after the back-off, bounded: outbox.ts) until
// the mail service reads the owner's acknowledgement and calls `delivered`.
import type { Clock } from '../../hal/clock.ts';
import { Active, TimeEvt, ENTRY } from '../kernel/index.ts';
import type { Evt, State } from '../kernel/index.ts';
import type { Store, DocInfo } from '../store/index.ts';
import { journalAdd } from '../store/index.ts';
import type { Mailbox, BoxSettings } from '../mailbox/index.ts';
import { civilFromMs } from '../clock/calendar.ts';
import { Outbox } from './outbox.ts';
import type { OutboxItem } from './outbox.ts';

export interface DeliveryJob {
  item: OutboxItem;
  info: DocInfo;
  box: BoxSettings;
}

/** A way to reach box owners (LAN, mail). */
export interface DeliveryTransport {
  name: string;
  /** True when this transport can reach that owner identity (by its scheme). */
  reaches(owner: string): boolean;
  /**
   * Starts one delivery; calls `done` exactly once later. False: not now (busy, not ready).
   * `awaitAck`: it went out, and the owner's acknowledgement will come separately (mail).
   */
  deliver(job: DeliveryJob, done: (ok: boolean, reason: string, awaitAck?: boolean) => void): boolean;
}

export interface DeliveryOptions {
  /** Minutes east of UTC (the `time` policy is local time). */
  utcOffset: () => number;
  /** Checks of the `time` policy and of due retries, ms. */
  pollMs?: number;
}

interface ResultEvt extends Evt {
  doc: number;
  kind: string;
  ok: boolean;
  reason: string;
  awaitAck: boolean;
}

interface StoredEvt extends Evt {
  doc: number;
}

export const DELIVERY_POLL_MS = 10000;

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

const IDLE: State<DeliveryAgent> = {
  name: 'IDLE',
  on(me, e) {
    if (e === ENTRY) me.poll.arm(0);
    else if (e.sig === 'STORED') me.onStored((e as StoredEvt).doc);
    else if (e.sig === 'POLL' || e.sig === 'KICK') {
      me.checkTime();
      me.sweepHeld();
      if (me.startNext()) me.tran(SENDING);
      else me.armNext();
    }
  },
};

const SENDING: State<DeliveryAgent> = {
  name: 'SENDING',
  on(me, e) {
    if (e.sig === 'STORED') me.onStored((e as StoredEvt).doc);
    else if (e.sig === 'POLL') me.checkTime();
    else if (e.sig === 'RESULT') {
      me.onResult(e as ResultEvt);
      me.tran(IDLE);
    }
  },
};

export class DeliveryAgent extends Active {
  outbox: Outbox;
  transports: DeliveryTransport[] = [];
  poll: TimeEvt;
  pollMs: number;
  current: OutboxItem | null = null;
  /** A due item waits for atRest (traced once per wait). */
  private waiting = false;
  /** Told when a document was delivered (the simulator and tests). */
  onDelivered: ((doc: number) => void) | null = null;
  /**
   * False while the appliance does other heavy work a delivery should not overlap (the appliance
   * says: while the printer prints): due items wait for it, looked at again every second. On a
   * board a print and a delivery each hold a module and their buffers; one after the other they
   * stay inside the memory budget (docs/ESPRUINO.md), and a print ends by itself.
   */
  atRest: (() => boolean) | null = null;

  constructor(prio: number, readonly store: Store, readonly mailbox: Mailbox, readonly clock: Clock, readonly opts: DeliveryOptions) {
    super('delivery', prio, 16, IDLE);
    this.outbox = new Outbox(store);
    this.poll = new TimeEvt(this, 'POLL');
    this.pollMs = opts.pollMs || DELIVERY_POLL_MS;
  }

  addTransport(t: DeliveryTransport): void {
    this.transports.push(t);
  }

  /** A confidential reception was stored (the appliance's onStored). */
  stored(doc: number): void {
    this.post({ sig: 'STORED', doc: doc } as StoredEvt);
  }

  /** Look at the outbox now (a transport became free, an owner's computer said hello). */
  kick(): void {
    this.post({ sig: 'KICK' });
  }

  transportFor(owner: string): DeliveryTransport | null {
    for (let i = 0; i < this.transports.length; i++) if (this.transports[i].reaches(owner)) return this.transports[i];
    return null;
  }

  onStored(doc: number): void {
    const info = this.store.document(doc);
    if (!info || !info.meta.box) return;
    const box = this.mailbox.box(info.meta.box);
    if (!box || !box.owner) return;
    const d = box.delivery;
    if (d.mode === 'each') this.enqueue(doc, 'document');
    else {
      this.enqueue(doc, 'notice');
      if (d.mode === 'count') {
        const waiting = this.mailbox.waiting(box.number);
        if (waiting.length >= d.count) for (let i = 0; i < waiting.length; i++) this.enqueue(waiting[i].id, 'document');
      }
    }
    this.post({ sig: 'KICK' });
  }

  private enqueue(doc: number, kind: 'notice' | 'document'): void {
    if (this.outbox.add(doc, kind)) this.trace('queued ' + kind + ' of document ' + doc);
    else this.trace('outbox full: ' + kind + ' of document ' + doc + ' not queued');
  }

  /** The `time` policy: once a day at the box's HH:MM (local), push what is waiting. */
  checkTime(): void {
    const boxes = this.mailbox.boxes();
    const local = civilFromMs(this.clock.wall() + this.opts.utcOffset() * 60000);
    const day = local.year + '-' + two(local.month) + '-' + two(local.day);
    const hhmm = two(local.hour) + ':' + two(local.minute);
    for (let i = 0; i < boxes.length; i++) {
      const b = boxes[i];
      if (b.delivery.mode !== 'time' || !b.owner || hhmm < b.delivery.time) continue;
      const key = 'delivery.day.' + b.number;
      if (this.store.getSetting(key) === day) continue;
      this.store.setSetting(key, day);
      const waiting = this.mailbox.waiting(b.number);
      this.trace('box ' + b.number + ': daily delivery at ' + b.delivery.time + ', ' + waiting.length + ' waiting');
      for (let j = 0; j < waiting.length; j++) this.enqueue(waiting[j].id, 'document');
    }
  }

  /**
   * Held items (mailed, only waiting for an acknowledgement) are never due, so the check in
   * startNext does not reach them: one whose document was deleted (ids are never reused) or
   * delivered meanwhile is dropped here.
   */
  sweepHeld(): void {
    const items = this.outbox.items;
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i];
      if (!it.held) continue;
      const info = this.store.document(it.doc);
      if (!info || (info.state.delivered && !it.asked)) {
        this.trace('held ' + it.kind + ' of document ' + it.doc + ' dropped: the document is ' + (info ? 'delivered' : 'gone'));
        this.outbox.drop(it.doc);
      }
    }
  }

  /** Starts the next due item on a free transport; true when one started. */
  startNext(): boolean {
    const now = this.clock.wall();
    const me = this;
    if (this.atRest && !this.atRest()) {
      const next = this.outbox.nextAt();
      if (next >= 0 && next <= now && !this.waiting) {
        this.waiting = true;
        this.trace('a delivery is due: it waits for the printer');
      }
      return false;
    }
    this.waiting = false;
    for (let guard = 0; guard < 64; guard++) {
      const it = this.outbox.due(now, function () {
        return true;
      });
      if (!it) return false;
      const info = this.store.document(it.doc);
      const box = info && info.meta.box ? this.mailbox.box(info.meta.box) : null;
      if (!info || !box || !box.owner || (info.state.delivered && !it.asked)) {
        // Deleted, printed and removed, or delivered by a request meanwhile: nothing to send
        // (unless the owner asks for it again: a document delivered and kept).
        this.outbox.drop(it.doc);
        continue;
      }
      const t = this.transportFor(box.owner);
      if (!t) {
        this.outbox.failed(it.doc, it.kind, now, 'no transport reaches ' + box.owner);
        continue;
      }
      const kind = it.kind;
      const doc = it.doc;
      const started = t.deliver({ item: it, info: info, box: box }, function (ok: boolean, reason: string, awaitAck?: boolean) {
        me.post({ sig: 'RESULT', doc: doc, kind: kind, ok: ok, reason: reason, awaitAck: !!awaitAck } as ResultEvt);
      });
      if (!started) return false;
      this.current = it;
      this.trace(kind + ' of document ' + doc + ' to ' + box.owner + ' by ' + t.name + (it.tries ? ' (retry ' + it.tries + ')' : '') + (it.sent ? ' (sent ' + it.sent + ' before, not acknowledged)' : ''));
      return true;
    }
    return false;
  }

  onResult(e: ResultEvt): void {
    this.current = null;
    const kind = e.kind === 'document' ? 'document' : 'notice';
    if (e.ok && e.awaitAck) {
      const wait = this.outbox.awaitAck(e.doc, kind, this.clock.wall());
      this.trace(kind + ' of document ' + e.doc + ' sent, awaiting acknowledgement' + (wait < 0 ? ' (not sent again by itself)' : ', sent again in ' + Math.round(wait / 60000) + ' min if none comes'));
    } else if (e.ok) {
      this.outbox.done(e.doc, kind);
      this.trace(kind + ' of document ' + e.doc + ' acknowledged');
      if (kind === 'document') this.delivered(e.doc, 'push');
    } else {
      this.outbox.failed(e.doc, kind, this.clock.wall(), e.reason);
      const it = this.outbox.find(e.doc, kind);
      this.trace(kind + ' of document ' + e.doc + ' failed: ' + e.reason + (it ? ', next try in ' + Math.round((it.at - this.clock.wall()) / 1000) + ' s' : ''));
    }
  }

  /** The owner has the document (pushed and acknowledged, or fetched and acknowledged). */
  delivered(doc: number, how: string): void {
    const info = this.store.document(doc);
    if (!info) return;
    const box = this.mailbox.box(info.meta.box);
    const st: { [k: string]: unknown } = {};
    const keys = Object.keys(info.state);
    for (let i = 0; i < keys.length; i++) st[keys[i]] = info.state[keys[i]];
    st.delivered = this.clock.wall();
    this.store.setDocState(doc, st);
    this.outbox.drop(doc);
    const del = box && box.delivery.after === 'delete';
    journalAdd(this.store, { t: this.clock.wall(), kind: 'delivered', doc: doc, box: info.meta.box, how: how, kept: !del });
    if (del) this.store.deleteDocument(doc);
    this.trace('document ' + doc + ' delivered (' + how + ')' + (del ? ', deleted' : ', kept'));
    if (this.onDelivered) this.onDelivered(doc);
  }

  /** Arms the poll for the next due retry, or the regular poll (for the `time` policy). */
  armNext(): void {
    const next = this.outbox.nextAt();
    let wait = this.pollMs;
    if (next >= 0) {
      // An item already due could not start (its transport is busy or not ready): look again
      // in a second, not at once (that would spin).
      const d = next - this.clock.wall();
      if (d < wait) wait = d < 1000 ? 1000 : d;
    }
    this.poll.arm(wait);
  }
}
