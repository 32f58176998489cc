// Menu entry "Settings": behind the administrator code (typed as ****; wrong codes lock the
// menu as they lock a box, journaled as box 'admin'). 1 unknown subaddress: receive or refuse;
// 2 a box's pass code; 3 the administrator code (each new code typed twice); 4 rings before
// answer. Every change is saved in the store at once.
import type { State, Evt } from '../kernel/index.ts';
import type { Panel, KeyEvt } from './panel.ts';
import { MENU, IDLE } from './panel.ts';
import { services, mask, fmtWait, editDigits } from './services.ts';
import { setBoxCode, setAdminCode, adminCodeMatches, lockDuration, LOCK_AFTER } from '../mailbox/index.ts';
import { journalAdd } from '../store/index.ts';

const ITEMS = ['Unknown SUB', 'Box pass code', 'Admin code', 'Rings to answer'];
/** target: '' while the box number is asked, a box number, or 'admin'; step 1 new code, 2 again. */
const ctx = { target: '', first: '', step: 0, monoUntil: 0, failures: 0, until: 0 };

function loadLock(me: Panel): void {
  ctx.failures = 0;
  ctx.until = 0;
  try {
    const j = JSON.parse(services(me).store.getSetting('lock.admin') || '{}');
    ctx.failures = j.failures | 0;
    ctx.until = +j.until || 0;
  } catch (x) {
    // an unreadable record counts as no failures
  }
}

function lockLeft(me: Panel): number {
  loadLock(me);
  const left = Math.max(ctx.until - me.clock.wall(), ctx.monoUntil - me.clock.now());
  return left > 0 ? left : 0;
}

/** 'ok', 'locked' or the number of tries left before the lock. */
function attempt(me: Panel, code: string): string {
  const sv = services(me);
  if (lockLeft(me) > 0) return 'locked';
  // Salted PBKDF2 hash, compared in constant time (as the box codes).
  const d = adminCodeMatches(sv.settings(), code, sv.mailbox.hash) ? 0 : 1;
  const t = me.clock.wall();
  const failures = d === 0 ? 0 : ctx.failures + 1;
  const lock = lockDuration(failures);
  if (lock) ctx.monoUntil = me.clock.now() + lock;
  if (failures || ctx.failures) sv.store.setSetting('lock.admin', JSON.stringify({ failures: failures, until: lock ? t + lock : 0 }));
  journalAdd(sv.store, { t: t, kind: 'code', box: 'admin', src: 'panel', result: d === 0 ? 'ok' : lock ? 'wrong, locked' : 'wrong' });
  return d === 0 ? 'ok' : lock ? 'locked' : String(LOCK_AFTER - failures);
}

export const ADMIN_CODE: State<Panel> = {
  name: 'ADMIN_CODE',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.entry = '';
      me.touch();
      const left = lockLeft(me);
      if (left > 0) return me.message('Settings locked', 'Try again in ' + fmtWait(left), IDLE);
      return me.show('Administrator code', '> ');
    }
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    if (editDigits(me, k, 8)) return me.show('Administrator code', '> ' + mask(me.entry));
    if (k === 'BACK' || k === 'STOP') return me.tran(MENU);
    if (k !== 'OK' || !me.entry) return;
    const r = attempt(me, me.entry);
    me.entry = '';
    if (r === 'ok') return me.tran(ADMIN_MENU);
    if (r === 'locked') return me.message('Settings locked', 'Try again in ' + fmtWait(lockLeft(me)), IDLE);
    me.message('Wrong admin code', r !== '0' ? r + ' more before lock' : 'Menu will lock', ADMIN_CODE);
  },
};

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
      ctx.step = me.page === 2 ? 1 : 0;
      ctx.target = me.page === 2 ? 'admin' : '';
      return me.tran(me.page === 0 || me.page === 3 ? ADMIN_VALUE : ADMIN_NEW_CODE);
    }
    const i = me.page;
    me.show('>' + (i + 1) + ' ' + ITEMS[i], i + 1 < ITEMS.length ? ' ' + (i + 2) + ' ' + ITEMS[i + 1] : '');
  },
};

function saved(me: Panel, what: string, detail: string): void {
  const ok = services(me).saveSettings();
  me.message(ok ? what : 'Not saved:', ok ? detail : 'memory full', ADMIN_MENU);
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
      if (subItem) return saved(me, 'Unknown SUB:', fax.unknownSub === 'refuse' ? 'calls refused' : 'received as ordinary');
      return saved(me, 'Rings to answer', String(fax.ringsBeforeAnswer));
    }
    if (subItem) me.show('Unknown SUB: ' + (fax.unknownSub === 'refuse' ? 'refuse' : 'receive'), 'UP/DOWN change, OK');
    else me.show('Rings to answer: ' + fax.ringsBeforeAnswer, 'Type 1-9, OK');
  },
};

/** Items 2 and 3: a box number (item 2), then the new code twice. */
export const ADMIN_NEW_CODE: State<Panel> = {
  name: 'ADMIN_NEW_CODE',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    const k = e.sig === 'KEY' ? (e as KeyEvt).key : '';
    if (e.sig === 'ENTRY') me.entry = '';
    me.touch();
    if (k === 'BACK' && !me.entry) return me.tran(ADMIN_MENU);
    if (k === 'STOP') return me.tran(ADMIN_MENU);
    if (k === 'OK' && me.entry) {
      const sv = services(me);
      const typed = me.entry;
      me.entry = '';
      if (ctx.step === 0) {
        const b = sv.mailbox.box(typed);
        if (!b) return me.message('No box ' + typed, 'Check the number', ADMIN_NEW_CODE);
        ctx.target = b.number;
        ctx.step = 1;
      } else if (ctx.step === 1) {
        if (typed.length < 4) return me.message('Code too short', 'Use 4 to 8 digits', ADMIN_NEW_CODE);
        ctx.first = typed;
        ctx.step = 2;
      } else if (typed !== ctx.first) {
        ctx.step = 1;
        return me.message('Codes differ', 'Type it again', ADMIN_NEW_CODE);
      } else {
        ctx.first = '';
        if (ctx.target === 'admin') {
          setAdminCode(sv.settings(), typed, sv.entropy, sv.mailbox.hash);
          return saved(me, 'Admin code saved', '');
        }
        const b = sv.mailbox.box(ctx.target);
        if (b) setBoxCode(b, typed, sv.entropy, sv.mailbox.hash);
        return saved(me, 'New code saved', 'for box ' + ctx.target);
      }
    } else editDigits(me, k, ctx.step === 0 ? 20 : 8);
    const title = ctx.step === 0 ? 'Box number' : ctx.step === 2 ? 'Again to confirm' : ctx.target === 'admin' ? 'New admin code' : 'New code for box ' + ctx.target;
    me.show(title, '> ' + (ctx.step === 0 ? me.entry : mask(me.entry)));
  },
};
