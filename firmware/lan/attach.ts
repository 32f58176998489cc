// Who may use the fax server over the LAN and by mail (the LAN service and the mail service
// alike). The composition of delivery itself is firmware/app/lan-gate.ts (attachDelivery).
import type { Settings } from '../config/settings.ts';
import { lanSettings } from './settings.ts';
import type { SendQueue } from '../jobs/index.ts';
import type { LanJobsDeps } from './job-service.ts';
import { boxesOf } from '../mailbox/index.ts';

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
