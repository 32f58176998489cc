// Entry of the scratch device bundle of bench/device-receive.ts: the firmware's real receive path
// timed on the Espruino interpreter, octet by octet as a call brings it. A scripted Class 1 modem
// (a Uart whose far side is a prepared script: the remote sender's frames and page data, made on
// the host) answers the driver's AT commands; the driver (DLE unstuffing, <DLE><ETX>), the T.30
// session's receiver (the line scan, or ECM's HDLC and frame checks), the reception sink, the
// at-rest sealing of a confidential box (the board's AES engine through the HAL when the
// interpreter has one, else ChaCha20) and the store's page writer into a flash in RAM all run as
// on the board, in virtual time (the line's pace), while the interpreter's own clock times the
// CPU each step takes. Prints one `RECEIVE-BENCH {json}` line. Device code rules apply.
import { Kernel } from '../../firmware/kernel/index.ts';
import { VirtualClock } from '../../firmware/kernel/virtual-clock.ts';
import { Class1 } from '../../firmware/fax/class1/driver.ts';
import { T30Session, defaultPolicy } from '../../firmware/fax/t30/index.ts';
import { fcfName } from '../../firmware/fax/t30/fcf.ts';
import { Store } from '../../firmware/store/store.ts';
import { ReceptionSink } from '../../firmware/mailbox/reception.ts';
import type { Mailbox, Route } from '../../firmware/mailbox/mailbox.ts';
import { sealAtRest, atRestKeys, PageCipher, ChainMac } from '../../firmware/auth/at-rest.ts';
import { Poly1305 } from '../../firmware/crypto/poly1305.ts';
import { SealStream } from '../../firmware/crypto/envelope.ts';
import type { KeyAgreement } from '../../firmware/crypto/keys.ts';
import { AEAD_AES256CTR_HMAC_SHA256, AEAD_CHACHA20_POLY1305, aeadName } from '../../firmware/crypto/suites.ts';
import { LineScanner } from '../../firmware/fax/t4/line-scan.ts';
import { HdlcDecoder } from '../../firmware/fax/class1/hdlc.ts';
import { RxBlock } from '../../firmware/fax/t30/ecm.ts';
import type { DocWriter } from '../../firmware/store/index.ts';
import { espruinoCrypto } from '../../hal/espruino/crypto.ts';
import type { CryptoAccel } from '../../hal/crypto.ts';
import type { Flash } from '../../hal/flash.ts';
import type { Uart } from '../../hal/uart.ts';

declare const getTime: (() => number) | undefined;
declare const print: ((s: string) => void) | undefined;

/** What the modem gives the DTE for one receive command: the whole response, ready made. */
export interface ScriptItem {
  /** 'frames' answers AT+FRH=3; 'data' answers AT+FRM. */
  kind: 'frames' | 'data';
  /** What the timings call it ('tcf', 'p1', 'post1', 'p1b2' …). */
  tag: string;
  /** CONNECT, the shielded octets, <DLE><ETX> and the final result code (in parts below 64 KB). */
  bytes: Uint8Array[];
  /** Octets of the item that are page data (timed per octet). */
  octets: number;
}

export interface ReceiveOptions {
  script: ScriptItem[];
  /** Seal as a confidential box does ('engine': the HAL's AES, 'js': without it) or store as ordinary ('none'). */
  seal: 'engine' | 'js' | 'none';
  /** Octets the modem hands over per UART event while page data flows. */
  piece: number;
  /** Line rate of the page data (bit/s): the virtual pace of the pieces. */
  rate: number;
  /** The session's rxDecodeBacklog (a board that cannot decode at line rate: 0). */
  rxDecodeBacklog: number;
  /** ECM receive window (frames). */
  ecmRxWindow: number;
  /** The interpreter's native CRC-32, as the board's composition passes it to the store. */
  crc?: (d: Uint8Array) => number;
  /** CPU clock in ms (the interpreter's getTime, or the host's). */
  cpuMs: () => number;
}

