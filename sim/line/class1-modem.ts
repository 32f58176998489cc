// A Class 1 fax modem (ITU-T T.31) that behaves like SpanDSP's t31 soft modem, the one the
// interop peer runs (../../test/interop/peer): same AT interpreter quirks, same result codes at
// the same moments, same data framing. This file is the line side (call control, the V.21 and
// high-speed transmitters and receivers, what the line brings); the AT interpreter it extends is
// at-interpreter.ts. Its DTE side is a serial link (serial-link.ts) whose far
// end is a hal/uart.ts Uart; its line side is a port of the simulated line (line.ts).
//
// The behaviours a DTE depends on (docs/FAX-LINE.md), each reproduced here:
// - RING is "\r\nRING\r\n" once per ring burst; S0=n answers after n rings.
// - ATA: ~3.65 s of answer tone (120 ms silence, 2.6 s CED, 75 ms gap), then straight into V.21
//   HDLC transmit: CONNECT comes after the 1 s preamble; the DTE sends its first frame at once.
// - ATD: on answer the modem sends CNG and listens for V.21 at once (+FRH=3 is implied); with no
//   V.21 carrier S7 seconds (60) after dialling it gives NO CARRIER and hangs up.
// - Any byte from the DTE while the modem receives (+FRH/+FRM/+FRS) aborts the receive: DLE ETX
//   if data was flowing, then OK; the byte is discarded. The modem has no receive timeout.
// - +FRH=3: CONNECT once the preamble frames (5 flags), each frame with its 2 FCS bytes, DLE
//   ETX, then OK (ERROR on a bad FCS). After the final frame (control 0x13) OK waits for the
//   carrier to drop. Frames that arrive while the DTE is not waiting are queued for the next +FRH.
// - +FTH=3: CONNECT after the preamble; each frame ends with DLE ETX; after a frame whose control
//   byte is 0x03 the modem says CONNECT again, after 0x13 it closes the carrier and says OK.
//   +FTH=96 (or anything but 3) is ERROR.
// - +FTM=n: CONNECT at once; OK only after the data went out. Before the first byte the modem
//   sends 0xFF, after it an underrun is filled with 0x00 (which corrupts T.4 lines). XOFF when
//   more than 3 KB are buffered, XON once 1 KB more went out; beyond 4 KB bytes are lost.
// - +FRM=n: CONNECT when the carrier trained, data DLE-doubled, at carrier loss DLE ETX and
//   NO CARRIER. Started up to 60 ms after the carrier reached it, the receiver still trains on it
//   (LATE_TRAIN_MS, measured on SpanDSP); later it never does. A V.21 carrier instead gives +FCERROR (or with +FAR=1, +FRH:3 and CONNECT); a
//   different high-speed modulation never trains (nothing happens until the DTE aborts).
// - +FTS=n / +FRS=n: OK after n×10 ms of sent / heard silence.
// - DLE is doubled in data both ways; DLE ETX ends a block.
// - Dropping DTR hangs up (V.250 &D2).
// - Unknown commands end the command line with OK (SpanDSP's interpreter stops at the first
//   command it does not know and still answers OK); bad values give ERROR.
// Quirks found by running the same scripts against SpanDSP's t31 (test/interop/line), kept:
// - +FTS right after a receive aborted by a byte (or after +FCERROR) never answers: SpanDSP only
//   relabelled the modem "silence", so +FTS restarts nothing and the stale transmitter runs.
// - After +FCERROR the V.21 receiver runs on, and an aborted +FRH leaves "DTE waiting" set: the
//   next frame can arrive unasked (CONNECT, frame, OK).
// - A frame that completes while the DTE is not waiting is queued; the next +FRH=3 then gives
//   CONNECT twice before it.
// - V.17: a second long-train reception in one call mis-trains into noise; pages after the TCF
//   go with short training (+FTM/+FRM=146 etc.), which works at the TCF's rate.
// - High-speed data ends with the transmitter's turn-off ones and a few bytes of a decaying
//   carrier before DLE ETX.
// Not reproduced: SpanDSP's receiver sometimes hands data over a few bits out of byte alignment
// (seen after the sender started late); here data stays byte-aligned.
import type { Clock } from '../../hal/clock.ts';
import { LineTimer } from './timer.ts';
import type { LineEndpoint, LinePort, CallEvent } from './line.ts';
import type { LineSignal, Carrier } from './signals.ts';
import { trainingMs, trainsOn, Rng, carrierName, turnOffBytes, DECAY_MS, TX_SHUTDOWN_MS, V21_LOSS_DETECT_MS } from './signals.ts';
import { withFcs, stuffedBitCount } from './hdlc.ts';
import type { ModemSide } from './serial-link.ts';
import { AtInterpreter, RESULT } from './at-interpreter.ts';

export { RESULT } from './at-interpreter.ts';

const DLE = 0x10;
const ETX = 0x03;
const SUB = 0x1a;
const XON = 0x11;
const XOFF = 0x13;

