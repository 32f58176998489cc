// The appliance: builds the active objects on a Board and starts the kernel. The same code runs
// on the simulated board, a laptop with a modem (hal/node) and an Espruino board (hal/espruino).
// Priorities (higher first): the modem and T.30 timing work must never wait behind slow jobs,
// the panel answers keys, long jobs (printing) come last and run in slices.
//
// Data flow of a reception (README, Runtime model; docs/LAYERING.md): modem → Class1 → T30Session → ReceptionSink
// (mailbox routing by SUB/PWD, every page committed to flash before MCF) → onStored:
// ordinary → the spooler prints it (and deletes it once out); confidential → kept in its box,
// the confidential reception list is printed, the idle screen counts it.
import type { Board } from '../../hal/board.ts';
import { Kernel } from '../kernel/index.ts';
import { loadModule, releaseModule } from './modules.ts';
import { transmissionReport } from '../print/reports.ts';
import type { Settings } from '../config/settings.ts';
import { Panel } from '../panel/panel.ts';
import { attachServices, attachQueue } from '../panel/services.ts';
import { setPrintedNext } from '../panel/box-printing.ts';
import { PanelDialogs } from './panel-dialogs.ts';
import { lazyPrintJobs } from './print-jobs.ts';
import type { PanelStatus } from '../panel/panel.ts';
import { Store, StoreUpkeep, saveStoredSettings, storeCapacity } from '../store/index.ts';
import type { StoreCapacity } from '../store/index.ts';
import { loadStoredSettings } from './stored-settings.ts';
import type { MountReport } from '../store/index.ts';
import { Mailbox, ReceptionSink, prepareBoxes } from '../mailbox/index.ts';
import { prepareAdminCode, deviceSecret } from '../auth/index.ts';
import { HealthTestedEntropy, FreshBytes } from '../crypto/entropy-health.ts';
import { sealAtRest, atRestKeys } from '../auth/at-rest.ts';
import type { SecretKeys } from '../auth/index.ts';
import type { Route } from '../mailbox/index.ts';
import { Class1 } from '../fax/class1/driver.ts';
import { T30Session } from '../fax/t30/session.ts';
import { defaultCaps, defaultPolicy } from '../fax/t30/index.ts';
import type { JournalRecord } from '../fax/t30/index.ts';
import { Spooler } from '../print/spooler.ts';
import { printNotice, resumeNotice } from '../print/notice.ts';
import type { NoticeContext } from '../print/notice.ts';
import { storedSendPages } from '../print/stored-send-pages.ts';
import { ScanAgent, dropUnsent } from '../scan/index.ts';
import { SendQueue } from '../jobs/index.ts';
import { smtpServer } from '../mail/settings.ts';
import type { MailSettings } from '../mail/settings.ts';
import type { OrdinarySettings } from '../faxmail/schema.ts';
import { MailGate } from './mail-gate.ts';
import type { JobsSettings, JobView } from '../jobs/index.ts';
import { lanJobsDeps } from '../lan/attach.ts';
import { attachDelivery } from './lan-gate.ts';
import type { LanJobsDeps } from '../lan/job-service.ts';
import type { Delivery } from './lan-gate.ts';

export const PRIO = {
  modem: 60,
  t30: 50,
  store: 40,
  mailbox: 30,
  panel: 20,
  printer: 10,
  delivery: 7,
  lan: 6,
  jobs: 5,
  queue: 8,
  smtp: 9,
  faxmail: 2,
  /** The plain-HTTP status page (firmware/admin), composed by host builds only: docs/SECURITY.md. */
  http: 3,
  /** Mail delivery (firmware/mail): the mailbox check and its POP3 client (answers go through `smtp`). */
  mail: 4,
  pop3: 1,
  /**
   * The resident gates of the mail stack (mail-gate.ts) and the LAN service (lan-gate.ts), which
   * load them for work: below every other object, so that a gate looks at its engine only after
   * the engine has handled what was waiting for it.
   */
  mailGate: -1,
  lanGate: 0,
};

