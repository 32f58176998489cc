// Report contents as text lines (text-page.ts prints them): the confidential reception list
// (box, time, sender ident, pages — never anything of the content), the call journal and the
// settings list (never a pass code or its hash). Times are printed in local time.
import type { Settings } from '../config/settings.ts';
import type { DocInfo, JournalEntry } from '../store/index.ts';
import type { BoxSettings } from '../mailbox/index.ts';
import { fmtDateTime } from '../clock/calendar.ts';

function pad(s: string, n: number): string {
  if (s.length > n) return s.substring(0, n);
  while (s.length < n) s += ' ';
  return s;
}

function padLeft(s: string, n: number): string {
  while (s.length < n) s = ' ' + s;
  return s;
}

function header(title: string, settings: Settings, localNow: number): string[] {
  const st = settings.station;
  return [title, st.name + (st.ident ? '  ' + st.ident : '') + '   printed ' + fmtDateTime(localNow), ''];
}

/**
 * Confidential receptions kept in the boxes; `offsetMs` turns stored UTC into local time. The
 * list is printed after every confidential reception where anyone can pick it up, so by default
 * (settings.panel.receptionList 'count') it names only boxes and counts; 'senders' adds one line
 * per document with time and sender ident.
 */
export function confidentialList(docs: DocInfo[], settings: Settings, localNow: number, offsetMs: number): string[] {
  if (settings.panel.receptionList !== 'senders') return countList(docs, settings, localNow);
  const out = header('CONFIDENTIAL RECEPTION LIST', settings, localNow);
  out.push(pad('BOX', 8) + pad('RECEIVED', 20) + pad('FROM', 22) + padLeft('PAGES', 5) + '  STATUS');
  let waiting = 0;
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    const status = d.state.printed ? 'PRINTED' : d.state.delivered ? 'DELIVERED' : d.interrupted ? 'WAITING (CUT SHORT)' : 'WAITING';
    if (!d.state.printed && !d.state.delivered) waiting++;
    out.push(pad(d.meta.box, 8) + pad(fmtDateTime(d.meta.time + offsetMs), 20) + pad(d.meta.remote || '(no ident)', 22) + padLeft(String(d.pages), 5) + '  ' + status);
  }
  if (docs.length === 0) out.push('(no confidential documents)');
  out.push('');
  out.push(waiting + ' document(s) waiting. The owner prints a box with its number and pass code.');
  return out;
}

/** Box and count only: who sent what, and when, stays with the box owner. */
function countList(docs: DocInfo[], settings: Settings, localNow: number): string[] {
  const out = header('CONFIDENTIAL RECEPTION LIST', settings, localNow);
  out.push(pad('BOX', 8) + padLeft('WAITING', 7));
  const boxes: string[] = [];
  const counts: { [box: string]: number } = {};
  let waiting = 0;
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    if (d.state.printed || d.state.delivered) continue;
    const b = 'b' + d.meta.box;
    if (!counts[b]) {
      counts[b] = 0;
      boxes.push(d.meta.box);
    }
    counts[b]++;
    waiting++;
  }
  for (let i = 0; i < boxes.length; i++) out.push(pad(boxes[i], 8) + padLeft(String(counts['b' + boxes[i]]), 7));
  if (boxes.length === 0) out.push('(no confidential documents waiting)');
  out.push('');
  out.push(waiting + ' document(s) waiting. The owner prints a box with its number and pass code.');
  return out;
}

function describe(e: JournalEntry): string {
  const f = function (k: string): string {
    const v = e[k];
    return v === undefined || v === null ? '' : String(v);
  };
  if (e.kind === 'call') {
    // A send names the number dialled (what the person typed), a reception the caller's ident.
    const who = f('dir') === 'tx' ? f('number') || f('remote') : f('remote');
    return pad(f('dir') === 'tx' ? 'SEND' : 'RECV', 6) + pad(who || '(no ident)', 22) + padLeft(f('pages'), 5) + '  ' + (f('box') ? 'BOX ' + f('box') + ' ' : '') + f('result');
  }
  if (e.kind === 'code') return pad('CODE', 6) + pad('box ' + f('box') + ' (' + f('src') + ')', 22) + '       ' + f('result');
  if (e.kind === 'refused') return pad('REFUSE', 6) + pad(f('remote') || '(no ident)', 22) + '       sub ' + f('sub') + ': ' + f('reason');
  if (e.kind === 'print') return pad('PRINT', 6) + pad('document ' + f('doc'), 22) + padLeft(f('pages'), 5) + '  ' + f('result');
  if (e.kind === 'sid') return pad('SID', 6) + pad(f('remote') || '(no ident)', 22) + '       box ' + f('box') + ': ' + f('result');
  if (e.kind === 'change') return pad('CHANGE', 6) + pad(f('what') + (f('box') ? ' box ' + f('box') : ''), 22) + '       ' + (f('dropped') ? f('dropped') + ' document(s) deleted' : '');
  if (e.kind === 'export') return pad('EXPORT', 6) + pad('document ' + f('doc'), 22) + padLeft(f('pages'), 5) + '  ' + (f('box') ? 'box ' + f('box') + ' ' : '') + '(' + f('src') + ') ' + f('file');
  if (e.kind === 'delete') return pad('DELETE', 6) + pad('document ' + f('doc'), 22) + '       ' + (f('box') ? 'box ' + f('box') : '');
  return pad(e.kind.toUpperCase(), 6) + f('text');
}

