// A scripted remote fax machine on the simulated line: a small T.30 terminal of its own (it does
// not use firmware/fax/t30), which answers and receives, or calls and sends, pages of coded T.4
// data, with or without ECM, and misbehaves on request. It records every frame and page so tests
// can assert what the appliance did.
//
//   line.attachRemote('200', { role: 'receive', ident: 'REMOTE RX', ecm: true, policy: ['RTN', 'MCF'] })
//   line.attachRemote('300', { role: 'send', call: '100', pages: [p1, p2], sub: '12', pwd: 'secret' })
//
// Receiving, it answers after `answerAfterRings` rings (or never), sends CED, CSI and DIS, takes
// DCS, checks the TCF (≥ 1 s of zeros), answers CFR or FTT, receives each page (non-ECM: all
// bytes of the carrier; ECM: 256-byte FCD frames checked by FCS, PPR for the missing ones) and
// answers each post-message command by `policy`. Sending, it dials, waits for DIS, sends TSI,
// SUB/SID when the DIS allows them (bits 49/50), DCS and TCF, falls back on FTT (V.17 → V.29 →
// V.27ter), sends each page and MPS/EOP (or ECM blocks with PPS), resends a page after RTN, and
// ends with DCN. Polling both ways: answering with a document (DIS bit 9, sends on DTC), or
// calling to poll (CIG + DTC, then receives). Timers T1 (35 s), T2 (6 s), T4 (3 s, three tries).
import type { Clock } from '../../hal/clock.ts';
import { LineTimer } from './timer.ts';
import type { LineEndpoint, LinePort, CallEvent } from './line.ts';
import type { LineSignal, Carrier } from './signals.ts';
import { trainingMs, trainsOn, turnOffBytes } from './signals.ts';
import { withFcs, stuffedBitCount, hdlcEncode, HdlcDecoder } from './hdlc.ts';
import {
  FCF,
  FCD,
  RCP,
  frame as mkFrame,
  frameName,
  fcfOf,
  identFif,
  identText,
  getBit,
  fifWithBits,
  DCS_RATE_BITS,
  dcsModem,
  disLadder,
  disRateBits,
} from './t30-frames.ts';
import type { Modem } from './t30-frames.ts';

export type PageResponse = 'MCF' | 'RTN' | 'RTP' | 'PIP' | 'PIN';

export interface RemoteScript {
  /**
   * 'receive' (default) or 'send'. With `call` the machine calls: a sender sends, a receiver polls
   * (DTC); without, it answers: a receiver receives, a sender waits to be polled (DIS bit 9).
   */
  role?: 'send' | 'receive';
  /** Number to dial. */
  call?: string;
  /** Rings before answering (default 1); `neverAnswer` lets it ring. */
  answerAfterRings?: number;
  neverAnswer?: boolean;
  /** CSI or TSI. */
  ident?: string;
  /**
   * Coded T.4 data of each page to send, RTC included, in line order: the first bit of each byte
   * is its LSB, as a Class 1 modem carries it (pbmtog3 output needs its bits reversed). Pages
   * received are recorded the same way.
   */
  pages?: Uint8Array[];
  /** Offer (receive) or use (send) ECM (default false). */
  ecm?: boolean;
  /** Fastest modem offered or used (default 14400: V.17). */
  maxRate?: 14400 | 12000 | 9600 | 7200 | 4800 | 2400;
  /** Coding offered (receive: MR/MMR bits in the DIS) or used (send). Default MH. */
  coding?: 'MH' | 'MR' | 'MMR';
  fine?: boolean;
  /** Sender: SUB and password (SID) to send when the receiver's DIS sets bits 49/50. */
  sub?: string;
  pwd?: string;
  /** Receiver: set DIS bits 49 (SUB) and 50 (PWD) (default true). */
  acceptSubPwd?: boolean;
  /** DIS (receiver) or DCS (sender) bits forced on or off, by T.30 bit number. */
  bits?: { [n: number]: boolean };
  /**
   * Receiver's answer to each post-message command: one for all, a list used in order (one per
   * post-message command received, the last repeated), or a function of the page number and its
   * data. Default MCF.
   */
  policy?: PageResponse | PageResponse[] | ((page: number, data: Uint8Array) => PageResponse);
  /** Receiver: FTT to the first N TCFs whatever their quality. */
  failTraining?: number;
  /** Send the first response to a DIS (sender) or the first DIS (receiver) with a bad FCS. */
  badFcsFirst?: boolean;
  /** ECM sender: PPS page counter one too high. */
  ppsOffByOne?: boolean;
  /** Hang up (no DCN) once page N was received (receiver, before answering it) or sent (sender, before its post-message command). */
  dropAfterPage?: number;
  /** Sender: send pages via EOM between them instead of MPS (each page a new phase B). */
  useEom?: boolean;
  /** Receiver: send an NSF with this FIF (T.35 country code, maker code, …) before CSI and DIS. */
  nsf?: number[];
  /** Sender: start calling this long after being attached (default 0). */
  startAfterMs?: number;
  /** Delay before answering a command, ms (default 100). */
  turnaroundMs?: number;
}

export interface RemoteFrameRecord {
  t: number;
  dir: 'rx' | 'tx';
  name: string;
  bytes: Uint8Array;
  ok: boolean;
}

export interface RemoteResult {
  status: 'in-progress' | 'ok' | 'failed';
  reason: string;
  pages: number;
  rate: number;
  ecm: boolean;
  coding: 'MH' | 'MR' | 'MMR' | '';
  remoteIdent: string;
  sub: string;
  pwd: string;
}

