// Menu entry "Date/time" (behind the administrator code, admin.ts): type YYMMDDhhmm on the
// keypad, OK sets the clock; journaled. Lockouts run on powered-on time, never on this clock.
import type { State, Evt } from '../kernel/index.ts';
import type { Panel, KeyEvt } from './panel.ts';
import { MENU } from './panel.ts';
import { civilFromMs, msFromCivil, validCivil } from '../clock/calendar.ts';
import { journalAdd } from '../store/index.ts';
import { services } from './services.ts';

const FORMAT = 'YYMMDDhhmm';

function render(me: Panel): void {
  me.show('Date/time ' + FORMAT, '> ' + me.entry + FORMAT.substring(me.entry.length));
}

export const SET_TIME: State<Panel> = {
  name: 'SET_TIME',
  on: function (me: Panel, e: Evt) {
    switch (e.sig) {
      case 'ENTRY':
        me.entry = '';
        render(me);
        break;
      case 'INACTIVE':
        me.tran(MENU);
        break;
      case 'KEY': {
        const k = (e as KeyEvt).key;
        me.touch();
        if (k >= '0' && k <= '9' && me.entry.length < FORMAT.length) me.entry += k;
        else if (k === 'BACK') {
          if (me.entry.length === 0) {
            me.tran(MENU);
            break;
          }
          me.entry = me.entry.substring(0, me.entry.length - 1);
        } else if (k === 'STOP') {
          me.tran(MENU);
          break;
        } else if (k === 'OK') {
          const d = me.entry;
          const t = {
            year: 2000 + Number(d.substring(0, 2)),
            month: Number(d.substring(2, 4)),
            day: Number(d.substring(4, 6)),
            hour: Number(d.substring(6, 8)),
            minute: Number(d.substring(8, 10)),
            second: 0,
          };
          if (d.length !== FORMAT.length || !validCivil(t)) {
            me.message('Invalid date/time', 'Use ' + FORMAT, SET_TIME);
            break;
          }
          // The panel shows local time: store UTC.
          const before = me.clock.wall();
          me.clock.setWall(msFromCivil(t) - me.utcOffsetMinutes * 60000);
          journalAdd(services(me).store, { t: me.clock.wall(), kind: 'change', what: 'clock', src: 'panel', was: before });
          const c = civilFromMs(me.localTime());
          me.trace('clock set to ' + c.year + '-' + c.month + '-' + c.day + ' ' + c.hour + ':' + c.minute);
          me.message('Date/time set', '', MENU);
          break;
        }
        render(me);
        break;
      }
    }
  },
};
