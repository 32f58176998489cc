// The LAN delivery rig: the appliance on the simulated board with its FAXNIKS key provisioned,
// remote fax machines on the emulated line, and box owners' computers on the simulated LAN
// running the real client library (host/client) — all on one virtual clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootAppliance, untilCallEnds } from '../../rig/appliance.ts';
import type { Session } from '../../rig/appliance.ts';
import { PolyAgreement } from '../../../firmware/crypto/poly.ts';
import { polyMaster, polyShare } from '../../../host/crypto/poly-center.ts';
import { SeededEntropy } from '../../../sim/board/entropy.ts';
import { ClientSession } from '../../../host/client/session.ts';
import type { ReceivedDocument, SessionHooks, ClientError } from '../../../host/client/session.ts';
import type { Listing, Notice } from '../../../firmware/lan/messages.ts';
import type { Net, TcpSocket } from '../../../hal/net.ts';
import { readTiff } from '../../../host/image/tiff.ts';
import { codedPages } from '../../../host/client/output.ts';
import { writeCodedTiff } from '../../../host/image/tiff.ts';
import { page, T0 } from '../appliance/helpers.ts';
import type { Bitmap } from '../../../host/image/bitmap.ts';

export { page, T0 };
export const APPLIANCE = 'host:fax.lan';
export const ANN = 'host:pc-ann.lan';
export const BOB = 'host:pc-bob.lan';
const master = polyMaster(new Uint8Array(32).fill(9), 1, 7);

export function agreement(id: string): PolyAgreement {
  return new PolyAgreement(id, 1, polyShare(master, id));
}

export function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'fv-lan-'));
}

/** The settings file of the LAN tests: box 12 for Ann, 13 for Bob. */
function settingsJson(box12: object = {}, extra: object = {}) {
  return {
    station: { ident: '+49 30 1234567', name: 'Office 3', number: '301234567' },
    fax: { ringsBeforeAnswer: 1 },
    boxes: [
      { number: '12', owner: ANN, code: '4711', ...box12 },
      { number: '13', owner: BOB, code: '1234' },
    ],
    ...extra,
  };
}

export function boot(opts: { box12?: object; extra?: object; dir?: string | null; wallStart?: number; key?: boolean } = {}): Session {
  return bootAppliance(settingsJson(opts.box12, opts.extra), {
    wallStart: opts.wallStart ?? T0,
    seed: 'lan',
    dataDir: opts.dir ?? null,
    applianceKey: opts.key === false ? undefined : { identity: APPLIANCE, epoch: 1, share: polyShare(master, APPLIANCE) },
  });
}

export function receive(s: Session, pages: Bitmap[], sub = '12', ident = '+49 89 5550123'): void {
  s.remoteSends(pages, { sub, ident });
  if (!untilCallEnds(s)) throw new Error('the call did not end');
}

export function clientKeys(s: Session, id: string, seed = id) {
  return { agreements: [agreement(id)], accel: null, entropy: new SeededEntropy(seed), now: () => s.sim.clock.wall() };
}

export interface OwnerPc {
  net: Net;
  notices: Notice[];
  documents: ReceivedDocument[];
  sessions: ClientSession[];
  /** With a code, every notice is answered with a request on the same connection. */
  code: string | null;
  errors: string[];
  stop(): void;
}

/** An owner's computer running `client listen` on the simulated LAN. */
export function ownerListens(s: Session, id: string, host: string, port = 7761, code: string | null = null): OwnerPc {
  const net = s.sim.lan!.host(host);
  const pc: OwnerPc = { net, notices: [], documents: [], sessions: [], code, errors: [], stop: () => l.close() };
  const l = net.listen(port, (sock: TcpSocket) => {
    const cs = new ClientSession(sock, clientKeys(s, id, id + pc.sessions.length), {
      appliance: null,
      onNotice: (n, sess) => {
        pc.notices.push(n);
        if (pc.code !== null) sess.fetch(n.box, n.doc, pc.code, (err) => { if (err) pc.errors.push(err.code); });
      },
      onDocument: (d) => { pc.documents.push(d); return ''; },
    });
    pc.sessions.push(cs);
    cs.start();
  });
  return pc;
}

/** `client list|fetch`: connects to the appliance and runs one operation in virtual time. */
export function ask<T>(s: Session, id: string, host: string, op: (c: ClientSession, done: (err: ClientError | null, r: T | null) => void) => void, hooks: Partial<SessionHooks> = {}): { err: ClientError | null; result: T | null; session: ClientSession } {
  const net = s.sim.lan!.host(host);
  const sock = net.connect('fax.lan', 7760);
  const c = new ClientSession(sock, clientKeys(s, id, id + Math.random()), { appliance: APPLIANCE, ...hooks });
  let out: { err: ClientError | null; result: T | null } | null = null;
  sock.onConnect = () => c.start();
  op(c, (err, r) => { out = { err, result: r }; });
  for (let i = 0; i < 600 && !out; i++) s.runFor(100);
  c.close();
  s.runFor(100);
  if (!out) throw new Error('no answer from the appliance');
  return { ...(out as { err: ClientError | null; result: T | null }), session: c };
}

export function list(s: Session, id: string, host: string, box: string) {
  return ask<Listing>(s, id, host, (c, done) => c.list(box, done));
}

export function fetch(s: Session, id: string, host: string, box: string, doc: number, code: string) {
  return ask<ReceivedDocument>(s, id, host, (c, done) => c.fetch(box, doc, code, done));
}

/** The document's pages as a TIFF read back (the received coding, as the client writes it). */
export function pagesOf(d: ReceivedDocument) {
  return readTiff(writeCodedTiff(codedPages(d)));
}

export function samePixels(want: Bitmap, got: { width: number; height: number; data: Uint8Array }): string | null {
  if (got.width !== want.width || got.height !== want.height) return `size ${got.width}x${got.height}, sent ${want.width}x${want.height}`;
  const stride = Math.ceil(want.width / 8);
  for (let y = 0; y < want.height; y++) {
    for (let x = 0; x < stride; x++) if (want.data[y * stride + x] !== got.data[y * stride + x]) return `row ${y} differs`;
  }
  return null;
}