type State =
  | 'idle'
  | 'ringing'
  | 'answer-tone'
  | 'dialling'
  | 'wait-dis'
  | 'send-dis'
  | 'wait-dcs'
  | 'rx-tcf'
  | 'send-dcs'
  | 'send-tcf'
  | 'wait-cfr'
  | 'rx-page'
  | 'wait-pmc'
  | 'send-page'
  | 'send-pmc'
  | 'wait-pmr'
  | 'wait-dcn'
  | 'send-dcn'
  | 'done';

const T1_MS = 35000;
const T2_MS = 6000;
const T4_MS = 3000;
const PREAMBLE_MS = 1000;
const TICK_MS = 20;
const ECM_FRAME = 256;

export class RemoteFax implements LineEndpoint {
  port!: LinePort;
  state: State = 'idle';
  readonly frames: RemoteFrameRecord[] = [];
  /** Pages received: coded data as it came (non-ECM: the carrier's bytes; ECM: FCD data in order). */
  readonly pages: Uint8Array[] = [];
  readonly result: RemoteResult = { status: 'in-progress', reason: '', pages: 0, rate: 0, ecm: false, coding: '', remoteIdent: '', sub: '', pwd: '' };
  /** Every TCF received: bytes and the verdict. */
  readonly tcfs: { bytes: number; zeroRunMs: number; ok: boolean }[] = [];
  private readonly timer: LineTimer;
  private readonly tx: LineTimer;
  private carrierId = 0;
  private txId = 0;
  private transmitting = false;
  private gotDis: Uint8Array | null = null;
  private gotDcs: Uint8Array | null = null;
  private modem: Modem | null = null;
  private ladder: Modem[] = [];
  private rung = 0;
  private x = false; // X bit of our frames
  private page = 0; // pages done (sender: confirmed; receiver: received)
  private tries = 0;
  private lastCommand: Uint8Array[] = [];
  private lastCommandThen: (() => void) | null = null;
  private badFcsUsed = false;
  private rings = 0;
  private tcfCount = 0;
  // high-speed receive
  private hs: { id: number; carrier: Carrier; trained: boolean; data: number[] } | null = null;
  private hsExpect: Carrier | null = null;
  private hsDone: ((data: Uint8Array) => void) | null = null;
  // ECM receive
  private ecmFrames: (Uint8Array | null)[] = [];
  private ecmPageData: number[] = [];
  private ecmBlock = 0;
  // ECM send
  private ecmToSend: Uint8Array[] = [];
  private ecmResend: number[] | null = null;
  private pprCount = 0;

  constructor(
    readonly clock: Clock,
    readonly script: RemoteScript,
  ) {
    this.timer = new LineTimer(clock);
    this.tx = new LineTimer(clock);
  }

  attach(port: LinePort): void {
    this.port = port;
    // With `call` it calls (a sender sends; a receiver polls with DTC); without, it answers
    // (a receiver receives; a sender waits to be polled: DIS with bit 9, then sends on DTC).
    if (this.script.call) this.clock.at(this.clock.now() + (this.script.startAfterMs ?? 0), () => this.dial());
  }

  /** Start calling now (role 'send' starts by itself when attached). */
  dial(): void {
    this.go('dialling', `calls ${this.script.call}`);
    this.port.dial(this.script.call!);
  }

  private note(t: string): void {
    this.port.line.note(`${this.port.number} remote: ${t}`);
  }

  private go(s: State, why: string): void {
    this.note(`${this.state} → ${s} (${why})`);
    this.state = s;
  }

  private finish(status: 'ok' | 'failed', reason: string): void {
    this.timer.stop();
    if (this.result.status === 'in-progress') {
      this.result.status = status;
      this.result.reason = reason;
    }
    this.go('done', reason);
  }

  private hangUp(status: 'ok' | 'failed', reason: string): void {
    this.tx.stop();
    this.stopCarrier();
    this.port.hangUp();
    this.finish(status, reason);
  }

  private get turnaround(): number {
    return this.script.turnaroundMs ?? 100;
  }

  // ---- LineEndpoint ------------------------------------------------------------------------

  onRing(): void {
    if (this.script.call) return;
    this.rings++;
    if (this.state === 'idle') this.go('ringing', 'call offered');
    if (this.script.neverAnswer) return;
    if (this.rings >= (this.script.answerAfterRings ?? 1)) {
      this.port.answer();
    }
  }

  onCall(ev: CallEvent): void {
    switch (ev) {
      case 'answered':
        this.answered();
        return;
      case 'connected':
        // We called and the far end answered: send CNG while waiting for its DIS (T.30 §4.1).
        this.go('wait-dis', 'answered');
        this.cng();
        this.timer.start(T1_MS, () => this.hangUp('failed', 'T1: no DIS'));
        return;
      case 'hangup':
        this.tx.stop();
        this.timer.stop();
        this.transmitting = false;
        if (this.state !== 'done') {
          const fine = this.state === 'wait-dcn';
          this.finish(fine ? 'ok' : 'failed', fine ? 'far end hung up after EOP/MCF' : `far end hung up in ${this.state}`);
        }
        return;
      default:
        this.finish('failed', `call failed: ${ev}`);
    }
  }

