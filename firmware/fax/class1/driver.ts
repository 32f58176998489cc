// The Class 1 modem driver (ITU-T T.31): an active object between the T.30 session and the modem
// UART. It turns requests (dial, answer, send/receive V.21 frames, send/receive page data,
// silence, hang up) into AT commands, parses result codes and DLE-shielded data, and reports one
// event per request to its client. The modem has no timeouts of its own (docs/FAX-LINE.md): every wait
// here is bounded, and a receive is cancelled by sending a byte (T.31 §8.3.4: the modem then
// ends with DLE ETX / OK).
//
// Events to the client: C1_READY, C1_RING, C1_CONNECT, C1_FRAMES {frames, bad}, C1_NO_FRAMES
// {why}, C1_SENT, C1_DATA_END {why, bytes}, C1_SILENCE, C1_HUNG_UP, C1_FAIL {why}; and while a
// +FRH/+FRM receive goes on, C1_CARRIER when its CONNECT comes (the far end's flags or training:
// where T.30 stops its T2/T4, which the session keeps).
import { Active, TimeEvt, SUPER } from '../../kernel/index.ts';
import type { State, Evt } from '../../kernel/index.ts';
import type { Uart } from '../../../hal/uart.ts';
import { DLE, ETX, SUB, shield } from './codes.ts';

export type Why = 'timeout' | 'no carrier' | 'fcerror' | 'bad fcs' | 'error' | 'busy' | 'no answer' | 'no dialtone' | 'stopped' | 'hung up';

export interface C1Frames extends Evt {
  /** Frames as received, FCS stripped (address, control, FCF, FIF). */
  frames: Uint8Array[];
  /** Frames the modem reported with a bad FCS (ERROR) and that were dropped. */
  bad: number;
}
export interface C1Why extends Evt {
  why: Why;
}
export interface C1DataEnd extends Evt {
  why: Why;
  bytes: number;
}

/** A request to the driver (posted by the request methods). */
interface ReqEvt extends Evt {
  op: Op;
  number?: string;
  timeout?: number;
  frames?: Uint8Array[];
  mod?: number;
  pull?: () => Uint8Array | null;
  sink?: (bytes: Uint8Array) => void;
  ms?: number;
}

/** A result line from the modem. */
interface LineEvt extends Evt {
  text: string;
}

type Op = 'init' | 'dial' | 'answer' | 'txframes' | 'rxframes' | 'txdata' | 'rxdata' | 'silence' | 'hangup';


const MAX_FRAME = 300;
const NO_BYTES = new Uint8Array(0);
/** A receive with no timeout given waits this long for CONNECT (T.30 T4). */
const T4_DEFAULT = 3000;

export class Class1 extends Active {
  client: Active | null = null;
  /** The AT commands sent to bring the modem up (V.250 echo off, verbose results, Class 1). */
  initCommands: string[] = ['ATE0V1', 'AT+FCLASS=1'];
  /** Time allowed for the far end to answer and train (ATD) / to send answer tone (ATA). */
  dialTimeoutMs = 60000;
  answerTimeoutMs = 30000;
  commandTimeoutMs = 5000;
  /** +FRM: a modem that sends nothing for this long without NO CARRIER is stuck (pages may take minutes). */
  dataIdleMs = 15000;
  /** +FRH: after CONNECT the frame's octets come every 27 ms (V.21); this long without one, the modem is stuck. */
  frameIdleMs = 5000;
  /**
   * +FTM: slack beyond the line time of what is pending (training, then every octet given to
   * the modem at the line rate; see `txDeadline`): the modem's result code, the trailing flags,
   * a scheduler or a pty that runs late. Never a limit on the length of a page.
   */
  txSlackMs = 10000;

  readonly uart: Uart;
  readonly timer: TimeEvt;
  rxPending = false;
  txPending = false;
  // lexer
  dataMode = false;
  dle = false;
  skipLf = false;
  line = '';
  /** Empty between calls (see `callBuffers`). */
  frame = NO_BYTES;
  frameLen = 0;
  rxBytes = 0;
  // requests
  cmdQueue: string[] = [];
  framesOut: Uint8Array[] = [];
  framesIn: Uint8Array[] = [];
  badFrames = 0;
  gotFinal = false;
  pull: (() => Uint8Array | null) | null = null;
  sink: ((bytes: Uint8Array) => void) | null = null;
  out: Uint8Array[] = [];
  outPos = 0;
  dataDone = false;
  txBytes = 0;
  txRate = 2400;
  /** Modulation of the +FTM under way and when its CONNECT came (kernel ms). */
  txMod = 24;
  txStart = 0;
  rxTimeoutMs = 0;
  nextFrameTimeoutMs = 3000;
  /** A receive was aborted or ended in +FCERROR: the modem would not answer +FTS (see 'silence'). */
  staleModem = false;
  /** After ATA the modem is already in V.21 transmit; after ATD already in V.21 receive. */
  hdlcTxReady = false;
  abortWhy: Why = 'timeout';
  /** The state a receive was aborted in: what ABORTING reports (data end, call failure or frames). */
  abortedIn: State<Class1> | null = null;
  /** Lexer: the data after the CONNECT just seen is page data (+FRM), not a V.21 frame. */
  rxIsData = false;
  result: Evt | null = null;

