// The administrator code guards Settings, Reports and Date/time (typed as ****; wrong codes lock
// it as they lock a box, in powered-on time, journaled as box 'admin'). While the code is still
// the factory 0000 it opens nothing but the choice of a new code (issue #12 item 3).
// Settings: 1 unknown subaddress: receive or refuse; 2 a box's pass code (resetting it deletes
// what the box holds: the administrator must not be able to read the owner's documents); 3 the
// administrator code (each new code typed twice, at least 6 digits); 4 rings before answer.
// Every change is saved in the store at once and journaled (kind 'change', never the code).
import type { State, Evt } from '../kernel/index.ts';
import type { Panel, KeyEvt } from './panel.ts';
import { MENU, IDLE } from './panel.ts';
import { services, mask, fmtWait, editDigits } from './services.ts';
import { setBoxCode } from '../mailbox/index.ts';
import { setAdminCode, adminSecret, adminIsFactory, attempt, journalResult, newCodeProblem, LOCK_AFTER, MAX_CODE_DIGITS } from '../auth/index.ts';
import { journalAdd } from '../store/index.ts';
import { REPORTS } from './reports-menu.ts';
import { SET_TIME } from './set-time.ts';

const ITEMS = ['Unknown SUB', 'Box pass code', 'Admin code', 'Rings to answer'];
/**
 * target: '' while the box number is asked, a box number, or 'admin'; step 1 new code, 2 again;
 * next: where a right administrator code leads (Settings, Reports, Date/time).
 */
const ctx = { target: '', first: '', step: 0, next: null as State<Panel> | null, forced: false, drop: 0 };

/** The admin lock key of the lock book (auth/lockout.ts). */
const ADMIN = 'admin';

function lockLeft(me: Panel): number {
  return services(me).mailbox.locks.remaining(ADMIN);
}

function journalChange(me: Panel, what: string, extra?: { [k: string]: unknown }): void {
  const e: { t: number; kind: string; [k: string]: unknown } = { t: me.clock.wall(), kind: 'change', what: what, src: 'panel' };
  if (extra) {
    const keys = Object.keys(extra);
    for (let i = 0; i < keys.length; i++) e[keys[i]] = extra[keys[i]];
  }
  journalAdd(services(me).store, e);
}

function lockedMessage(me: Panel): void {
  me.message('Settings locked', 'Try again in ' + fmtWait(lockLeft(me)), IDLE);
}

/** Ask for the administrator code, then go to `next`. */
export function askAdmin(me: Panel, next: State<Panel>): void {
  ctx.next = next;
  me.tran(ADMIN_CODE);
}

export const ADMIN_CODE: State<Panel> = {
  name: 'ADMIN_CODE',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.entry = '';
      me.touch();
      if (lockLeft(me) > 0) return lockedMessage(me);
      return me.show('Administrator code', '> ');
    }
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    if (editDigits(me, k, MAX_CODE_DIGITS)) return me.show('Administrator code', '> ' + mask(me.entry));
    if (k === 'BACK' || k === 'STOP') return me.tran(MENU);
    if (k !== 'OK' || !me.entry) return;
    const sv = services(me);
    const r = attempt(sv.mailbox.locks, [ADMIN], adminSecret(sv.settings()), me.entry, sv.mailbox.keys);
    me.entry = '';
    journalAdd(sv.store, { t: me.clock.wall(), kind: 'code', box: 'admin', src: 'panel', result: journalResult(r) });
    if (r.result === 'ok') {
      if (adminIsFactory(sv.settings())) {
        // The factory code opens one thing: choosing the appliance's own code.
        ctx.forced = true;
        ctx.target = 'admin';
        ctx.step = 1;
        ctx.first = '';
        return me.tran(ADMIN_NEW_CODE);
      }
      return me.tran(ctx.next || ADMIN_MENU);
    }
    if (r.result === 'locked') return lockedMessage(me);
    if (r.result === 'unavailable') return me.message('Memory full:', 'code not checked', IDLE);
    const left = LOCK_AFTER - r.failures;
    me.message('Wrong admin code', left > 0 ? left + ' more before lock' : 'Menu will lock', ADMIN_CODE);
  },
};

