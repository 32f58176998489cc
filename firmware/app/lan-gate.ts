// What stays resident of the LAN service (docs/ESPRUINO.md, "Modules loaded on demand"): the gate
// listens on lan.listen and takes every piece of LAN work — a computer connecting, a notice or a
// document to push, a job result for a LAN sender — loads the LAN module (lan-module.ts) and
// creates its engine for it, and when the engine has been idle for two looks in a row (no
// connection, nothing computing) it leaves the kernel and the module is released.
//
// States: OFF (no network or no key: the reason traced once), DORMANT (listening, no engine; a
// time event brings back job results still waiting) and AWAKE (the engine runs; a periodic look
// decides when it may go). The engine's own states and traces are the LAN service's.
import { Active, TimeEvt } from '../kernel/index.ts';
import type { Evt, State } from '../kernel/index.ts';
import type { TcpListener, TcpSocket } from '../../hal/net.ts';
import type { DeliveryJob, DeliveryTransport } from '../delivery/agent.ts';
import type { CryptoContext } from '../delivery/keys.ts';
import type { JobView } from '../jobs/index.ts';
import type { LanServiceDeps, LanCode, LanCodeLoader } from '../lan/service.ts';
import type { LanEngine } from './lan-module.ts';
import type { Board } from '../../hal/board.ts';
import type { Kernel } from '../kernel/index.ts';
import type { Settings } from '../config/settings.ts';
import type { Store } from '../store/index.ts';
import type { Mailbox } from '../mailbox/index.ts';
import type { SendQueue } from '../jobs/index.ts';
import { DeliveryAgent } from '../delivery/agent.ts';
import { loadKey } from '../delivery/keys.ts';
import { FlashPeerKeyCache } from '../crypto/flash-key-cache.ts';
import { lanSettings, RESULTS_SETTING } from '../lan/settings.ts';
import { savedList } from '../delivery/outbox.ts';
import { SUITE_POLY_GF128 } from '../crypto/suites.ts';
import { lanJobsDeps } from '../lan/attach.ts';
import { listenForOwners } from '../lan/listen.ts';
import { lookAtEngine } from './gate-look.ts';
import { loadModule, releaseModule } from './modules.ts';

/** How often an awake engine is looked at; two idle looks in a row and it goes. */
export const LAN_LOOK_MS = 2000;
/** Job results still waiting for their senders are looked at this often while dormant. */
export const RESULTS_WAKE_MS = 60000;

/** The LAN service's modules, loaded and let go through the registry (lan/service.ts LanCode). */
const LAN_CODE: LanCodeLoader = {
  load: function <K extends keyof LanCode>(name: K): LanCode[K] {
    return loadModule(name) as unknown as LanCode[K];
  },
  release: function (name: keyof LanCode): void {
    releaseModule(name);
  },
};

export class LanGate extends Active {
  engine: LanEngine | null = null;
  listener: TcpListener | null = null;
  readonly look: TimeEvt;
  readonly resultsTimer: TimeEvt;
  idleOnce = false;
  /** Engines created since boot. */
  wakes = 0;
  /** The service's figures, kept from one engine to the next (tests, the bench). */
  stats = { accepted: 0, refusedBusy: 0, requests: 0, documentsSent: 0, errors: 0, peakBuffered: 0, slices: 0, resultsPushed: 0, heldBack: 0 };
  /** Connection numbers go on across engines (traces). */
  nextConn = 1;
  /** The delivery agent's transport for `host:`/`ip4:` owners. */
  readonly transport: DeliveryTransport;
  why: string;

  constructor(prio: number, readonly deps: LanServiceDeps, readonly lanPrio: number) {
    super('langate', prio, 16, deps.net && deps.crypto ? LAN_DORMANT : LAN_OFF);
    this.look = new TimeEvt(this, 'LOOK');
    this.resultsTimer = new TimeEvt(this, 'RESULTS');
    this.why = !deps.net ? 'no network on this board: LAN service off' : !deps.crypto ? 'no FAXNIKS key in the store: LAN service off (faxvault flash --key / sim --key)' : '';
    const self = this;
    this.transport = {
      name: 'lan',
      reaches: function (owner: string): boolean {
        return owner.indexOf('host:') === 0 || owner.indexOf('ip4:') === 0;
      },
      deliver: function (job: DeliveryJob, done: (ok: boolean, reason: string) => void): boolean {
        if (!self.isIn(LAN_DORMANT) && !self.isIn(LAN_AWAKE)) return false;
        return self.wake('a delivery').lan.deliver(job, done);
      },
    };
  }

  /** The service's connections (none while it is not loaded). */
  get conns(): LanEngine['lan']['conns'] {
    return this.engine ? this.engine.lan.conns : [];
  }

  wake(why: string): LanEngine {
    this.idleOnce = false;
    if (this.engine) return this.engine;
    const mod = loadModule('lan');
    this.wakes++;
    this.trace('LAN service loaded for ' + why);
    const e = mod.createLanEngine(this.kernel as NonNullable<typeof this.kernel>, this.lanPrio, this.deps, this.stats, this.nextConn, LAN_CODE);
    this.engine = e;
    this.resultsTimer.disarm();
    this.look.arm(LAN_LOOK_MS, LAN_LOOK_MS);
    this.tran(LAN_AWAKE);
    return e;
  }

  drop(): void {
    const e = this.engine;
    if (!e) return;
    const waiting = e.resultsWaiting();
    this.nextConn = e.lan.nextId;
    e.stop();
    this.engine = null;
    this.look.disarm();
    releaseModule('lan');
    this.trace('LAN service idle: released' + (waiting ? ' (' + waiting + ' job result(s) waiting)' : ''));
    if (waiting) this.resultsTimer.arm(RESULTS_WAKE_MS);
  }

