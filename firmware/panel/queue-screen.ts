// Menu entry "Send queue": the fax server's jobs one per screen (UP/DOWN), what each is doing and
// when it is tried next; STOP then OK cancels the job shown. A queue seen at the machine is what
// office staff ask for when a fax "did not go".
//   line 0: "3/5 #17 5551234"      (position, job id, number)
//   line 1: "retry 14:05 2/12"     (state, next attempt, dials so far of the limit)
import type { State, Evt } from '../kernel/index.ts';
import type { Panel, KeyEvt } from './panel.ts';
import { MENU } from './panel.ts';
import { fmtPanelClock } from '../clock/calendar.ts';
import type { SendQueue, JobView } from '../jobs/index.ts';
import { queueAttached } from './services.ts';

// The appliance gives the panel its send queue once at boot (attachQueue, in services.ts with
// the other links the dialogs use: this screen is loaded only when shown).
export { attachQueue } from './services.ts';

function queueOf(me: Panel): SendQueue {
  const q = queueAttached(me);
  if (!q) throw new Error('panel: send queue not attached');
  return q;
}

/** Asked to confirm a cancel of the job shown. */
const ctx = { confirm: false, maxDials: 0 };

/** "HH:MM" of a calendar time in the panel's local time. */
function hhmm(me: Panel, unixMs: number): string {
  // fmtPanelClock: `25.11. 14:05:09`
  return fmtPanelClock(unixMs + me.utcOffsetMinutes * 60000).substring(7, 12);
}

function stateText(me: Panel, j: JobView): string {
  if (j.state === 'dialling') return 'sending';
  if (j.next > me.clock.wall() + 1000) return (j.dials ? 'retry ' : 'at ') + hhmm(me, j.next);
  return 'waiting';
}

function render(me: Panel, jobs: JobView[]): void {
  if (jobs.length === 0) return me.show('Send queue', 'No jobs waiting');
  if (me.page >= jobs.length) me.page = jobs.length - 1;
  const j = jobs[me.page];
  if (ctx.confirm) return me.show('Cancel job ' + j.id + '?', 'OK=yes BACK=no');
  const limit = ctx.maxDials > 0 ? '/' + ctx.maxDials : '';
  me.show((me.page + 1) + '/' + jobs.length + ' #' + j.id + ' ' + j.to, stateText(me, j) + ' ' + j.dials + limit);
}

export const SEND_QUEUE: State<Panel> = {
  name: 'SEND_QUEUE',
  on: function (me: Panel, e: Evt) {
    const q = queueOf(me);
    if (e.sig === 'ENTRY') {
      me.page = 0;
      ctx.confirm = false;
      ctx.maxDials = q.settings().maxDials;
      me.touch();
      return render(me, q.jobs());
    }
    if (e.sig === 'INACTIVE') return me.tran(MENU);
    if (e.sig === 'STATUS_CHANGED') return render(me, q.jobs());
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    const jobs = q.jobs();
    me.touch();
    if (ctx.confirm) {
      ctx.confirm = false;
      if (k === 'OK' && jobs[me.page]) {
        const why = q.cancel(jobs[me.page].id, null);
        return me.message(why ? 'Not cancelled:' : 'Job ' + jobs[me.page].id, why || 'cancelled', SEND_QUEUE);
      }
      return render(me, jobs);
    }
    if (k === 'BACK' || k === 'OK') return me.tran(MENU);
    if (k === 'DOWN' && me.page + 1 < jobs.length) me.page++;
    if (k === 'UP' && me.page > 0) me.page--;
    if (k === 'STOP') {
      if (jobs.length === 0) return me.tran(MENU);
      ctx.confirm = true;
    }
    render(me, jobs);
  },
};