  onSignal(sig: LineSignal): void {
    switch (sig.kind) {
      case 'frame':
        this.frames.push({ t: this.clock.now(), dir: 'rx', name: frameName(sig.bytes), bytes: sig.bytes.slice(0, sig.bytes.length - 2), ok: sig.ok });
        if (this.transmitting) return; // half duplex: we do not hear while we talk
        if (!sig.ok) {
          this.note(`bad frame ignored (${frameName(sig.bytes)})`);
          return;
        }
        this.onFrame(sig.bytes.slice(0, sig.bytes.length - 2));
        return;
      case 'carrier-on':
        if (sig.carrier.mod !== 'v21' && this.hsExpect && !this.transmitting) {
          const fit = trainsOn(this.hsExpect, sig.carrier);
          if (fit === 'ok') {
            this.hs = { id: sig.id, carrier: sig.carrier, trained: false, data: [] };
            this.timer.stop(); // T2 ends: a page (or TCF) is coming, however long it is
          }
          else this.note(`cannot train on ${sig.carrier.mod} ${sig.carrier.rate}`);
        }
        return;
      case 'trained':
        if (this.hs && this.hs.id === sig.id) this.hs.trained = true;
        return;
      case 'data':
        if (this.hs && this.hs.id === sig.id && this.hs.trained && !sig.turnOff) for (const b of sig.bytes) this.hs.data.push(b);
        return;
      case 'carrier-off':
        if (this.hs && this.hs.id === sig.id) {
          const data = Uint8Array.from(this.hs.data);
          this.hs = null;
          const done = this.hsDone;
          this.hsDone = null;
          this.hsExpect = null;
          if (done) done(data);
        }
        return;
      default:
        return;
    }
  }

  // ---- transmit helpers --------------------------------------------------------------------

  private cng(): void {
    if (this.state !== 'wait-dis') return;
    this.port.send({ kind: 'tone', tone: 'CNG', on: true });
    this.tx.start(500, () => {
      this.port.send({ kind: 'tone', tone: 'CNG', on: false });
      this.tx.start(3000, () => this.cng());
    });
  }

  private stopCarrier(): void {
    if (this.txId) this.port.send({ kind: 'carrier-off', id: this.txId });
    this.txId = 0;
    this.transmitting = false;
  }

  /** Send V.21 frames (FCS added; the last should be final), then `then`. */
  private sendFrames(frames: Uint8Array[], then: () => void, badFcs = false): void {
    this.tx.stop();
    this.transmitting = true;
    const id = ++this.carrierId;
    this.txId = id;
    this.port.send({ kind: 'carrier-on', id, carrier: { mod: 'v21', rate: 300 } });
    this.tx.start((5 * 8000) / 300, () => {
      this.port.send({ kind: 'flags', id });
      this.tx.start(PREAMBLE_MS - (5 * 8000) / 300, () => next(0));
    });
    const next = (i: number): void => {
      if (i >= frames.length) {
        this.tx.start((2 * 8000) / 300, () => {
          this.stopCarrier();
          then();
        });
        return;
      }
      const f = frames[i];
      const body = withFcs(f);
      const ok = !(badFcs && i === frames.length - 1);
      if (!ok) body[body.length - 1] ^= 0x01;
      const start = this.clock.now() + this.port.line.delayMs;
      const ms = ((stuffedBitCount(body) + 8) * 1000) / 300;
      this.tx.start(ms, () => {
        this.frames.push({ t: this.clock.now(), dir: 'tx', name: frameName(f), bytes: f, ok });
        this.port.send({ kind: 'frame', id, bytes: body, ok, start });
        next(i + 1);
      });
    };
  }

  /** Send a command and wait for the response with T4, repeating up to three times. */
  private command(frames: Uint8Array[], waitState: State, then?: () => void): void {
    this.lastCommand = frames;
    this.lastCommandThen = then ?? null;
    this.tries = 0;
    this.sendCommand(waitState);
  }

  private sendCommand(waitState: State): void {
    this.tries++;
    this.sendFrames(this.lastCommand, () => {
      this.go(waitState, `sent ${this.lastCommand.map(frameName).join('+')}`);
      if (this.lastCommandThen) this.lastCommandThen();
      this.timer.start(T4_MS, () => {
        if (this.tries >= 3) {
          this.sendFrames([mkFrame(FCF.DCN, [], true, this.x)], () => this.hangUp('failed', `no response to ${frameName(this.lastCommand[this.lastCommand.length - 1])} after 3 tries`));
          return;
        }
        this.note(`T4 expired: repeat ${frameName(this.lastCommand[this.lastCommand.length - 1])}`);
        this.sendCommand(waitState);
      });
    });
  }

  /** A high-speed carrier with `data` (training first, then the bytes at the bit rate). */
  private sendHs(m: Modem, data: Uint8Array, then: () => void, short = false): void {
    this.transmitting = true;
    const id = ++this.carrierId;
    this.txId = id;
    // V.17 page data after a TCF goes with the short training (as T.30 terminals send it).
    const carrier: Carrier = { mod: m.mod, rate: m.rate, short: short && m.mod === 'v17' };
    this.port.send({ kind: 'carrier-on', id, carrier });
    let pos = 0;
    let acc = 0;
    const tick = (): void => {
      acc += (m.rate * TICK_MS) / 1000;
      const n = Math.floor(acc / 8);
      acc -= n * 8;
      const chunk = data.subarray(pos, Math.min(data.length, pos + n));
      pos += chunk.length;
      if (chunk.length) this.port.send({ kind: 'data', id, bytes: chunk.slice() });
      if (pos >= data.length) {
        const tail = turnOffBytes(carrier);
        this.port.send({ kind: 'data', id, bytes: tail, turnOff: true });
        this.tx.start((tail.length * 8000) / m.rate, () => {
          this.stopCarrier();
          then();
        });
      } else {
        next += TICK_MS;
        this.tx.startAt(next, tick);
      }
    };
    let next = 0;
    this.tx.start(trainingMs(carrier), () => {
      this.port.send({ kind: 'trained', id });
      next = this.clock.now() + TICK_MS;
      this.tx.startAt(next, tick);
    });
  }