/** CPU ms each step took, and what the call did. */
export interface ReceiveFigures {
  /** Per data item: octets and CPU ms from its CONNECT to the driver's next command. */
  data: { tag: string; octets: number; ms: number }[];
  /** Per post-page command: CPU ms from its last octet to the answer's last octet out, and the answer. */
  answers: { tag: string; ms: number; answer: string }[];
  /** Answers in order (FCF names), pages stored, their octets. */
  sent: string[];
  pages: number;
  storedOctets: number;
  sealed: boolean;
  engine: boolean;
  result: string;
  trace: string[];
  /** Faults the kernel recorded (an exception in a state, a queue overflow). */
  faults: string[];
  /**
   * After the call, the document sealed for the LAN as the LAN service streams it (#9): each
   * page read from the store (opened from its at-rest seal) and sealed in FAXNIKS envelope
   * segments; CPU ms, the envelope's octets, its AEAD.
   */
  send: { ms: number; octets: number; aead: string } | null;
}

function ascii(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/**
 * The modem: AT commands in, the script's responses out. Page data is handed over a piece per
 * UART event at the line's pace (virtual time); frames and result codes at once.
 */
class ScriptModem implements Uart {
  onReadable: (() => void) | null = null;
  onWritable: (() => void) | null = null;
  /** What the modem has said and the DTE not read yet, in parts below 64 KB (the interpreter refuses typed-array offsets above 65,535). */
  private parts: Uint8Array[] = [];
  private pos = 0;
  /** Octets of `parts` that have arrived (the rest is still on the line). */
  private ready = 0;
  private total = 0;
  private line = '';
  /** Collecting a frame the DTE sends (after AT+FTH=3 or ATA). */
  private txHdlc = false;
  private txFrame: number[] = [];
  private txDle = false;
  private next = 0;
  private pieceMs: number;
  /** The data item being served and when its CONNECT went out (CPU ms). */
  private dataItem: ScriptItem | null = null;
  private dataStart = 0;
  /** The post-page command whose answer is awaited, and when its last octet went out. */
  private postItem: ScriptItem | null = null;
  private postStart = 0;
  private releasing = false;
  readonly figures: ReceiveFigures;

  constructor(readonly clock: VirtualClock, readonly o: ReceiveOptions, figures: ReceiveFigures) {
    this.figures = figures;
    this.pieceMs = (o.piece * 8000) / o.rate;
  }

  /** The modem says something: at once, or (page data) a piece at a time at the line's pace. */
  private say(bytes: Uint8Array[], paced: boolean): void {
    let n = 0;
    for (let i = 0; i < bytes.length; i++) {
      this.parts.push(bytes[i]);
      n += bytes[i].length;
    }
    this.total += n;
    if (paced) this.release();
    else {
      this.ready = this.total;
      const self = this;
      this.clock.defer(function () {
        if (self.onReadable) self.onReadable();
      });
    }
  }

  /** The next piece of page data arrives. */
  private release(): void {
    if (this.ready >= this.total) return;
    this.ready = Math.min(this.total, this.ready + this.o.piece);
    this.releasing = this.ready < this.total;
    if (this.onReadable) this.onReadable();
  }

  write(bytes: Uint8Array): number {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (this.txHdlc) {
        if (this.txDle) {
          this.txDle = false;
          if (b === 0x03) this.frameOut();
          else this.txFrame.push(b);
        } else if (b === 0x10) this.txDle = true;
        else this.txFrame.push(b);
        continue;
      }
      if (b === 0x0d) {
        const l = this.line;
        this.line = '';
        this.command(l);
      } else if (b !== 0x0a && b !== 0x10 && b !== 0x03 && b !== 0x18) this.line += String.fromCharCode(b);
    }
    return bytes.length;
  }

  /** A frame from the DTE is complete: CONNECT for the next, OK after the final one. */
  private frameOut(): void {
    const f = this.txFrame;
    this.txFrame = [];
    const fcf = f.length > 2 ? f[2] & 0xfe : -1;
    const name = fcf >= 0 ? fcfName(fcf) : 'short frame';
    const final = f.length > 1 && (f[1] & 0x10) !== 0;
    if (name !== 'CSI' && name !== 'DIS') this.figures.sent.push(name);
    if (final && this.postItem) {
      this.figures.answers.push({ tag: this.postItem.tag, ms: this.o.cpuMs() - this.postStart, answer: name });
      this.postItem = null;
    }
    if (final) {
      this.txHdlc = false;
      this.say([ascii('\r\nOK\r\n')], false);
    } else this.say([ascii('\r\nCONNECT\r\n')], false);
  }

  private command(l: string): void {
    if (this.dataItem) {
      // the driver's first command after the data: the data is all through the path
      this.figures.data.push({ tag: this.dataItem.tag, octets: this.dataItem.octets, ms: this.o.cpuMs() - this.dataStart });
      this.dataItem = null;
    }
    if (l === 'ATA') {
      this.txHdlc = true;
      this.say([ascii('\r\nCONNECT\r\n')], false);
      return;
    }
    if (l === 'AT+FTH=3') {
      this.txHdlc = true;
      this.say([ascii('\r\nCONNECT\r\n')], false);
      return;
    }
    if (l === 'AT+FRH=3' || l.indexOf('AT+FRM=') === 0) {
      const it = this.o.script[this.next];
      const want = l === 'AT+FRH=3' ? 'frames' : 'data';
      if (!it || it.kind !== want) {
        // the script is over, or the session asks for something else: silence, as a line that went quiet
        this.clock.after(3000, this.noCarrier.bind(this));
        return;
      }
      this.next++;
      if (want === 'data') {
        this.dataItem = it;
        this.dataStart = this.o.cpuMs();
        this.say(it.bytes, true);
      } else {
        if (it.tag.indexOf('post') === 0 || it.tag.indexOf('pps') === 0) {
          this.postItem = it;
          this.postStart = this.o.cpuMs();
        }
        this.say(it.bytes, false);
      }
      return;
    }
    this.say([ascii('\r\nOK\r\n')], false);
  }

  private noCarrier(): void {
    this.say([ascii('\r\nNO CARRIER\r\n')], false);
  }

  read(max: number): Uint8Array {
    let n = Math.min(max, this.ready);
    if (n <= 0) {
      if (this.releasing) {
        this.releasing = false;
        this.clock.after(this.pieceMs, this.release.bind(this));
      }
      return new Uint8Array(0);
    }
    const head = this.parts[0];
    if (n > head.length - this.pos) n = head.length - this.pos;
    const b = head.subarray(this.pos, this.pos + n);
    this.pos += n;
    this.ready -= n;
    this.total -= n;
    if (this.pos === head.length) {
      this.parts.shift();
      this.pos = 0;
    }
    return b;
  }

  readable(): number {
    return this.ready;
  }

  /** The call starts: RING. */
  ring(): void {
    this.say([ascii('\r\nRING\r\n')], false);
  }

  setDtr(): void {}
  setXonXoff(): void {}
}