  constructor(uart: Uart, prio: number) {
    super('class1', prio, 32, IDLE);
    this.uart = uart;
    this.timer = new TimeEvt(this, 'C1_TIMEOUT');
    const self = this;
    uart.onReadable = function () {
      if (!self.rxPending) {
        self.rxPending = true;
        self.post({ sig: 'UART_RX' });
      }
    };
    uart.onWritable = function () {
      if (!self.txPending) {
        self.txPending = true;
        self.post({ sig: 'UART_TX' });
      }
    };
  }

  // ---- requests (called by the session; each posts to this object) ----
  init(): void {
    this.post({ sig: 'REQ', op: 'init' } as Evt);
  }
  dial(number: string, timeoutMs: number): void {
    this.post({ sig: 'REQ', op: 'dial', number: number, timeout: timeoutMs } as Evt);
  }
  answer(): void {
    this.post({ sig: 'REQ', op: 'answer' } as Evt);
  }
  /** Send V.21 frames (without FCS); the last one should have control 0x13. */
  sendFrames(frames: Uint8Array[]): void {
    this.post({ sig: 'REQ', op: 'txframes', frames: frames } as Evt);
  }
  /** Receive V.21 frames up to and including a final frame; `timeoutMs` for the first CONNECT. */
  receiveFrames(timeoutMs: number): void {
    this.post({ sig: 'REQ', op: 'rxframes', timeout: timeoutMs } as Evt);
  }
  /** +FTM: `pull` gives raw octets (not shielded) until it returns null. */
  sendData(mod: number, pull: () => Uint8Array | null): void {
    this.post({ sig: 'REQ', op: 'txdata', mod: mod, pull: pull } as Evt);
  }
  /** +FRM: `sink` gets unshielded octets as they come (the array is the driver's: copy to keep). */
  receiveData(mod: number, timeoutMs: number, sink: (bytes: Uint8Array) => void): void {
    this.post({ sig: 'REQ', op: 'rxdata', mod: mod, timeout: timeoutMs, sink: sink } as Evt);
  }
  /** +FTS=n: n×10 ms of silence before the next transmission. */
  silence(ms: number): void {
    this.post({ sig: 'REQ', op: 'silence', ms: ms } as Evt);
  }
  /** End a receive early (TCF check done, call ending). Reported as `why: 'stopped'`. */
  stop(): void {
    this.post({ sig: 'STOP' });
  }
  /**
   * End a +FRH/+FRM receive that is still under way (the client's T2/T4 ran out), reported with
   * `why`; anything else the driver is doing (a transmission above all) goes on untouched.
   */
  endReceive(why: Why): void {
    this.post({ sig: 'END_RX', why: why } as Evt);
  }
  hangup(): void {
    this.post({ sig: 'REQ', op: 'hangup' } as Evt);
  }

  /**
   * After a fault the kernel restarts this object in C1_IDLE: whatever was under way is lost, so
   * the client hears C1_FAIL (it hangs up), and the modem is put back in command mode and on hook.
   */
  override onRestart(): void {
    this.resetLink();
    this.post({ sig: 'REQ', op: 'hangup' } as Evt);
    if (this.client) this.client.post({ sig: 'C1_FAIL', why: 'error' } as Evt);
  }

  /** Hang up whatever the modem is doing (the client's own restart): end data, ATH0. */
  forceHangup(): void {
    this.post({ sig: 'FORCE_HANGUP' });
  }

  /** Forget the request under way and end any data stream (DLE ETX, then CR to clear a command line). */
  resetLink(): void {
    this.timer.disarm();
    this.dataMode = false;
    this.dle = false;
    this.line = '';
    this.pull = null;
    this.sink = null;
    this.out.splice(0); // not .length = 0: the interpreter refuses assigning an array length
    this.outPos = 0;
    this.waiting.splice(0);
    this.hdlcTxReady = false;
    this.uart.setXonXoff(false);
    this.write(new Uint8Array([DLE, ETX, 0x0d]));
  }