  /**
   * Expect a high-speed carrier of `m`; `done` gets its data when it drops. Page data after CFR
   * comes with V.17's short training (the sender's +FTM=146 …), which a receiver set up for a
   * page accepts as well as the long one; TCF always comes with the long training.
   */
  private receiveHs(m: Modem, done: (data: Uint8Array) => void, page?: boolean): void {
    this.hsExpect = page && m.mod === 'v17' ? { mod: m.mod, rate: m.rate, short: true } : { mod: m.mod, rate: m.rate };
    this.hsDone = done;
  }

  // ---- receiving machine (answers) -----------------------------------------------------------

  private answered(): void {
    if (this.script.call) return;
    this.go('answer-tone', 'answered');
    this.tx.start(200, () => {
      this.port.send({ kind: 'tone', tone: 'CED', on: true });
      this.tx.start(2600, () => {
        this.port.send({ kind: 'tone', tone: 'CED', on: false });
        this.tx.start(75, () => this.sendDis());
      });
    });
  }

  private disFrame(): Uint8Array {
    const s = this.script;
    const bits = [10, ...disRateBits(s.maxRate ?? 14400), 21, 22, 23];
    if (s.fine !== false) bits.push(15);
    if (s.coding === 'MR' || s.coding === 'MMR') bits.push(16);
    if (s.ecm) bits.push(27);
    if (s.ecm && s.coding === 'MMR') bits.push(31);
    if (s.acceptSubPwd !== false) bits.push(49, 50);
    if (this.script.role === 'send') bits.push(9); // a document to be polled (T.30 Table 2, bit 9)
    return this.applyBits(mkFrame(FCF.DIS, fifWithBits(bits), true, false));
  }

  /** The poller's DTC: what it can receive, as a DIS would say it (FCF DTC, T.30 §5.3.6.1.2). */
  private dtcFrame(): Uint8Array {
    const d = this.disFrame();
    d[2] = FCF.DTC;
    return d;
  }

  private applyBits(f: Uint8Array): Uint8Array {
    const over = this.script.bits ?? {};
    let out = f;
    for (const [k, v] of Object.entries(over)) {
      const n = Number(k);
      const i = 3 + ((n - 1) >> 3);
      if (i >= out.length) {
        const g = new Uint8Array(i + 1);
        g.set(out);
        out = g;
      }
      if (v) out[i] |= 1 << ((n - 1) & 7);
      else out[i] &= ~(1 << ((n - 1) & 7));
    }
    return out;
  }

  private sendDis(): void {
    this.go('send-dis', 'T.30 phase B');
    const bad = !!this.script.badFcsFirst && !this.badFcsUsed;
    this.badFcsUsed = true;
    const frames = [mkFrame(FCF.CSI, identFif(this.script.ident ?? 'REMOTE'), false, false), this.disFrame()];
    if (this.script.nsf) frames.unshift(mkFrame(FCF.NSF, this.script.nsf, false, false));
    this.sendFrames(
      frames,
      () => {
        this.go('wait-dcs', bad ? 'sent CSI+DIS (DIS with a bad FCS)' : 'sent CSI+DIS');
        this.timer.start(T4_MS, () => {
          if (++this.tries > 3) this.hangUp('failed', 'T1: no DCS');
          else this.sendDis();
        });
      },
      bad,
    );
  }

  private sendDtc(): void {
    this.go('send-dis', 'poll: CIG + DTC');
    this.sendFrames([mkFrame(FCF.CIG, identFif(this.script.ident ?? 'REMOTE'), false, false), this.dtcFrame()], () => {
      this.go('wait-dcs', 'sent CIG+DTC');
      this.timer.start(T4_MS, () => {
        if (++this.tries > 3) this.hangUp('failed', 'no DCS after DTC');
        else this.sendDtc();
      });
    });
  }

  private onFrame(f: Uint8Array): void {
    const fcf = fcfOf(f);
    const final = f[1] === 0x13;
    if (fcf === FCF.DCN) {
      const ok = this.state === 'wait-dcn' || (this.result.pages > 0 && this.script.role !== 'send');
      this.timer.stop();
      // Go on hook once the sender's carrier is down (as a machine that heard the whole frame).
      this.tx.start(this.turnaround, () => {
        this.port.hangUp();
        this.finish(ok ? 'ok' : 'failed', ok ? 'DCN' : `DCN in ${this.state}`);
      });
      return;
    }
    if (this.script.role === 'send') this.senderFrame(f, fcf, final);
    else this.receiverFrame(f, fcf, final);
  }

