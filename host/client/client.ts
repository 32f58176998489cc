// The owner's client program as Promises for the command line (`faxvault client …`), on the
// host's real network (hal/node/net.ts) — the protocol work is host/client/session.ts.
import { NodeNet } from '../../hal/node/net.ts';
import type { Net, TcpListener, TcpSocket } from '../../hal/net.ts';
import type { KeyAgreement } from '../../firmware/crypto/keys.ts';
import { canonicalIdentity } from '../../firmware/crypto/identity.ts';
import { OsEntropy } from '../../sim/board/entropy.ts';
import { nodeCryptoAccel } from '../crypto/node-accel.ts';
import { ClientError, ClientSession } from './session.ts';
import type { ClientKeys, ReceivedDocument, SessionHooks } from './session.ts';
import type { Listing, Notice } from '../../firmware/lan/messages.ts';
import type { JobStatus } from '../../firmware/lan/job-messages.ts';

export interface ApplianceAddress {
  identity: string;
  host: string;
  port: number;
}

/** Parses IDENTITY@HOST:PORT (the identity may itself contain '@': the last one separates). */
export function parseApplianceAddress(s: string): ApplianceAddress {
  const at = s.lastIndexOf('@');
  const colon = s.lastIndexOf(':');
  if (at <= 0 || colon < at) throw new Error(`--appliance must be IDENTITY@HOST:PORT, e.g. host:fax.lan@192.168.1.10:7760 (got '${s}')`);
  const port = Number(s.slice(colon + 1));
  if (!/^\d+$/.test(s.slice(colon + 1)) || port < 1 || port > 65535) throw new Error(`--appliance: port must be 1 to 65535 (got '${s.slice(colon + 1)}')`);
  return { identity: canonicalIdentity(s.slice(0, at)), host: s.slice(at + 1, colon), port };
}

export function clientKeys(agreements: KeyAgreement[]): ClientKeys {
  return { agreements, accel: nodeCryptoAccel, entropy: new OsEntropy(), now: () => Date.now() };
}

/** Connects and starts a session; rejects with ClientError('unreachable') when nobody answers. */
export function connect(keys: ClientKeys, a: ApplianceAddress, hooks: Partial<SessionHooks> = {}, net: Net = new NodeNet(), timeoutMs = 10000): Promise<ClientSession> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(a.host, a.port);
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      sock.close();
      reject(new ClientError('unreachable', `no answer from ${a.host}:${a.port} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    sock.onClose = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new ClientError('unreachable', `cannot reach the appliance at ${a.host}:${a.port}: ${err ?? 'closed'}`));
    };
    sock.onConnect = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const s = new ClientSession(sock, keys, { appliance: a.identity, ...hooks });
      s.start();
      resolve(s);
    };
  });
}

export function listBox(s: ClientSession, box: string): Promise<Listing> {
  return new Promise((resolve, reject) => s.list(box, (err, l) => (err ? reject(err) : resolve(l as Listing))));
}

export function fetchDocument(s: ClientSession, box: string, doc: number, code: string): Promise<ReceivedDocument> {
  return new Promise((resolve, reject) => s.fetch(box, doc, code, (err, d) => (err ? reject(err) : resolve(d as ReceivedDocument))));
}

export interface ListenOptions {
  port: number;
  host: string;
  /** Called for each notice; may ask for the document on the same connection. */
  onNotice: (n: Notice, s: ClientSession) => void;
  /** A document (pushed, or asked for): save it; '' when saved. */
  onDocument: (d: ReceivedDocument) => string;
  /** A job sent from here ended: its result, pushed (acknowledged already). */
  onJobResult?: (j: JobStatus, s: ClientSession) => void;
  onError: (text: string) => void;
}

/** `client listen`: accepts the appliance's connections until close(). */
export function listen(keys: ClientKeys, o: ListenOptions, net: Net = new NodeNet(o.host)): TcpListener {
  return net.listen(o.port, (sock: TcpSocket) => {
    const s = new ClientSession(sock, keys, {
      appliance: null,
      onNotice: (n, sess) => o.onNotice(n, sess),
      onDocument: (d) => o.onDocument(d),
      onJobResult: (j, sess) => {
        if (o.onJobResult) o.onJobResult(j, sess);
      },
      onClose: (reason) => {
        if (!/closed by the client|appliance closed the connection|peer closed|idle/.test(reason)) o.onError(reason);
      },
    });
    s.start();
  });
}