export interface Appliance {
  kernel: Kernel;
  panel: Panel;
  settings: Settings;
  store: Store;
  mounted: MountReport;
  mailbox: Mailbox;
  reception: ReceptionSink;
  class1: Class1;
  fax: T30Session;
  spooler: Spooler;
  scanner: ScanAgent;
  /** The fax server's send queue (jobs from LAN clients, e-mail, the panel). */
  queue: SendQueue;
  /** Confidential delivery: the outbox and its policies, the LAN service (firmware/lan/attach.ts). */
  delivery: Delivery;
  /**
   * Everything the appliance mails — delivery to `mail:` owners, jobs and answers by mail, T.37
   * fax mail of ordinary receptions — through the mail stack, three modules its gate loads for
   * the work at hand (mail-gate.ts: `engine` sends, `reader` checks the mailbox, `faxmail` mails
   * ordinary receptions, each while it works); null without a network or mail.smtp.
   */
  mail: MailGate | null;
  /** What the confidential reception notice needs (printNotice/resumeNotice). */
  notice: NoticeContext;
  /** Status shown on the idle screen. */
  status: ApplianceStatus;
  /** What boot found worth saying (a failed entropy source, no device secret), traced at start. */
  bootNotes: string[];
  /** Calls finished since boot (`faxvault sim --exit-after-calls`). */
  callsEnded: number;
  /** Told after each call with its journal line (the simulator prints it). */
  onCallEnd: ((summary: string) => void) | null;
}

/** The idle screen's figures, read live from the line, the store and the mailbox. */
export class ApplianceStatus implements PanelStatus {
  app: Appliance | null = null;
  lineState(): string {
    const a = this.app;
    if (!a) return 'BOOT';
    if (a.fax.lineUp) return a.fax.direction === 'send' ? 'SEND' : 'RECV';
    if (a.fax.rings > 0) return 'RING';
    return a.spooler.status() === 'NO PAPER' ? 'PAPR' : 'IDLE';
  }
  memoryPercent(): number {
    return this.app ? this.app.store.usage().percent : 0;
  }
  /**
   * CONF on the idle screen: the confidential documents kept in the boxes, printed or not — a
   * document printed and kept is still there, waiting for its owner to delete or fetch it.
   * Counted again only when the store changed.
   */
  waitingConfidential(): number {
    const a = this.app;
    if (!a) return 0;
    if (this.keptVersion !== a.store.version) {
      this.keptCount = a.mailbox.kept('').length;
      this.keptVersion = a.store.version;
    }
    return this.keptCount;
  }
  private keptVersion = -1;
  private keptCount = 0;
  memoryFull(): boolean {
    return this.app ? this.app.store.isFull() : false;
  }
  capacity(): StoreCapacity {
    return storeCapacity(this.app!.store);
  }
}

/** One journal line a person can read: `RX +49 30 5550100 2 pages 14400 MR ECM ok (…)`. */
export function callSummary(r: JournalRecord): string {
  return (r.direction === 'send' ? 'TX ' : 'RX ') + (r.remoteIdent || r.number || '(no ident)') + ' ' +
    r.pages + ' page' + (r.pages === 1 ? '' : 's') + (r.rate ? ' ' + r.rate : '') + (r.coding ? ' ' + r.coding.toUpperCase() : '') +
    (r.ecm ? ' ECM' : '') + (r.sub ? ' SUB ' + r.sub : '') + ' ' + r.result + (r.reason ? ' (' + r.reason + ')' : '');
}

/**
 * Codes hashed, then stored when that changed them. Stored records of older firmware (shared
 * salt, not bound to the device secret) are rewritten; on the first boot the given settings are
 * stored. A function of its own: the settings' JSON (~1.7 KB, ~120 variables on the board) would
 * otherwise stay in createAppliance's scope, which every closure made there keeps alive.
 */
function prepareSettings(store: Store, settings: Settings, keys: SecretKeys, stored: boolean): void {
  const before = stored ? JSON.stringify(settings) : '';
  prepareBoxes(settings, keys);
  prepareAdminCode(settings, keys);
  if (!stored || JSON.stringify(settings) !== before) saveStoredSettings(store, settings);
}