  private receiverFrame(f: Uint8Array, fcf: number, final: boolean): void {
    if (this.state === 'wait-dis') {
      // Polling: the called machine's CSI and DIS; with bit 9 it has a document for us.
      if (f[2] === FCF.CSI) this.result.remoteIdent = identText(f);
      if (f[2] !== FCF.DIS || !final) return;
      this.timer.stop();
      this.tx.stop();
      this.x = true;
      if (!getBit(f, 9)) {
        this.sendFrames([mkFrame(FCF.DCN, [], true, true)], () => this.hangUp('failed', 'nothing to poll (DIS bit 9 clear)'));
        return;
      }
      this.tx.start(this.turnaround, () => this.sendDtc());
      return;
    }
    switch (fcf) {
      case FCF.TSI:
        this.result.remoteIdent = identText(f);
        return;
      case FCF.SUB:
        this.result.sub = identText(f);
        return;
      case FCF.SID:
        this.result.pwd = identText(f);
        return;
      case FCF.DCS:
        if (this.state !== 'wait-dcs' && this.state !== 'wait-pmc' && this.state !== 'rx-tcf' && this.state !== 'rx-page') return;
        this.timer.stop();
        this.gotDcs = f;
        this.modem = dcsModem(f);
        this.result.rate = this.modem ? this.modem.rate : 0;
        this.result.ecm = getBit(f, 27);
        this.result.coding = getBit(f, 31) ? 'MMR' : getBit(f, 16) ? 'MR' : 'MH';
        this.go('rx-tcf', `DCS ${this.modem ? this.modem.mod + ' ' + this.modem.rate : '?'}${this.result.ecm ? ' ECM' : ''}`);
        if (this.modem) this.receiveHs(this.modem, (d) => this.tcfReceived(d));
        this.timer.start(T2_MS, () => this.hangUp('failed', 'no TCF'));
        return;
      case FCF.MPS:
      case FCF.EOP:
      case FCF.EOM:
        if (!final) return;
        this.timer.stop();
        if (this.state === 'rx-page' && !this.result.ecm) {
          // A post-message command but no page carrier came: the page is missing.
          this.note('post-message command without a page: RTN');
          this.tx.start(this.turnaround, () =>
            this.sendFrames([mkFrame(FCF.RTN, [], true, this.x)], () => {
              this.go('wait-dcs', 'RTN: no page received');
              this.timer.start(T2_MS, () => this.hangUp('failed', 'T2 after RTN'));
            }),
          );
          return;
        }
        this.pmc(fcf, null);
        return;
      case FCF.PPS:
        if (!final) return;
        this.timer.stop();
        this.pps(f);
        return;
      case FCF.EOR:
        // End of retransmission (T.30 Annex A): the sender gives up on the missing frames of
        // this block; keep what came, answer ERR, and go on as the post-message command says.
        if (!final || !this.result.ecm) return;
        this.timer.stop();
        this.eor(f);
        return;
      case FCF.CTC:
        // Continue to correct (T.30 Annex A): the sender steps down its modem and goes on; CTR.
        if (!final || !this.result.ecm) return;
        this.timer.stop();
        this.modem = dcsModem(f) ?? this.modem;
        this.result.rate = this.modem ? this.modem.rate : this.result.rate;
        this.tx.start(this.turnaround, () =>
          this.sendFrames([mkFrame(FCF.CTR, [], true, this.x)], () => {
            this.go('rx-page', `CTC: CTR, now ${this.modem ? this.modem.mod + ' ' + this.modem.rate : '?'}`);
            this.expectPage();
          }),
        );
        return;
      case FCF.CRP:
        return;
      default:
        return;
    }
  }

  private tcfReceived(d: Uint8Array): void {
    this.timer.stop();
    let run = 0;
    let best = 0;
    for (const b of d) {
      run = b === 0 ? run + 1 : 0;
      if (run > best) best = run;
    }
    const ms = (best * 8 * 1000) / (this.modem ? this.modem.rate : 2400);
    this.tcfCount++;
    const ok = ms >= 1000 && this.tcfCount > (this.script.failTraining ?? 0);
    this.tcfs.push({ bytes: d.length, zeroRunMs: Math.round(ms), ok });
    this.tx.start(this.turnaround, () => {
      if (ok) {
        this.sendFrames([mkFrame(FCF.CFR, [], true, this.x)], () => {
          this.go('rx-page', `TCF good (${Math.round(ms)} ms of zeros): CFR`);
          this.expectPage();
        });
      } else {
        this.sendFrames([mkFrame(FCF.FTT, [], true, this.x)], () => {
          this.go('wait-dcs', `TCF bad (${Math.round(ms)} ms of zeros): FTT`);
          this.timer.start(T2_MS, () => this.hangUp('failed', 'T2: no DCS after FTT'));
        });
      }
    });
  }

  private expectPage(): void {
    this.timer.start(T2_MS, () => this.hangUp('failed', 'T2: no page'));
    if (!this.modem) return;
    if (this.result.ecm) {
      const dec = new HdlcDecoder();
      this.receiveHs(this.modem, (d) => {
        for (const fr of dec.push(d)) this.ecmFrame(fr.bytes, fr.ok);
        this.afterPageCarrier();
      }, true);
    } else {
      this.receiveHs(this.modem, (d) => {
        this.pages.push(d);
        this.result.pages = this.pages.length;
        this.note(`page ${this.pages.length} received: ${d.length} bytes`);
        this.afterPageCarrier();
      }, true);
    }
  }

  private afterPageCarrier(): void {
    this.timer.stop();
    if (this.script.dropAfterPage !== undefined && this.pagesDoneOrBlocks() >= this.script.dropAfterPage) {
      this.hangUp('failed', `dropped the line after page ${this.script.dropAfterPage} (script)`);
      return;
    }
    this.go('wait-pmc', 'page carrier ended');
    this.timer.start(T2_MS, () => this.hangUp('failed', 'T2: no post-message command'));
  }

  private pagesDoneOrBlocks(): number {
    return this.result.ecm ? this.page + 1 : this.pages.length;
  }

  private ecmFrame(b: Uint8Array, ok: boolean): void {
    if (!ok || b.length < 4) return;
    const fcf = b[2];
    if (fcf !== FCD) return; // RCP and the rest
    const n = b[3];
    this.ecmFrames[n] = b.slice(4);
  }

