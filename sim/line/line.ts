// The simulated PSTN: numbered ports, dialling with ring cadence at the called end, busy, no
// answer, no dial tone, and a connected call that carries LineSignals one line delay from one
// end to the other through the fault injector (faults.ts). Every event goes to a trace so a
// test can read a call and compare two runs (same seed → same trace).
import type { Clock } from '../../hal/clock.ts';
import { LineTimer } from './timer.ts';
import type { LineSignal } from './signals.ts';
import { carrierName } from './signals.ts';
import { FaultInjector } from './faults.ts';
import { frameName } from './t30-frames.ts';
import type { LineFaults } from './faults.ts';

export type CallEvent =
  /** The called end answered: a dialling port is now in the call. */
  | 'connected'
  /** This port took an offered call (it answered). */
  | 'answered'
  | 'busy'
  | 'no-answer'
  | 'no-dialtone'
  /** No such number (a modem reports NO CARRIER). */
  | 'unobtainable'
  /** The far end hung up or the line dropped. */
  | 'hangup';

/** What owns a port: an emulated modem or a scripted remote fax machine. */
export interface LineEndpoint {
  /** A ring burst begins (a call is offered to this on-hook port). */
  onRing(): void;
  onCall(ev: CallEvent): void;
  onSignal(sig: LineSignal): void;
}

export interface LineOptions {
  /** One-way delay of the line in ms (default 40, as the SpanDSP peer's audio line). */
  delayMs?: number;
  /** Ring cadence at the called end (default 2 s on, 4 s off). */
  ringOnMs?: number;
  ringOffMs?: number;
  /** Dialling: per digit (DTMF, default 100 ms) and for the network to set the call up (default 1 s). */
  digitMs?: number;
  setupMs?: number;
  /** The network gives up ringing after this long: NO ANSWER (default 60 s). */
  noAnswerMs?: number;
  /** Tell an end that the other hung up (SpanDSP's peer does; a real PSTN line just goes quiet). */
  signalHangup?: boolean;
  faults?: LineFaults;
  /** Also print trace lines as they happen. */
  log?: (line: string) => void;
}

export interface PortOptions {
  /** Calls to this number get BUSY. */
  busy?: boolean;
  /** Dialling from this port gets NO DIALTONE. */
  noDialTone?: boolean;
}

type PortState = 'idle' | 'dialling' | 'ringing-out' | 'ringing-in' | 'connected';

export class LinePort {
  state: PortState = 'idle';
  offHook = false;
  peer: LinePort | null = null;
  /** The call this port is in (ids tie delayed deliveries to a call). */
  callId = 0;
  /** Rings offered in the current call attempt. */
  rings = 0;
  /** Loop current (false while the line is cut). */
  current = true;
  /** The port will take the next offered call at once (ATA before the call arrived). */
  answerPending = false;
  readonly timer: LineTimer;
  constructor(
    readonly line: Line,
    readonly number: string,
    public endpoint: LineEndpoint,
    readonly opts: PortOptions,
  ) {
    this.timer = new LineTimer(line.clock);
  }

  /** Go off hook and dial `digits`. */
  dial(digits: string): void {
    this.line.dial(this, digits);
  }
  /** Go off hook to answer. True when a call was offered (or will be taken when it comes). */
  answer(): void {
    this.line.answer(this);
  }
  hangUp(): void {
    this.line.hangUp(this, 'local');
  }
  /** Transmit a signal to whoever is at the other end of the call. */
  send(sig: LineSignal): void {
    this.line.transmit(this, sig);
  }
}

export class Line {
  readonly ports = new Map<string, LinePort>();
  readonly trace: string[] = [];
  readonly faults: FaultInjector;
  private nextCall = 1;
  readonly delayMs: number;
  private readonly ringOn: number;
  private readonly ringOff: number;
  private readonly noAnswerMs: number;
  private readonly digitMs: number;
  private readonly setupMs: number;
  readonly signalHangup: boolean;
  private readonly log: ((l: string) => void) | null;

  constructor(readonly clock: Clock, opts: LineOptions = {}) {
    this.delayMs = opts.delayMs ?? 40;
    this.ringOn = opts.ringOnMs ?? 2000;
    this.ringOff = opts.ringOffMs ?? 4000;
    this.noAnswerMs = opts.noAnswerMs ?? 60000;
    this.digitMs = opts.digitMs ?? 100;
    this.setupMs = opts.setupMs ?? 1000;
    this.signalHangup = opts.signalHangup ?? true;
    this.log = opts.log ?? null;
    this.faults = new FaultInjector(this, opts.faults ?? {});
  }

  note(text: string): void {
    const line = `${(this.clock.now() / 1000).toFixed(3).padStart(9)} ${text}`;
    this.trace.push(line);
    if (this.log) this.log(line);
  }

  addPort(number: string, endpoint: LineEndpoint, opts: PortOptions = {}): LinePort {
    if (this.ports.has(number)) throw new Error(`line: number ${number} is already attached`);
    const p = new LinePort(this, number, endpoint, opts);
    this.ports.set(number, p);
    return p;
  }

