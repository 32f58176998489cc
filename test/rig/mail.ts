// The mail side of the shared rig: a small mail system on the appliance session's simulated LAN
// (sim/mail: one SMTP server at mail.lan:25 filing what it accepts into a POP3 mailbox per
// address) and box owners' computers running the mail client library (host/client/mail.ts) on
// kernels of their own, all on the session's virtual clock.
//
//   const mail = mailSystem(s, { 'fax@appliance.test': 1100, 'ann@example.test': 1101 });
//   const ann = ownerMail(s, mail, { master, appliance: 'mail:fax@appliance.test', id: 'mail:ann@example.test', prio: 100 });
import { Kernel } from '../../firmware/kernel/index.ts';
import { PolyAgreement } from '../../firmware/crypto/poly.ts';
import { polyShare } from '../../host/crypto/poly-center.ts';
import type { PolyMaster } from '../../host/crypto/poly-center.ts';
import { SeededEntropy } from '../../sim/board/entropy.ts';
import { SmtpPeer } from '../../sim/mail/smtp-peer.ts';
import type { ReceivedMail, SmtpPeerOptions } from '../../sim/mail/smtp-peer.ts';
import { Pop3Peer } from '../../sim/mail/pop3-peer.ts';
import { OwnerMail } from '../../host/client/mail.ts';
import { parseServerUrl } from '../../firmware/mail/url.ts';
import type { Session } from './appliance.ts';

export interface MailSystem {
  smtp: SmtpPeer;
  /** The POP3 mailbox of each address (user: the address, password 'pw'). */
  boxes: { [addr: string]: Pop3Peer };
  /** The POP3 port of each address. */
  ports: { [addr: string]: number };
}

/**
 * mail.lan on the session's LAN: a POP3 mailbox per address of `ports`, and an SMTP server on
 * port 25 (user 'fax', password 'pw', and `smtpOpts`) that files each mail into the mailboxes of
 * its recipients.
 */
export function mailSystem(s: Session, ports: { [addr: string]: number }, smtpOpts: SmtpPeerOptions = {}): MailSystem {
  const host = s.sim.lan!.host('mail.lan');
  const boxes: { [addr: string]: Pop3Peer } = {};
  for (const [addr, port] of Object.entries(ports)) boxes[addr] = new Pop3Peer(host, s.sim.virtual!, port, { user: addr, pass: 'pw' });
  const smtp = new SmtpPeer(host, s.sim.virtual!, 25, {
    user: 'fax', pass: 'pw',
    ...smtpOpts,
    onReceive: (m: ReceivedMail) => {
      for (const to of m.to) if (boxes[to]) boxes[to].deliver(m.data);
    },
  });
  return { smtp, boxes, ports };
}

/**
 * A box owner's computer (pc-NAME.lan for mail:NAME@…) with the mail client on a kernel of its
 * own at priority `prio`: its key from `master`, its mailbox on `mail`, sending through mail.lan.
 */
export function ownerMail(s: Session, mail: MailSystem, o: { master: PolyMaster; appliance: string; id: string; prio: number }): OwnerMail {
  const k = new Kernel(s.sim.virtual!, { faultPolicy: 'halt' });
  const addr = o.id.substring(5);
  const c = new OwnerMail(k, s.sim.lan!.host('pc-' + addr.split('@')[0] + '.lan'), {
    keys: { agreements: [new PolyAgreement(o.id, 1, polyShare(o.master, o.id))], accel: null, entropy: new SeededEntropy(o.id), now: () => s.sim.clock.wall() },
    appliance: o.appliance,
    pop3: parseServerUrl(`pop3://${encodeURIComponent(addr)}:pw@mail.lan:${mail.ports[addr]}`, ['pop3']).url!,
    smtp: parseServerUrl('smtp://fax:pw@mail.lan:25', ['smtp']).url!,
  }, o.prio);
  k.start();
  return c;
}
