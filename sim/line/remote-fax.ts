// Scripted remote fax machine (placeholder: filled in by the remote-machine step).
import type { LineScheduler } from './scheduler.ts';
import type { LineEndpoint, LinePort, CallEvent } from './line.ts';
import type { LineSignal } from './signals.ts';

export interface RemoteScript {
  role?: 'send' | 'receive';
}

export class RemoteFax implements LineEndpoint {
  port!: LinePort;
  constructor(
    readonly sched: LineScheduler,
    readonly script: RemoteScript,
  ) {}
  attach(port: LinePort): void {
    this.port = port;
  }
  onRing(): void {}
  onCall(_ev: CallEvent): void {}
  onSignal(_sig: LineSignal): void {}
}