  /** No request under way or waiting (a client may then end its call without asking anything). */
  idle(): boolean {
    return this.state === IDLE && this.queue.length === 0 && this.waiting.length === 0;
  }

  /** Requests that came while another ran: served in order once the driver is idle again. */
  waiting: Evt[] = [];

  // ---- internals shared by the states ----
  /** The receive's CONNECT came: the client hears it (the request goes on). */
  carrier(): void {
    if (this.client) this.client.post({ sig: 'C1_CARRIER' });
  }

  report(e: Evt): void {
    if (this.client) this.client.post(e);
    if (this.waiting.length > 0) this.post(this.waiting.shift() as Evt);
  }

  command(text: string, timeoutMs: number): void {
    if (text.indexOf('AT+FTS') !== 0) this.staleModem = false;
    this.trace('-> ' + text);
    this.write(asBytes(text + '\r'));
    this.timer.arm(timeoutMs);
  }

  write(bytes: Uint8Array): void {
    this.out.push(bytes);
    this.flush();
  }

  flush(): void {
    while (this.out.length > 0) {
      const head = this.out[0];
      const n = this.uart.write(this.outPos === 0 ? head : head.subarray(this.outPos));
      this.outPos += n;
      if (this.outPos < head.length) return;
      this.out.shift();
      this.outPos = 0;
    }
  }

  outEmpty(): boolean {
    return this.out.length === 0;
  }

  /** Keep the UART fed from the page source while it takes bytes (XON/XOFF is the UART's). */
  pump(): void {
    this.flush();
    while (this.out.length === 0 && !this.dataDone && this.pull) {
      const chunk = this.pull();
      if (chunk === null) {
        this.dataDone = true;
        this.write(new Uint8Array([DLE, ETX]));
        // the modem says OK once its buffer is on the line
        this.armTxDeadline();
        return;
      }
      this.txBytes += chunk.length;
      if (chunk.length > 0) this.write(shield(chunk));
      this.armTxDeadline();
    }
  }

  /**
   * When the modem must have put everything we gave it on the line: its training, then the
   * octets at the line rate (a page of 58 KB at 14400 bit/s is 33 s, an ECM block of 64 KB at
   * 2400 bit/s nearly four minutes), plus `txSlackMs`. The modem paces us with XON/XOFF, so a
   * modem that stops taking data stops this deadline from moving and the timer catches it.
   */
  txDeadline(): number {
    return this.txStart + trainingMs(this.txMod) + Math.ceil((this.txBytes * 8000) / this.txRate) + this.txSlackMs;
  }

  armTxDeadline(): void {
    const k = this.kernel;
    this.timer.arm(Math.max(0, this.txDeadline() - (k ? k.now() : 0)));
  }

  /**
   * Data came: the receive's watchdog (`ms` of silence) starts again, moved at most once a
   * second (it fires between `ms` - 1 s and `ms` after the last octet): a move on every UART
   * event costs the kernel a timer change each time, which a board pays dearly at line rate.
   */
  watchdog(ms: number): void {
    const now = this.kernel ? this.kernel.now() : 0;
    if (this.timer.deadline < 0 || this.timer.deadline - now < ms - 1000) this.timer.arm(ms);
  }

  /**
   * Read what the UART has and run it through the lexer (lines or shielded data). Page data
   * between DLEs is copied a run at a time (indexOf and set are native on the board): a call of
   * lex() per octet costs an ESP32 ~100 µs an octet, when the line brings one every 556 µs at
   * 14400 bit/s and the rest of the path needs its share (docs/FAX-LINE.md, keeping up).
   */
  readUart(): void {
    this.rxPending = false;
    for (;;) {
      const b = this.uart.read(256);
      if (b.length === 0) return;
      let i = 0;
      while (i < b.length) {
        if (this.dataMode && this.rxIsData && !this.dle && !this.skipLf) {
          let end = b.indexOf(DLE, i);
          if (end < 0) end = b.length;
          if (end > i) {
            this.dataRun(b, i, end);
            i = end;
            continue;
          }
        }
        this.lex(b[i++]);
      }
    }
  }

  /** Page data octets [from, to) of `b`, none of them a DLE, into the data buffer. */
  private dataRun(b: Uint8Array, from: number, to: number): void {
    // page data outside a call's receive (no buffer): would never drain; take the buffers
    if (this.dataBuf.length === 0) this.callBuffers(true);
    this.rxBytes += to - from;
    while (from < to) {
      let n = this.dataBuf.length - this.dataLen;
      if (n > to - from) n = to - from;
      this.dataBuf.set(b.subarray(from, from + n), this.dataLen);
      this.dataLen += n;
      from += n;
      if (this.dataLen === this.dataBuf.length) this.flushData();
    }
  }

