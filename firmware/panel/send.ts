// Menu entries "Send fax" and "Copy": the document in the feeder is scanned line by line into
// the store (firmware/scan) and then handed to the fax line, or printed. Send: type the number
// (or SPEED then a speed-dial digit), START or OK sends.
import type { State, Evt } from '../kernel/index.ts';
import type { Panel, KeyEvt } from './panel.ts';
import { MENU, IDLE } from './panel.ts';
import { services } from './services.ts';
import { speedDial } from './speed-dial.ts';

/** keep: the number typed so far stays when a message returns to the number entry. */
const ctx = { number: '', speed: false, keep: false };

function render(me: Panel): void {
  me.show(ctx.speed ? 'Speed dial: 0-9' : 'Send fax: number', '> ' + me.entry);
}

function startScan(me: Panel, purpose: string, number: string): void {
  const sv = services(me);
  if (!sv.scanner.scanner.documentPresent()) {
    ctx.keep = true;
    return me.message('Load the document', 'in the feeder', purpose === 'tx' ? SEND_NUMBER : IDLE);
  }
  if (sv.store.isFull()) return me.message('Memory full', 'Delete documents', IDLE);
  const ok = sv.scanner.scan(purpose, number, function (done: boolean, id: number, why: string) {
    me.post({ sig: 'SCAN_DONE', ok: done, id: id, why: why } as Evt);
  });
  if (!ok) return me.message('Scanner busy', 'Try again later', IDLE);
  ctx.number = number;
  me.tran(SCANNING);
}

export const SEND_NUMBER: State<Panel> = {
  name: 'SEND_NUMBER',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      if (!ctx.keep) me.entry = '';
      ctx.keep = false;
      ctx.speed = false;
      me.touch();
      return render(me);
    }
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    if (ctx.speed) {
      ctx.speed = false;
      if (k >= '0' && k <= '9') {
        const n = speedDial(services(me).settings(), Number(k));
        if (!n) {
          ctx.keep = true;
          return me.message('Speed dial ' + k, 'is not set', SEND_NUMBER);
        }
        me.entry = n;
      }
      return render(me);
    }
    if (k === 'SPEED') {
      ctx.speed = true;
      return render(me);
    }
    if ((k >= '0' && k <= '9') || k === '*' || k === '#') {
      if (me.entry.length < 20) me.entry += k;
      return render(me);
    }
    if (k === 'BACK' && me.entry.length > 0) {
      me.entry = me.entry.substring(0, me.entry.length - 1);
      return render(me);
    }
    if (k === 'BACK' || k === 'STOP') return me.tran(MENU);
    if (k === 'START' || k === 'OK') {
      if (!me.entry) return me.message('Type a fax number', 'or SPEED and a digit', SEND_NUMBER);
      return startScan(me, 'tx', me.entry);
    }
  },
};

/** Entered from the idle screen by a digit (me.entry holds it): the number entry, keeping it. */
export const DIAL_FROM_IDLE: State<Panel> = {
  name: 'DIAL_FROM_IDLE',
  on: function (me: Panel, e: Evt) {
    if (e.sig !== 'ENTRY') return;
    ctx.keep = true;
    me.tran(SEND_NUMBER);
  },
};

export const COPY: State<Panel> = {
  name: 'COPY',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') startScan(me, 'copy', '');
  },
};

interface ScanDoneEvt extends Evt {
  ok: boolean;
  id: number;
  why: string;
}

export const SCANNING: State<Panel> = {
  name: 'SCANNING',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.inactivity.disarm();
      me.show('Scanning…'.replace('…', '...'), ctx.number ? 'for ' + ctx.number : 'for a copy');
      return;
    }
    if (e.sig !== 'SCAN_DONE') return;
    const d = e as ScanDoneEvt;
    const sv = services(me);
    if (!d.ok) return me.message(d.why === 'memory full' ? 'Memory full' : 'Scan failed', d.why === 'memory full' ? 'Delete documents' : d.why, IDLE);
    if (!ctx.number) {
      sv.spooler.printDocument(d.id, true, null);
      return me.message('Copying', sv.spooler.status() === 'NO PAPER' ? 'Load paper' : '', IDLE);
    }
    if (!sv.sendDocument(d.id, ctx.number)) {
      sv.store.deleteDocument(d.id);
      return me.message('Line busy', 'Try again later', IDLE);
    }
    me.message('Sending to', ctx.number, IDLE);
  },
};
