// What stays resident of the mail stack (docs/ESPRUINO.md, "Modules loaded on demand"): the gate
// takes every piece of mail work the appliance hands out and loads only the module that work
// needs, each released when its part is idle, so on the board mail code costs variables only
// while there is mail to handle, and only the code that handles it:
//  - `mail` (mail-module.ts): the SMTP client and the sending half of mail delivery — a delivery
//    for a `mail:` owner, a sealed or plain answer;
//  - `mailcheck` (mailcheck-module.ts): the POP3 client and the reading half — the mailbox check
//    every `mail.checkSeconds` (requests, acknowledgements, bounces, job mails) and the result of
//    a mail sender's job; it loads `mail` only when it has an answer to send;
//  - `faxmail` (faxmail-module.ts): the T.37 fax mailer of ordinary receptions (with `mail` for
//    its SMTP client).
// The reader and the fax mailer go at the first look that finds them idle; the sending side at
// the second idle look in a row (one idle moment between a notice and the document that follows
// it does not unload and reload it: gate-look.ts), and only when neither of the others is loaded.
//
// States: DORMANT (nothing loaded) and AWAKE (something loaded; a periodic look decides what may
// go). The mailbox check's timer runs in both. The loaded objects keep their own states and
// traces; the gate traces loading and releasing them.
import { Active, TimeEvt } from '../kernel/index.ts';
import type { Evt, State } from '../kernel/index.ts';
import type { Board } from '../../hal/board.ts';
import type { Kernel } from '../kernel/index.ts';
import type { Store } from '../store/index.ts';
import type { Mailbox } from '../mailbox/index.ts';
import type { DeliveryAgent, DeliveryJob, DeliveryTransport } from '../delivery/agent.ts';
import type { CryptoContext } from '../delivery/keys.ts';
import type { LanJobsDeps } from '../lan/job-service.ts';
import type { JobView } from '../jobs/index.ts';
import type { MailSettings } from '../mail/settings.ts';
import type { MailStats } from '../mail/service.ts';
import type { FaxMailerConfig } from '../faxmail/fax-mailer.ts';
import type { TiffSource } from '../print/tiff-source.ts';
import { smtpServer, pop3Server } from '../mail/settings.ts';
import type { MailEngine } from './mail-module.ts';
import type { MailReader } from './mailcheck-module.ts';
import type { FaxMail } from './faxmail-module.ts';
import { loadModule, releaseModule } from './modules.ts';
import { lookAtEngine } from './gate-look.ts';

/** The first look after boot (the mailbox check, fax mail left pending by a power cut). */
export const FIRST_CHECK_MS = 5000;
/** How often an awake gate looks at what it loaded. */
export const LOOK_MS = 2000;

/** What the mail modules are created with (the gate keeps it from one load to the next). */
export interface MailGateDeps {
  kernel: Kernel;
  board: Board;
  store: Store;
  mailbox: Mailbox;
  prio: { smtp: number; faxmail: number; mail: number; pop3: number };
  mail: () => MailSettings;
  faxmail: () => FaxMailerConfig;
  /** Mail delivery (and mailed jobs) run only with the agent and a key. */
  delivery: { agent: DeliveryAgent; crypto: CryptoContext | null };
  jobs: LanJobsDeps | null;
  /** Both halves' figures, kept here from one load to the next. */
  stats: MailStats;
  /** The SMTP client can exist (a network and mail.smtp); the service too (and an address and a key). */
  withSmtp: boolean;
  withService: boolean;
  /** The TIFF-F code (tiff module), for a text-only box's delivery. */
  tiff: { load: () => { TiffSource: typeof TiffSource }; release: () => void };
}

export class MailGate extends Active {
  /** The sending side (`mail` module) while it is loaded. */
  engine: MailEngine | null = null;
  /** The mailbox reader (`mailcheck` module) while it is loaded. */
  reader: MailReader | null = null;
  /** The T.37 fax mailer (`faxmail` module) while it is loaded. */
  faxmail: FaxMail | null = null;
  /** The next mailbox check (also while awake: a check loads the reader if it is not loaded). */
  readonly checkTimer: TimeEvt;
  readonly look: TimeEvt;
  /** The sending side was idle at the last look. */
  idleOnce = false;
  /** The first look after boot is still to come. */
  firstLook = true;
  /** Times the gate woke (loaded a module while nothing was loaded) since boot. */
  wakes = 0;
  /** The delivery agent's transport for `mail:` owners (when mail delivery can run). */
  readonly transport: DeliveryTransport;

