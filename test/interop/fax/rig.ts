// Runs the firmware's fax line (Class1 driver + T30Session on the kernel, real clock) against a
// modem on loopback TCP: faxpeer's SpanDSP T.31 modem with a SpanDSP terminal behind it.
// Received pages are decoded with the project's T.4 decoder into bitmaps for pixel comparison.
import { Kernel } from '../../../firmware/kernel/index.ts';
import { RealClock } from '../../../hal/node/clock.ts';
import { TcpUart } from '../../../hal/node/tcp-uart.ts';
import { Class1 } from '../../../firmware/fax/class1/driver.ts';
import { T30Session, defaultCaps, defaultPolicy } from '../../../firmware/fax/t30/index.ts';
import type { Caps, JournalRecord, PageInfo, SendJob, SendPage } from '../../../firmware/fax/t30/index.ts';
import { T4Decoder } from '../../../firmware/fax/t4/index.ts';
import type { Bitmap } from '../peer/pages.ts';
import type { Uart } from '../../../hal/uart.ts';

export interface ReceivedPage {
  info: PageInfo;
  data: Uint8Array;
  confirmed: boolean;
}

export interface FirmwareRun {
  journal: JournalRecord;
  pages: ReceivedPage[];
  trace: string[];
}

/** A send page from a bitmap (rows replayable for RTN resends). */
export function pageFromBitmap(b: Bitmap, fine = true): SendPage {
  const stride = (b.width + 7) >> 3;
  return {
    width: b.width,
    fine,
    open() {
      let r = 0;
      return { next: () => (r < b.height ? b.rows.subarray(stride * r++, stride * r) : null) };
    },
  };
}

/** Decode what the receiver stored into a bitmap. */
export function decodePage(p: ReceivedPage): Bitmap {
  const stride = (p.info.width + 7) >> 3;
  const rows: Uint8Array[] = [];
  const d = new T4Decoder({
    coding: p.info.coding === 'MMR' ? 'mmr' : p.info.coding === 'MR' ? 'mr' : 'mh',
    width: p.info.width,
    bitOrder: 'lsb-first',
    onRow: (row) => rows.push(row.slice()),
  });
  d.push(p.data);
  d.end();
  const out = new Uint8Array(rows.length * stride);
  rows.forEach((r, i) => out.set(r, i * stride));
  return { width: p.info.width, height: rows.length, rows: out };
}

export function runFirmware(o: {
  port: number;
  send?: SendJob;
  caps?: Partial<Caps>;
  ident?: string;
  autoAnswerRings?: number;
  timeoutMs?: number;
  live?: boolean;
  /** Put something between the driver and the modem link (fault injection in a test). */
  wrap?: (u: Uart) => Uart;
}): Promise<FirmwareRun> {
  return TcpUart.connect(o.port).then((link) => new Promise<FirmwareRun>((resolve, reject) => {
    const uart = link;
    const port: Uart = o.wrap ? o.wrap(link) : link;
    const clock = new RealClock();
    const kernel = new Kernel(clock, { traceSize: 4000, faultPolicy: 'halt' });
    const trace: string[] = [];
    kernel.tracer.sink = (l) => {
      trace.push(l);
      if (o.live) console.log(l);
    };
    const c1 = new Class1(port, 2);
    const pages: ReceivedPage[] = [];
    let cur: { info: PageInfo; chunks: Uint8Array[] } | null = null;
    const fax = new T30Session(c1, 1, {
      ident: o.ident ?? '+1 555 0100',
      caps: { ...defaultCaps(), ...(o.caps || {}) },
      policy: defaultPolicy(),
      autoAnswerRings: o.autoAnswerRings ?? 1,
      ecmBlockFrames: 256,
      sink: {
        pageStart(info) {
          cur = { info: { ...info }, chunks: [] };
          return null;
        },
        pageData(b) {
          cur!.chunks.push(b.slice());
          return null;
        },
        pageEnd(confirmed) {
          const data = Buffer.concat(cur!.chunks);
          pages.push({ info: cur!.info, data: new Uint8Array(data), confirmed });
          cur = null;
          return null;
        },
      },
      onCallEnd(r) {
        clearTimeout(timer);
        clearInterval(faults);
        setTimeout(() => {
          uart.close();
          resolve({ journal: r, pages, trace });
        }, 300);
      },
    });
    kernel.add(c1);
    kernel.add(fax);
    kernel.start();
    if (o.send) fax.send(o.send);
    const faults = setInterval(() => {
      if (kernel.halted) {
        clearInterval(faults);
        clearTimeout(timer);
        uart.close();
        reject(new Error('kernel halted:\n' + trace.join('\n')));
      }
    }, 200);
    const timer = setTimeout(() => {
      clearInterval(faults);
      uart.close();
      reject(new Error('firmware call did not end in time:\n' + trace.join('\n')));
    }, o.timeoutMs ?? 150000);
  }));
}
