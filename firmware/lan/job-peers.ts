// Who may talk to the fax server (docs/FAX-SERVER.md §3): `lan.senders` (FAXNIKS identities;
// empty: the box owners) and `lan.admins`. Apart from the job handling (job-service.ts): the LAN
// service asks this of every sealed message's sender before any key is computed, and must not
// hold the job code for it (firmware/app/lan-jobs-module.ts).
import { canonicalIdentity } from '../crypto/identity.ts';
import type { SendQueue } from '../jobs/index.ts';

/** What the appliance gives the LAN service for the fax server. */
export interface LanJobsDeps {
  queue: SendQueue;
  /** `lan.senders` and `lan.admins` as written in the settings. */
  senders: () => string[];
  admins: () => string[];
  /** The box owners (the default senders). */
  owners: () => string[];
}

function canon(list: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    try {
      out.push(canonicalIdentity(list[i]));
    } catch (e) {
      // A bad entry was refused with the settings; ignore it here.
    }
  }
  return out;
}

function has(list: string[], id: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === id) return true;
  return false;
}

export function isAdmin(d: LanJobsDeps, id: string): boolean {
  return has(canon(d.admins()), id);
}

/** May `id` queue faxes? `lan.senders`, or the box owners when that list is empty. */
export function maySend(d: LanJobsDeps, id: string): boolean {
  const s = d.senders();
  return has(s.length ? canon(s) : d.owners(), id) || isAdmin(d, id);
}

/** May `id` talk to the fax server at all (the service's gate before any key is computed)? */
export function jobsPeer(d: LanJobsDeps, id: string): boolean {
  return maySend(d, id) || isAdmin(d, id);
}
