// What stays resident of the mail stack (docs/ESPRUINO.md, "Modules loaded on demand"): the gate
// takes every piece of mail work the appliance hands out — a delivery for a `mail:` owner, a
// sealed answer, an ordinary reception to mail as T.37, the mailbox check every
// `mail.checkSeconds` — loads the mail module (mail-module.ts) and creates its engine for it, and
// when the engine has been idle for two looks in a row it leaves the kernel and the module is
// released, so on the board the mail code costs variables only while there is mail to handle.
//
// States: DORMANT (no engine; a time event holds the next mailbox check) and AWAKE (the engine
// runs; a periodic look decides when it may go). The engine's own objects keep their states and
// traces; the gate traces only waking and dropping it.
import { Active, TimeEvt } from '../kernel/index.ts';
import type { Evt, State } from '../kernel/index.ts';
import type { DeliveryJob, DeliveryTransport } from '../delivery/agent.ts';
import type { JobView } from '../jobs/index.ts';
import { smtpServer, pop3Server } from '../mail/settings.ts';
import type { MailEngine, MailEngineDeps } from './mail-module.ts';
import { loadModule, releaseModule } from './modules.ts';
import { lookAtEngine } from './gate-look.ts';

/** The first mailbox check after boot (the service's own first check comes as soon). */
export const FIRST_CHECK_MS = 5000;
/** How often an awake engine is looked at; two idle looks in a row and it goes. */
export const LOOK_MS = 2000;

export class MailGate extends Active {
  engine: MailEngine | null = null;
  /** Next mailbox check while dormant (the service's own timer does it while awake). */
  readonly checkTimer: TimeEvt;
  readonly look: TimeEvt;
  /** The engine was idle at the last look. */
  idleOnce = false;
  /** Engines created since boot (the bench and tests see the gate at work). */
  wakes = 0;
  /** The delivery agent's transport for `mail:` owners (when mail delivery can run). */
  readonly transport: DeliveryTransport;

  constructor(prio: number, readonly deps: MailEngineDeps) {
    super('mailgate', prio, 8, GATE_DORMANT);
    this.checkTimer = new TimeEvt(this, 'CHECK_TIME');
    this.look = new TimeEvt(this, 'LOOK');
    const self = this;
    this.transport = {
      name: 'mail',
      reaches: function (owner: string): boolean {
        const m = self.deps.mail();
        return owner.indexOf('mail:') === 0 && !!m.address && !!smtpServer(m);
      },
      deliver: function (job: DeliveryJob, done: (ok: boolean, reason: string) => void): boolean {
        const e = self.wake('delivery');
        return e.service ? e.service.deliver(job, done) : false;
      },
    };
  }

  /** The engine, created (and the module loaded) if it is not running. */
  wake(why: string): MailEngine {
    if (this.engine) {
      this.idleOnce = false;
      return this.engine;
    }
    const mod = loadModule('mail');
    this.wakes++;
    this.trace('mail stack loaded for ' + why);
    const e = mod.createMailEngine(this.deps);
    this.engine = e;
    this.idleOnce = false;
    // The service checks the mailbox on its own timer while it runs.
    this.checkTimer.disarm();
    this.look.arm(LOOK_MS, LOOK_MS);
    this.tran(GATE_AWAKE);
    return e;
  }

  /** Leaves the kernel, lets the module go; the next mailbox check goes back on the gate's timer. */
  drop(): void {
    const e = this.engine;
    if (!e) return;
    let next = -1;
    if (e.service && e.service.timer.isArmed()) next = e.service.timer.deadline - this.deps.board.clock.now();
    e.stop();
    this.engine = null;
    this.look.disarm();
    releaseModule('mail');
    this.trace('mail stack idle: released');
    if (this.deps.withService && pop3Server(this.deps.mail())) this.checkTimer.arm(next > 0 ? next : this.deps.mail().checkSeconds * 1000);
  }

  /** A sealed answer (refusal, listing, job result) to a `mail:` identity: best effort. */
  reply(owner: string, type: number, body: unknown, filename: string): void {
    if (!this.deps.withService || owner.indexOf('mail:') !== 0) return;
    const e = this.wake('an answer');
    if (e.service) e.service.reply(owner, type, body, filename);
  }

  /** A mail sender's job ended: its result goes back sealed (docs/FAX-SERVER.md §5). */
  jobEnded(job: JobView): void {
    if (!this.deps.withService || job.owner.indexOf('mail:') !== 0) return;
    this.wake('a job result').jobEnded(job);
  }

  /** An ordinary reception to mail as T.37 (settings `ordinary`). */
  mailOrdinary(id: number): boolean {
    return this.wake('fax mail').faxmail.add(id);
  }

  /** A mailed ordinary reception was printed: deleted if nothing more is wanted of it. */
  tidyOrdinary(id: number): void {
    this.wake('fax mail').faxmail.tidy(id);
  }

  /** Reads the mailbox now (the bench's "check at once"). */
  checkNow(): void {
    const e = this.wake('a check asked for');
    if (e.service) e.service.checkNow();
  }

  /** Mail can be sent at all (a network and an SMTP server). */
  canSend(): boolean {
    return this.deps.withSmtp;
  }
}

export const GATE_DORMANT: State<MailGate> = {
  name: 'DORMANT',
  on: function (me: MailGate, e: Evt) {
    switch (e.sig) {
      case 'ENTRY':
        // After boot: one look by the engine (T.37 mail left pending by a power cut, the
        // first mailbox check) a few seconds in, as the service did when it was resident.
        if (!me.checkTimer.isArmed() && me.wakes === 0) me.checkTimer.arm(FIRST_CHECK_MS);
        return;
      case 'CHECK_TIME': {
        const eng = me.wake('the mailbox check');
        if (eng.service) eng.service.checkNow();
        return;
      }
    }
  },
};

export const GATE_AWAKE: State<MailGate> = {
  name: 'AWAKE',
  on: function (me: MailGate, e: Evt) {
    switch (e.sig) {
      case 'LOOK':
        if (lookAtEngine(me)) me.tran(GATE_DORMANT);
        return;
      case 'CHECK_TIME':
        if (me.engine && me.engine.service) me.engine.service.checkNow();
        return;
    }
  },
};
