// The scanner path: sheets in the feeder are scanned one line at a time, each line coded at
// once with the T.4 encoder and the coded bytes written to the store as a document (dir 'tx'
// to be sent by the fax line, 'copy' to be printed). Nothing larger than one line and the
// store's chunk buffer is ever in RAM. A slice is LINES_PER_STEP lines per event: coding a dense
// A4 row costs tens of ms on the interpreter, as decoding does (firmware/print/row-doc-job.ts).
import { Active } from '../kernel/index.ts';
import type { State, Evt } from '../kernel/index.ts';
import type { Clock } from '../../hal/clock.ts';
import type { Scanner } from '../../hal/scanner.ts';
import type { Store, DocWriter } from '../store/index.ts';
import { journalAdd } from '../store/index.ts';
// From its own file, not the t4 index: the index would bring the decoder into the resident code.
import { T4Encoder } from '../fax/t4/encoder.ts';
import type { T4Coding } from '../fax/t4/index.ts';

export const LINES_PER_STEP = 8;

/** ok, the document id (or -1), and why not when not ok. */
export type ScanDone = (ok: boolean, id: number, reason: string) => void;

export class ScanAgent extends Active {
  writer: DocWriter | null = null;
  encoder: T4Encoder | null = null;
  purpose = 'copy';
  dest = '';
  onDone: ScanDone | null = null;
  full = false;
  /** Stored coding: MH is what every remote can take without transcoding (T.30 DIS bit 9..). */
  coding: T4Coding = 'mh';

  constructor(prio: number, readonly scanner: Scanner, readonly store: Store, readonly clock: Clock) {
    super('scan', prio, 8, SC_IDLE);
  }

  busy(): boolean {
    return this.state !== SC_IDLE;
  }

  /** Scan the feeder into the store: 'copy' or 'tx' (dest: the number to dial). False if busy. */
  scan(purpose: string, dest: string, onDone: ScanDone): boolean {
    if (this.busy()) return false;
    this.purpose = purpose;
    this.dest = dest;
    this.onDone = onDone;
    this.post({ sig: 'SCAN' });
    return true;
  }

  /** Start the next sheet; false when the feeder is empty. */
  nextSheet(): boolean {
    const info = this.scanner.beginPage();
    if (!info) return false;
    const w = this.writer as DocWriter;
    const self = this;
    w.beginPage({ coding: this.coding, width: info.width, linesPerMm: info.linesPerMm, bitOrder: 'lsb-first' });
    this.encoder = new T4Encoder({
      coding: this.coding,
      width: info.width,
      bitOrder: 'lsb-first',
      onData: function (b: Uint8Array) {
        if (!self.full && !w.write(b)) self.full = true;
      },
    });
    return true;
  }

  finish(ok: boolean, reason: string): void {
    const w = this.writer;
    let id = -1;
    if (w) {
      id = w.id;
      if (ok) w.close('ok');
      else w.discard();
    }
    this.writer = null;
    this.encoder = null;
    this.trace(this.purpose + ' scan ' + (ok ? 'done: document ' + id : 'failed: ' + reason));
    const cb = this.onDone;
    this.onDone = null;
    this.tran(SC_IDLE);
    if (cb) cb(ok, ok ? id : -1, reason);
  }
}

export const SC_IDLE: State<ScanAgent> = {
  name: 'IDLE',
  on: function (me: ScanAgent, e: Evt) {
    if (e.sig === 'SCAN') me.tran(SC_SCANNING);
  },
};

export const SC_SCANNING: State<ScanAgent> = {
  name: 'SCANNING',
  on: function (me: ScanAgent, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.full = false;
      if (!me.scanner.documentPresent()) return me.finish(false, 'no document in the feeder');
      me.writer = me.store.beginDocument({ dir: me.purpose, time: me.clock.wall(), remote: me.dest, sub: '', box: '' });
      if (!me.writer) return me.finish(false, 'memory full');
      if (!me.nextSheet()) return me.finish(false, 'no document in the feeder');
      me.post({ sig: 'STEP' });
      return;
    }
    if (e.sig !== 'STEP') return;
    const enc = me.encoder as T4Encoder;
    const w = me.writer as DocWriter;
    for (let i = 0; i < LINES_PER_STEP; i++) {
      const row = me.scanner.nextLine();
      if (!row) {
        enc.finish();
        if (me.full || !w.endPage()) return me.finish(false, 'memory full');
        if (!me.nextSheet()) return me.finish(true, '');
        break;
      }
      enc.encodeRow(row);
      if (me.full) return me.finish(false, 'memory full');
    }
    me.post({ sig: 'STEP' });
  },
};

/**
 * At boot: documents scanned to send whose call never ended (a power cut) are dropped and
 * journaled, so they neither linger in the store nor go out hours later unasked.
 */
export function dropUnsent(store: Store, clock: Clock): number {
  const docs = store.documents();
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    if (d.meta.dir !== 'tx') continue;
    store.deleteDocument(d.id);
    journalAdd(store, { t: clock.wall(), kind: 'call', dir: 'tx', remote: d.meta.remote, pages: 0, result: 'not sent (power cut)', doc: d.id });
    n++;
  }
  return n;
}
