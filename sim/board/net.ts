// A LAN inside the simulator: hosts on one in-memory network, TCP-like byte streams delivered
// through the clock (virtual time in tests), so the appliance and simulated client
// computers talk without real sockets. `LoopbackLan.host(address)` gives each host its Net.
// `LoopbackLan.window` (bytes, default unbounded) models a receiver's TCP window: a writer may
// have at most that many bytes on the way to or waiting at the reader; past it write() takes
// what fits and onWritable comes once the reader has read.
import type { Net, TcpListener, TcpSocket } from '../../hal/net.ts';
import type { Clock } from '../../hal/clock.ts';

const LATENCY_MS = 1;

class SimSocket implements TcpSocket {
  peer: SimSocket | null = null;
  inbox: number[] = [];
  closed = false;
  onConnect: (() => void) | null = null;
  onReadable: (() => void) | null = null;
  onWritable: (() => void) | null = null;
  onClose: ((error: string | null) => void) | null = null;

  /** Bytes written and not yet in the peer's inbox. */
  private inflight = 0;
  /** A write was cut short: onWritable is owed once the peer reads. */
  private refused = false;

  constructor(private clock: Clock, private remoteName: string, private window: number) {}

  write(bytes: Uint8Array): number {
    if (this.closed || !this.peer) return 0;
    const peer = this.peer;
    const room = this.window - this.inflight - peer.inbox.length;
    const n = room >= bytes.length ? bytes.length : room > 0 ? room : 0;
    if (n < bytes.length) this.refused = true;
    if (n === 0) return 0;
    const copy = Array.prototype.slice.call(bytes, 0, n) as number[];
    this.inflight += n;
    this.clock.at(this.clock.now() + LATENCY_MS, () => {
      this.inflight -= copy.length;
      if (peer.closed) return;
      const was = peer.inbox.length;
      for (const b of copy) peer.inbox.push(b);
      if (was === 0 && peer.onReadable) peer.onReadable();
    });
    return n;
  }

  read(max: number): Uint8Array {
    const n = Math.min(max, this.inbox.length);
    const out = Uint8Array.from(this.inbox.splice(0, n));
    const writer = this.peer;
    if (n > 0 && writer && writer.refused) {
      writer.refused = false;
      this.clock.at(this.clock.now() + LATENCY_MS, () => {
        if (!writer.closed && writer.onWritable) writer.onWritable();
      });
    }
    return out;
  }

  readable(): number {
    return this.inbox.length;
  }

  remote(): string {
    return this.remoteName;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const peer = this.peer;
    if (peer && !peer.closed) {
      this.clock.at(this.clock.now() + LATENCY_MS, () => {
        if (peer.closed) return;
        peer.closed = true;
        if (peer.onClose) peer.onClose(null);
      });
    }
  }
}

export class LoopbackLan {
  private listeners: { [key: string]: (s: TcpSocket) => void } = {};
  private nextPort = 40000;
  /** The receive window of every connection made from now on (bytes). */
  window = Infinity;

  constructor(private clock: Clock) {}

  host(address: string): Net {
    const lan = this;
    return {
      localAddress: () => address,
      listen(port: number, onAccept: (s: TcpSocket) => void): TcpListener {
        const key = address + ':' + port;
        if (lan.listeners[key]) throw new Error(`${key} is already listening`);
        lan.listeners[key] = onAccept;
        return { close: () => delete lan.listeners[key] };
      },
      connect(host: string, port: number): TcpSocket {
        const key = host + ':' + port;
        const local = new SimSocket(lan.clock, key, lan.window);
        const ephemeral = address + ':' + lan.nextPort++;
        lan.clock.at(lan.clock.now() + LATENCY_MS, () => {
          const accept = lan.listeners[key];
          if (!accept) {
            local.closed = true;
            if (local.onClose) local.onClose('connection refused by ' + key);
            return;
          }
          const remote = new SimSocket(lan.clock, ephemeral, lan.window);
          local.peer = remote;
          remote.peer = local;
          accept(remote);
          if (local.onConnect) local.onConnect();
        });
        return local;
      },
    };
  }
}
