// The LAN service as a module loaded on demand (firmware/app/modules.ts): the protocol of
// docs/LAN-PROTOCOL.md — sessions with box owners' computers, notices and documents pushed,
// requests, jobs of the fax server, job results pushed — with the envelope code only it uses.
// The appliance keeps a small gate resident (lan-gate.ts) that listens, and creates this engine
// for a connection or a delivery and lets it go when the work is done (docs/ESPRUINO.md).
import type { Kernel } from '../kernel/index.ts';
import { LanService } from '../lan/service.ts';
import type { LanServiceDeps, LanCodeLoader } from '../lan/service.ts';

export interface LanEngine {
  lan: LanService;
  /** No connection, no delivery, no pair key being computed, nothing queued. */
  idle(): boolean;
  /** Job results still waiting for their senders' computers (retried later). */
  resultsWaiting(): number;
  stop(): void;
}

export function createLanEngine(kernel: Kernel, prio: number, deps: LanServiceDeps, stats: LanService['stats'], nextConn: number, loader: LanCodeLoader): LanEngine {
  const lan = new LanService(prio, deps);
  lan.stats = stats;
  lan.nextId = nextConn;
  // Code it needs only now and then (the fax server's jobs, a text-only box's TIFF) comes as
  // modules of their own, loaded by the service when it needs them.
  lan.loader = loader;
  kernel.join(lan);
  return {
    lan: lan,
    idle: function () {
      return lan.conns.length === 0 && !lan.outboundBusy && !lan.keyJob && lan.keyQueue.length === 0 && lan.queue.length === 0;
    },
    resultsWaiting: function () {
      return lan.resultsWaiting();
    },
    stop: function () {
      kernel.remove(lan);
      lan.dropModules();
    },
  };
}