export function createAppliance(board: Board, settings: Settings): Appliance {
  const kernel = new Kernel(board.clock, { reboot: board.reboot, traceSize: board.traceLines });
  const store = new Store(board.flash, { maxDocuments: board.storeMaxDocuments });
  const mounted = store.mount();
  // The settings kept in the store (from the first boot, or changed at the panel) win over the
  // ones given at boot; on the first boot the given ones are kept (codes hashed, below), so the
  // box codes live only in the image and every later reader takes them from there.
  const stored = loadStoredSettings(store, settings);
  // Pass codes hash with the board's SHA-256 engine when it has one (pure JS is slow there).
  const accel = board.crypto;
  const hash = accel
    ? function (d: Uint8Array): Uint8Array {
        return accel.sha256(d);
      }
    : undefined;
  // From here on every salt, nonce and key of the appliance comes from the board's generator
  // health-tested (NIST SP 800-90B §4.4) and mixed with a counter persisted in the store, so
  // none repeats and a failed generator refuses instead of sealing (crypto/entropy-health.ts).
  const tested = new HealthTestedEntropy(board.entropy);
  const entropyOk = tested.healthy();
  board.entropy = new FreshBytes(tested, store);
  // Pass code hashes are bound to the device secret (auth/device-secret.ts), made at first boot.
  const secret = deviceSecret(board.keyStore, store, board.entropy);
  const keys: SecretKeys = { hash: hash, pepper: secret ? secret.bytes : null, entropy: board.entropy };
  // Pages of confidential boxes are sealed in flash under a key from the device secret.
  sealAtRest(store, secret ? atRestKeys(secret.bytes, board.crypto, board.entropy) : null);
  const bootNotes: string[] = [];
  if (!entropyOk) bootNotes.push('entropy source failed its start-up test (' + tested.failure + '): nothing will be sealed');
  if (!secret) bootNotes.push('no device secret: pass codes are not bound to the board');
  else if (secret.fresh) bootNotes.push('device secret made (' + secret.where + ')');
  prepareSettings(store, settings, keys, stored);
  const mailbox = new Mailbox(store, board.clock, function () {
    return settings;
  }, keys);
  const reception = new ReceptionSink(store, mailbox, board.clock);
  const class1 = new Class1(board.modem, PRIO.modem);
  const caps = defaultCaps();
  caps.ecm = settings.fax.ecm;
  if (caps.ecm && board.ecmMaxRate && settings.fax.maxRate > board.ecmMaxRate) {
    // A board that cannot keep up with ECM at the line's rate would lose most of every block
    // (docs/ESPRUINO.md, keeping up): no ECM unless the rate is capped where it keeps up.
    caps.ecm = false;
    bootNotes.push('ECM not offered: this board keeps up with it to ' + board.ecmMaxRate + ' bit/s, fax.maxRate is ' + settings.fax.maxRate);
  }
  const status = new ApplianceStatus();
  // The print code is a module loaded while something prints (print-jobs.ts).
  const spooler = new Spooler(PRIO.printer, board.printer, store, lazyPrintJobs());
  const panel = new Panel(PRIO.panel, board.lcd, board.clock, status, settings.panel.utcOffsetMinutes);
  const scanner = new ScanAgent(PRIO.jobs, board.scanner, store, board.clock);
  /** A document scanned to send: deleted once its call ended (the journal keeps the result). */
  let sending = -1;
  const app: Appliance = {
    kernel: kernel,
    panel: panel,
    settings: settings,
    store: store,
    mounted: mounted,
    mailbox: mailbox,
    reception: reception,
    class1: class1,
    fax: null as unknown as T30Session,
    spooler: spooler,
    scanner: scanner,
    queue: null as unknown as SendQueue,
    delivery: null as unknown as Delivery,
    mail: null,
    notice: {
      store: store,
      mailbox: mailbox,
      spooler: spooler,
      clock: board.clock,
      settings: function () {
        return settings;
      },
    },
    status: status,
    callsEnded: 0,
    bootNotes: bootNotes,
    onCallEnd: null,
  };
  app.fax = new T30Session(class1, PRIO.t30, {
    ident: settings.station.ident,
    caps: caps,
    policy: defaultPolicy(),
    autoAnswerRings: settings.fax.ringsBeforeAnswer,
    maxRate: settings.fax.maxRate,
    // ECM memory: 64 frames of 256 octets (16 KB) per block sent; received frames past a gap
    // are kept in a window of slots (the board's, 64 by default), beyond it the sender repeats
    // them after PPR (T.30 Annex A) — only a line with errors costs the repeats.
    ecmBlockFrames: 64,
    ecmRxWindow: board.ecmRxFrames || 64,
    rxDecodeBacklog: board.rxDecodeBacklog,
    sink: reception,
    // The sending side is a module, held from the dial until the call has ended.
    sender: {
      load: function () {
        return loadModule('send').T_DIAL;
      },
      release: function () {
        releaseModule('send');
      },
    },
    onCallEnd: function (r: JournalRecord) {
      reception.callEnded(r);
      if (r.direction === 'send' && sending >= 0) {
        store.deleteDocument(sending);
        sending = -1;
      }
      app.queue.callEnded(r);
      if (r.direction === 'send') sendEnded(r);
      app.callsEnded++;
      kernel.trace('app', 'call ended: ' + callSummary(r));
      if (app.onCallEnd) app.onCallEnd(callSummary(r));
      panel.post({ sig: 'STATUS_CHANGED' });
    },
  });
  /** A send ended: a failure is shown at the panel; a transmission report as the setting says. */
  function sendEnded(r: JournalRecord): void {
    const failed = r.result !== 'ok';
    if (failed) panel.notice = ['Send failed', r.result];
    const mode = settings.fax.txReport;
    if (mode === 'always' || (mode === 'error' && failed)) {
      const offset = settings.panel.utcOffsetMinutes * 60000;
      spooler.printReport('Transmission report', transmissionReport(r, settings, board.clock.wall() + offset, offset), null);
    }
  }
  app.queue = new SendQueue(PRIO.queue, store, board.clock, {
    // One call at a time, and receptions first: a job waits while the line rings or is busy.
    free: function () {
      return !app.fax.lineUp && app.fax.rings === 0 && app.fax.queued.length === 0 && sending < 0;
    },
    send: function (job) {
      return app.fax.send(job);
    },
    cancel: function () {
      app.fax.cancel();
    },
  }, function () {
    return settings.jobs as JobsSettings;
  }, storedSendPages);
  reception.onStored = function (id: number, route: Route) {
    if (route.action === 'ordinary') {
      // Printed, mailed as T.37 fax mail (only with the administrator's mailInClear), or both.
      const o = settings.ordinary as OrdinarySettings;
      const gate = app.mail;
      const mail = o.mailTo.length > 0 && o.mailInClear && !!gate;
      if (gate && mail) gate.mailOrdinary(id);
      if (o.print || !mail) {
        spooler.printDocument(id, !mail, gate && mail ? function () {
          gate.tidyOrdinary(id);
        } : null);
      }
    }
    else if (route.action === 'confidential') {
      // Patent ¶0005: a list notifying of the confidential reception — never the content.
      printNotice(app.notice);
      app.delivery.agent.stored(id);
    }
    panel.post({ sig: 'STATUS_CHANGED' });
  };
  status.app = app;
  // The dialogs are a module loaded while someone is at the panel (panel-dialogs.ts).
  const dialogs = new PanelDialogs(panel);
  const STATUS = dialogs.dialog('STATUS');
  const SET_TIME_GUARDED = dialogs.dialog('SET_TIME_GUARDED');
  const BOX_NUMBER = dialogs.dialog('BOX_NUMBER');
  const REPORTS_GUARDED = dialogs.dialog('REPORTS_GUARDED');
  const SEND_NUMBER = dialogs.dialog('SEND_NUMBER');
  const COPY = dialogs.dialog('COPY');
  const SETTINGS = dialogs.dialog('SETTINGS');
  const DIAL_FROM_IDLE = dialogs.dialog('DIAL_FROM_IDLE');
  const SEND_QUEUE = dialogs.dialog('SEND_QUEUE');
  // While a box prints the panel watches from a resident state and the dialogs go; the question
  // after it ("Delete N documents?") loads them again (panel/box-printing.ts).
  setPrintedNext(dialogs.dialog('BOX_DELETE'), function () {
    dialogs.release();
  });
  panel.addItem('Status', STATUS);
  // Date/time, reports and settings are behind the administrator code (docs/SECURITY.md).
  panel.addItem('Date/time', SET_TIME_GUARDED);
  panel.addItem('Print box', BOX_NUMBER);
  panel.addItem('Reports', REPORTS_GUARDED);
  panel.addItem('Send fax', SEND_NUMBER);
  panel.addItem('Copy', COPY);
  panel.addItem('Settings', SETTINGS);
  panel.addShortcut('BOX', BOX_NUMBER);
  panel.addShortcut('REPORT', REPORTS_GUARDED);
  panel.addShortcut('START', SEND_NUMBER);
  panel.addShortcut('DIAL', DIAL_FROM_IDLE); // a digit at the idle screen (not a key of its own)
  // STOP at the idle screen shows the send queue, where a job can be cancelled (as the Stop
  // key's job cancel on office machines); the menu's numbering stays as it was.
  panel.addShortcut('STOP', SEND_QUEUE);
  attachServices(panel, {
    store: store,
    mailbox: mailbox,
    spooler: spooler,
    scanner: scanner,
    entropy: board.entropy,
    settings: function () {
      return settings;
    },
    saveSettings: function () {
      return saveStoredSettings(store, settings);
    },
    sendDocument: function (id: number, number: string) {
      if (sending >= 0 || !app.fax.send({ number: number, pages: storedSendPages(store, id) })) return false;
      sending = id;
      return true;
    },
  });
  kernel.add(class1);
  kernel.add(app.fax);
  kernel.add(spooler);
  kernel.add(panel);
  kernel.add(scanner);
  kernel.add(app.queue);
  attachQueue(panel, app.queue);
  app.queue.onJobEnd = function (job: JobView) {
    panel.post({ sig: 'STATUS_CHANGED' });
    // The result goes back sealed to a sender who sent by mail (docs/FAX-SERVER.md §5), and is
    // pushed to a LAN sender's computer (§3; it can also read it with `client status`).
    if (app.mail && job.owner.indexOf('mail:') === 0) app.mail.jobEnded(job);
    else app.delivery.lan.jobEnded(job);
  };
  app.delivery = attachDelivery(kernel, board, settings, store, mailbox, PRIO, app.queue);
  // A delivery does not start while the printer prints (the confidential reception list comes
  // out right after the call): on a board the two at once would pass the memory budget.
  app.delivery.agent.atRest = function () {
    return spooler.status() !== 'PRINTING';
  };
  app.mail = attachMailGate(kernel, board, settings, store, mailbox, app.delivery, lanJobsDeps(settings, app.queue));
  // Compaction in the background, never during a call.
  kernel.add(new StoreUpkeep(PRIO.store, store, function () {
    return app.fax.lineUp || app.fax.rings > 0;
  }));
  board.keypad.onKey = function (key) {
    panel.post({ sig: 'KEY', key: key } as { sig: string });
  };
  return app;
}