  private responseFor(page: number, data: Uint8Array): PageResponse {
    const p = this.script.policy ?? 'MCF';
    if (typeof p === 'function') return p(page, data);
    if (Array.isArray(p)) return p[Math.min(this.pmcCount - 1, p.length - 1)] ?? 'MCF';
    return p;
  }

  /** A post-message command (non-ECM). */
  private pmcCount = 0;
  private pmc(fcf: number, _pps: Uint8Array | null): void {
    this.pmcCount++;
    const pageNo = this.pages.length;
    const r = this.responseFor(pageNo, this.pages[pageNo - 1] ?? new Uint8Array(0));
    const code = FCF[r];
    this.tx.start(this.turnaround, () =>
      this.sendFrames([mkFrame(code, [], true, this.x)], () => {
        if (r === 'RTN' || r === 'PIN') {
          // The page is not accepted: the sender retrains (DCS + TCF) and may send it again.
          this.pages.pop();
          this.result.pages = this.pages.length;
          this.go('wait-dcs', `${r} to page ${pageNo}`);
          this.timer.start(T2_MS, () => this.hangUp('failed', 'T2 after RTN'));
          return;
        }
        if (fcf === FCF.EOP) {
          this.go('wait-dcn', `${r} to EOP`);
          this.timer.start(T2_MS, () => this.hangUp('ok', 'no DCN after EOP (hung up)'));
        } else if (fcf === FCF.EOM) {
          this.go('send-dis', `${r} to EOM: back to phase B`);
          this.tx.start(this.turnaround, () => this.sendDis());
        } else if (r === 'RTP') {
          this.go('wait-dcs', 'RTP to MPS: retrain');
          this.timer.start(T2_MS, () => this.hangUp('failed', 'T2 after RTP'));
        } else {
          this.go('rx-page', `${r} to MPS`);
          this.expectPage();
        }
      }),
    );
  }

  private eor(f: Uint8Array): void {
    const pmcFcf = (f[3] ?? 0) & 0xfe;
    let kept = 0;
    for (let i = 0; i < this.ecmFrames.length; i++) {
      const fr = this.ecmFrames[i];
      if (!fr) continue;
      kept++;
      for (const b of fr) this.ecmPageData.push(b);
    }
    this.note(`EOR: ${kept} frames kept, the rest given up`);
    this.ecmFrames = [];
    const pageDone = pmcFcf !== 0;
    if (pageDone) {
      this.pages.push(Uint8Array.from(this.ecmPageData));
      this.ecmPageData = [];
      this.page++;
      this.result.pages = this.pages.length;
    }
    this.tx.start(this.turnaround, () =>
      this.sendFrames([mkFrame(FCF.ERR, [], true, this.x)], () => {
        if (pmcFcf === FCF.EOP) {
          this.go('wait-dcn', 'ERR to EOR-EOP');
          this.timer.start(T2_MS, () => this.hangUp('ok', 'no DCN after EOR-EOP (hung up)'));
        } else if (pmcFcf === FCF.EOM) {
          this.go('send-dis', 'ERR to EOR-EOM');
          this.tx.start(this.turnaround, () => this.sendDis());
        } else {
          this.go('rx-page', 'ERR to EOR');
          this.expectPage();
        }
      }),
    );
  }

  /** PPS-x (ECM, T.30 Annex A): MCF when every frame of the block is here, else PPR. */
  private pps(f: Uint8Array): void {
    const pmcFcf = (f[3] ?? 0) & 0xfe;
    const count = (f[6] ?? 0) + 1;
    const missing: number[] = [];
    for (let i = 0; i < count; i++) if (!this.ecmFrames[i]) missing.push(i);
    this.note(`PPS page ${f[4]} block ${f[5]} frames ${count}: ${missing.length} missing`);
    if (missing.length) {
      const map = new Array(32).fill(0);
      for (const i of missing) map[i >> 3] |= 1 << (i & 7);
      this.tx.start(this.turnaround, () =>
        this.sendFrames([mkFrame(FCF.PPR, map, true, this.x)], () => {
          this.go('rx-page', `PPR for ${missing.length} frames`);
          this.expectPage();
        }),
      );
      return;
    }
    for (let i = 0; i < count; i++) for (const b of this.ecmFrames[i]!) this.ecmPageData.push(b);
    this.ecmFrames = [];
    this.ecmBlock++;
    if (pmcFcf === 0) {
      // PPS-NULL: more blocks of the same page follow.
      this.tx.start(this.turnaround, () =>
        this.sendFrames([mkFrame(FCF.MCF, [], true, this.x)], () => {
          this.go('rx-page', 'MCF to PPS-NULL');
          this.expectPage();
        }),
      );
      return;
    }
    this.pages.push(Uint8Array.from(this.ecmPageData));
    this.ecmPageData = [];
    this.page++;
    this.result.pages = this.pages.length;
    this.note(`page ${this.pages.length} received (ECM): ${this.pages[this.pages.length - 1].length} bytes`);
    this.pmc(pmcFcf, f);
  }

  // ---- sending machine (calls) ---------------------------------------------------------------

