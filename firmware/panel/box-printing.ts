// The panel while a box prints (the middle of "Print box", box-print.ts): resident, not part of
// the dialogs module, so that module is let go for the length of the print (on the board ~430
// variables, while the print's decoder and rows need theirs) and loaded again for the question
// that follows, "Delete N documents?" (BOX_DELETE, entered through its stand-in).
import type { State, Evt } from '../kernel/index.ts';
import type { Panel, KeyEvt } from './panel.ts';
import { IDLE } from './panel.ts';
import { services } from './services.ts';
import { journalAdd } from '../store/index.ts';

/** The box being printed and its documents (one print dialog at a time on the panel). */
export const printing = {
  box: '',
  ids: [] as number[],
  printed: 0,
  failed: 0,
  /** Where a print with no failure goes on: BOX_DELETE's stand-in (setPrintedNext). */
  next: IDLE as State<Panel>,
  /** Lets the dialogs module go (PanelDialogs sets it); null where there is none. */
  release: null as (() => void) | null,
};

/** The state after a print with no failure (the appliance gives the dialogs module's stand-in). */
export function setPrintedNext(next: State<Panel>, release: (() => void) | null): void {
  printing.next = next;
  printing.release = release;
}

function renderPrinting(me: Panel): void {
  const sv = services(me);
  const n = printing.ids.length;
  const st = sv.spooler.status();
  me.show(st === 'NO PAPER' ? 'Out of paper' : 'Printing box ' + printing.box, st === 'NO PAPER' ? 'Load paper: kept' : 'Document ' + Math.min(printing.printed + 1, n) + ' of ' + n);
}

export const BOX_PRINTING: State<Panel> = {
  name: 'BOX_PRINTING',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.inactivity.disarm();
      // The dialogs module is not needed until the print has ended.
      if (printing.release) printing.release();
      const sv = services(me);
      for (let i = 0; i < printing.ids.length; i++) {
        sv.spooler.printDocument(printing.ids[i], false, function (ok: boolean, id: number) {
          if (ok) printing.printed++;
          else printing.failed++;
          // The audit trail of a confidential box: who took what out, and when.
          const d = sv.store.document(id);
          journalAdd(sv.store, { t: me.clock.wall(), kind: 'print', doc: id, box: printing.box, pages: d ? d.pages : 0, result: ok ? 'printed' : 'failed' });
          me.post({ sig: 'BOX_DOC_DONE' });
        });
      }
      me.tick.arm(1000, 1000);
      renderPrinting(me);
      return;
    }
    if (e.sig === 'EXIT') {
      me.tick.disarm();
      return;
    }
    if (e.sig === 'TICK') return renderPrinting(me);
    if (e.sig === 'KEY' && ((e as KeyEvt).key === 'STOP' || (e as KeyEvt).key === 'BACK')) {
      return me.message('Printing goes on', 'Documents kept', IDLE);
    }
    if (e.sig === 'BOX_DOC_DONE') {
      if (printing.printed + printing.failed < printing.ids.length) return renderPrinting(me);
      if (printing.failed) return me.message(printing.failed === 1 ? '1 document failed' : printing.failed + ' documents failed', 'They stay in the box', IDLE);
      return me.tran(printing.next);
    }
  },
};
