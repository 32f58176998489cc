// Menu entry "Reports" (also the REPORT key): 1 confidential reception list, 2 journal,
// 3 settings list. Each is queued on the spooler; the panel says so and returns.
import type { State, Evt } from '../kernel/index.ts';
import type { Panel, KeyEvt } from './panel.ts';
import { MENU, IDLE } from './panel.ts';
import { services } from './services.ts';
import type { PanelServices } from './services.ts';
import { confidentialList, callJournal, settingsList } from '../print/index.ts';
import { journalEntries } from '../store/index.ts';

/** The reports as the menu lists them ('>N ' + name fits the 20-column LCD). */
export const REPORT_NAMES = ['Confidential list', 'Journal', 'Settings list'];
const NAMES = REPORT_NAMES;

function lines(sv: PanelServices, which: number, me: Panel): string[] {
  const s = sv.settings();
  const offset = s.panel.utcOffsetMinutes * 60000;
  const local = me.clock.wall() + offset;
  if (which === 0) return confidentialList(sv.mailbox.kept(''), s, local, offset);
  if (which === 1) return callJournal(journalEntries(sv.store), s, local, offset);
  return settingsList(s, local);
}

/** Queue report `which` (0..2) on the spooler. */
export function printReport(me: Panel, which: number): void {
  const sv = services(me);
  sv.spooler.printReport(NAMES[which], lines(sv, which, me), null);
}

function render(me: Panel): void {
  const i = me.page;
  me.show('>' + (i + 1) + ' ' + NAMES[i], i + 1 < NAMES.length ? ' ' + (i + 2) + ' ' + NAMES[i + 1] : '');
}

export const REPORTS: State<Panel> = {
  name: 'REPORTS',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.page = 0;
      me.touch();
      return render(me);
    }
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    if (k === 'UP') me.page = (me.page + NAMES.length - 1) % NAMES.length;
    else if (k === 'DOWN') me.page = (me.page + 1) % NAMES.length;
    else if (k === 'BACK' || k === 'STOP') return me.tran(MENU);
    else if (k === 'OK' || (k >= '1' && k <= '3')) {
      const which = k === 'OK' ? me.page : Number(k) - 1;
      printReport(me, which);
      const sv = services(me);
      return me.message('Printing', NAMES[which] + (sv.spooler.status() === 'NO PAPER' ? ' (no paper)' : ''), IDLE);
    }
    render(me);
  },
};