  /** A send job ended: a LAN sender's result is pushed to its computer (docs/FAX-SERVER.md §3). */
  jobEnded(job: JobView): void {
    if (!this.deps.jobs || !this.isInService()) return;
    if (job.owner.indexOf('host:') !== 0 && job.owner.indexOf('ip4:') !== 0) return;
    this.wake('a job result').lan.jobEnded(job);
  }

  /**
   * What an engine would do with nobody connected — a box owner's pair key not yet in the key
   * cache, job results left waiting by a power cut — or '' when there is nothing. Looked at here,
   * from the resident part, so that a boot with every key cached does not load the LAN module
   * (about 1,900 variables on the board) only to find it has nothing to do.
   */
  backgroundWork(): string {
    const ctx = this.deps.crypto;
    if (!ctx) return '';
    if (this.deps.jobs && savedList(this.deps.store, RESULTS_SETTING).length > 0) return 'job results';
    // Only POLY keys are computed ahead (lan/service.ts warmKeys, stepKeys).
    if (ctx.agreement.suite !== SUITE_POLY_GF128) return '';
    const a = ctx.agreement;
    const boxes = this.deps.mailbox.boxes();
    for (let i = 0; i < boxes.length; i++) {
      const o = boxes[i].owner;
      if (o && ctx.cache.get(a.identity, o, a.suite, a.epoch) === null) return 'pair keys';
    }
    return '';
  }

  isInService(): boolean {
    return this.isIn(LAN_DORMANT) || this.isIn(LAN_AWAKE);
  }

  startListening(): void {
    const me = this;
    this.listener = listenForOwners(this.deps.net as NonNullable<LanServiceDeps['net']>, this.deps.settings().listen, (this.deps.crypto as CryptoContext).agreement.identity, function (sock: TcpSocket) {
      me.post({ sig: 'ACCEPT', sock: sock } as unknown as Evt);
    }, function (text: string) {
      me.trace(text);
    });
  }

  /** Closes every connection and the listener (tests, shutdown). */
  shutdown(): void {
    if (this.engine) this.engine.lan.shutdown();
    if (this.listener) this.listener.close();
    this.listener = null;
  }
}

export const LAN_OFF: State<LanGate> = {
  name: 'OFF',
  on: function (me: LanGate, e: Evt) {
    if (e.sig === 'ENTRY') me.trace(me.why);
  },
};

/** Listening, with work (accepted sockets) handed to an engine created for it. */
const LAN_ON: State<LanGate> = {
  name: 'ON',
  on: function (me: LanGate, e: Evt) {
    if (e.sig === 'ACCEPT') {
      const sock = (e as unknown as { sock: TcpSocket }).sock;
      me.wake('a connection from ' + sock.remote()).lan.post({ sig: 'ACCEPT', sock: sock } as unknown as Evt);
    }
  },
};

export const LAN_DORMANT: State<LanGate> = {
  name: 'DORMANT',
  parent: LAN_ON,
  on: function (me: LanGate, e: Evt) {
    switch (e.sig) {
      case 'ENTRY':
        if (me.wakes === 0) {
          me.startListening();
          // After boot: the owners' pair keys are computed ahead in slices (and results left by
          // a power cut pushed) by an engine, as the service did when it was resident.
          me.resultsTimer.arm(1);
        }
        return;
      case 'RESULTS': {
        const work = me.backgroundWork();
        if (work) me.wake(work);
        else if (me.wakes === 0) me.trace('every owner\'s pair key is in the cache: LAN service not loaded until there is work');
        return;
      }
    }
    return 'super';
  },
};

export const LAN_AWAKE: State<LanGate> = {
  name: 'AWAKE',
  parent: LAN_ON,
  on: function (me: LanGate, e: Evt) {
    if (e.sig !== 'LOOK') return 'super';
    if (lookAtEngine(me)) me.tran(LAN_DORMANT);
  },
};

export interface Delivery {
  agent: DeliveryAgent;
  /** The LAN service's gate (the service itself is loaded while it has work). */
  lan: LanGate;
  /** Null when no key is provisioned (nothing can be sealed: no delivery, no LAN service). */
  crypto: CryptoContext | null;
}

/**
 * Composition of confidential delivery on a board: the appliance's key from the store, the
 * crypto context, the delivery agent (outbox, policies) and the LAN gate as its transport
 * (another transport, mail, is added with `delivery.agent.addTransport(t)`).
 */
export function attachDelivery(kernel: Kernel, board: Board, settings: Settings, store: Store, mailbox: Mailbox, prio: { delivery: number; lan: number; lanGate: number }, queue?: SendQueue): Delivery {
  const key = loadKey(store, function (why: string) {
    kernel.trace('lan', why);
  });
  const crypto: CryptoContext | null = key
    ? { agreement: key, cache: new FlashPeerKeyCache(store, 8), entropy: board.entropy, accel: board.crypto, clock: board.clock, segmentSize: lanSettings(settings).segmentBytes }
    : null;
  const agent = new DeliveryAgent(prio.delivery, store, mailbox, board.clock, {
    utcOffset: function () {
      return settings.panel.utcOffsetMinutes;
    },
  });
  const gate = new LanGate(prio.lanGate, {
    net: board.net,
    store: store,
    mailbox: mailbox,
    crypto: crypto,
    settings: function () {
      return lanSettings(settings);
    },
    agent: agent,
    // The fax server: jobs from the LAN (lan.senders), the journal for lan.admins.
    jobs: queue ? lanJobsDeps(settings, queue) : null,
    listensElsewhere: true,
  }, prio.lan);
  if (crypto) agent.addTransport(gate.transport);
  kernel.add(agent);
  kernel.add(gate);
  return { agent: agent, lan: gate, crypto: crypto };
}
