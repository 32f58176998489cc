// The status page's content (docs/SECURITY.md, "The status page"): what may cross the LAN in
// plain HTTP — the machine's state, the boxes' numbers and counts, and the journal with every
// entry that concerns a confidential box reduced to its kind, box and result (no sender, no
// time: T.30 SUB/PWD receptions are confidential, the journal of them only goes out sealed,
// docs/LAN-PROTOCOL.md). Never settings, owners, codes or any document.
//
// Lines are produced one at a time (next()), so the page is never whole in the device's memory:
// the HTTP object writes each as it comes.

import type { StoreCapacity } from '../store/index.ts';
import { sizeText } from '../store/index.ts';

export interface StatusPageSource {
  stationName(): string;
  lineState(): string;
  memoryPercent(): number;
  /** The store's size and room in typical pages (firmware/store/capacity.ts). */
  capacity?: () => StoreCapacity;
  paper(): string;
  waiting(): number;
  faults(): number;
  /** Box numbers. */
  boxes(): string[];
  waitingIn(box: string): number;
  keptIn(box: string): number;
  /** Journal entries (JSON text) held: index 0 is the oldest. */
  journalCount(): number;
  journalText(i: number): string;
  /** Calendar time of a journal entry's `t` as the panel shows it (local time). */
  fmtTime(t: number): string;
}

/** ' of 1 MB: room for about 16 of 17 typical pages' (an estimate, as the panel's memory screen). */
function room(src: StatusPageSource): string {
  if (!src.capacity) return '';
  const c = src.capacity();
  return ' of ' + sizeText(c.flashBytes) + ': room for about ' + c.freePages + ' of ' + c.totalPages + ' typical pages';
}

/** How many of the newest journal entries the page lists. */
export const PAGE_JOURNAL = 20;

const HEAD = '<!doctype html><html><head><meta charset="utf-8"><title>faxvault status</title>' +
  '<style>body{font:14px sans-serif;margin:1em}td,th{padding:2px 8px;text-align:left}' +
  'li{font-family:monospace}</style></head><body>';

export function htmlEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === '&') out += '&amp;';
    else if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else if (c === '"') out += '&quot;';
    else if (c.charCodeAt(0) < 32 || c.charCodeAt(0) > 126) out += '?';
    else out += c;
  }
  return out;
}

function field(e: { [k: string]: unknown }, k: string): string {
  const v = e[k];
  return v === undefined || v === null ? '' : String(v);
}

/**
 * One journal entry as a plain-HTTP line. An entry about a confidential box (it names a box or
 * a SUB, or is a refused call) shows only its kind, box and result; others show time, kind,
 * direction, remote, pages and result.
 */
export function journalLine(text: string, fmtTime: (t: number) => string): string {
  let e: { [k: string]: unknown } | null = null;
  try {
    e = JSON.parse(text) as { [k: string]: unknown };
  } catch (x) {
    e = null;
  }
  if (!e || typeof e !== 'object' || typeof e.kind !== 'string') return '(entry not readable)';
  const kind = field(e, 'kind');
  const result = field(e, 'result');
  if (field(e, 'box') || field(e, 'sub') || kind === 'refused') {
    const box = field(e, 'box');
    return kind + ' (confidential' + (box ? ', box ' + box : '') + ')' + (result ? ': ' + result : '');
  }
  let s = (typeof e.t === 'number' && e.t > 0 ? fmtTime(e.t) + ' ' : '') + kind;
  const dir = field(e, 'dir');
  const remote = field(e, 'remote');
  const pages = field(e, 'pages');
  if (dir) s += ' ' + dir;
  if (remote) s += ' ' + remote;
  if (pages) s += ', ' + pages + ' page(s)';
  if (result) s += ': ' + result;
  return s;
}

/** The page, line by line. Sections: head, status, boxes, journal, foot. */
export class StatusPage {
  private section = 0;
  private i = 0;
  private boxList: string[] | null = null;

  constructor(readonly src: StatusPageSource) {}

  next(): string | null {
    const src = this.src;
    for (;;) {
      if (this.section === 0) {
        this.section = 1;
        return HEAD + '<h1>' + htmlEscape(src.stationName()) + '</h1>';
      }
      if (this.section === 1) {
        this.section = 2;
        return '<table><tr><th>line</th><td>' + htmlEscape(src.lineState()) + '</td></tr>' +
          '<tr><th>memory</th><td>' + src.memoryPercent() + ' %' + room(src) + '</td></tr>' +
          '<tr><th>paper</th><td>' + htmlEscape(src.paper()) + '</td></tr>' +
          '<tr><th>confidential waiting</th><td>' + src.waiting() + '</td></tr>' +
          '<tr><th>faults since boot</th><td>' + src.faults() + '</td></tr></table>' +
          '<h2>Boxes</h2><table><tr><th>box</th><th>waiting</th><th>kept</th></tr>';
      }
      if (this.section === 2) {
        if (!this.boxList) this.boxList = src.boxes();
        if (this.i < this.boxList.length) {
          const b = this.boxList[this.i++];
          return '<tr><td>' + htmlEscape(b) + '</td><td>' + src.waitingIn(b) + '</td><td>' + src.keptIn(b) + '</td></tr>';
        }
        this.section = 3;
        this.boxList = null;
        const n = src.journalCount();
        this.i = n - 1;
        return '</table><h2>Journal</h2><ol>';
      }
      if (this.section === 3) {
        const n = src.journalCount();
        if (this.i >= 0 && this.i >= n - PAGE_JOURNAL && this.i < n) {
          const text = src.journalText(this.i--);
          return '<li>' + htmlEscape(journalLine(text, src.fmtTime)) + '</li>';
        }
        this.section = 4;
        return '</ol><p>Settings are changed at the front panel (MENU, Settings, with the administrator ' +
          'code): the code never crosses the LAN in clear. Who sent a confidential fax, and when, goes ' +
          'out only sealed (the LAN protocol).</p></body></html>';
      }
      return null;
    }
  }
}
