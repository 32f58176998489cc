// The status page put on a board: its data source read live from the appliance's objects (what
// the idle screen shows, the boxes' counts, the journal entry by entry).
//
// Composed by host builds only (sim/session.ts): the device bundle was already over its size
// budget without it, and a page view costs some hundreds of interpreter variables
// (docs/SECURITY.md, "The status page"). The code is device-neutral and passes the bundle check,
// so a board with room can add it with one attachStatusPage() call in app/appliance.ts.
import type { Board } from '../../hal/board.ts';
import type { Kernel } from '../kernel/index.ts';
import type { Settings } from '../config/settings.ts';
import type { Store } from '../store/index.ts';
import { storeCapacity } from '../store/index.ts';
import type { Mailbox } from '../mailbox/index.ts';
import type { PanelStatus } from '../panel/index.ts';
import { fmtDateTime } from '../clock/calendar.ts';
import { StatusHttp } from './status-http.ts';
import type { StatusPageSource } from './status-page.ts';
import { httpSettings } from './settings.ts';

export function statusPageSource(kernel: Kernel, board: Board, settings: Settings, store: Store, mailbox: Mailbox, status: PanelStatus): StatusPageSource {
  return {
    stationName: function () {
      return settings.station.name;
    },
    lineState: function () {
      return status.lineState();
    },
    memoryPercent: function () {
      return status.memoryPercent();
    },
    capacity: function () {
      return storeCapacity(store);
    },
    paper: function () {
      return board.printer.paperPresent() ? 'loaded' : 'out';
    },
    waiting: function () {
      return status.waitingConfidential();
    },
    faults: function () {
      return kernel.faults.length;
    },
    boxes: function () {
      const list = mailbox.boxes();
      const out: string[] = [];
      for (let i = 0; i < list.length; i++) out.push(list[i].number);
      return out;
    },
    waitingIn: function (box: string) {
      return mailbox.waiting(box).length;
    },
    keptIn: function (box: string) {
      return mailbox.kept(box).length;
    },
    journalCount: function () {
      return store.journalIndex.count();
    },
    journalText: function (i: number) {
      return store.journalIndex.text(i);
    },
    fmtTime: function (t: number) {
      return fmtDateTime(t + settings.panel.utcOffsetMinutes * 60000);
    },
  };
}

export function attachStatusPage(kernel: Kernel, board: Board, settings: Settings, store: Store, mailbox: Mailbox, status: PanelStatus, prio: number): StatusHttp {
  const source = statusPageSource(kernel, board, settings, store, mailbox, status);
  const http = new StatusHttp(prio, board.net, httpSettings(settings).port, source);
  kernel.add(http);
  return http;
}
