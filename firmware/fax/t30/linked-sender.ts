// The sending side linked in, for hosts and tests: `new T30Session(c1, prio, { …, sender:
// linkedSender })`. Loaded once, nothing to release. A board loads it for each send instead
// (firmware/app/send-module.ts). A file of its own: the device build keeps in memory every file
// the appliance's imports reach, used or not, so nothing the appliance imports may import this.
import type { SenderLink } from './call.ts';
import { T_DIAL } from './sender.ts';

export const linkedSender: SenderLink = {
  load: function () {
    return T_DIAL;
  },
  release: function () {},
};