  private senderFrame(f: Uint8Array, fcf: number, final: boolean): void {
    switch (this.state) {
      case 'wait-dcs':
        // Polled: the caller's CIG and DTC; the DTC is its DIS for what follows (X stays 0 here).
        if (f[2] === FCF.CIG) this.result.remoteIdent = identText(f);
        if (f[2] === FCF.DTC && final) {
          this.timer.stop();
          this.gotDis = f;
          this.x = false;
          this.ladder = disLadder(f).filter((m) => m.rate <= (this.script.maxRate ?? 14400));
          if (this.ladder.length === 0) this.ladder = [{ mod: 'v27ter', rate: 2400 }];
          this.rung = 0;
          this.go('send-dcs', 'polled (DTC)');
          this.tx.start(this.turnaround, () => this.sendDcs());
        }
        return;
      case 'wait-dis':
        if (fcf === FCF.CSI) this.result.remoteIdent = identText(f);
        if (fcf === FCF.DIS) {
          this.gotDis = f;
          if (!final) return;
          this.timer.stop();
          this.tx.stop();
          this.x = true;
          this.ladder = disLadder(f).filter((m) => m.rate <= (this.script.maxRate ?? 14400));
          if (this.ladder.length === 0) this.ladder = [{ mod: 'v27ter', rate: 2400 }];
          this.rung = 0;
          this.tx.start(this.turnaround, () => this.sendDcs());
        }
        return;
      case 'wait-cfr':
        if (fcf === FCF.CFR) {
          this.timer.stop();
          this.go('send-page', 'CFR');
          this.tx.start(75, () => this.sendPage());
        } else if (fcf === FCF.FTT) {
          this.timer.stop();
          if (this.rung + 1 < this.ladder.length) this.rung++;
          else {
            this.sendFrames([mkFrame(FCF.DCN, [], true, this.x)], () => this.hangUp('failed', 'FTT at the lowest rate'));
            return;
          }
          this.note(`FTT: fall back to ${this.ladder[this.rung].mod} ${this.ladder[this.rung].rate}`);
          this.tx.start(this.turnaround, () => this.sendDcs());
        } else if (fcf === FCF.DIS && final) {
          // Our DCS was not understood: the receiver repeats DIS.
          this.timer.stop();
          this.tx.start(this.turnaround, () => this.sendDcs());
        }
        return;
      case 'wait-pmr':
        this.timer.stop();
        this.pmr(f, fcf);
        return;
      default:
        return;
    }
  }

  private dcsFrame(): Uint8Array {
    const s = this.script;
    const dis = this.gotDis!;
    const m = this.ladder[this.rung];
    this.modem = m;
    const bits = [10, ...DCS_RATE_BITS[`${m.mod}:${m.rate}`], 21, 22, 23];
    if (s.fine && getBit(dis, 15)) bits.push(15);
    const ecm = !!s.ecm && getBit(dis, 27);
    if (s.coding === 'MR' && getBit(dis, 16)) bits.push(16);
    if (s.coding === 'MMR' && ecm && getBit(dis, 31)) bits.push(31);
    if (ecm) bits.push(27);
    this.result.ecm = ecm;
    this.result.rate = m.rate;
    this.result.coding = bits.includes(31) ? 'MMR' : bits.includes(16) ? 'MR' : 'MH';
    return this.applyBits(mkFrame(FCF.DCS, fifWithBits(bits), true, this.x));
  }

  private sendDcs(): void {
    const frames: Uint8Array[] = [mkFrame(FCF.TSI, identFif(this.script.ident ?? 'REMOTE'), false, this.x)];
    const dis = this.gotDis!;
    if (this.script.sub !== undefined && getBit(dis, 49)) frames.push(mkFrame(FCF.SUB, identFif(this.script.sub), false, this.x));
    if (this.script.pwd !== undefined && getBit(dis, 50)) frames.push(mkFrame(FCF.SID, identFif(this.script.pwd), false, this.x));
    frames.push(this.dcsFrame());
    const bad = !!this.script.badFcsFirst && !this.badFcsUsed;
    this.badFcsUsed = true;
    this.go('send-dcs', `${this.modem!.mod} ${this.modem!.rate}${bad ? ' (DCS with a bad FCS)' : ''}`);
    this.sendFrames(
      frames,
      () => {
        this.go('send-tcf', 'DCS sent');
        this.tx.start(75, () => {
          // TCF: 1.5 s of zeros at the chosen rate (T.30 §5.3.6.2.1).
          const n = Math.round((this.modem!.rate * 1.5) / 8);
          this.sendHs(this.modem!, new Uint8Array(n), () => {
            this.go('wait-cfr', 'TCF sent');
            this.timer.start(T4_MS, () => {
              if (++this.tries > 3) this.hangUp('failed', 'no CFR');
              else this.sendDcs();
            });
          });
        });
      },
      bad,
    );
  }

  private pageCount(): number {
    return (this.script.pages ?? []).length;
  }

  private nextPmc(): number {
    const last = this.page + 1 >= this.pageCount();
    return last ? FCF.EOP : this.script.useEom ? FCF.EOM : FCF.MPS;
  }

  private sendPage(): void {
    const data = (this.script.pages ?? [])[this.page] ?? new Uint8Array(0);
    if (this.result.ecm) {
      this.ecmSplit(data);
      this.sendEcmBlock();
      return;
    }
    this.note(`sending page ${this.page + 1}: ${data.length} bytes`);
    this.sendHs(
      this.modem!,
      data,
      () => {
      if (this.script.dropAfterPage !== undefined && this.page + 1 >= this.script.dropAfterPage) {
        this.hangUp('failed', `dropped the line after page ${this.page + 1} (script)`);
        return;
      }
      this.go('send-pmc', `page ${this.page + 1} sent`);
      this.tx.start(75, () => this.command([mkFrame(this.nextPmc(), [], true, this.x)], 'wait-pmr'));
      },
      true,
    );
  }