/** The call journal (and the other journal entries: pass code attempts, refusals), oldest first. */
export function callJournal(entries: JournalEntry[], settings: Settings, localNow: number, offsetMs: number): string[] {
  const out = header('JOURNAL', settings, localNow);
  out.push(pad('TIME', 18) + pad('WHAT', 6) + pad('REMOTE / BOX', 22) + padLeft('PAGES', 5) + '  RESULT');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    out.push(pad(e.t ? fmtDateTime(e.t + offsetMs) : '', 18) + describe(e));
  }
  if (entries.length === 0) out.push('(journal empty)');
  return out;
}

/** The settings, section by section; pass codes and their hashes never appear. */
export function settingsList(settings: Settings, localNow: number): string[] {
  const out = header('SETTINGS', settings, localNow);
  const st = settings.station;
  out.push('Station name          ' + st.name);
  out.push('Station ident (TSI)   ' + st.ident);
  out.push('Fax number            ' + st.number);
  const fx = settings.fax;
  out.push('Rings before answer   ' + fx.ringsBeforeAnswer);
  out.push('ECM                   ' + (fx.ecm ? 'on' : 'off'));
  out.push('Highest rate          ' + fx.maxRate + ' bit/s');
  out.push('Unknown subaddress    ' + (fx.unknownSub === 'refuse' ? 'refuse the call' : 'receive as ordinary'));
  out.push('Clock offset          ' + settings.panel.utcOffsetMinutes + ' min');
  out.push('Reception list        ' + (settings.panel.receptionList === 'senders' ? 'boxes, times and senders' : 'boxes and counts only'));
  out.push('');
  const boxes = (settings.boxes as BoxSettings[] | undefined) || [];
  out.push('CONFIDENTIAL BOXES (' + boxes.length + ')');
  out.push(pad('BOX', 8) + pad('OWNER', 32) + pad('PROTECTION', 12) + pad('DELIVERY', 20) + 'CODE/SID');
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    const dl = b.delivery;
    const when = dl.mode === 'count' ? 'after ' + dl.count : dl.mode === 'time' ? 'daily ' + dl.time : dl.mode === 'each' ? 'each reception' : 'on request';
    out.push(pad(b.number, 8) + pad(b.owner, 32) + pad(b.protection === 'text' ? 'text only' : 'all', 12) + pad(when, 20) + (b.codeHash ? (b.codeShort ? 'set (short)' : 'set') : 'NOT SET') + (b.sidHash ? ' / SID' : ''));
  }
  return out;
}

/** What a transmission report needs of a finished send (the T.30 session's JournalRecord). */
export interface SentCall {
  number: string;
  remoteIdent: string;
  pages: number;
  result: string;
  reason: string;
  start: number;
  duration: number;
}

/** The transmission report an office machine prints after a send (always or on error). */
export function transmissionReport(r: SentCall, settings: Settings, localNow: number, offsetMs: number): string[] {
  const out = header('TRANSMISSION REPORT', settings, localNow);
  out.push(pad('NUMBER DIALLED', 22) + r.number);
  out.push(pad('REMOTE', 22) + (r.remoteIdent || '(no ident)'));
  out.push(pad('STARTED', 22) + (r.start ? fmtDateTime(r.start + offsetMs) : ''));
  out.push(pad('DURATION', 22) + Math.round(r.duration / 1000) + ' s');
  out.push(pad('PAGES SENT', 22) + r.pages);
  out.push(pad('RESULT', 22) + (r.result === 'ok' ? 'OK' : 'NOT SENT: ' + r.result));
  if (r.reason) out.push(pad('', 22) + r.reason);
  return out;
}
