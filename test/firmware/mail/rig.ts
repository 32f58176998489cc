// A virtual-time rig for the mail clients: a kernel on a VirtualClock, a simulated LAN with the
// appliance at 10.0.0.2 and the mail servers (sim/mail peers) at 10.0.0.25.
import { Kernel } from '../../../firmware/kernel/index.ts';
import { VirtualClock } from '../../../firmware/kernel/virtual-clock.ts';
import { LoopbackLan } from '../../../sim/board/net.ts';
import { SmtpClient } from '../../../firmware/mail/smtp-client.ts';
import type { SmtpResult } from '../../../firmware/mail/smtp-client.ts';
import { Pop3Client } from '../../../firmware/mail/pop3-client.ts';
import { SmtpPeer } from '../../../sim/mail/smtp-peer.ts';
import type { SmtpPeerOptions } from '../../../sim/mail/smtp-peer.ts';
import { Pop3Peer } from '../../../sim/mail/pop3-peer.ts';
import type { Pop3PeerOptions } from '../../../sim/mail/pop3-peer.ts';
import { parseServerUrl } from '../../../firmware/mail/url.ts';
import type { ServerUrl } from '../../../firmware/mail/url.ts';
import type { ByteSource } from '../../../firmware/mail/source.ts';

export function url(text: string): ServerUrl {
  const r = parseServerUrl(text, ['smtp', 'smtps', 'pop3', 'pop3s']);
  if (!r.url) throw new Error(r.error);
  return r.url;
}

export function rig() {
  const clock = new VirtualClock(Date.UTC(2026, 11, 5, 5, 0, 0));
  const lan = new LoopbackLan(clock);
  const kernel = new Kernel(clock, { faultPolicy: 'halt', traceSize: 2000 });
  const app = lan.host('10.0.0.2');
  const server = lan.host('10.0.0.25');
  const smtp = new SmtpClient(2, app, 'fax.appliance.test');
  const pop3 = new Pop3Client(1, app);
  kernel.add(smtp);
  kernel.add(pop3);
  kernel.start();
  return {
    clock,
    kernel,
    smtp,
    pop3,
    smtpPeer(opts: SmtpPeerOptions = {}) {
      return new SmtpPeer(server, clock, 2525, { user: 'fax', pass: 's3cret', ...opts });
    },
    pop3Peer(opts: Partial<Pop3PeerOptions> = {}) {
      return new Pop3Peer(server, clock, 1110, { user: 'fax', pass: 's3cret', ...opts });
    },
    /** Send one message and run virtual time until the outcome; returns it with the time taken. */
    send(body: ByteSource, opts: { to?: string[]; size?: number; server?: string } = {}): { r: SmtpResult; ms: number } {
      let r: SmtpResult | null = null;
      const t0 = clock.now();
      smtp.send(url(opts.server || 'smtp://fax:s3cret@10.0.0.25:2525'), {
        from: 'fax@appliance.test',
        to: opts.to || ['ann@example.test'],
        body,
        size: opts.size || 0,
        done: (x) => (r = x),
      });
      clock.runUntilIdle(2_000_000);
      if (!r) throw new Error('no outcome; trace:\n' + trace());
      return { r, ms: clock.now() - t0 };
    },
    trace,
  };
  function trace(): string {
    return kernel.tracer.snapshot().join('\n');
  }
}