/** Flash in RAM, a 4 KB array per sector (the interpreter refuses typed-array offsets above 65,535). */
class RamFlash implements Flash {
  readonly sectorSize = 4096;
  secs: Uint8Array[] = [];
  constructor(readonly sectorCount: number) {
    for (let i = 0; i < sectorCount; i++) {
      const b = new Uint8Array(4096);
      b.fill(0xff);
      this.secs.push(b);
    }
  }
  read(addr: number, length: number): Uint8Array {
    const o = new Uint8Array(length);
    let at = 0;
    while (at < length) {
      const s = Math.floor((addr + at) / 4096);
      const off = addr + at - s * 4096;
      const n = Math.min(length - at, 4096 - off);
      o.set(this.secs[s].subarray(off, off + n), at);
      at += n;
    }
    return o;
  }
  program(addr: number, data: Uint8Array): void {
    let at = 0;
    while (at < data.length) {
      const s = Math.floor((addr + at) / 4096);
      const off = addr + at - s * 4096;
      const n = Math.min(data.length - at, 4096 - off);
      this.secs[s].set(data.subarray(at, at + n), off);
      at += n;
    }
  }
  erase(sector: number): void {
    this.secs[sector].fill(0xff);
  }
}

/** One received call through the firmware's receive path; the figures of each step. */
export function receiveCall(o: ReceiveOptions): ReceiveFigures {
  const figures: ReceiveFigures = { data: [], answers: [], sent: [], pages: 0, storedOctets: 0, sealed: false, engine: false, result: '', trace: [], faults: [], send: null };
  const clock = new VirtualClock(1767225600000, o.cpuMs);
  const kernel = new Kernel(clock, { traceSize: 64 });
  const modem = new ScriptModem(clock, o, figures);
  const c1 = new Class1(modem, 2);
  let octets = 0;
  for (let i = 0; i < o.script.length; i++) octets += o.script[i].octets;
  const flash = new RamFlash(Math.max(32, Math.ceil((octets * 1.2) / 4096) + 16));
  const store = new Store(flash, { crc: o.crc });
  store.mount();
  let accel: CryptoAccel | null = null;
  if (o.seal !== 'none') {
    accel = o.seal === 'engine' ? espruinoCrypto() : null;
    const secret = new Uint8Array(32);
    for (let i = 0; i < 32; i++) secret[i] = (i * 29 + 7) & 0xff;
    let n = 0;
    // a counter, not a random source: every nonce differs, which is all the bench needs
    const entropy = { fill: function (b: Uint8Array): void { for (let i = 0; i < b.length; i++) b[i] = (n++ * 131 + i) & 0xff; } };
    sealAtRest(store, atRestKeys(secret, accel, entropy));
  }
  figures.engine = accel !== null;
  const route: Route = o.seal === 'none' ? { action: 'ordinary', box: '', reason: '' } : { action: 'confidential', box: '12', reason: '' };
  const mailbox = { route: function (): Route { return route; } } as unknown as Mailbox;
  const sink = new ReceptionSink(store, mailbox, clock);
  let ended = false;
  const fax = new T30Session(c1, 1, {
    ident: '+1 555 0100',
    caps: { v27: true, v29: true, v17: true, fine: true, mr: true, mmr: false, ecm: true, widths: 0, lengths: 0, minScanStd: 0, minScanFine: 0, sub: true, pwd: true, canReceive: true, canSend: false },
    policy: defaultPolicy(),
    autoAnswerRings: 1,
    ecmBlockFrames: 64,
    ecmRxWindow: o.ecmRxWindow,
    rxDecodeBacklog: o.rxDecodeBacklog,
    sink: sink,
    onCallEnd: function (r) {
      sink.callEnded(r);
      figures.result = r.result + (r.reason ? ': ' + r.reason : '');
      ended = true;
    },
  });
  c1.client = fax;
  kernel.tracer.sink = function (line: string): void {
    if (/page \d|ECM data|block p|TCF/.test(line) && figures.trace.length < 200) figures.trace.push(line);
  };
  kernel.add(c1);
  kernel.add(fax);
  kernel.start();
  clock.runFor(100);
  modem.ring();
  let steps = 0;
  while (!ended && steps < 50000000 && clock.step()) steps++;
  clock.runFor(5000);
  for (let i = 0; i < kernel.faults.length; i++) figures.faults.push(JSON.stringify(kernel.faults[i]));
  const docs = store.documents();
  for (let d = 0; d < docs.length; d++) {
    const pages = docs[d].pages;
    for (let p = 0; p < pages; p++) {
      figures.pages++;
      const params = store.pageParams(docs[d].id, p);
      if (params && typeof params.seal === 'string') figures.sealed = true;
      const r = store.readPage(docs[d].id, p);
      for (let b = r ? r.next() : null; b; b = r ? r.next() : null) figures.storedOctets += b.length;
      if (r && r.error) figures.result += '; ' + r.error;
    }
  }
  if (o.seal !== 'none') figures.send = sealAndSend(store, accel, o.cpuMs);
  return figures;
}