  constructor(prio: number, readonly deps: MailGateDeps) {
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
      // A delivery loads the sending side only (docs/ESPRUINO.md: the delivery peak).
      deliver: function (job: DeliveryJob, done: (ok: boolean, reason: string) => void): boolean {
        const e = self.wake('delivery');
        return e.service ? e.service.deliver(job, done) : false;
      },
    };
  }

  /** Nothing loaded: this load wakes the gate (the look starts). */
  private waking(): void {
    if (this.engine || this.reader || this.faxmail) return;
    this.wakes++;
    this.look.arm(LOOK_MS, LOOK_MS);
    this.tran(GATE_AWAKE);
  }

  /** The sending side, loaded if it is not. */
  wake(why: string): MailEngine {
    this.idleOnce = false;
    if (this.engine) return this.engine;
    this.waking();
    const e = loadModule('mail').createMailEngine(this.deps);
    this.engine = e;
    this.trace('mail sending side loaded for ' + why);
    return e;
  }

  /** The mailbox reader, loaded if it is not (only when mail delivery can run: withService). */
  wakeReader(why: string): MailReader {
    if (this.reader) return this.reader;
    this.waking();
    const self = this;
    const r = loadModule('mailcheck').createMailReader(this.deps, function () {
      return self.wake('an answer').service;
    }, function () {
      self.checked();
    });
    this.reader = r;
    this.trace('mailbox reader loaded for ' + why);
    return r;
  }

  /** The T.37 fax mailer (and the sending side for its SMTP client), loaded if they are not. */
  wakeFaxMail(why: string): FaxMail {
    if (this.faxmail) return this.faxmail;
    this.waking();
    const e = this.wake(why);
    const f = loadModule('faxmail').createFaxMail(this.deps, e.smtp);
    this.faxmail = f;
    this.trace('fax mailer loaded for ' + why);
    return f;
  }

  /** Lets the sending side go (gate-look.ts, when nothing else that sends is loaded). */
  drop(): void {
    const e = this.engine;
    if (!e) return;
    e.stop();
    this.engine = null;
    releaseModule('mail');
    this.trace('mail sending side idle: released');
  }

  /**
   * One periodic look: the reader and the fax mailer go as soon as they are idle, the sending
   * side as gate-look.ts says once neither is loaded. True when nothing is loaded any more.
   */
  lookAround(): boolean {
    const r = this.reader;
    if (r && r.idle()) {
      r.stop();
      this.reader = null;
      releaseModule('mailcheck');
      this.trace('mailbox reader idle: released');
      // A check cut short (the reader restarted after a fault) never said it ended: the next
      // one is timed from here, so checks go on.
      if (!this.checkTimer.isArmed()) this.checked();
    }
    const f = this.faxmail;
    if (f && f.idle()) {
      f.stop();
      this.faxmail = null;
      releaseModule('faxmail');
      this.trace('fax mailer idle: released');
    }
    if (this.reader || this.faxmail) {
      this.idleOnce = false;
      return false;
    }
    return lookAtEngine(this);
  }

  /**
   * A check now, the reader loaded for it (a check under way goes on: the reader ignores this),
   * when mail delivery can run; without a POP3 server (yet) the timer looks again later.
   */
  startCheck(why: string): void {
    if (!this.deps.withService) return;
    if (!pop3Server(this.deps.mail())) return this.checked();
    this.checkTimer.disarm();
    this.wakeReader(why).check.checkNow();
  }

  /** A check ended: the next one in `mail.checkSeconds`. */
  checked(): void {
    this.checkTimer.arm(this.deps.mail().checkSeconds * 1000);
  }

  /**
   * The check timer. The first time after boot also the fax mailer, when an ordinary reception
   * is still to be mailed or was mailed and waits for the printer (a power cut, a restart).
   */
  timeToCheck(): void {
    if (this.firstLook) {
      this.firstLook = false;
      const docs = this.deps.store.documents();
      for (let i = 0; i < docs.length; i++) {
        const m = docs[i].state.mail;
        if (m === 'pending' || m === 'sent') {
          this.wakeFaxMail('fax mail left from before');
          break;
        }
      }
    }
    this.startCheck('the mailbox check');
  }

  /** A mail sender's job ended: its result goes back sealed (docs/FAX-SERVER.md §5). */
  jobEnded(job: JobView): void {
    if (!this.deps.withService || job.owner.indexOf('mail:') !== 0) return;
    this.wakeReader('a job result').jobEnded(job);
  }

  /** An ordinary reception to mail as T.37 (settings `ordinary`). */
  mailOrdinary(id: number): boolean {
    return this.wakeFaxMail('fax mail').faxmail.add(id);
  }

  /** A mailed ordinary reception was printed: deleted if nothing more is wanted of it. */
  tidyOrdinary(id: number): void {
    this.wakeFaxMail('fax mail').faxmail.tidy(id);
  }

  /** Reads the mailbox now (the bench's "check at once"). */
  checkNow(): void {
    this.startCheck('a check asked for');
  }
}

export const GATE_DORMANT: State<MailGate> = {
  name: 'DORMANT',
  on: function (me: MailGate, e: Evt) {
    switch (e.sig) {
      case 'ENTRY':
        me.look.disarm();
        // After boot: one look a few seconds in (the first mailbox check, T.37 mail left pending
        // by a power cut), as the service did when it was resident.
        if (me.firstLook && !me.checkTimer.isArmed()) me.checkTimer.arm(FIRST_CHECK_MS);
        return;
      case 'CHECK_TIME':
        me.timeToCheck();
        return;
    }
  },
};

export const GATE_AWAKE: State<MailGate> = {
  name: 'AWAKE',
  on: function (me: MailGate, e: Evt) {
    switch (e.sig) {
      case 'LOOK':
        if (me.lookAround()) me.tran(GATE_DORMANT);
        return;
      case 'CHECK_TIME':
        me.timeToCheck();
        return;
    }
  },
};
