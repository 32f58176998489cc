// Composition of confidential delivery on a board: the appliance's key from the store, the
// crypto context, the delivery agent (outbox, policies) and the LAN service as its transport.
// firmware/app/appliance.ts calls attachDelivery(); another transport (mail) is added with
// `delivery.agent.addTransport(t)`.
import type { Board } from '../../hal/board.ts';
import type { Kernel } from '../kernel/index.ts';
import type { Settings } from '../config/settings.ts';
import type { Store } from '../store/index.ts';
import type { Mailbox } from '../mailbox/index.ts';
import { FlashPeerKeyCache } from '../crypto/flash-key-cache.ts';
import { DeliveryAgent } from '../delivery/agent.ts';
import { loadKey } from '../delivery/keys.ts';
import type { CryptoContext } from '../delivery/keys.ts';
import { LanService } from './service.ts';
import { lanSettings } from './settings.ts';
import type { SendQueue } from '../jobs/index.ts';
import type { LanJobsDeps } from './job-service.ts';
import { boxesOf } from '../mailbox/index.ts';

export interface Delivery {
  agent: DeliveryAgent;
  lan: LanService;
  /** Null when no key is provisioned (nothing can be sealed: no delivery, no LAN service). */
  crypto: CryptoContext | null;
}

/** Who may use the fax server, for the LAN service and the mail service alike (docs/FAX-SERVER.md). */
export function lanJobsDeps(settings: Settings, queue: SendQueue): LanJobsDeps {
  return {
    queue: queue,
    senders: function () {
      return lanSettings(settings).senders || [];
    },
    admins: function () {
      return lanSettings(settings).admins || [];
    },
    owners: function () {
      const b = boxesOf(settings);
      const out: string[] = [];
      for (let i = 0; i < b.length; i++) out.push(b[i].owner);
      return out;
    },
  };
}

export function attachDelivery(kernel: Kernel, board: Board, settings: Settings, store: Store, mailbox: Mailbox, prio: { delivery: number; lan: number }, queue?: SendQueue): Delivery {
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
  const lan = new LanService(prio.lan, {
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
  });
  if (crypto) agent.addTransport(lan);
  kernel.add(agent);
  kernel.add(lan);
  return { agent: agent, lan: lan, crypto: crypto };
}