/**
 * The stored documents sealed for their owner as the LAN service sends them (firmware/lan/
 * service.ts: pages read in the store's chunks, sealed a segment of 1,024 octets at a time with
 * the board's preferred AEAD: AES-256-CTR + HMAC-SHA256 through the engine, else ChaCha20-
 * Poly1305 in JavaScript). The pair key is given (the firmware caches it per owner), and the
 * socket's own cost is not in it.
 */
function sealAndSend(store: Store, accel: CryptoAccel | null, cpuMs: () => number): { ms: number; octets: number; aead: string } {
  const fixed = new Uint8Array(16);
  const me: KeyAgreement = { suite: 1, epoch: 1, identity: 'host:fax.example', rawKey: function (): Uint8Array { return fixed; } };
  let n = 0;
  const entropy = { fill: function (b: Uint8Array): void { for (let i = 0; i < b.length; i++) b[i] = (n++ * 197 + i) & 0xff; } };
  const aead = accel ? AEAD_AES256CTR_HMAC_SHA256 : AEAD_CHACHA20_POLY1305;
  let octets = 0;
  const t0 = cpuMs();
  const docs = store.documents();
  for (let d = 0; d < docs.length; d++) {
    const s = new SealStream({ agreement: me, to: 'host:pc-ann.lan', aead: aead, contentType: 4, timestamp: 0, challenge: null, segmentSize: 1024, entropy: entropy, cache: null, accel: accel });
    for (let p = 0; p < docs[d].pages; p++) {
      const r = store.readPage(docs[d].id, p);
      for (let b = r ? r.next() : null; b; b = r ? r.next() : null) {
        const parts = s.pushParts(b);
        for (let k = 0; k < parts.length; k++) octets += parts[k].length;
      }
      if (r && r.error) throw new Error(r.error);
    }
    octets += s.finish().length;
  }
  return { ms: cpuMs() - t0, octets: octets, aead: aeadName(aead) };
}