  private lex(c: number): void {
    if (this.dataMode) {
      if (this.skipLf) {
        // the LF of "CONNECT<CR><LF>": the line ended at CR and the data starts after the LF
        this.skipLf = false;
        if (c === 0x0a) return;
      }
      if (this.dle) {
        this.dle = false;
        if (c === ETX) {
          this.dataMode = false;
          this.flushData();
          this.post({ sig: 'DLE_ETX' });
          return;
        }
        if (c === DLE) this.dataByte(DLE);
        else if (c === SUB) {
          this.dataByte(DLE);
          this.dataByte(DLE);
        }
        return;
      }
      if (c === DLE) this.dle = true;
      else this.dataByte(c);
      return;
    }
    if (c === 0x0d || c === 0x0a) {
      if (this.line.length > 0) {
        const text = this.line;
        this.line = '';
        this.trace('<- ' + printable(text));
        // CONNECT on a receive request switches to data at once: the data follows without pause.
        if (text === 'CONNECT' && (this.state === AT_DIAL || this.state === AT_FRH || this.state === AT_FRM)) {
          this.rxIsData = this.state === AT_FRM;
          this.dataMode = true;
          this.skipLf = true;
          this.dle = false;
          this.frameLen = 0;
        }
        this.post({ sig: 'LINE', text: text } as Evt);
      }
      return;
    }
    if (this.line.length < 80) this.line += String.fromCharCode(c);
  }

  /**
   * Page data goes to the sink in pieces of this buffer: 1 KB, so that what the sink does per
   * piece (the receiver's bookkeeping, the line scan's set-up, the seal's counter block, the
   * store's call) is paid once per 1,024 octets, not per 256 (a board's keeping up).
   */
  dataBuf = NO_BYTES;
  dataLen = 0;

  /**
   * The call's buffers (a frame's 300 octets, the page data's 1 KB, the UART's receive and
   * transmit room): made when a call starts receiving, given back at its hang-up. Between calls
   * the modem only sends result codes and RING; on an ESP32 the ~300 variables these hold are
   * what a mail or LAN delivery after the call needs (docs/ESPRUINO.md).
   */
  callBuffers(on: boolean): void {
    this.frame = on ? new Uint8Array(MAX_FRAME) : NO_BYTES;
    this.dataBuf = on ? new Uint8Array(1024) : NO_BYTES;
    this.frameLen = 0;
    this.dataLen = 0;
    if (this.uart.inCall) this.uart.inCall(on);
  }

  private dataByte(c: number): void {
    this.rxBytes++;
    if (this.rxIsData) {
      this.dataBuf[this.dataLen++] = c;
      if (this.dataLen === this.dataBuf.length) this.flushData();
    } else if (this.frameLen < this.frame.length) this.frame[this.frameLen++] = c;
  }

  private flushData(): void {
    if (this.dataLen > 0 && this.sink) this.sink(this.dataBuf.subarray(0, this.dataLen));
    this.dataLen = 0;
  }

  /** Start a receive request; the first CONNECT must come within `timeout`. */
  startRx(e: ReqEvt): void {
    if (this.dataBuf.length === 0) this.callBuffers(true);
    this.rxTimeoutMs = e.timeout || 0;
    this.framesIn = [];
    this.badFrames = 0;
    this.gotFinal = false;
    this.rxBytes = 0;
  }

  // state helpers
  takeFrame(): void {
    // the frame ends with its two FCS octets (docs/FAX-LINE.md); keep address..FIF
    if (this.frameLen >= 5) {
      const f = new Uint8Array(this.frameLen - 2);
      f.set(this.frame.subarray(0, this.frameLen - 2));
      this.framesIn.push(f);
      this.gotFinal = (f[1] & 0x10) !== 0;
    } else if (this.frameLen >= 3) {
      // a modem that strips the FCS itself
      const f = new Uint8Array(this.frameLen);
      f.set(this.frame.subarray(0, this.frameLen));
      this.framesIn.push(f);
      this.gotFinal = (f[1] & 0x10) !== 0;
    }
    this.frameLen = 0;
  }
}

/** Result text for the trace, with anything unprintable as <xx>. */
function printable(t: string): string {
  let out = '';
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f ? t.charAt(i) : '<' + (c < 16 ? '0' : '') + c.toString(16) + '>';
  }
  return out;
}

function asBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/**
 * Training before the first data octet of a +FTM (T.31 Table 2 codes; V.17 §B, V.29, V.27ter
 * training sequences, rounded up): V.17 long 1.4 s, short 0.15 s, V.29 0.25 s, V.27ter 4800
 * 0.7 s and 2400 0.95 s (long train, with its echo-protection tone not counted).
 */