/** Menu entries guarded by the administrator code: Settings, Date/time, Reports. */
export function guarded(next: State<Panel>, name: string): State<Panel> {
  return {
    name: name,
    on: function (me: Panel, e: Evt) {
      if (e.sig === 'ENTRY') me.post({ sig: 'ASK_ADMIN' });
      else if (e.sig === 'ASK_ADMIN') askAdmin(me, next);
    },
  };
}

export const ADMIN_MENU: State<Panel> = {
  name: 'ADMIN_MENU',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    const k = e.sig === 'KEY' ? (e as KeyEvt).key : '';
    me.touch();
    if (e.sig === 'ENTRY' && me.page >= ITEMS.length) me.page = 0;
    if (k === 'UP') me.page = (me.page + ITEMS.length - 1) % ITEMS.length;
    if (k === 'DOWN') me.page = (me.page + 1) % ITEMS.length;
    if (k === 'BACK' || k === 'STOP') return me.tran(IDLE);
    if (k === 'OK' || (k >= '1' && k <= '4')) {
      if (k !== 'OK') me.page = Number(k) - 1;
      ctx.first = '';
      ctx.forced = false;
      ctx.drop = 0;
      ctx.step = me.page === 2 ? 1 : 0;
      ctx.target = me.page === 2 ? 'admin' : '';
      return me.tran(me.page === 0 || me.page === 3 ? ADMIN_VALUE : ADMIN_NEW_CODE);
    }
    const i = me.page;
    me.show('>' + (i + 1) + ' ' + ITEMS[i], i + 1 < ITEMS.length ? ' ' + (i + 2) + ' ' + ITEMS[i + 1] : '');
  },
};

function saved(me: Panel, what: string, detail: string, then?: State<Panel>): void {
  const ok = services(me).saveSettings();
  me.message(ok ? what : 'Not saved:', ok ? detail : 'memory full', then || ADMIN_MENU);
}

/** Items 1 and 4: the unknown-SUB choice (UP/DOWN) and the rings (a digit); OK saves. */
export const ADMIN_VALUE: State<Panel> = {
  name: 'ADMIN_VALUE',
  on: function (me: Panel, e: Evt) {
    const fax = services(me).settings().fax;
    const subItem = me.page === 0;
    const k = e.sig === 'KEY' ? (e as KeyEvt).key : '';
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    me.touch();
    if (k === 'BACK' || k === 'STOP') return me.tran(ADMIN_MENU);
    if (subItem && (k === 'UP' || k === 'DOWN')) fax.unknownSub = fax.unknownSub === 'refuse' ? 'ordinary' : 'refuse';
    if (!subItem && k >= '1' && k <= '9') fax.ringsBeforeAnswer = Number(k);
    if (k === 'OK') {
      if (subItem) {
        journalChange(me, 'unknown sub', { value: fax.unknownSub });
        return saved(me, 'Unknown SUB:', fax.unknownSub === 'refuse' ? 'calls refused' : 'received as ordinary');
      }
      journalChange(me, 'rings', { value: fax.ringsBeforeAnswer });
      return saved(me, 'Rings to answer', String(fax.ringsBeforeAnswer));
    }
    if (subItem) me.show('Unknown SUB: ' + (fax.unknownSub === 'refuse' ? 'refuse' : 'receive'), 'UP/DOWN change, OK');
    else me.show('Rings to answer: ' + fax.ringsBeforeAnswer, 'Type 1-9, OK');
  },
};

/** "Box 12: 2 waiting" — or shorter when the box number is long (20 columns). */
function dropLine(box: string, n: number): string {
  const s = 'Box ' + box + ': ' + n + ' waiting';
  return s.length <= 20 ? s : n + ' documents waiting';
}

