// Menu entry "Settings": behind the administrator code (typed as ****; wrong codes lock the
// menu like a box, journaled as box 'admin'). 1 unknown subaddress: receive or refuse; 2 a box's
// pass code (new code twice); 3 the administrator code; 4 rings before answer. Every change is
// saved in the store at once.
import type { State, Evt } from '../kernel/index.ts';
import type { Panel, KeyEvt } from './panel.ts';
import { MENU, IDLE } from './panel.ts';
import { services, mask, fmtWait, editDigits } from './services.ts';
import { setBoxCode, lockDuration, LOCK_AFTER } from '../mailbox/index.ts';
import { journalAdd } from '../store/index.ts';

const ITEMS = ['Unknown SUB', 'Box pass code', 'Admin code', 'Rings to answer'];
const ctx = { box: '', first: '', step: 0, monoUntil: 0 };

function sameCT(a: string, b: string): boolean {
  let d = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

function lockLeft(me: Panel): number {
  const sv = services(me);
  let st = { failures: 0, until: 0 };
  try {
    const t = sv.store.getSetting('lock.admin');
    if (t) st = JSON.parse(t);
  } catch (x) {
    st = { failures: 0, until: 0 };
  }
  let left = st.until - me.clock.wall();
  if (ctx.monoUntil - me.clock.now() > left) left = ctx.monoUntil - me.clock.now();
  return left > 0 ? left : 0;
}

function attempt(me: Panel, code: string): string {
  const sv = services(me);
  if (lockLeft(me) > 0) return 'locked';
  let failures = 0;
  try {
    const t = sv.store.getSetting('lock.admin');
    if (t) failures = JSON.parse(t).failures | 0;
  } catch (x) {
    failures = 0;
  }
  const ok = sameCT(code, sv.settings().panel.adminCode);
  const t = me.clock.wall();
  if (ok) {
    if (failures) sv.store.setSetting('lock.admin', JSON.stringify({ failures: 0, until: 0 }));
    journalAdd(sv.store, { t: t, kind: 'code', box: 'admin', src: 'panel', result: 'ok' });
    return 'ok';
  }
  failures++;
  const d = lockDuration(failures);
  if (d) ctx.monoUntil = me.clock.now() + d;
  sv.store.setSetting('lock.admin', JSON.stringify({ failures: failures, until: d ? t + d : 0 }));
  journalAdd(sv.store, { t: t, kind: 'code', box: 'admin', src: 'panel', result: d ? 'wrong, locked' : 'wrong' });
  return d ? 'locked' : 'wrong:' + (LOCK_AFTER - failures);
}

export const ADMIN_CODE: State<Panel> = {
  name: 'ADMIN_CODE',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.entry = '';
      me.touch();
      const left = lockLeft(me);
      if (left > 0) return me.message('Settings locked', 'Try again in ' + fmtWait(left), IDLE);
      me.show('Administrator code', '> ');
      return;
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
    const n = Number(r.substring(6));
    me.message('Wrong admin code', n > 0 ? n + ' more before lock' : 'Menu will lock', ADMIN_CODE);
  },
};

function renderMenu(me: Panel): void {
  const i = me.page;
  me.show('>' + (i + 1) + ' ' + ITEMS[i], i + 1 < ITEMS.length ? ' ' + (i + 2) + ' ' + ITEMS[i + 1] : '');
}

export const ADMIN_MENU: State<Panel> = {
  name: 'ADMIN_MENU',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.touch();
      if (me.page >= ITEMS.length) me.page = 0;
      return renderMenu(me);
    }
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    if (k === 'UP') me.page = (me.page + ITEMS.length - 1) % ITEMS.length;
    else if (k === 'DOWN') me.page = (me.page + 1) % ITEMS.length;
    else if (k === 'BACK' || k === 'STOP') return me.tran(IDLE);
    else if (k === 'OK' || (k >= '1' && k <= '4')) {
      if (k !== 'OK') me.page = Number(k) - 1;
      ctx.step = 0;
      ctx.first = '';
      ctx.box = '';
      return me.tran([ADMIN_UNKNOWN_SUB, ADMIN_BOX_CODE, ADMIN_OWN_CODE, ADMIN_RINGS][me.page]);
    }
    renderMenu(me);
  },
};

function saved(me: Panel, what: string, detail: string): void {
  const ok = services(me).saveSettings();
  me.message(ok ? what : 'Not saved:', ok ? detail : 'memory full', ADMIN_MENU);
}