export function trainingMs(mod: number): number {
  if (mod === 73 || mod === 97 || mod === 121 || mod === 145) return 1400;
  if (mod === 74 || mod === 98 || mod === 122 || mod === 146) return 150;
  if (mod === 72 || mod === 96) return 250;
  if (mod === 48) return 700;
  return 950;
}

function isFinalResult(t: string): boolean {
  return t === 'OK' || t === 'ERROR' || t === 'NO CARRIER' || t === 'BUSY' || t === 'NO ANSWER' || t === 'NO DIALTONE' || t === 'CONNECT' || t === '+FCERROR';
}

/** Remember a +FCERROR (the modem is left half switched, as after an abort). */
function noteResult(me: Class1, t: string): void {
  if (t === '+FCERROR') me.staleModem = true;
}

function whyOf(t: string): Why {
  if (t === 'BUSY') return 'busy';
  if (t === 'NO ANSWER') return 'no answer';
  if (t === 'NO DIALTONE') return 'no dialtone';
  if (t === 'NO CARRIER') return 'no carrier';
  if (t === '+FCERROR') return 'fcerror';
  return 'error';
}

/** Events common to every state: UART traffic, RING while idle. Returns true when handled. */
function common(me: Class1, e: Evt): boolean {
  if (e.sig === 'UART_RX') {
    // data flowing: the watchdogs only fire when the modem goes silent without NO CARRIER
    if (me.state === RX_DATA) me.watchdog(me.dataIdleMs);
    else if (me.state === RX_HDLC) me.watchdog(me.frameIdleMs);
    me.readUart();
    return true;
  }
  if (e.sig === 'REQ' && me.state !== IDLE) {
    // one request at a time: a second one waits (a session asks for one at a time, so this is rare)
    me.trace('request ' + (e as ReqEvt).op + ' while in ' + me.state.name + ': queued');
    if (me.waiting.length < 4) me.waiting.push(e);
    return true;
  }
  if (e.sig === 'FORCE_HANGUP') {
    me.trace('forced hang-up');
    me.resetLink();
    me.callBuffers(false);
    me.command('ATH0', me.commandTimeoutMs);
    me.tran(AT_HANGUP);
    return true;
  }
  if (e.sig === 'UART_TX') {
    me.txPending = false;
    if (me.state === TX_DATA) me.pump();
    else me.flush();
    return true;
  }
  return false;
}

// ---- states ----

/** No request in progress: unsolicited RING is passed on. */
const IDLE: State<Class1> = {
  name: 'C1_IDLE',
  on(me, e) {
    if (common(me, e)) return;
    if (e.sig === 'LINE') {
      const t = (e as LineEvt).text;
      if (t === 'RING') me.report({ sig: 'C1_RING' });
      return;
    }
    if (e.sig === 'REQ') start(me, e as ReqEvt);
  },
};

function start(me: Class1, r: ReqEvt): void {
  switch (r.op) {
    case 'init':
      me.cmdQueue = me.initCommands.slice(0);
      me.uart.setDtr(true);
      me.uart.setXonXoff(false);
      me.command(me.cmdQueue.shift() as string, me.commandTimeoutMs);
      me.tran(AT_INIT);
      return;
    case 'dial':
      me.startRx(r);
      me.hdlcTxReady = false;
      me.command('ATD' + r.number, r.timeout || me.dialTimeoutMs);
      me.tran(AT_DIAL);
      return;
    case 'answer':
      me.command('ATA', me.answerTimeoutMs);
      me.tran(AT_ANSWER);
      return;
    case 'txframes':
      me.framesOut = (r.frames || []).slice(0);
      if (me.hdlcTxReady) {
        me.hdlcTxReady = false;
        me.tran(TX_HDLC);
        sendNextFrame(me);
      } else {
        me.command('AT+FTH=3', me.commandTimeoutMs);
        me.tran(AT_FTH);
      }
      return;
    case 'rxframes':
      me.startRx(r);
      me.command('AT+FRH=3', r.timeout || T4_DEFAULT);
      me.tran(AT_FRH);
      return;
    case 'txdata':
      me.pull = r.pull || null;
      me.dataDone = false;
      me.txBytes = 0;
      // T.31 modulation code -> bit rate (24 -> 2400 ... 145 -> 14400)
      me.txMod = r.mod || 24;
      me.txRate = Math.floor(me.txMod / 12) * 1200;
      me.command('AT+FTM=' + r.mod, me.commandTimeoutMs);
      me.tran(AT_FTM);
      return;
    case 'rxdata':
      me.startRx(r);
      me.sink = r.sink || null;
      me.command('AT+FRM=' + r.mod, r.timeout || T4_DEFAULT);
      me.tran(AT_FRM);
      return;
    case 'silence':
      if (me.staleModem) {
        // SpanDSP's t31 never answers +FTS after an aborted receive or +FCERROR (its old
        // transmitter is left installed; found by sim/line's side-by-side run): the line has
        // been quiet for as long as we waited anyway, so time the gap here.
        me.trace('silence ' + r.ms + ' ms kept by the driver (no +FTS after an aborted receive)');
        me.timer.arm(r.ms || 0);
        me.tran(LOCAL_SILENCE);
        return;
      }
      me.command('AT+FTS=' + Math.round((r.ms || 0) / 10), me.commandTimeoutMs + (r.ms || 0));
      me.tran(AT_FTS);
      return;
    case 'hangup':
      me.callBuffers(false);
      me.hdlcTxReady = false;
      me.command('ATH0', me.commandTimeoutMs);
      me.tran(AT_HANGUP);
      return;
  }
}

