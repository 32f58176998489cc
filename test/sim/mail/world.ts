// The world of the mail delivery scenarios in virtual time (delivery.test.ts,
// acknowledgement.test.ts): the appliance with box 12 (ann, request by default) and box 13 (bob,
// text-only, each), the sim's mail system on the simulated LAN, owners' mail clients.
import * as assert from 'uvu/assert';
import type { Session } from '../../../sim/session.ts';
import { bootAppliance, untilCallEnds } from '../../rig/appliance.ts';
import { polyMaster, polyShare } from '../../../host/crypto/poly-center.ts';
import type { SmtpPeer, SmtpPeerOptions } from '../../../sim/mail/smtp-peer.ts';
import type { Pop3Peer } from '../../../sim/mail/pop3-peer.ts';
import type { OwnerMail, MailboxResult } from '../../../host/client/mail.ts';
import { mailSystem, ownerMail } from '../../rig/mail.ts';
import type { MailSystem } from '../../rig/mail.ts';
import { journalEntries } from '../../../firmware/store/index.ts';
import type { Bitmap } from '../../../host/image/bitmap.ts';

export const master = polyMaster(new Uint8Array(32).fill(5), 1, 7);
export const APPLIANCE = 'mail:fax@appliance.test';
export const ANN = 'mail:ann@example.test';
export const BOB = 'mail:bob@example.test';
export const SENDER = '+49 89 5550123';

export interface World {
  s: Session;
  smtp: SmtpPeer;
  boxes: { [addr: string]: Pop3Peer };
  mail: MailSystem;
  client(id: string): OwnerMail;
}

const ports: { [addr: string]: number } = { 'fax@appliance.test': 1100, 'ann@example.test': 1101, 'bob@example.test': 1102, 'eve@example.test': 1103 };

/** `mailSettings` overrides the appliance's mail settings (e.g. checkSeconds). */
export function world(smtpOpts: SmtpPeerOptions = {}, box12: object = {}, dir: string | null = null, mailSettings: object = {}): World {
  const s = bootAppliance({
    station: { ident: '+49 30 1234567', name: 'Office 3', number: '301234567' },
    fax: { ringsBeforeAnswer: 1 },
    mail: { address: 'fax@appliance.test', smtp: 'smtp://fax:pw@mail.lan:25', pop3: 'pop3://fax%40appliance.test:pw@mail.lan:1100', checkSeconds: 60, ...mailSettings },
    boxes: [
      { number: '12', owner: ANN, code: '4711', ...box12 },
      { number: '13', owner: BOB, code: '1234', protection: 'text', delivery: { mode: 'each' } },
    ],
  }, { seed: 'mail', dataDir: dir, applianceKey: { identity: APPLIANCE, epoch: 1, share: polyShare(master, APPLIANCE) } });
  const mail = mailSystem(s, ports, smtpOpts);
  let prio = 100;
  return {
    s, smtp: mail.smtp, boxes: mail.boxes, mail,
    client: (id: string) => ownerMail(s, mail, { master, appliance: APPLIANCE, id, prio: (prio -= 2) }),
  };
}

export function receive(w: World, pages: Bitmap[], sub: string): void {
  w.s.remoteSends(pages, { sub, ident: SENDER });
  if (!untilCallEnds(w.s)) throw new Error('the call did not end');
}

export function check(w: World, c: OwnerMail): MailboxResult {
  let out: MailboxResult | null = null;
  c.check((r) => (out = r));
  for (let i = 0; i < 600 && !out; i++) w.s.runFor(100);
  if (!out) throw new Error('the mailbox check did not end');
  return out;
}

export function mailed(w: World, c: OwnerMail, op: (done: () => void) => void): void {
  let done = false;
  op(() => (done = true));
  for (let i = 0; i < 600 && !done; i++) w.s.runFor(100);
  assert.ok(done, 'the request mail was not sent');
}

export function journal(w: World, kind = 'mail') {
  return journalEntries(w.s.app.store).filter((e) => e.kind === kind);
}