  private ecmSplit(data: Uint8Array): void {
    // 256-octet frames, at most 256 frames a block (T.30 Annex A); a longer page takes blocks
    // joined by PPS-NULL.
    const frames: Uint8Array[] = [];
    for (let i = 0; i < data.length; i += ECM_FRAME) frames.push(data.subarray(i, Math.min(data.length, i + ECM_FRAME)));
    if (frames.length === 0) frames.push(new Uint8Array(0));
    this.ecmBlocks = [];
    for (let i = 0; i < frames.length; i += 256) this.ecmBlocks.push(frames.slice(i, i + 256));
    this.ecmBlockIdx = 0;
    this.ecmToSend = this.ecmBlocks[0];
    this.ecmResend = null;
    this.pprCount = 0;
  }
  private ecmBlocks: Uint8Array[][] = [];
  private ecmBlockIdx = 0;

  private sendEcmBlock(): void {
    const which = this.ecmResend ?? this.ecmToSend.map((_, i) => i);
    const frames: Uint8Array[] = [];
    for (const i of which) {
      const d = this.ecmToSend[i];
      const f = new Uint8Array(4 + d.length);
      f.set([0xff, 0x03, FCD, i]);
      f.set(d, 4);
      frames.push(f);
    }
    for (let k = 0; k < 3; k++) frames.push(Uint8Array.from([0xff, 0x03, RCP]));
    const bits = hdlcEncode(frames, 25, 2);
    this.note(`sending ECM block: ${which.length} frames`);
    this.sendHs(this.modem!, bits, () => this.afterEcmBlock(), true);
  }

  private afterEcmBlock(): void {
    if (this.script.dropAfterPage !== undefined && this.page + 1 >= this.script.dropAfterPage) {
      this.hangUp('failed', `dropped the line after page ${this.page + 1} (script)`);
      return;
    }
    const pageCounter = (this.page + (this.script.ppsOffByOne ? 1 : 0)) & 0xff;
    const lastBlock = this.ecmBlockIdx + 1 >= this.ecmBlocks.length;
    const pmc = lastBlock ? this.nextPmc() | 1 : 0x00;
    const pps = mkFrame(FCF.PPS, [pmc, pageCounter, this.ecmBlockIdx & 0xff, this.ecmToSend.length - 1], true, this.x);
    this.go('send-pmc', 'ECM block sent');
    this.tx.start(75, () => this.command([pps], 'wait-pmr'));
  }

  /** Post-message response. */
  private pmr(f: Uint8Array, fcf: number): void {
    const sentPmc = this.lastCommand[0] ? fcfOf(this.lastCommand[0]) : 0;
    const pmcOf = sentPmc === FCF.PPS ? (this.lastCommand[0][3] & 0xfe) : sentPmc;
    if (fcf === FCF.PPR && this.result.ecm) {
      this.pprCount++;
      const map = f.subarray(3);
      const resend: number[] = [];
      for (let i = 0; i < this.ecmToSend.length; i++) if (map[i >> 3] & (1 << (i & 7))) resend.push(i);
      if (this.pprCount >= 4) {
        this.sendFrames([mkFrame(FCF.DCN, [], true, this.x)], () => this.hangUp('failed', 'four PPRs for one block'));
        return;
      }
      this.ecmResend = resend;
      this.go('send-page', `PPR: resend ${resend.length} frames`);
      this.tx.start(75, () => this.sendEcmBlock());
      return;
    }
    if (fcf === FCF.MCF && sentPmc === FCF.PPS && pmcOf === 0) {
      // PPS-NULL confirmed: the next block of the same page.
      this.ecmBlockIdx++;
      this.ecmToSend = this.ecmBlocks[this.ecmBlockIdx];
      this.ecmResend = null;
      this.pprCount = 0;
      this.go('send-page', `MCF to PPS-NULL: block ${this.ecmBlockIdx + 1} of ${this.ecmBlocks.length}`);
      this.tx.start(75, () => this.sendEcmBlock());
      return;
    }
    if (fcf === FCF.MCF || fcf === FCF.RTP || fcf === FCF.PIP) {
      this.page++;
      this.result.pages = this.page;
      if (pmcOf === FCF.EOP) {
        this.go('send-dcn', `${frameName(f)} to EOP`);
        this.tx.start(this.turnaround, () => this.sendFrames([mkFrame(FCF.DCN, [], true, this.x)], () => this.hangUp('ok', 'all pages confirmed')));
        return;
      }
      if (pmcOf === FCF.EOM) {
        this.gotDis = null;
        this.go('wait-dis', `${frameName(f)} to EOM`);
        this.timer.start(T1_MS, () => this.hangUp('failed', 'T1: no DIS after EOM'));
        return;
      }
      if (fcf === FCF.RTP) {
        this.tx.start(this.turnaround, () => this.sendDcs());
        return;
      }
      this.go('send-page', `${frameName(f)} to MPS`);
      this.tx.start(75, () => this.sendPage());
      return;
    }
    if (fcf === FCF.RTN || fcf === FCF.PIN) {
      // Retrain and send the same page again (T.30 §5.3.6.1.6), at most three times.
      this.rtnCount++;
      if (this.rtnCount > 3) {
        this.sendFrames([mkFrame(FCF.DCN, [], true, this.x)], () => this.hangUp('failed', `page ${this.page + 1} refused (RTN) three times`));
        return;
      }
      this.tx.start(this.turnaround, () => this.sendDcs());
      return;
    }
    if (fcf === FCF.DIS) return;
    this.note(`unexpected ${frameName(f)} after a post-message command`);
  }
  private rtnCount = 0;
}