/** The interpreter's entry: the script from files the host wrote (the Linux port has `fs`). */
export function run(dir: string, opts: { seal: 'engine' | 'js' | 'none'; piece: number; rate: number; rxDecodeBacklog: number; ecmRxWindow: number }): void {
  const fs = require('fs') as { readFileSync(p: string): string };
  const E = (globalThis as unknown as { E: { toUint8Array(s: string): Uint8Array; CRC32(d: Uint8Array): number } }).E;
  // What crosses the bundle's edge (the host's JSON in, the figures out) is read and written by
  // quoted names: the device build shortens long property names of the firmware's classes
  // (build/short-properties.mjs), and `octets` or `piece` may be among them.
  const manifest = JSON.parse(fs.readFileSync(dir + '/script.json')) as { [k: string]: unknown }[];
  const script: ScriptItem[] = [];
  for (let i = 0; i < manifest.length; i++) {
    const m = manifest[i];
    const parts: Uint8Array[] = [];
    for (let k = 0; k < (m['parts'] as number); k++) parts.push(E.toUint8Array(fs.readFileSync(dir + '/' + (m['file'] as string) + '.' + k)));
    script.push({ kind: m['kind'] as 'frames' | 'data', tag: m['tag'] as string, octets: m['octets'] as number, bytes: parts });
  }
  const o = opts as unknown as { [k: string]: unknown };
  const cpu = getTime as () => number;
  const f = receiveCall({
    script: script, seal: o['seal'] as 'engine' | 'js' | 'none', piece: o['piece'] as number, rate: o['rate'] as number,
    rxDecodeBacklog: o['rxDecodeBacklog'] as number, ecmRxWindow: o['ecmRxWindow'] as number,
    crc: function (d: Uint8Array): number { return E.CRC32(d) >>> 0; },
    cpuMs: function (): number { return cpu() * 1000; },
  });
  const out: { [k: string]: unknown } = {};
  out['data'] = f.data.map(function (d) { const x: { [k: string]: unknown } = {}; x['tag'] = d.tag; x['octets'] = d.octets; x['ms'] = d.ms; return x; });
  out['answers'] = f.answers.map(function (a) { const x: { [k: string]: unknown } = {}; x['tag'] = a.tag; x['ms'] = a.ms; x['answer'] = a.answer; return x; });
  out['sent'] = f.sent;
  out['pages'] = f.pages;
  out['storedOctets'] = f.storedOctets;
  out['sealed'] = f.sealed;
  out['engine'] = f.engine;
  out['result'] = f.result;
  out['trace'] = f.trace;
  out['faults'] = f.faults;
  if (f.send) {
    const x: { [k: string]: unknown } = {};
    x['ms'] = f.send.ms;
    x['octets'] = f.send.octets;
    x['aead'] = f.send.aead;
    out['send'] = x;
  } else out['send'] = null;
  (print as (s: string) => void)('RECEIVE-BENCH ' + JSON.stringify(out));
}