function sendNextFrame(me: Class1): void {
  const f = me.framesOut.shift() as Uint8Array;
  const bytes = new Uint8Array(f.length * 2 + 2);
  let n = 0;
  for (let i = 0; i < f.length; i++) {
    bytes[n++] = f[i];
    if (f[i] === DLE) bytes[n++] = DLE;
  }
  bytes[n++] = DLE;
  bytes[n++] = ETX;
  me.write(bytes.subarray(0, n));
  // a V.21 frame of ~30 octets takes ~1 s at 300 bit/s; allow for the flags before it
  me.timer.arm(5000 + f.length * 40);
}

/**
 * An AT command is out, its result code awaited: the parent of one state per command, which
 * takes the final result code and decides (`atState`); the command's timer running out fails
 * the request.
 */
const AT_CMD: State<Class1> = {
  name: 'C1_AT',
  on(me, e) {
    if (common(me, e)) return;
    if (e.sig === 'C1_TIMEOUT') fail(me, 'timeout');
  },
};

/** A receive command (ATD, ATA, +FRH, +FRM): its timer or STOP aborts it (T.31 §8.3.4); its CONNECT starts data. */
const AT_RECEIVE: State<Class1> = {
  name: 'C1_AT_RECEIVE',
  parent: AT_CMD,
  on(me, e) {
    if (e.sig === 'C1_TIMEOUT' || e.sig === 'STOP') {
      abort(me, e.sig === 'STOP' ? 'stopped' : 'timeout');
      return;
    }
    if (e.sig === 'END_RX' && (me.state === AT_FRH || me.state === AT_FRM)) {
      abort(me, (e as C1Why).why);
      return;
    }
    return SUPER;
  },
};

/** A command's state: `result` gets its final result code (RING and other lines are passed over). */
function atState(name: string, parent: State<Class1>, result: (me: Class1, t: string) => void): State<Class1> {
  return {
    name: name,
    parent: parent,
    on(me, e) {
      if (e.sig !== 'LINE') return SUPER;
      const t = (e as LineEvt).text;
      if (t === 'RING' || !isFinalResult(t)) return;
      me.timer.disarm();
      noteResult(me, t);
      result(me, t);
    },
  };
}

const AT_INIT = atState('C1_INIT', AT_CMD, function (me, t) {
  if (t !== 'OK') return fail(me, 'error');
  if (me.cmdQueue.length > 0) {
    me.command(me.cmdQueue.shift() as string, me.commandTimeoutMs);
    return;
  }
  me.tran(IDLE);
  me.report({ sig: 'C1_READY' });
});

/** ATD: CONNECT is the call (and the first frames follow: +FRH=3 is implied). */
const AT_DIAL = atState('C1_DIAL', AT_RECEIVE, function (me, t) {
  if (t === 'CONNECT') {
    if (me.client) me.client.post({ sig: 'C1_CONNECT' });
    me.tran(RX_HDLC);
    // the V.21 preamble (1 s of flags, T.30 §5.3.1) comes before the first octet
    me.timer.arm(me.frameIdleMs);
    return;
  }
  me.tran(IDLE);
  if (me.framesIn.length > 0) me.report({ sig: 'C1_FRAMES', frames: me.framesIn, bad: me.badFrames } as Evt);
  else me.report({ sig: 'C1_FAIL', why: whyOf(t) } as Evt);
});

/** +FRH=3: CONNECT starts a frame; anything else means no frame (carrier lost, wrong carrier). */
const AT_FRH = atState('C1_FRH', AT_RECEIVE, function (me, t) {
  if (t === 'CONNECT') {
    me.carrier();
    me.tran(RX_HDLC);
    me.timer.arm(me.frameIdleMs);
    return;
  }
  me.tran(IDLE);
  if (me.framesIn.length > 0) me.report({ sig: 'C1_FRAMES', frames: me.framesIn, bad: me.badFrames } as Evt);
  else me.report({ sig: 'C1_NO_FRAMES', why: me.badFrames > 0 ? 'bad fcs' : whyOf(t) } as Evt);
});