  dial(from: LinePort, digits: string): void {
    if (from.state !== 'idle') return;
    from.offHook = true;
    from.state = 'dialling';
    from.callId = this.nextCall++;
    const number = digits.replace(/[^0-9*#A-D]/g, '');
    this.note(`${from.number} dials ${number || '(nothing)'}`);
    if (from.opts.noDialTone) {
      from.timer.start(3000, () => this.endAttempt(from, 'no-dialtone'));
      return;
    }
    // DTMF digits, then the network sets the call up.
    from.timer.start(this.digitMs * number.length + this.setupMs, () => {
      const to = this.ports.get(number);
      if (!to || to === from) {
        this.endAttempt(from, 'unobtainable');
        return;
      }
      if (to.opts.busy || to.state !== 'idle') {
        this.note(`${number} is busy`);
        from.timer.start(2000, () => this.endAttempt(from, 'busy'));
        return;
      }
      from.state = 'ringing-out';
      from.peer = to;
      to.peer = from;
      to.callId = from.callId;
      to.state = 'ringing-in';
      to.rings = 0;
      if (to.answerPending) {
        this.connect(to);
        return;
      }
      this.ring(to);
      if (to.state !== 'ringing-in') return; // answered at the first ring
      from.timer.start(this.noAnswerMs, () => {
        this.note(`${to.number} does not answer`);
        to.timer.stop();
        to.state = 'idle';
        to.peer = null;
        from.peer = null;
        this.endAttempt(from, 'no-answer');
      });
    });
  }

  private ring(to: LinePort): void {
    if (to.state !== 'ringing-in') return;
    to.rings++;
    this.note(`${to.number} rings (${to.rings})`);
    to.endpoint.onRing();
    to.timer.start(this.ringOn + this.ringOff, () => this.ring(to));
  }

  private endAttempt(from: LinePort, ev: CallEvent): void {
    this.note(`${from.number} call attempt ends: ${ev}`);
    from.state = 'idle';
    from.peer = null;
    from.endpoint.onCall(ev);
  }

  answer(p: LinePort): void {
    if (p.state === 'ringing-in') {
      this.connect(p);
    } else if (p.state === 'idle') {
      // Off hook before any call (modempair's modems may do this): the next call is taken at once.
      p.answerPending = true;
      this.note(`${p.number} off hook, waiting for a call`);
    }
  }

  private connect(callee: LinePort): void {
    const caller = callee.peer!;
    callee.timer.stop();
    caller.timer.stop();
    callee.answerPending = false;
    callee.offHook = true;
    callee.state = 'connected';
    caller.state = 'connected';
    this.note(`${callee.number} answers: ${caller.number} ↔ ${callee.number} connected`);
    this.faults.callStarted();
    callee.endpoint.onCall('answered');
    // The caller's modem learns of the answer a line delay later.
    const id = caller.callId;
    this.clock.at(this.clock.now() + this.delayMs, () => {
      if (caller.callId === id && caller.state === 'connected') caller.endpoint.onCall('connected');
    });
  }

  /** A port goes on hook: ends its call (the other end hears it as configured). */
  hangUp(p: LinePort, why: string): void {
    p.answerPending = false;
    p.timer.stop();
    const peer = p.peer;
    const was = p.state;
    p.state = 'idle';
    p.offHook = false;
    p.peer = null;
    p.callId = 0;
    if (was === 'idle') return;
    this.note(`${p.number} hangs up (${why})`);
    if (!peer) return;
    peer.peer = null;
    peer.timer.stop();
    if (peer.state === 'ringing-in') {
      peer.state = 'idle';
      return;
    }
    if (peer.state === 'connected' || peer.state === 'ringing-out') {
      peer.state = 'idle';
      peer.offHook = false;
      // Calling party control: a short break of loop current, then the far end's hang-up.
      peer.current = false;
      this.clock.at(this.clock.now() + 300, () => {
        peer.current = true;
      });
      if (this.signalHangup) {
        this.clock.at(this.clock.now() + this.delayMs, () => peer.endpoint.onCall('hangup'));
      }
    }
  }

  /** The line drops (fault): both ends lose the call. */
  drop(reason: string): void {
    for (const p of this.ports.values()) {
      if (p.state === 'connected') {
        this.note(`line drops (${reason})`);
        const peer = p.peer!;
        for (const q of [p, peer]) {
          q.state = 'idle';
          q.offHook = false;
          q.peer = null;
          q.callId = 0;
          q.current = false;
          this.clock.at(this.clock.now() + 300, () => {
            q.current = true;
          });
          if (this.signalHangup) q.endpoint.onCall('hangup');
        }
        return;
      }
    }
  }

  transmit(from: LinePort, sig: LineSignal): void {
    const to = from.peer;
    if (from.state !== 'connected' || !to) return;
    const out = this.faults.process(from, sig);
    const id = from.callId;
    for (const s of out) {
      this.traceSignal(from, s);
      this.clock.at(this.clock.now() + this.delayMs, () => {
        if (to.callId === id && to.state === 'connected') to.endpoint.onSignal(s);
      });
    }
  }

  private traceSignal(from: LinePort, s: LineSignal): void {
    const who = from.number;
    switch (s.kind) {
      case 'tone':
        this.note(`${who} ${s.tone} ${s.on ? 'on' : 'off'}`);
        break;
      case 'carrier-on':
        this.note(`${who} carrier ${carrierName(s.carrier)} on`);
        break;
      case 'carrier-off':
        this.note(`${who} carrier off`);
        break;
      case 'frame':
        this.note(`${who} frame ${frameName(s.bytes)}${s.bytes[1] === 0x13 ? ' (final)' : ''}: ${hex(s.bytes)}${s.ok ? '' : ' (bad FCS)'}`);
        break;
      case 'trained':
        this.note(`${who} training done`);
        break;
      case 'flags':
      case 'data':
        break;
    }
  }
}

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length && i < 24; i++) s += (i ? ' ' : '') + b[i].toString(16).padStart(2, '0');
  return b.length > 24 ? s + ` … (${b.length} bytes)` : s;
}
