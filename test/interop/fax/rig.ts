// Runs the firmware's fax line (the shared rig's fax terminal: Class1 driver + T30Session on the
// kernel, real clock) against a modem on loopback TCP: faxpeer's SpanDSP T.31 modem with a SpanDSP terminal behind it.
// Received pages are decoded with the project's T.4 decoder into bitmaps for pixel comparison.
import { RealClock } from '../../../hal/node/clock.ts';
import { TcpUart } from '../../../hal/node/tcp-uart.ts';
import type { Caps, JournalRecord, PageInfo, SendJob, SendPage } from '../../../firmware/fax/t30/index.ts';
import { T4Decoder } from '../../../firmware/fax/t4/index.ts';
import type { Bitmap } from '../peer/pages.ts';
import type { Uart } from '../../../hal/uart.ts';
import { faxTerminal } from '../../rig/fax-station.ts';

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
    const trace: string[] = [];
    const { kernel, fax, stored } = faxTerminal(port, new RealClock(), {
      ident: o.ident ?? '+1 555 0100',
      caps: o.caps,
      autoAnswerRings: o.autoAnswerRings ?? 1,
      ecmBlockFrames: 256,
      onTrace(l) {
        trace.push(l);
        if (o.live) console.log(l);
      },
      onCallEnd(r) {
        clearTimeout(timer);
        clearInterval(faults);
        setTimeout(() => {
          uart.close();
          resolve({ journal: r, pages: stored, trace });
        }, 300);
      },
    });
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
