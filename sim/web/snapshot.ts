// What the web panel shows, read from a running simulator session: the LCD, the line and the
// call in progress, the journal, the confidential boxes' counts, the output tray. Only what the
// appliance shows anybody: never a box's owner, codes, or the content of a kept document (its
// pages reach the tray only when printed at the panel with the pass code); the journal and the
// call are shown as the appliance's plain-HTTP status page shows them — who sent to a box, and
// when, is left out (firmware/admin/status-page.ts, docs/SECURITY.md).
import type { Session } from '../session.ts';
import { fmtDateTime } from '../../firmware/clock/calendar.ts';
import { journalLine } from '../../firmware/admin/status-page.ts';
import { sizeText, storeCapacity } from '../../firmware/store/index.ts';

export interface CallView {
  direction: 'send' | 'receive';
  /** The T.30 session's state (T.30 phases B–E as our state names). */
  phase: string;
  /** The remote's ident once DCS came without a SUB; '' before, and for a call with a SUB. */
  remote: string;
  rate: number;
  coding: string;
  ecm: boolean;
  fine: boolean;
  /** Page being sent or received (1-based). */
  page: number;
  pagesDone: number;
  /** ECM: block number in the page (0-based, T.30 PPS) and its frames sent or received so far. */
  ecmBlock: number | null;
  ecmFrames: number | null;
  sub: string;
}

export interface BoxView {
  number: string;
  waiting: number;
  kept: number;
  lockedSeconds: number;
}

export interface TrayPage {
  /** 1-based page number in the tray (printing order). */
  n: number;
  width: number;
  rows: number;
  linesPerMm: number;
  /** Still printing: rows so far. */
  printing: boolean;
}

export interface PanelSnapshot {
  lcd: string[];
  line: string;
  paper: boolean;
  memoryPercent: number;
  /** The store's size and the room left in typical pages (firmware/store/capacity.ts). */
  memory: { size: string; freePages: number; totalPages: number };
  waiting: number;
  call: CallView | null;
  boxes: BoxView[];
  /** Newest first. */
  journal: string[];
  /** Newest first. */
  tray: TrayPage[];
  faults: number;
}

export function snapshot(s: Session, journalMax = 30): PanelSnapshot {
  const { app, sim } = s;
  const fax = app.fax;
  let call: CallView | null = null;
  if (fax.lineUp) {
    const p = fax.params;
    call = {
      direction: fax.direction,
      phase: fax.state.name,
      // TSI comes before SUB and DCS (T.30 §5.3.6.1): the ident is shown only once DCS said
      // there is no SUB, never for a confidential call, not even between its frames.
      remote: p && !fax.sub ? fax.remoteIdent : '',
      rate: p ? p.rate : 0,
      coding: p ? String(p.coding).toUpperCase() : '',
      ecm: p ? p.ecm : false,
      fine: p ? p.fine : false,
      page: fax.direction === 'send' ? fax.pageIndex + 1 : fax.pageOpen || fax.pagesDone === 0 ? fax.pagesDone + 1 : fax.pagesDone,
      pagesDone: fax.pagesDone,
      ecmBlock: p && p.ecm ? (fax.direction === 'send' ? fax.blockNo : fax.blockId >= 0 ? fax.blockId & 0xff : 0) : null,
      ecmFrames: p && p.ecm ? (fax.direction === 'send' ? (fax.block ? fax.block.frames : 0) : fax.rxBlock ? fax.rxBlock.framesSeen : 0) : null,
      sub: fax.sub,
    };
  }
  const boxes: BoxView[] = app.mailbox.boxes().map((b) => ({
    number: b.number,
    waiting: app.mailbox.waiting(b.number).length,
    kept: app.mailbox.kept(b.number).length,
    lockedSeconds: Math.ceil(app.mailbox.lockRemaining(b.number) / 1000),
  }));
  const ji = app.store.journalIndex;
  const offset = app.settings.panel.utcOffsetMinutes * 60000;
  const journal: string[] = [];
  for (let i = ji.count() - 1; i >= 0 && journal.length < journalMax; i--) {
    journal.push(journalLine(ji.text(i), (t) => fmtDateTime(t + offset)));
  }
  const tray: TrayPage[] = sim.printer.pages.map((p, i) => ({
    n: i + 1, width: p.width, rows: p.rows.length, linesPerMm: p.linesPerMm, printing: false,
  }));
  const inProgress = sim.printer.inProgress();
  if (inProgress) {
    tray.push({ n: tray.length + 1, width: inProgress.width, rows: inProgress.rows.length, linesPerMm: inProgress.linesPerMm, printing: true });
  }
  tray.reverse();
  return {
    lcd: sim.lcd.lines.slice(),
    line: app.status.lineState(),
    paper: sim.printer.paperPresent(),
    memoryPercent: app.status.memoryPercent(),
    memory: memoryOf(app.store),
    waiting: app.status.waitingConfidential(),
    call,
    boxes,
    journal,
    tray,
    faults: app.kernel.faults.length,
  };
}

function memoryOf(store: Parameters<typeof storeCapacity>[0]): PanelSnapshot['memory'] {
  const c = storeCapacity(store);
  return { size: sizeText(c.flashBytes), freePages: c.freePages, totalPages: c.totalPages };
}