/**
 * A high-speed receiver started this long after the far carrier reached it still trains on it:
 * SpanDSP's V.17 (+FRM=145) and V.29 (+FRM=96) receivers did when +FRM came 100 ms after the far
 * modem's +FTM and did not at 120 ms, on the peer's back-to-back modems (test/interop/peer) whose
 * line delays 40 ms as this one does: 60 to 80 ms into the carrier as heard. Later, the receiver
 * hears no training and never says CONNECT.
 */
const LATE_TRAIN_MS = 60;

/** Transmit buffer for +FTM data (SpanDSP's T31_TX_BUF_LEN and tides). */
const TX_BUF_LEN = 4096;
const TX_HIGH_TIDE = TX_BUF_LEN - 1024;
const TX_LOW_TIDE = 1024;
/** High-speed data leaves in blocks of this many ms (an audio block of the real modem). */
const TICK_MS = 20;
/** One V.21 octet: 8 bits at 300 bit/s. */
const V21_OCTET_MS = 8000 / 300;
/** Preamble: SpanDSP sends 32 flags (T.30 §5.3.1: 1 s ± 15 %). */
const PREAMBLE_FLAGS = 32;
/** A receiver frames after this many flags (SpanDSP's HDLC_FRAMING_OK_THRESHOLD). */
const FRAMING_FLAGS = 5;

type ModemState = 'none' | 'silence-tx' | 'silence-rx' | 'cng' | 'ced' | 'v21-tx' | 'v21-rx' | 'hs-tx' | 'hs-rx' | 'flush';

export interface Class1ModemOptions {
  /** Name in the line trace (default: the port's number). */
  name?: string;
  /** ATI0 and ATI3 answers. */
  model?: string;
  manufacturer?: string;
  /** Seed for the garbage a wrongly-rated receiver delivers. */
  seed?: string;
}

/** Called for NCU-visible events (ring bursts) so a board's Ncu can report them. */
export interface ModemHooks {
  onRing: (() => void) | null;
}

interface QueuedRx {
  code: number;
  frame?: Uint8Array;
}

export class Class1Modem extends AtInterpreter implements LineEndpoint {
  port!: LinePort;
  readonly hooks: ModemHooks = { onRing: null };
  private modem: ModemState = 'none';
  private doHangup = false;
  private dtr = true;
  // receive side
  private rxSignalPresent = false;
  private rxFrameReceived = false;
  private dteWaiting = false;
  private okPending = false;
  private rxQueue: QueuedRx[] = [];
  private listenSince = 0;
  private inCarrier: { id: number; carrier: Carrier } | null = null;
  /** When the carrier in inCarrier began. */
  private inCarrierAt = 0;
  private hsRx: { id: number; garbage: boolean; trained: boolean; rate: number; nibble: number; junkFirst?: number } | null = null;
  /**
   * Rate of the V.17 long training this modem's receiver completed in the call (0: none). On
   * SpanDSP's t31 (probed through modempair) a second long-train V.17 reception in the same call
   * "trains" at once and delivers noise for the whole carrier; a short-train reception works at
   * the rate of that long training (TCF at 145, pages at 146, as T.30 DTEs do), and not without it.
   */
  private v17Rate = 0;
  private hsRxWant: Carrier | null = null;
  private hearing = false;
  private silentSince = 0;
  private silenceAwaited = -1;
  // transmit side
  private carrierId = 0;
  private txId = 0;
  private hdlcBuf: number[] = [];
  private hdlcFinal = false;
  private dled = false;
  private v21: 'off' | 'preamble' | 'idle' | 'frame' | 'closing' = 'off';
  private v21Queued: Uint8Array | null = null;
  /** +FTM data waiting to go out: a byte queue (head/tail in a buffer, compacted as it drains). */
  private txBuf = new TxQueue(TX_BUF_LEN);
  private txFinal = false;
  private dataStarted = false;
  private holding = false;
  private drainedSinceHold = 0;
  private txCarrier: Carrier | null = null;
  private bitAcc = 0;
  private readonly rng: Rng;
  private readonly timer: LineTimer; // the transmitter's progress
  private readonly aux: LineTimer; // CNG cadence, silence wait, framing detection
  private readonly s7: LineTimer;
  private name: string;

  constructor(
    private readonly clock: Clock,
    serial: ModemSide,
    private readonly opts: Class1ModemOptions = {},
  ) {
    super(serial, opts);
    this.rng = new Rng(opts.seed ?? 'modem');
    this.timer = new LineTimer(clock);
    this.aux = new LineTimer(clock);
    this.s7 = new LineTimer(clock);
    this.name = opts.name ?? 'modem';
    serial.onDtr = (on) => this.setDtr(on);
  }

  /** Attach to a line port (done by the factory). */
  attach(port: LinePort): void {
    this.port = port;
    if (!this.opts.name) this.name = port.number;
  }

  /** The AT mode (for tests and traces). */
  get atMode(): string {
    return this.mode;
  }
  get modemState(): string {
    return this.modem;
  }
  get offHook(): boolean {
    return this.port.offHook;
  }

  protected note(text: string): void {
    this.port.line.note(`${this.name}: ${text}`);
  }

  // ---- call control ------------------------------------------------------------------------

