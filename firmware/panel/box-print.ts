// Menu entry "Print box" (also the BOX key): box number → pass code shown as **** → every
// document of the box prints → "Delete N documents?". Every refusal says why and what next.
// The printing itself is watched by a resident state (box-printing.ts): this file is part of the
// panel's dialogs module, which is let go while the pages print.
import type { State, Evt } from '../kernel/index.ts';
import type { Panel, KeyEvt } from './panel.ts';
import { MENU, IDLE } from './panel.ts';
import { services, mask, fmtWait, editDigits } from './services.ts';
import { LOCK_AFTER, MAX_CODE_DIGITS } from '../auth/index.ts';
import { journalAdd } from '../store/index.ts';
import { BOX_PRINTING, printing } from './box-printing.ts';

/** The box being chosen (one dialog at a time on the panel). */
const ctx = { box: '' };

function renderNumber(me: Panel): void {
  me.show('Print box: number', '> ' + me.entry);
}

export const BOX_NUMBER: State<Panel> = {
  name: 'BOX_NUMBER',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.entry = '';
      me.touch();
      renderNumber(me);
      return;
    }
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    if (editDigits(me, k, 20)) return renderNumber(me);
    if (k === 'BACK' || k === 'STOP') return me.tran(MENU);
    if (k !== 'OK' || !me.entry) return;
    const sv = services(me);
    const b = sv.mailbox.box(me.entry);
    if (!b) return me.message('No box ' + me.entry, 'Check the number', BOX_NUMBER);
    const left = sv.mailbox.lockRemaining(b.number);
    if (left > 0) return me.message('Box ' + b.number + ' is locked', 'Try again in ' + fmtWait(left), IDLE);
    ctx.box = b.number;
    me.tran(BOX_CODE);
  },
};

function renderCode(me: Panel): void {
  me.show('Box ' + ctx.box + ' pass code', '> ' + mask(me.entry));
}

export const BOX_CODE: State<Panel> = {
  name: 'BOX_CODE',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.entry = '';
      me.touch();
      renderCode(me);
      return;
    }
    if (e.sig === 'INACTIVE') {
      me.entry = '';
      return me.tran(IDLE);
    }
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    if (editDigits(me, k, MAX_CODE_DIGITS)) return renderCode(me);
    if (k === 'BACK' || k === 'STOP') {
      me.entry = '';
      return me.tran(IDLE);
    }
    if (k !== 'OK' || !me.entry) return;
    const sv = services(me);
    const code = me.entry;
    me.entry = '';
    const r = sv.mailbox.tryCode(ctx.box, code, 'panel');
    if (r.result === 'locked') return me.message('Box ' + ctx.box + ' is locked', 'Try again in ' + fmtWait(r.lockedMs), IDLE);
    if (r.result === 'unavailable') return me.message('Memory full:', 'code not checked', IDLE);
    if (r.result === 'no code') return me.message('Box ' + ctx.box + ' has no code', 'Ask the admin', IDLE);
    if (r.result !== 'ok') {
      const left = LOCK_AFTER - r.failures;
      return me.message('Wrong pass code', left > 0 ? left + ' more before lock' : 'Box will lock', BOX_CODE);
    }
    const docs = sv.mailbox.kept(ctx.box);
    if (docs.length === 0) return me.message('Box ' + ctx.box + ' is empty', 'Nothing to print', IDLE);
    printing.box = ctx.box;
    printing.ids = [];
    printing.printed = 0;
    printing.failed = 0;
    for (let i = 0; i < docs.length; i++) printing.ids.push(docs[i].id);
    me.tran(BOX_PRINTING);
  },
};

export const BOX_DELETE: State<Panel> = {
  name: 'BOX_DELETE',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.touch();
      me.show(printing.ids.length === 1 ? 'Delete 1 document?' : 'Delete ' + printing.ids.length + ' documents?', 'OK=delete BACK=keep');
      return;
    }
    if (e.sig === 'INACTIVE') return me.message('Documents kept', 'in box ' + printing.box, IDLE);
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    if (k === 'OK') {
      const sv = services(me);
      for (let i = 0; i < printing.ids.length; i++) {
        sv.store.deleteDocument(printing.ids[i]);
        journalAdd(sv.store, { t: me.clock.wall(), kind: 'delete', doc: printing.ids[i], box: printing.box });
      }
      me.message(printing.ids.length === 1 ? 'Deleted 1 document' : 'Deleted ' + printing.ids.length + ' documents', 'Box ' + printing.box + ' is empty', IDLE);
    } else if (k === 'BACK' || k === 'STOP') me.message('Documents kept', 'in box ' + printing.box, IDLE);
  },
};