/**
 * The mail stack's gate (mail-gate.ts), when the board has a network and mail.smtp is set; the
 * delivery agent's transport for `mail:` owners when mail delivery can run (an address and a key).
 */
function attachMailGate(kernel: Kernel, board: Board, settings: Settings, store: Store, mailbox: Mailbox, delivery: Delivery, jobs: LanJobsDeps): MailGate | null {
  const m = settings.mail as MailSettings | undefined;
  if (!m || !m.smtp) return null;
  if (!board.net) {
    if (m.address) kernel.trace('mail', 'mail delivery is set up but the board has no network: off');
    return null;
  }
  const withService = !!m.address && !!delivery.crypto;
  if (m.address && !delivery.crypto) kernel.trace('mail', 'mail delivery is set up but no key is provisioned: off');
  const gate = new MailGate(PRIO.mailGate, {
    kernel: kernel,
    board: board,
    store: store,
    mailbox: mailbox,
    prio: PRIO,
    mail: function () {
      return settings.mail as MailSettings;
    },
    faxmail: function () {
      const o = settings.ordinary as OrdinarySettings;
      const mm = settings.mail as MailSettings;
      return {
        from: mm.address, to: o.mailTo, server: smtpServer(mm), station: settings.station.name,
        utcOffsetMinutes: settings.panel.utcOffsetMinutes, print: o.print,
      };
    },
    delivery: delivery,
    jobs: jobs,
    stats: { noticesSent: 0, documentsSent: 0, requests: 0, refused: 0, bounces: 0, failures: 0, checks: 0 },
    withSmtp: true,
    withService: withService,
    tiff: {
      load: function () {
        return loadModule('tiff');
      },
      release: function () {
        releaseModule('tiff');
      },
    },
  });
  kernel.add(gate);
  if (withService) delivery.agent.addTransport(gate.transport);
  return gate;
}

/** Start every object; from here on the board's clock drives the kernel. */
export function startAppliance(app: Appliance): void {
  const m = app.mounted;
  app.kernel.trace('app', 'boot ' + app.settings.station.name + ': store ' + m.documents + ' documents' +
    (m.interrupted ? ', ' + m.interrupted + ' cut short' : '') + (m.tornSectors ? ', ' + m.tornSectors + ' torn sectors repaired' : ''));
  if (app.bootNotes) for (let i = 0; i < app.bootNotes.length; i++) app.kernel.trace('app', app.bootNotes[i]);
  // Jobs whose call a power cut interrupted are queued again (before the queue's first look).
  const requeued = app.queue.recover();
  if (requeued) app.kernel.trace('app', requeued + ' send job(s) interrupted by a power cut, queued again');
  app.kernel.start();
  // Ordinary receptions not yet printed when the power went (or the paper ran out) print now.
  app.spooler.resume();
  // A confidential reception list that never came out (power cut, no paper) prints now.
  resumeNotice(app.notice);
  // A document scanned to send whose call never ended (power cut) is dropped and journaled.
  dropUnsent(app.store, app.kernel.clock);
}