  protected abortReceive(c: number): void {
    if (this.rxSignalPresent) this.put([DLE, ETX]);
    this.note(`receive aborted by a byte from the DTE (0x${c.toString(16).padStart(2, '0')})`);
    // SpanDSP stops the receivers but leaves "DTE waiting" set (see +FCERROR below).
    this.stopReceiving();
    this.rxV21 = false;
    this.rxGeneration++;
    this.modem = 'silence-tx';
    this.mode = 'offhook-cmd';
    this.result(RESULT.OK);
  }

  protected ata(): void {
    this.doHangup = false;
    if (this.port.state === 'connected') {
      // The NCU already took the line: the call is answered now.
      this.onAnswered();
      return;
    }
    this.note('answers');
    this.pendingAnswer = true;
    this.port.answer(); // the line calls onCall('answered') when the call is taken
  }
  private pendingAnswer = false;

  protected atd(rest: string): number | null {
    this.ringsIndicated = 0;
    this.doHangup = false;
    let number = '';
    for (const ch of rest) {
      if (/[0-9A-D*#+,]/.test(ch)) number += ch;
      else if (ch === ' ' || ch === '-' || ch === 'T' || ch === 'P' || ch === 'W' || ch === '!' || ch === '@' || ch === ';' || ch === 'S' || ch === 'G' || ch === 'I' || ch === '>') continue;
      else return null;
    }
    this.s7.start(this.p.s[7] * 1000, () => this.s7Expired());
    this.port.dial(number);
    return -1;
  }

  private s7Expired(): void {
    if (this.modem !== 'cng') return;
    this.note(`no V.21 carrier ${this.p.s[7]} s after dialling`);
    this.result(RESULT.NO_CARRIER);
    this.restart('silence-tx');
    this.port.hangUp();
    this.mode = 'onhook-cmd';
  }

  /** On hook now, from command mode (ATH0, ATZ, &F, DTR). */
  protected localHangup(): void {
    this.pendingAnswer = false;
    this.v17Rate = 0;
    this.s7.stop();
    this.restart('none');
    this.port.hangUp();
    this.mode = 'onhook-cmd';
  }

  /** The NCU released the line under the modem: the call is over. */
  lineReleased(): void {
    this.note('line released by the NCU');
    const data = this.mode !== 'onhook-cmd' && this.mode !== 'offhook-cmd';
    this.endDataStream();
    this.localHangup();
    if (data) this.result(RESULT.NO_CARRIER);
  }

  private setDtr(on: boolean): void {
    if (on === this.dtr) return;
    this.dtr = on;
    if (on) return;
    this.note('DTR dropped: hang up');
    const data = this.mode !== 'onhook-cmd' && this.mode !== 'offhook-cmd';
    this.endDataStream();
    this.localHangup();
    if (data) this.result(RESULT.NO_CARRIER);
  }

  // LineEndpoint
  onRing(): void {
    if (this.hooks.onRing) this.hooks.onRing();
    if (this.port.offHook) return;
    this.result(RESULT.RING);
    this.ringsIndicated++;
    if (this.p.s[0] && this.ringsIndicated >= this.p.s[0]) {
      this.note(`auto-answer after ${this.ringsIndicated} rings`);
      this.ata();
    }
  }

  onCall(ev: CallEvent): void {
    switch (ev) {
      case 'connected':
        this.onConnected();
        return;
      case 'answered':
        if (this.pendingAnswer) this.onAnswered();
        return;
      case 'busy':
        this.s7.stop();
        this.mode = 'onhook-cmd';
        this.result(RESULT.BUSY);
        return;
      case 'no-answer':
        this.s7.stop();
        this.mode = 'onhook-cmd';
        this.result(RESULT.NO_ANSWER);
        return;
      case 'no-dialtone':
        this.s7.stop();
        this.mode = 'onhook-cmd';
        this.result(RESULT.NO_DIALTONE);
        return;
      case 'unobtainable':
        this.s7.stop();
        this.mode = 'onhook-cmd';
        this.result(RESULT.NO_CARRIER);
        return;
      case 'hangup':
        this.onRemoteHangup();
        return;
    }
  }

  /** Called by the line when this port answered (ATA or NCU then ATA). */
  private onAnswered(): void {
    this.pendingAnswer = false;
    this.ringsIndicated = 0;
    if (this.fclass === 0) {
      this.mode = 'connected';
      return;
    }
    this.mode = 'delivery';
    this.restart('ced');
  }

  private onConnected(): void {
    if (this.fclass === 0) {
      this.mode = 'connected';
      return;
    }
    this.mode = 'delivery';
    this.restart('cng');
    this.dteWaiting = true;
  }

  private onRemoteHangup(): void {
    this.note('the far end hung up');
    this.v17Rate = 0;
    this.s7.stop();
    if (this.holding) {
      this.holding = false;
      this.put([XON]);
    }
    this.endDataStream();
    this.restart('silence-tx');
    const wasData = this.mode !== 'offhook-cmd' && this.mode !== 'onhook-cmd';
    if (this.dteWaiting) {
      this.result(this.okPending ? RESULT.OK : RESULT.NO_CARRIER);
      this.okPending = false;
      this.dteWaiting = false;
    } else if (wasData) {
      this.result(RESULT.NO_CARRIER);
    }
    this.rxSignalPresent = false;
    this.mode = 'onhook-cmd';
    this.modem = 'none';
  }

  /**
   * The call ends under a receive: DLE ETX closes the data the DTE is reading, if it is reading
   * any (high-speed data, or a V.21 receive between CONNECT and its frame). A frame already
   * handed over whole ends with its own DLE ETX and the modem is back in command mode (only the
   * final OK is pending): a second DLE ETX there would reach the DTE as a result line, and the
   * frame (the far end's DCN, which is followed at once by its hang-up) would be lost. SpanDSP's
   * t31 sends none there: its terminal's DCN reaches the DTE as `<- DCN`.
   */
  private endDataStream(): void {
    if (this.rxSignalPresent && this.mode === 'delivery') this.put([DLE, ETX]);
  }

  // ---- modem (line side) -------------------------------------------------------------------

  /** Switch the modem (SpanDSP's restart_modem): stop what runs, start the new one. */
  private restart(next: ModemState): void {
    if (this.modem === next && next !== 'ced' && next !== 'cng') return;
    this.rxQueue = [];
    this.stopTransmitter();
    this.staleTx = false;
    this.rxGeneration++;
    this.rxV21 = next === 'cng' || next === 'v21-rx' || next === 'hs-rx';
    this.aux.stop();
    this.rxSignalPresent = false;
    this.rxFrameReceived = false;
    this.hsRx = null;
    this.hsRxWant = null;
    this.txFinal = false;
    this.modem = next;
    this.silenceAwaited = -1;
    if (next === 'cng') this.txHandler = 'cng';
    else if (next === 'ced') this.txHandler = 'ced';
    else if (next === 'v21-tx') this.txHandler = 'v21';
    else if (next === 'hs-tx') this.txHandler = 'hs';
    else if (next === 'silence-tx' || next === 'silence-rx' || next === 'flush') this.txHandler = 'silence';
    switch (next) {
      case 'cng':
        this.listenV21();
        this.cngOn();
        break;
      case 'ced':
        this.startCed();
        break;
      case 'v21-rx':
        this.listenV21();
        break;
      default:
        break;
    }
  }

  private stopReceiving(): void {
    this.rxSignalPresent = false;
    this.hsRx = null;
    this.hsRxWant = null;
    this.aux.stop();
  }

  private stopTransmitter(): void {
    this.timer.stop();
    if (this.txId) {
      this.port.send({ kind: 'carrier-off', id: this.txId });
      this.txId = 0;
    }
    // A tone in progress stops.
    if (this.toneOn) this.port.send({ kind: 'tone', tone: this.toneOn, on: false });
    this.toneOn = null;
    this.v21 = 'off';
    this.v21Queued = null;
    this.txCarrier = null;
    this.txBuf.clear();
    this.dataStarted = false;
    if (this.holding) {
      this.holding = false;
      this.put([XON]);
    }
  }
  private toneOn: 'CNG' | 'CED' | null = null;
  /**
   * The transmit generator SpanDSP has installed. Switching the modem installs a new one, but
   * an aborted receive and +FCERROR only relabel the modem as "silence" and leave the old one in
   * place; a +FTS that follows then finds nothing to restart and runs the stale generator.
   */
  private txHandler: 'none' | 'silence' | 'cng' | 'ced' | 'v21' | 'hs' = 'none';

  private staleTx = false;
  private cngOn(): void {
    if (this.modem !== 'cng' && !this.staleTx) return;
    this.toneOn = 'CNG';
    this.port.send({ kind: 'tone', tone: 'CNG', on: true });
    this.timer.start(500, () => {
      this.port.send({ kind: 'tone', tone: 'CNG', on: false });
      this.toneOn = null;
      this.timer.start(3000, () => this.cngOn());
    });
  }

  private startCed(): void {
    this.note('answer tone');
    // ~120 ms of silence, 2.6 s of CED, 75 ms: SpanDSP's CONNECT comes 3.65 s after the answer (measured).
    this.timer.start(120, () => {
      this.toneOn = 'CED';
      this.port.send({ kind: 'tone', tone: 'CED', on: true });
      this.timer.start(2600, () => {
        this.port.send({ kind: 'tone', tone: 'CED', on: false });
        this.toneOn = null;
        this.timer.start(75, () => {
          // Straight into V.21 HDLC transmit (SpanDSP: CED done → V21_TX, AT mode HDLC).
          this.modem = 'none';
          this.startV21Tx();
        });
      });
    });
  }

  // V.21 transmit (+FTH=3, or after the answer tone)
  protected startV21Tx(): void {
    if (this.modem !== 'v21-tx') this.restart('v21-tx');
    this.mode = 'hdlc';
    this.hdlcBuf = [];
    this.dled = false;
    this.hdlcFinal = false;
    const id = ++this.carrierId;
    this.txId = id;
    this.port.send({ kind: 'carrier-on', id, carrier: { mod: 'v21', rate: 300 } });
    this.v21 = 'preamble';
    const t0 = this.clock.now();
    this.aux.start(FRAMING_FLAGS * V21_OCTET_MS, () => this.port.send({ kind: 'flags', id }));
    this.timer.startAt(t0 + PREAMBLE_FLAGS * V21_OCTET_MS, () => {
      this.v21 = 'idle';
      if (this.v21Queued) this.sendV21Frame();
      else this.result(RESULT.CONNECT);
    });
  }

  protected hdlcByte(c: number): void {
    if (this.dled) {
      this.dled = false;
      if (c === ETX) {
        const frame = Uint8Array.from(this.hdlcBuf);
        this.hdlcBuf = [];
        this.queueV21Frame(frame);
        return;
      }
      this.hdlcBuf.push(c);
      return;
    }
    if (c === DLE) this.dled = true;
    else this.hdlcBuf.push(c);
  }

  private queueV21Frame(frame: Uint8Array): void {
    if (this.modem !== 'v21-tx' || this.v21 === 'off') return;
    if (this.v21Queued) return; // one frame at a time, as SpanDSP's HDLC transmitter
    this.v21Queued = frame;
    if (this.v21 === 'idle') this.sendV21Frame();
  }

  private sendV21Frame(): void {
    const frame = this.v21Queued!;
    this.v21Queued = null;
    if (frame.length === 0) {
      this.closeV21();
      return;
    }
    const final = frame.length > 1 && (frame[1] & 0x10) !== 0;
    const body = withFcs(frame);
    const start = this.clock.now() + this.port.line.delayMs;
    const ms = ((stuffedBitCount(body) + 8) * 1000) / 300;
    this.v21 = 'frame';
    const id = this.txId;
    this.timer.start(ms, () => {
      this.port.send({ kind: 'frame', id, bytes: body, ok: true, start });
      if (final) this.closeV21();
      else {
        this.v21 = 'idle';
        this.result(RESULT.CONNECT);
      }
    });
  }

  private closeV21(): void {
    this.v21 = 'closing';
    // At least two closing flags, then the carrier stops and the DTE gets OK.
    this.timer.start(2 * V21_OCTET_MS, () => {
      this.port.send({ kind: 'carrier-off', id: this.txId });
      this.txId = 0;
      this.v21 = 'off';
      this.modem = 'silence-tx';
      this.txHandler = 'silence';
      this.mode = 'offhook-cmd';
      this.result(RESULT.OK);
    });
  }

  // V.21 receive
  protected frh3(): void {
    if (this.modem !== 'v21-rx') this.restart('v21-rx');
    this.mode = 'delivery';
    this.rxFrameReceived = false;
    // Deliver what came in while the DTE was not waiting (SpanDSP's rx queue), exactly as
    // SpanDSP does: a queued CONNECT, then CONNECT again before a queued good frame.
    for (;;) {
      const m = this.rxQueue.shift();
      if (!m) {
        this.dteWaiting = true;
        return;
      }
      if (m.frame) {
        if (m.code === RESULT.OK) this.result(RESULT.CONNECT);
        this.put(dleFrame(m.frame));
      }
      this.result(m.code);
      if (m.code !== RESULT.CONNECT) return;
    }
  }

  private listenV21(): void {
    this.listenSince = this.clock.now();
    // A V.21 carrier already on: frame on the next flags, if it lasts.
    if (this.inCarrier && this.inCarrier.carrier.mod === 'v21') {
      const id = this.inCarrier.id;
      this.rxSignalPresent = true;
      this.aux.start(FRAMING_FLAGS * V21_OCTET_MS, () => {
        if (this.inCarrier && this.inCarrier.id === id) this.framingOk();
      });
    }
  }

  /**
   * Is the V.21 receiver running? Started with CNG, +FRH and +FRM (alongside the fast
   * receiver); stopped by switching the modem and by an aborted receive, but not by +FCERROR
   * (SpanDSP only relabels the modem then), so frames that follow still reach a DTE that was
   * left waiting.
   */
  private rxV21 = false;
  /** Bumped whenever the receivers change, so a delayed carrier-loss report can tell it is stale. */
  private rxGeneration = 0;
  private listeningV21(): boolean {
    return this.rxV21;
  }

  private framingOk(): void {
    if (this.modem === 'cng') {
      // Valid HDLC: CNG stops, the V.21 receiver carries on alone.
      this.timer.stop();
      if (this.toneOn) this.port.send({ kind: 'tone', tone: 'CNG', on: false });
      this.toneOn = null;
      this.modem = 'v21-rx';
    }
    if (this.modem === 'hs-rx') {
      if (this.p.adaptive) {
        this.hsRx = null;
        this.hsRxWant = null;
        this.rxSignalPresent = true;
        this.rxFrameReceived = true;
        this.modem = 'v21-rx';
        this.dteWaiting = true;
        this.result(RESULT.FRH3);
        this.result(RESULT.CONNECT);
      } else {
        this.note('V.21 instead of the high-speed carrier');
        this.hsRx = null;
        this.hsRxWant = null;
        this.modem = 'silence-tx';
        this.mode = 'offhook-cmd';
        this.rxFrameReceived = false;
        this.result(RESULT.FCERROR);
      }
      return;
    }
    if (!this.rxFrameReceived) {
      if (this.dteWaiting) this.result(RESULT.CONNECT);
      else this.rxQueue.push({ code: RESULT.CONNECT });
      this.rxFrameReceived = true;
    }
  }

  private acceptFrame(bytes: Uint8Array, ok: boolean): void {
    if (!this.rxFrameReceived) {
      if (this.dteWaiting) {
        this.result(RESULT.CONNECT);
        this.rxFrameReceived = true;
      } else this.rxQueue.push({ code: RESULT.CONNECT });
    }
    if (!this.okPending) {
      if (this.dteWaiting) {
        this.put(dleFrame(bytes));
        if (bytes[1] === 0x13 && ok) {
          // The last frame: OK waits for the carrier to drop, not to re-detect it later.
          this.okPending = true;
        } else {
          this.result(ok ? RESULT.OK : RESULT.ERROR);
          this.dteWaiting = false;
          this.rxFrameReceived = false;
        }
      } else {
        this.rxQueue.push({ code: ok ? RESULT.OK : RESULT.ERROR, frame: bytes });
      }
    }
    this.mode = 'offhook-cmd';
  }

  private v21CarrierDown(): void {
    if (this.rxFrameReceived) {
      if (this.dteWaiting) {
        if (this.okPending) {
          this.result(RESULT.OK);
          this.okPending = false;
        } else this.result(RESULT.NO_CARRIER);
        this.dteWaiting = false;
        this.mode = 'offhook-cmd';
      } else this.rxQueue.push({ code: RESULT.NO_CARRIER });
    }
    this.rxSignalPresent = false;
  }

  // High-speed transmit (+FTM)
  protected startHsTx(c: Carrier): void {
    this.restart('hs-tx');
    this.txCarrier = c;
    this.txBuf.clear();
    this.txFinal = false;
    this.dataStarted = false;
    this.dled = false;
    this.bitAcc = 0;
    this.drainedSinceHold = 0;
    this.underrunNoted = false;
    const id = ++this.carrierId;
    this.txId = id;
    this.port.send({ kind: 'carrier-on', id, carrier: c });
    this.timer.start(trainingMs(c), () => {
      this.port.send({ kind: 'trained', id });
      // Ticks at absolute times: in real time, late timers must not add up to a slower modem.
      this.nextTick = this.clock.now() + TICK_MS;
      this.timer.startAt(this.nextTick, () => this.hsTick());
    });
  }

  private hsTick(): void {
    const c = this.txCarrier!;
    this.bitAcc += (c.rate * TICK_MS) / 1000;
    const n = Math.floor(this.bitAcc / 8);
    this.bitAcc -= n * 8;
    const out = new Uint8Array(n);
    let o = 0;
    let end = false;
    const take = Math.min(n, this.txBuf.length);
    if (take > 0) {
      this.txBuf.take(out, take);
      o = take;
      this.dataStarted = true;
      if (this.holding) {
        this.drainedSinceHold += take;
        if (this.drainedSinceHold > TX_LOW_TIDE) {
          this.holding = false;
          this.put([XON]);
        }
      }
    }
    if (o < n) {
      if (this.txFinal) end = true;
      else {
        // Traced once a carrier: the DTE did not keep up, and a page's line is cut by the fill.
        if (this.dataStarted && !this.underrunNoted) this.note(`transmit buffer ran empty: ${n - o} fill bytes sent (the DTE's data came too slowly)`);
        if (this.dataStarted) this.underrunNoted = true;
        out.fill(this.dataStarted ? 0x00 : 0xff, o);
        o = n;
      }
    }
    if (o) this.port.send({ kind: 'data', id: this.txId, bytes: o === n ? out : out.subarray(0, o) });
    if (end) {
      // The modem shuts down its carrier (turn-off ones), then OK (SpanDSP: front end send step complete).
      const tail = turnOffBytes(c);
      this.port.send({ kind: 'data', id: this.txId, bytes: tail, turnOff: true });
      this.timer.start((tail.length * 8000) / c.rate, () => {
        this.port.send({ kind: 'carrier-off', id: this.txId });
        this.txId = 0;
        this.timer.start(TX_SHUTDOWN_MS, () => {
          this.txCarrier = null;
          this.modem = 'silence-tx';
          this.txHandler = 'silence';
          this.mode = 'offhook-cmd';
          this.result(RESULT.OK);
        });
      });
      return;
    }
    this.nextTick += TICK_MS;
    this.timer.startAt(this.nextTick, () => this.hsTick());
  }
  private nextTick = 0;
  private underrunNoted = false;

  protected stuffedByte(c: number): void {
    if (this.dled) {
      this.dled = false;
      if (c === ETX) {
        this.txFinal = true;
        return;
      }
      this.txPush(c);
    } else if (c === DLE) this.dled = true;
    else this.txPush(c);
    if (!this.holding && this.txBuf.length > TX_HIGH_TIDE) {
      this.holding = true;
      this.drainedSinceHold = 0;
      this.put([XOFF]);
    }
  }

  private txPush(c: number): void {
    if (this.txBuf.length >= TX_BUF_LEN - 2) {
      if (!this.overrunNoted) this.note('transmit buffer overrun: data lost');
      this.overrunNoted = true;
      return;
    }
    this.txBuf.push(c);
  }
  private overrunNoted = false;

  // High-speed receive (+FRM)
  protected startHsRx(c: Carrier): void {
    this.restart('hs-rx');
    this.hsRxWant = c;
    // The V.21 receiver runs alongside, to report +FCERROR.
    this.listenV21();
    // A high-speed carrier that began a moment ago is still in its training: the receiver
    // catches it, as SpanDSP's does (LATE_TRAIN_MS). A DTE a little late after DCS (a loaded
    // machine) still gets the TCF.
    const c0 = this.inCarrier;
    const since = this.clock.now() - this.inCarrierAt;
    if (c0 && c0.carrier.mod !== 'v21' && since <= LATE_TRAIN_MS && since < trainingMs(c0.carrier)) {
      this.note(`receiver started ${Math.round(since)} ms into the ${carrierName(c0.carrier)} training`);
      this.hsCarrierOn(c0.id, c0.carrier);
    }
  }

  // Silence
  protected startSilenceTx(ms: number): void {
    this.restart('silence-tx');
    if (this.txHandler !== 'silence') {
      // SpanDSP: the modem was relabelled "silence" (aborted receive, +FCERROR) without a
      // restart, so +FTS finds nothing to restart and the stale generator runs: no OK, ever
      // (CNG goes out again if that was the one). Seen on the real t31 (test/interop/line).
      this.note(`+FTS after an aborted receive: the stale ${this.txHandler} transmitter runs, no OK (as SpanDSP)`);
      this.staleTx = true;
      if (this.txHandler === 'cng') this.cngOn();
      return;
    }
    this.timer.start(ms, () => {
      this.modem = 'none';
      this.mode = 'offhook-cmd';
      this.result(RESULT.OK);
    });
  }

  protected startSilenceRx(ms: number): void {
    this.rxQueue = [];
    this.mode = 'delivery';
    this.restart('silence-rx');
    this.silenceAwaited = ms;
    this.checkSilence();
  }

  private checkSilence(): void {
    if (this.modem !== 'silence-rx' || this.silenceAwaited < 0) return;
    if (this.hearing) {
      this.aux.stop();
      return;
    }
    const due = Math.max(this.silentSince + this.silenceAwaited, this.clock.now());
    this.aux.startAt(due, () => {
      if (this.modem !== 'silence-rx' || this.hearing) return;
      this.silenceAwaited = -1;
      this.mode = 'offhook-cmd';
      this.result(RESULT.OK);
    });
  }

  protected startFlush(): void {
    this.restart('flush');
    this.doHangup = true;
    this.mode = 'connected';
    this.timer.start(200, () => {
      this.modem = 'none';
      this.result(RESULT.OK);
      this.doHangup = false;
      this.localHangup();
    });
  }

  // ---- what the line brings ----------------------------------------------------------------

  onSignal(sig: LineSignal): void {
    switch (sig.kind) {
      case 'tone':
        this.setHearing(sig.on);
        return;
      case 'carrier-on':
        this.inCarrier = { id: sig.id, carrier: sig.carrier };
        this.inCarrierAt = this.clock.now();
        this.setHearing(true);
        if (sig.carrier.mod === 'v21') {
          if (this.modem === 'cng' || this.modem === 'v21-rx') {
            this.rxSignalPresent = true;
            this.rxFrameReceived = false;
          }
        } else if (this.modem === 'hs-rx' && this.hsRxWant) this.hsCarrierOn(sig.id, sig.carrier);
        return;
      case 'flags':
        if (this.listeningV21() && this.inCarrier && this.inCarrier.id === sig.id) {
          this.aux.stop();
          this.framingOk();
        }
        return;
      case 'frame':
        if (!this.rxV21 || this.modem === 'hs-rx') return;
        if (sig.start < this.listenSince) return; // it began before we listened: lost
        this.acceptFrame(sig.bytes, sig.ok);
        return;
      case 'trained':
        if (this.modem === 'hs-rx' && this.hsRx && this.hsRx.id === sig.id) {
          if (this.hsRx.garbage && this.hsRx.trained) {
            // Mis-trained: the training itself came out as data.
            const c = this.inCarrier ? this.inCarrier.carrier : null;
            const n = c ? Math.floor((trainingMs(c) * c.rate) / 8000) : 0;
            const junk = new Uint8Array(n);
            for (let i = 0; i < n; i++) junk[i] = this.rng.int(256);
            this.put(dleData(junk));
            return;
          }
          this.hsRx.trained = true;
          this.rxSignalPresent = true;
          if (this.hsRxWant && this.hsRxWant.mod === 'v17' && !this.hsRxWant.short && !this.hsRx.garbage) this.v17Rate = this.hsRxWant.rate;
          this.result(RESULT.CONNECT);
          if (this.hsRx.junkFirst) {
            const junk = new Uint8Array(this.hsRx.junkFirst);
            for (let i = 0; i < junk.length; i++) junk[i] = this.rng.int(256);
            this.put(dleData(junk));
          }
        }
        return;
      case 'data':
        if (this.modem === 'hs-rx' && this.hsRx && this.hsRx.id === sig.id && this.hsRx.trained) {
          let bytes = sig.bytes;
          if (this.hsRx.garbage) {
            bytes = new Uint8Array(bytes.length);
            for (let i = 0; i < bytes.length; i++) bytes[i] = this.rng.int(256);
          } else if (this.hsRx.nibble >= 0) {
            // Four bits late (SpanDSP's V.17 short train): each byte is the last nibble and this one's first.
            const out = new Uint8Array(bytes.length);
            for (let i = 0; i < bytes.length; i++) {
              out[i] = this.hsRx.nibble | ((bytes[i] & 0x0f) << 4);
              this.hsRx.nibble = bytes[i] >> 4;
            }
            bytes = out;
          }
          this.put(dleData(bytes));
        }
        return;
      case 'carrier-off': {
        const was = this.inCarrier;
        if (was && was.id === sig.id) this.inCarrier = null;
        this.setHearing(false);
        if (!was || was.id !== sig.id) return;
        if (was.carrier.mod === 'v21') {
          if (this.rxV21 && this.modem !== 'hs-rx') {
            // Noticed a little later, unless something else happened to the receiver meanwhile.
            const gen = this.rxGeneration;
            this.clock.at(this.clock.now() + V21_LOSS_DETECT_MS, () => {
              if (gen === this.rxGeneration && this.rxV21) this.v21CarrierDown();
            });
          } else if (this.modem === 'hs-rx') this.aux.stop();
        } else if (this.modem === 'hs-rx' && this.hsRx && this.hsRx.id === sig.id) {
          if (this.rxSignalPresent) {
            // The demodulator hands over what it made of the decaying carrier before it noticed.
            const junk = new Uint8Array(Math.ceil((this.hsRx.rate * DECAY_MS) / 8000));
            for (let i = 0; i < junk.length; i++) junk[i] = this.rng.int(256);
            this.put(dleData(junk));
            this.put([DLE, ETX]);
            this.result(RESULT.NO_CARRIER);
            this.mode = 'offhook-cmd';
          }
          this.rxSignalPresent = false;
          this.hsRx = null;
        }
        return;
      }
    }
  }

  /** A high-speed carrier reaches the receiver +FRM started: does it train on it? */
  private hsCarrierOn(id: number, carrier: Carrier): void {
    const want = this.hsRxWant!;
    let fit = trainsOn(want, carrier);
    const nibble = -1; // (a 4-bit slip was seen once, after a mis-training: not reproduced)
    let mistrain = false;
    let junkFirst = 0;
    if (want.mod === 'v17' && carrier.mod === 'v17') {
      if (!want.short && carrier.short) fit = 'no'; // a long-train receiver misses a short train
      else if (!want.short && this.v17Rate) mistrain = true;
      else if (want.short) {
        if (this.v17Rate === want.rate && carrier.rate === want.rate) {
          fit = 'ok';
          // Set for a short train, it locks on within a long one and decodes the rest of the
          // training as junk before the data (the firmware's session.ts saw junk rows).
          if (!carrier.short) junkFirst = Math.floor(((trainingMs(carrier) - trainingMs(want)) * want.rate) / 8000);
        } else mistrain = true;
      }
    }
    if (mistrain) {
      // SpanDSP: declares itself trained at once and demodulates noise until the carrier goes.
      this.note(`V.17 receiver mis-trains (${want.short ? 'short train without a matching long one' : 'second long train in the call'})`);
      this.hsRx = { id, garbage: true, trained: true, rate: carrier.rate, nibble: -1 };
      this.rxSignalPresent = true;
      this.result(RESULT.CONNECT);
    } else if (fit === 'no') this.note(`cannot train on ${carrierName(carrier)} (listening for ${carrierName(want)})`);
    else this.hsRx = { id, garbage: fit === 'garbage', trained: false, rate: carrier.rate, nibble, junkFirst };
  }

  private setHearing(on: boolean): void {
    if (on === this.hearing) return;
    this.hearing = on;
    if (!on) this.silentSince = this.clock.now();
    this.checkSilence();
  }
}

/** A bounded byte queue. */
class TxQueue {
  private buf: Uint8Array;
  private head = 0;
  private tail = 0;
  constructor(cap: number) {
    this.buf = new Uint8Array(cap);
  }
  get length(): number {
    return this.tail - this.head;
  }
  clear(): void {
    this.head = this.tail = 0;
  }
  push(b: number): void {
    if (this.tail === this.buf.length) {
      this.buf.copyWithin(0, this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    this.buf[this.tail++] = b;
  }
  take(out: Uint8Array, n: number): void {
    out.set(this.buf.subarray(this.head, this.head + n));
    this.head += n;
    if (this.head === this.tail) this.head = this.tail = 0;
  }
}

/** A received frame as the modem hands it over: DLE doubled, then DLE ETX. */
function dleFrame(frame: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const b of frame) {
    if (b === DLE) out.push(DLE);
    out.push(b);
  }
  out.push(DLE, ETX);
  return Uint8Array.from(out);
}

function dleData(data: Uint8Array): Uint8Array {
  let n = 0;
  for (const b of data) if (b === DLE) n++;
  if (n === 0) return data;
  const out = new Uint8Array(data.length + n);
  let o = 0;
  for (const b of data) {
    out[o++] = b;
    if (b === DLE) out[o++] = DLE;
  }
  return out;
}

export { SUB };