/** Resetting a box code deletes what the box holds: the administrator is told first. */
export const ADMIN_CONFIRM_DROP: State<Panel> = {
  name: 'ADMIN_CONFIRM_DROP',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    if (e.sig === 'ENTRY') {
      me.touch();
      return me.show(dropLine(ctx.target, ctx.drop), 'deleted. OK=go on');
    }
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    if (k === 'OK') {
      ctx.step = 1;
      return me.tran(ADMIN_NEW_CODE);
    }
    if (k === 'BACK' || k === 'STOP') return me.tran(ADMIN_MENU);
  },
};

/** Set the new box code: first delete what the box holds (so no moment where both exist). */
function resetBoxCode(me: Panel, box: string, code: string): void {
  const sv = services(me);
  const docs = sv.mailbox.kept(box);
  let dropped = 0;
  for (let i = 0; i < docs.length; i++) {
    if (sv.store.deleteDocument(docs[i].id)) {
      dropped++;
      journalAdd(sv.store, { t: me.clock.wall(), kind: 'delete', doc: docs[i].id, box: box });
    }
  }
  if (dropped < docs.length) return me.message('Not saved:', 'memory full', ADMIN_MENU);
  const b = sv.mailbox.box(box);
  if (b) setBoxCode(b, code, sv.mailbox.keys);
  journalChange(me, 'box code', { box: box, dropped: dropped });
  saved(me, 'New code saved', 'for box ' + box);
}

/** Items 2 and 3 (and the forced first code): a box number (item 2), then the new code twice. */
export const ADMIN_NEW_CODE: State<Panel> = {
  name: 'ADMIN_NEW_CODE',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    const k = e.sig === 'KEY' ? (e as KeyEvt).key : '';
    if (e.sig === 'ENTRY') me.entry = '';
    me.touch();
    const leave = ctx.forced ? IDLE : ADMIN_MENU;
    if (k === 'BACK' && !me.entry) return me.tran(leave);
    if (k === 'STOP') return me.tran(leave);
    if (k === 'OK' && me.entry) {
      const sv = services(me);
      const typed = me.entry;
      me.entry = '';
      if (ctx.step === 0) {
        const b = sv.mailbox.box(typed);
        if (!b) return me.message('No box ' + typed, 'Check the number', ADMIN_NEW_CODE);
        ctx.target = b.number;
        ctx.drop = sv.mailbox.kept(b.number).length;
        if (ctx.drop > 0) return me.tran(ADMIN_CONFIRM_DROP);
        ctx.step = 1;
      } else if (ctx.step === 1) {
        const problem = newCodeProblem(typed);
        if (problem) return me.message('Code too short', problem, ADMIN_NEW_CODE);
        ctx.first = typed;
        ctx.step = 2;
      } else if (typed !== ctx.first) {
        ctx.step = 1;
        return me.message('Codes differ', 'Type it again', ADMIN_NEW_CODE);
      } else {
        ctx.first = '';
        if (ctx.target === 'admin') {
          setAdminCode(sv.settings(), typed, sv.mailbox.keys);
          journalChange(me, 'admin code');
          const then = ctx.forced ? ctx.next || ADMIN_MENU : ADMIN_MENU;
          ctx.forced = false;
          return saved(me, 'Admin code saved', '', then);
        }
        return resetBoxCode(me, ctx.target, typed);
      }
    } else editDigits(me, k, ctx.step === 0 ? 20 : MAX_CODE_DIGITS);
    const title = ctx.step === 0 ? 'Box number' : ctx.step === 2 ? 'Again to confirm' : ctx.target === 'admin' ? 'New admin code' : 'New code for box ' + ctx.target;
    me.show(title, '> ' + (ctx.step === 0 ? me.entry : mask(me.entry)));
  },
};

// The menu entries behind the administrator code (the appliance adds them; REPORT uses the same).
export const SETTINGS: State<Panel> = guarded(ADMIN_MENU, 'SETTINGS');
export const REPORTS_GUARDED: State<Panel> = guarded(REPORTS, 'REPORTS_GUARDED');
export const SET_TIME_GUARDED: State<Panel> = guarded(SET_TIME, 'SET_TIME_GUARDED');
