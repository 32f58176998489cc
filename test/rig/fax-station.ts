// A firmware fax terminal on the simulated line: its own kernel, the Class 1 driver on an
// emulated modem and a T.30 session whose sink keeps every page it is given (with the options
// to refuse), on the shared clock. The T.30 tests put two of them on one line (SimRig), the
// appliance tests one beside the appliance as the far end of a call.
import type { Clock } from '../../hal/clock.ts';
import { Kernel } from '../../firmware/kernel/index.ts';
import { Class1 } from '../../firmware/fax/class1/driver.ts';
import { T30Session, defaultCaps, defaultPolicy } from '../../firmware/fax/t30/index.ts';
import type { Caps, JournalRecord, PageInfo, BadLinePolicy, DocumentSink, PageQuality } from '../../firmware/fax/t30/index.ts';
import type { SimLine, ModemAttachOptions } from '../../sim/line/index.ts';

export interface StoredPage {
  info: PageInfo;
  data: Uint8Array;
  confirmed: boolean;
  quality: PageQuality;
}

export interface Station {
  kernel: Kernel;
  /** The emulated modem and its serial link (stats: octets lost to a full DTE buffer). */
  attached: ReturnType<SimLine['attachModem']>;
  c1: Class1;
  fax: T30Session;
  stored: StoredPage[];
  journal: JournalRecord[];
  trace(): string[];
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
  log?: boolean;
}

/** A fax terminal at `number` on `line`, started: it answers after `autoAnswerRings` (1) and receives. */
export function faxStation(line: SimLine, clock: Clock, number: string, o: StationOptions = {}): Station {
  const m = line.attachModem(number, o.modem || {});
  const kernel = new Kernel(clock, { traceSize: 5000, faultPolicy: o.faultPolicy ?? 'halt' });
  if (o.log) kernel.tracer.sink = (l) => console.log(number + ' ' + l);
  const c1 = new Class1(m.uart, 2);
  const stored: StoredPage[] = [];
  const journal: JournalRecord[] = [];
  let cur: { info: PageInfo; chunks: number[] } | null = null;
  const sink: DocumentSink = {
    pageStart(info) {
      cur = { info: { ...info }, chunks: [] };
      if (o.refuseWith) return { full: false, reason: o.refuseWith };
      return o.fullFromPage && info.page >= o.fullFromPage ? { full: true, reason: 'memory full' } : null;
    },
    pageData(b) {
      for (const x of b) cur!.chunks.push(x);
      return null;
    },
    pageEnd(confirmed, quality) {
      stored.push({ info: cur!.info, data: new Uint8Array(cur!.chunks), confirmed, quality: { ...quality } });
      cur = null;
      return null;
    },
  };
  if (o.onlySub !== undefined) {
    sink.accept = (info) => (info.sub === o.onlySub ? null : { full: false, reason: 'unknown subaddress ' + info.sub });
  }
  const fax = new T30Session(c1, 1, {
    ident: o.ident ?? number,
    caps: { ...defaultCaps(), ...(o.caps || {}) },
    policy: { ...defaultPolicy(), ...(o.policy || {}) },
    autoAnswerRings: o.autoAnswerRings ?? 1,
    ecmBlockFrames: o.ecmBlockFrames ?? 64,
    ecmRxWindow: o.ecmRxWindow,
    maxRate: o.maxRate,
    sink,
    onCallEnd: (r) => journal.push(r),
  });
  kernel.add(c1);
  kernel.add(fax);
  kernel.start();
  return { kernel, attached: m, c1, fax, stored, journal, trace: () => kernel.tracer.snapshot() };
}