export const ADMIN_UNKNOWN_SUB: State<Panel> = {
  name: 'ADMIN_UNKNOWN_SUB',
  on: function (me: Panel, e: Evt) {
    const fax = services(me).settings().fax;
    const show = function () {
      me.show('Unknown SUB: ' + (fax.unknownSub === 'refuse' ? 'refuse' : 'receive'), 'UP/DOWN change, OK');
    };
    if (e.sig === 'ENTRY') return show();
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    if (k === 'UP' || k === 'DOWN') {
      fax.unknownSub = fax.unknownSub === 'refuse' ? 'ordinary' : 'refuse';
      return show();
    }
    if (k === 'OK') return saved(me, 'Unknown SUB:', fax.unknownSub === 'refuse' ? 'calls refused' : 'received as ordinary');
    if (k === 'BACK' || k === 'STOP') return me.tran(ADMIN_MENU);
  },
};

/** Shared by the two code dialogs: step 0 (box number), 1 (new code), 2 (again). */
function codePrompt(me: Panel, title: string): void {
  me.show(ctx.step === 2 ? 'Again to confirm' : title, '> ' + (ctx.step === 0 ? me.entry : mask(me.entry)));
}

export const ADMIN_BOX_CODE: State<Panel> = {
  name: 'ADMIN_BOX_CODE',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.entry = '';
      return codePrompt(me, ctx.step === 0 ? 'Box number' : 'New code for box ' + ctx.box);
    }
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    const title = ctx.step === 0 ? 'Box number' : 'New code for box ' + ctx.box;
    if (editDigits(me, k, ctx.step === 0 ? 20 : 8)) return codePrompt(me, title);
    if (k === 'BACK' || k === 'STOP') return me.tran(ADMIN_MENU);
    if (k !== 'OK' || !me.entry) return;
    const sv = services(me);
    if (ctx.step === 0) {
      const b = sv.mailbox.box(me.entry);
      if (!b) return me.message('No box ' + me.entry, 'Check the number', ADMIN_BOX_CODE);
      ctx.box = b.number;
      ctx.step = 1;
    } else if (ctx.step === 1) {
      if (me.entry.length < 4) return me.message('Code too short', 'Use 4 to 8 digits', ADMIN_BOX_CODE);
      ctx.first = me.entry;
      ctx.step = 2;
    } else {
      if (me.entry !== ctx.first) {
        ctx.step = 1;
        ctx.first = '';
        return me.message('Codes differ', 'Type it again', ADMIN_BOX_CODE);
      }
      const b = sv.mailbox.box(ctx.box);
      if (b) setBoxCode(b, me.entry, sv.entropy);
      ctx.first = '';
      me.entry = '';
      return saved(me, 'New code saved', 'for box ' + ctx.box);
    }
    me.entry = '';
    codePrompt(me, 'New code for box ' + ctx.box);
  },
};

export const ADMIN_OWN_CODE: State<Panel> = {
  name: 'ADMIN_OWN_CODE',
  on: function (me: Panel, e: Evt) {
    if (e.sig === 'ENTRY') {
      me.entry = '';
      if (ctx.step === 0) ctx.step = 1;
      return codePrompt(me, 'New admin code');
    }
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    if (editDigits(me, k, 8)) return codePrompt(me, 'New admin code');
    if (k === 'BACK' || k === 'STOP') return me.tran(ADMIN_MENU);
    if (k !== 'OK' || !me.entry) return;
    if (ctx.step === 1) {
      if (me.entry.length < 4) return me.message('Code too short', 'Use 4 to 8 digits', ADMIN_OWN_CODE);
      ctx.first = me.entry;
      ctx.step = 2;
      me.entry = '';
      return codePrompt(me, 'New admin code');
    }
    if (me.entry !== ctx.first) {
      ctx.step = 1;
      return me.message('Codes differ', 'Type it again', ADMIN_OWN_CODE);
    }
    services(me).settings().panel.adminCode = me.entry;
    me.entry = '';
    ctx.first = '';
    saved(me, 'Admin code saved', '');
  },
};

export const ADMIN_RINGS: State<Panel> = {
  name: 'ADMIN_RINGS',
  on: function (me: Panel, e: Evt) {
    const fax = services(me).settings().fax;
    if (e.sig === 'ENTRY') return me.show('Rings to answer: ' + fax.ringsBeforeAnswer, 'Type 1-9, OK');
    if (e.sig === 'INACTIVE') return me.tran(IDLE);
    if (e.sig !== 'KEY') return;
    const k = (e as KeyEvt).key;
    me.touch();
    if (k >= '1' && k <= '9') {
      fax.ringsBeforeAnswer = Number(k);
      return me.show('Rings to answer: ' + k, 'Type 1-9, OK');
    }
    if (k === 'OK') return saved(me, 'Rings to answer', String(fax.ringsBeforeAnswer));
    if (k === 'BACK' || k === 'STOP') return me.tran(ADMIN_MENU);
  },
};
