// Menu entry "Status": firmware version, uptime, kernel faults and the longest dispatch —
// what a service engineer asks for first — and the memory: the store's size and the room left
// in typical pages.
import type { State, Evt } from '../kernel/index.ts';
import type { Panel, KeyEvt } from './panel.ts';
import { MENU, memoryLines } from './panel.ts';

export const FIRMWARE_VERSION = '0.1.0';

function pages(me: Panel): string[][] {
  const k = me.kernel!;
  const up = Math.floor(k.now() / 1000);
  const h = Math.floor(up / 3600);
  const m = Math.floor((up % 3600) / 60);
  const last = k.faults.length ? k.faults[k.faults.length - 1] : null;
  const out = [
    ['faxvault ' + FIRMWARE_VERSION, 'Up ' + h + 'h ' + m + 'm'],
    ['Faults: ' + k.faults.length, last ? last.who + ' ' + last.what : 'none'],
    ['Longest dispatch', Math.round(k.longestDispatch) + ' ms ' + k.longestWhat],
  ];
  if (me.status.capacity) out.push(memoryLines(me.status.capacity()));
  return out;
}

export const STATUS: State<Panel> = {
  name: 'STATUS',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') me.page = 0;
    const n = me.status.capacity ? 4 : 3;
    if (e.sig === 'KEY') {
      const key = (e as KeyEvt).key;
      me.touch();
      if (key === 'BACK' || key === 'STOP' || key === 'OK') {
        me.tran(MENU);
        return;
      }
      if (key === 'DOWN') me.page = (me.page + 1) % n;
      if (key === 'UP') me.page = (me.page + n - 1) % n;
    }
    if (e.sig === 'INACTIVE') {
      me.tran(MENU);
      return;
    }
    if (e.sig === 'ENTRY' || e.sig === 'KEY') {
      const p = pages(me)[me.page];
      me.show(p[0], p[1]);
    }
  },
};