declare const require: (m: string) => unknown;

/** CPU ms of each step of the path alone, on one page's octets in the driver's 256-octet pieces. */
export function stageTimes(page: Uint8Array[], coding: 'mh' | 'mr', ecmStream: Uint8Array[], cpuMs: () => number, accelOn: boolean, crc?: (d: Uint8Array) => number): { [step: string]: number } {
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < page.length; i++) for (let at = 0; at < page[i].length; at += 256) pieces.push(page[i].subarray(at, Math.min(page[i].length, at + 256)));
  const out: { [step: string]: number } = {};
  let t = cpuMs();
  const s = new LineScanner(1728, coding === 'mr');
  for (let i = 0; i < pieces.length; i++) s.push(pieces[i]);
  out['lineScan'] = cpuMs() - t;
  const flash = new RamFlash(40);
  const store = new Store(flash, { crc: crc });
  store.mount();
  const w = store.beginDocument({ dir: 'rx', time: 0, remote: '', sub: '', box: '' }) as DocWriter;
  w.beginPage({ coding: coding, width: 1728, linesPerMm: 7.7, bitOrder: 'lsb-first' });
  t = cpuMs();
  for (let i = 0; i < pieces.length; i++) w.write(pieces[i]);
  w.endPage();
  out['storeWrite'] = cpuMs() - t;
  collect();
  const keys = atRestKeys(new Uint8Array(32), accelOn ? espruinoCrypto() : null, { fill: function (): void {} });
  const nonce = new Uint8Array(12);
  let c = new PageCipher(keys, 1, 0, nonce);
  t = cpuMs();
  for (let i = 0; i < pieces.length; i++) c.seal(pieces[i]);
  c.mac.digest();
  out['seal'] = cpuMs() - t;
  const mac = new Poly1305(new Uint8Array(32));
  t = cpuMs();
  for (let i = 0; i < pieces.length; i++) mac.update(pieces[i]);
  out['poly1305'] = cpuMs() - t;
  if (keys.accel) {
    const sha = keys.accel;
    const chain = new ChainMac(new Uint8Array(32), function (d: Uint8Array): Uint8Array { return sha.sha256(d); });
    t = cpuMs();
    for (let i = 0; i < pieces.length; i++) chain.update(pieces[i]);
    chain.digest();
    out['chainMac'] = cpuMs() - t;
  }
  collect();
  const accel = espruinoCrypto();
  if (accel) {
    t = cpuMs();
    const key = new Uint8Array(32), iv = new Uint8Array(16);
    for (let i = 0; i < pieces.length; i++) accel.aes256ctr(key, iv, pieces[i]);
    out['aesCtrHal'] = cpuMs() - t;
  }
  // the driver: shielded data through its lexer to a sink that only counts
  const uart = new ScriptUart();
  const c1 = new Class1(uart, 2);
  let got = 0;
  c1.sink = function (b: Uint8Array): void { got += b.length; };
  c1.callBuffers(true); // as a call's first receive does
  c1.dataMode = true;
  c1.rxIsData = true;
  t = cpuMs();
  for (let i = 0; i < page.length; i++) {
    uart.data = page[i];
    uart.pos = 0;
    c1.readUart();
  }
  out['driver'] = cpuMs() - t;
  if (ecmStream.length > 0) {
    let frames = 0;
    const blk = new RxBlock(16, 256, function (): boolean { frames++; return true; });
    const hd = new HdlcDecoder(function (b: Uint8Array, len: number, ok: boolean) { if (ok) blk.put(b, len - 2); }, 264);
    t = cpuMs();
    for (let i = 0; i < ecmStream.length; i++) for (let at = 0; at < ecmStream[i].length; at += 256) hd.push(ecmStream[i].subarray(at, Math.min(ecmStream[i].length, at + 256)));
    out['hdlc'] = cpuMs() - t;
    out['ecmFrames'] = frames;
  }
  return out;
}

