// Menu entry "Status": firmware version, uptime, kernel faults and the longest dispatch —
// what a service engineer asks for first.
import type { State, Evt } from '../kernel/index.ts';
import type { Panel, KeyEvt } from './panel.ts';
import { MENU } from './panel.ts';

export const FIRMWARE_VERSION = '0.1.0';

function pages(me: Panel): string[][] {
  const k = me.kernel!;
  const up = Math.floor(k.now() / 1000);
  const h = Math.floor(up / 3600);
  const m = Math.floor((up % 3600) / 60);
  const last = k.faults.length ? k.faults[k.faults.length - 1] : null;
  return [
    ['faxvault ' + FIRMWARE_VERSION, 'Up ' + h + 'h ' + m + 'm'],
    ['Faults: ' + k.faults.length, last ? last.who + ' ' + last.what : 'none'],
    ['Longest dispatch', Math.round(k.longestDispatch) + ' ms ' + k.longestWhat],
  ];
}

export const STATUS: State<Panel> = {
  name: 'STATUS',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') me.page = 0;
    if (e.sig === 'KEY') {
      const key = (e as KeyEvt).key;
      me.touch();
      if (key === 'BACK' || key === 'STOP' || key === 'OK') {
        me.tran(MENU);
        return;
      }
      if (key === 'DOWN') me.page = (me.page + 1) % 3;
      if (key === 'UP') me.page = (me.page + 2) % 3;
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
