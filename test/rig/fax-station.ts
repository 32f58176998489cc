// A firmware fax terminal: its own kernel, the Class 1 driver on a modem UART and a T.30 session
// whose sink keeps every page it is given (with the options to refuse), on a clock. On the
// simulated line (faxStation) the T.30 tests put two of them on one line (SimRig) and the
// appliance tests one beside the appliance as the far end of a call; on a real modem's UART and
// the real clock (faxTerminal) the interop tests run it against SpanDSP and efax.
import type { Clock } from '../../hal/clock.ts';
import type { Uart } from '../../hal/uart.ts';
import { Kernel } from '../../firmware/kernel/index.ts';
import { Class1 } from '../../firmware/fax/class1/driver.ts';
import { T30Session, defaultCaps, defaultPolicy } from '../../firmware/fax/t30/index.ts';
import { linkedSender } from '../../firmware/fax/t30/linked-sender.ts';
import type { SenderLink } from '../../firmware/fax/t30/index.ts';
import type { Caps, JournalRecord, PageInfo, BadLinePolicy, DocumentSink, PageQuality } from '../../firmware/fax/t30/index.ts';
import type { SimLine, ModemAttachOptions } from '../../sim/line/index.ts';

export interface StoredPage {
  info: PageInfo;
  data: Uint8Array;
  confirmed: boolean;
  quality: PageQuality;
}

export interface Terminal {
  kernel: Kernel;
  c1: Class1;
  fax: T30Session;
  stored: StoredPage[];
  journal: JournalRecord[];
  trace(): string[];
}

export interface Station extends Terminal {
  /** The emulated modem and its serial link (stats: octets lost to a full DTE buffer). */
  attached: ReturnType<SimLine['attachModem']>;
}

export interface StationOptions {
  ident?: string;
  caps?: Partial<Caps>;
  policy?: Partial<BadLinePolicy>;
  autoAnswerRings?: number;
  ecmBlockFrames?: number;
  ecmRxWindow?: number;
  /** Fastest rate offered and used (settings fax.maxRate). */
  maxRate?: number;
  modem?: ModemAttachOptions;
  /** The store refuses page N (1-based) and later ones. */
  fullFromPage?: number;
  /** The sink's accept(): refuses calls for other subaddresses (reason 'unknown subaddress'). */
  onlySub?: string;
  /** pageStart refuses with this reason. */
  refuseWith?: string;
  /** Kernel fault policy (default 'halt': a test sees any fault). */
  faultPolicy?: 'halt' | 'restart-object';
  /** Print the trace as it is written. */
  log?: boolean;
  /** Every trace line as it is written, from the start (instead of `log`). */
  onTrace?: (line: string) => void;
  /** Where the pages go instead of `stored` (the mailbox's ReceptionSink, say). */
  sink?: DocumentSink;
  /** Told of each call's end after it is in `journal`. */
  onCallEnd?: (r: JournalRecord) => void;
  /** A session without its sending side (receives only; send() refuses). */
  receiveOnly?: boolean;
  /** The sending side to give the session (default linkedSender). */
  sender?: SenderLink;
}

/** A fax terminal at `number` on `line`, started: it answers after `autoAnswerRings` (1) and receives. */
export function faxStation(line: SimLine, clock: Clock, number: string, o: StationOptions = {}): Station {
  const m = line.attachModem(number, o.modem || {});
  const t = faxTerminal(m.uart, clock, { ...o, ident: o.ident ?? number }, number);
  return { ...t, attached: m };
}

/** A fax terminal on a modem's UART, started (`name` prefixes its logged trace lines). */
export function faxTerminal(uart: Uart, clock: Clock, o: StationOptions = {}, name = ''): Terminal {
  const kernel = new Kernel(clock, { traceSize: 5000, faultPolicy: o.faultPolicy ?? 'halt' });
  if (o.onTrace) kernel.tracer.sink = o.onTrace;
  else if (o.log) kernel.tracer.sink = (l) => console.log(name + ' ' + l);
  const c1 = new Class1(uart, 2);
  const stored: StoredPage[] = [];
  const journal: JournalRecord[] = [];
  let cur: { info: PageInfo; chunks: Uint8Array[] } | null = null;
  const keep: DocumentSink = {
    pageStart(info) {
      cur = { info: { ...info }, chunks: [] };
      if (o.refuseWith) return { full: false, reason: o.refuseWith };
      return o.fullFromPage && info.page >= o.fullFromPage ? { full: true, reason: 'memory full' } : null;
    },
    pageData(b) {
      cur!.chunks.push(b.slice()); // the driver's buffer: copied
      return null;
    },
    pageEnd(confirmed, quality) {
      let n = 0;
      for (const c of cur!.chunks) n += c.length;
      const data = new Uint8Array(n);
      n = 0;
      for (const c of cur!.chunks) {
        data.set(c, n);
        n += c.length;
      }
      stored.push({ info: cur!.info, data, confirmed, quality: { ...quality } });
      cur = null;
      return null;
    },
  };
  if (o.onlySub !== undefined) {
    keep.accept = (info) => (info.sub === o.onlySub ? null : { full: false, reason: 'unknown subaddress ' + info.sub });
  }
  const fax = new T30Session(c1, 1, {
    sender: o.receiveOnly ? undefined : o.sender ?? linkedSender,
    ident: o.ident ?? '+1 555 0100',
    caps: { ...defaultCaps(), ...(o.caps || {}) },
    policy: { ...defaultPolicy(), ...(o.policy || {}) },
    autoAnswerRings: o.autoAnswerRings ?? 1,
    ecmBlockFrames: o.ecmBlockFrames ?? 64,
    ecmRxWindow: o.ecmRxWindow,
    maxRate: o.maxRate,
    sink: o.sink ?? keep,
    onCallEnd: (r) => {
      journal.push(r);
      if (o.onCallEnd) o.onCallEnd(r);
    },
  });
  kernel.add(c1);
  kernel.add(fax);
  kernel.start();
  return { kernel, c1, fax, stored, journal, trace: () => kernel.tracer.snapshot() };
}