declare const process: { memory?: () => unknown } | undefined;

/** A garbage collection where the interpreter offers one (process.memory() collects first). */
function collect(): void {
  if (typeof process !== 'undefined' && process && process.memory) process.memory();
}

/** A UART that hands the driver a prepared array 256 octets a read. */
class ScriptUart implements Uart {
  onReadable: (() => void) | null = null;
  onWritable: (() => void) | null = null;
  data: Uint8Array = new Uint8Array(0);
  pos = 0;
  write(b: Uint8Array): number { return b.length; }
  read(max: number): Uint8Array {
    const n = Math.min(max, this.data.length - this.pos);
    const b = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  readable(): number { return this.data.length - this.pos; }
  setDtr(): void {}
  setXonXoff(): void {}
}

/** The interpreter's entry for the steps alone: files `page.N` (raw page octets) and `ecm.N` (its HDLC stream). */
export function runStages(dir: string, coding: 'mh' | 'mr', pageParts: number, ecmParts: number): void {
  const fs = require('fs') as { readFileSync(p: string): string };
  const E = (globalThis as unknown as { E: { toUint8Array(s: string): Uint8Array; CRC32(d: Uint8Array): number } }).E;
  const page: Uint8Array[] = [];
  for (let k = 0; k < pageParts; k++) page.push(E.toUint8Array(fs.readFileSync(dir + '/page.' + k)));
  const ecm: Uint8Array[] = [];
  for (let k = 0; k < ecmParts; k++) ecm.push(E.toUint8Array(fs.readFileSync(dir + '/ecm.' + k)));
  const cpu = getTime as () => number;
  const ms = function (): number { return cpu() * 1000; };
  const t = stageTimes(page, coding, ecm, ms, true, function (d: Uint8Array): number { return E.CRC32(d) >>> 0; });
  const out: { [k: string]: number } = {};
  const names = ['lineScan', 'storeWrite', 'seal', 'poly1305', 'chainMac', 'aesCtrHal', 'driver', 'hdlc', 'ecmFrames'];
  for (let i = 0; i < names.length; i++) if (t[names[i]] !== undefined) out[names[i]] = t[names[i]];
  (print as (s: string) => void)('STAGES-BENCH ' + JSON.stringify(out));
}