const AT_ANSWER = atState('C1_ANSWER', AT_RECEIVE, function (me, t) {
  if (t !== 'CONNECT') return fail(me, whyOf(t));
  me.hdlcTxReady = true;
  me.tran(IDLE);
  me.report({ sig: 'C1_CONNECT' });
});

const AT_FTH = atState('C1_FTH', AT_CMD, function (me, t) {
  if (t !== 'CONNECT') return fail(me, whyOf(t));
  me.tran(TX_HDLC);
  sendNextFrame(me);
});

const AT_FTM = atState('C1_FTM', AT_CMD, function (me, t) {
  if (t !== 'CONNECT') return fail(me, whyOf(t));
  me.uart.setXonXoff(true);
  me.tran(TX_DATA);
  me.pump();
});

const AT_FRM = atState('C1_FRM', AT_RECEIVE, function (me, t) {
  if (t === 'CONNECT') {
    me.carrier();
    me.tran(RX_DATA);
    return;
  }
  me.tran(IDLE);
  me.report({ sig: 'C1_DATA_END', why: whyOf(t), bytes: 0 } as Evt);
});

const AT_FTS = atState('C1_FTS', AT_CMD, function (me, t) {
  me.tran(IDLE);
  if (t === 'OK') me.report({ sig: 'C1_SILENCE' });
  else me.report({ sig: 'C1_FAIL', why: whyOf(t) } as Evt);
});

const AT_HANGUP = atState('C1_HANGUP', AT_CMD, function (me) {
  me.uart.setXonXoff(false);
  me.tran(IDLE);
  me.report({ sig: 'C1_HUNG_UP' });
});

function fail(me: Class1, why: Why): void {
  me.tran(IDLE);
  me.report({ sig: 'C1_FAIL', why: why } as Evt);
}

/** A gap timed by the driver instead of +FTS. */
const LOCAL_SILENCE: State<Class1> = {
  name: 'C1_LOCAL_SILENCE',
  on(me, e) {
    if (common(me, e)) return;
    if (e.sig === 'C1_TIMEOUT') {
      me.tran(IDLE);
      me.report({ sig: 'C1_SILENCE' });
    }
  },
};

/** Cancel a receive: any byte makes the modem stop and answer OK (T.31 §8.3.4). */
function abort(me: Class1, why: Why): void {
  me.abortWhy = why;
  me.abortedIn = me.state;
  me.trace('abort receive (' + why + ')');
  me.write(new Uint8Array([0x18]));
  me.timer.arm(3000);
  me.tran(ABORTING);
}

/** Receiving one V.21 frame (data mode after CONNECT) until DLE ETX and OK/ERROR. */
const RX_HDLC: State<Class1> = {
  name: 'C1_RX_HDLC',
  on(me, e) {
    if (common(me, e)) return;
    if (e.sig === 'C1_TIMEOUT' || e.sig === 'STOP') {
      abort(me, e.sig === 'STOP' ? 'stopped' : 'timeout');
      return;
    }
    if (e.sig === 'DLE_ETX') return; // the frame's end: OK or ERROR follows
    if (e.sig !== 'LINE') return;
    const t = (e as LineEvt).text;
    if (t === 'CONNECT') return; // a modem repeating CONNECT for the next frame
    me.timer.disarm();
    if (t === 'OK') {
      me.takeFrame();
      if (me.gotFinal) {
        me.tran(IDLE);
        me.report({ sig: 'C1_FRAMES', frames: me.framesIn, bad: me.badFrames } as Evt);
        return;
      }
      // more frames of this message follow on the same carrier
      me.command('AT+FRH=3', me.nextFrameTimeoutMs);
      me.tran(AT_FRH);
      return;
    }
    if (t === 'ERROR') {
      // bad FCS: drop it and listen again (a DIS with a bad FCS is repeated: docs/FAX-LINE.md)
      me.badFrames++;
      me.frameLen = 0;
      me.command('AT+FRH=3', me.nextFrameTimeoutMs);
      me.tran(AT_FRH);
      return;
    }
    // NO CARRIER in mid-frame
    me.tran(IDLE);
    if (me.framesIn.length > 0) me.report({ sig: 'C1_FRAMES', frames: me.framesIn, bad: me.badFrames } as Evt);
    else me.report({ sig: 'C1_NO_FRAMES', why: whyOf(t) } as Evt);
  },
};

/** Sending frames after CONNECT: the modem answers CONNECT after each non-final frame, OK after the final. */
const TX_HDLC: State<Class1> = {
  name: 'C1_TX_HDLC',
  on(me, e) {
    if (common(me, e)) return;
    if (e.sig === 'C1_TIMEOUT') return fail(me, 'timeout');
    if (e.sig !== 'LINE') return;
    const t = (e as LineEvt).text;
    if (t === 'CONNECT') {
      if (me.framesOut.length > 0) sendNextFrame(me);
      return;
    }
    me.timer.disarm();
    if (t === 'OK' && me.framesOut.length === 0) {
      me.tran(IDLE);
      me.report({ sig: 'C1_SENT' });
      return;
    }
    if (t === 'OK') {
      // the modem ended the message early (a frame marked final before the last): go on with a new +FTH
      me.command('AT+FTH=3', me.commandTimeoutMs);
      me.tran(AT_FTH);
      return;
    }
    fail(me, whyOf(t));
  },
};

/** Page data out until the source ends, then DLE ETX and the modem's OK (after it drained). */
const TX_DATA: State<Class1> = {
  name: 'C1_TX_DATA',
  on(me, e) {
    if (common(me, e)) return;
    if (e.sig === 'ENTRY') {
      me.txStart = me.kernel ? me.kernel.now() : 0;
      me.armTxDeadline();
      return;
    }
    if (e.sig === 'STOP') {
      // cut the page short: no more data, DLE ETX, the modem's OK ends the request
      if (!me.dataDone) {
        me.dataDone = true;
        me.pull = null;
        // keep a chunk already half written (a DLE pair must not be split), drop the rest
        me.out.splice(me.outPos > 0 ? 1 : 0);
        me.write(new Uint8Array([DLE, ETX]));
      }
      return;
    }
    if (e.sig === 'C1_TIMEOUT') {
      // end the data stream so that the modem is back in command mode for ATH
      if (!me.dataDone) me.write(new Uint8Array([DLE, ETX]));
      me.pull = null;
      me.uart.setXonXoff(false);
      return fail(me, 'timeout');
    }
    if (e.sig !== 'LINE') return;
    const t = (e as LineEvt).text;
    me.timer.disarm();
    me.uart.setXonXoff(false);
    me.pull = null;
    me.tran(IDLE);
    if (t === 'OK') me.report({ sig: 'C1_SENT' });
    else me.report({ sig: 'C1_FAIL', why: whyOf(t) } as Evt);
  },
};

/** Page data in (the lexer feeds the sink) until DLE ETX and NO CARRIER/OK. */
const RX_DATA: State<Class1> = {
  name: 'C1_RX_DATA',
  on(me, e) {
    if (common(me, e)) return;
    if (e.sig === 'ENTRY') {
      me.timer.arm(me.dataIdleMs);
      return;
    }
    if (e.sig === 'C1_TIMEOUT' || e.sig === 'STOP') {
      abort(me, e.sig === 'STOP' ? 'stopped' : 'timeout');
      return;
    }
    if (e.sig === 'DLE_ETX') return;
    if (e.sig !== 'LINE') return;
    const t = (e as LineEvt).text;
    me.timer.disarm();
    me.tran(IDLE);
    me.report({ sig: 'C1_DATA_END', why: t === 'OK' ? 'no carrier' : whyOf(t), bytes: me.rxBytes } as Evt);
  },
};

/** A receive was cancelled: wait for the modem's OK (or whatever it says), then report. */
const ABORTING: State<Class1> = {
  name: 'C1_ABORTING',
  on(me, e) {
    if (common(me, e)) return;
    if (e.sig === 'LINE' || e.sig === 'C1_TIMEOUT') {
      const t = e.sig === 'LINE' ? ((e as LineEvt).text) : '';
      if (t === 'CONNECT') return;
      me.timer.disarm();
      me.dataMode = false;
      me.staleModem = true;
      const from = me.abortedIn;
      me.tran(IDLE);
      const why: Why = me.abortWhy;
      if (from === AT_FRM || from === RX_DATA) me.report({ sig: 'C1_DATA_END', why: why, bytes: me.rxBytes } as Evt);
      else if (from === AT_DIAL || from === AT_ANSWER) me.report({ sig: 'C1_FAIL', why: why } as Evt);
      else if (me.framesIn.length > 0) me.report({ sig: 'C1_FRAMES', frames: me.framesIn, bad: me.badFrames } as Evt);
      else me.report({ sig: 'C1_NO_FRAMES', why: me.badFrames > 0 && why === 'timeout' ? 'bad fcs' : why } as Evt);
    }
  },
};
