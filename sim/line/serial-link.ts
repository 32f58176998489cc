// The serial cable between a DTE and an emulated modem: each byte takes 10 bit times (8N1) at
// the configured baud rate, in both directions. The DTE end is a hal/uart.ts Uart, so the
// firmware's Class 1 driver runs on it unchanged.
//
// Flow control is XON/XOFF in band, as on a pty or TCP link (no CTS): the modem sends XOFF (0x13)
// when its transmit buffer fills and XON (0x11) when it has room again. A DTE that called
// setXonXoff(true) has them taken out of the received stream and its UART stops sending while
// XOFF holds; with it off they arrive as data and the UART keeps sending (the modem overruns,
// as SpanDSP's does). DTEs usually enable it only while sending page data (+FTM), since XON and
// XOFF are ordinary values inside +FRM data.
//
// Faults for "a slow DTE": a lower baud rate one way (dteToModemBaud), and stalls during which
// nothing the DTE wrote reaches the modem (stall(ms) or `stalls` at chosen times).
import type { Uart } from '../../hal/uart.ts';
import type { LineScheduler } from './scheduler.ts';

const XON = 0x11;
const XOFF = 0x13;
/** Bytes handed on per scheduled delivery (a UART FIFO's worth): keeps event counts low. */
const CHUNK = 16;

export interface SerialLinkOptions {
  /** Baud rate of both directions (default 115200). */
  baud?: number;
  /** Baud rate DTE → modem only (a slow DTE). */
  dteToModemBaud?: number;
  /** Baud rate modem → DTE only (a DTE that takes bytes in slowly; nothing is lost, it comes late). */
  modemToDteBaud?: number;
  /** DTE transmit buffer: write() accepts up to this many bytes queued (default 1024). */
  txBuffer?: number;
  /** DTE receive buffer: bytes beyond it are lost (counted in stats.rxOverruns; default 65536). */
  rxBuffer?: number;
  /** Periods (absolute scheduler times) during which DTE → modem bytes are held back. */
  stalls?: { at: number; ms: number }[];
}

/** What the modem sees of the cable. */
export interface ModemSide {
  /** Bytes from the DTE, as they arrive. */
  onData: ((bytes: Uint8Array) => void) | null;
  /** DTR changed (V.250 &D2: dropping it hangs up). */
  onDtr: ((on: boolean) => void) | null;
  /** Queue bytes towards the DTE. */
  send(bytes: Uint8Array): void;
  /** Bytes queued towards the DTE not yet delivered. */
  pending(): number;
}

export interface SerialStats {
  toModem: number;
  toDte: number;
  rxOverruns: number;
  xoffHonoured: number;
}

export class SerialLink {
  readonly dte: Uart;
  readonly modem: ModemSide;
  readonly stats: SerialStats = { toModem: 0, toDte: 0, rxOverruns: 0, xoffHonoured: 0 };
  private txQ: number[] = [];
  private txHead = 0;
  private txBusy = false;
  private rxQ: number[] = [];
  private rxHead = 0;
  private rxBusy = false;
  private dteRx: number[] = [];
  private dteRxHead = 0;
  private xonxoff = false;
  private held = false; // XOFF received and honoured
  private stallUntil = -1;
  private readonly byteMsToModem: number;
  private readonly byteMsToDte: number;
  private readonly txCap: number;
  private readonly rxCap: number;
  private wantWritable = false;

  constructor(private readonly sched: LineScheduler, opts: SerialLinkOptions = {}) {
    const baud = opts.baud ?? 115200;
    this.byteMsToDte = 10000 / (opts.modemToDteBaud ?? baud);
    this.byteMsToModem = 10000 / (opts.dteToModemBaud ?? baud);
    this.txCap = opts.txBuffer ?? 1024;
    this.rxCap = opts.rxBuffer ?? 65536;
    for (const s of opts.stalls ?? []) sched.at(s.at, () => this.stall(s.ms));
    const link = this;
    this.dte = {
      onReadable: null,
      onWritable: null,
      write(bytes: Uint8Array): number {
        const room = link.txCap - (link.txQ.length - link.txHead);
        const n = Math.max(0, Math.min(room, bytes.length));
        for (let i = 0; i < n; i++) link.txQ.push(bytes[i]);
        if (n < bytes.length) link.wantWritable = true;
        link.pumpTx();
        return n;
      },
      read(max: number): Uint8Array {
        const avail = link.dteRx.length - link.dteRxHead;
        const n = Math.max(0, Math.min(max, avail));
        const out = Uint8Array.from(link.dteRx.slice(link.dteRxHead, link.dteRxHead + n));
        link.dteRxHead += n;
        if (link.dteRxHead > 4096 && link.dteRxHead * 2 > link.dteRx.length) {
          link.dteRx = link.dteRx.slice(link.dteRxHead);
          link.dteRxHead = 0;
        }
        return out;
      },
      readable(): number {
        return link.dteRx.length - link.dteRxHead;
      },
      setDtr(on: boolean): void {
        if (link.modem.onDtr) link.modem.onDtr(on);
      },
      setXonXoff(on: boolean): void {
        link.xonxoff = on;
        if (!on && link.held) {
          link.held = false;
          link.pumpTx();
        }
      },
    };
    this.modem = {
      onData: null,
      onDtr: null,
      send(bytes: Uint8Array): void {
        for (const b of bytes) link.rxQ.push(b);
        link.pumpRx();
      },
      pending(): number {
        return link.rxQ.length - link.rxHead;
      },
    };
  }

  /** Hold DTE → modem bytes for `ms` from now (a DTE or driver that stalls). */
  stall(ms: number): void {
    this.stallUntil = Math.max(this.stallUntil, this.sched.now() + ms);
  }

  /** Is the DTE's UART holding its output after an XOFF? */
  get heldByXoff(): boolean {
    return this.held;
  }

  private pumpTx(): void {
    if (this.txBusy) return;
    const now = this.sched.now();
    if (this.held) return;
    if (now < this.stallUntil) {
      this.txBusy = true;
      this.sched.at(this.stallUntil, () => {
        this.txBusy = false;
        this.pumpTx();
      });
      return;
    }
    const avail = this.txQ.length - this.txHead;
    if (avail === 0) return;
    const n = Math.min(CHUNK, avail);
    const chunk = Uint8Array.from(this.txQ.slice(this.txHead, this.txHead + n));
    this.txHead += n;
    if (this.txHead > 4096) {
      this.txQ = this.txQ.slice(this.txHead);
      this.txHead = 0;
    }
    this.txBusy = true;
    this.sched.at(now + n * this.byteMsToModem, () => {
      this.txBusy = false;
      this.stats.toModem += chunk.length;
      if (this.modem.onData) this.modem.onData(chunk);
      if (this.wantWritable && this.txQ.length - this.txHead < this.txCap) {
        this.wantWritable = false;
        if (this.dte.onWritable) this.dte.onWritable();
      }
      this.pumpTx();
    });
  }

  private pumpRx(): void {
    if (this.rxBusy) return;
    const avail = this.rxQ.length - this.rxHead;
    if (avail === 0) return;
    const n = Math.min(CHUNK, avail);
    const chunk = this.rxQ.slice(this.rxHead, this.rxHead + n);
    this.rxHead += n;
    if (this.rxHead > 4096) {
      this.rxQ = this.rxQ.slice(this.rxHead);
      this.rxHead = 0;
    }
    this.rxBusy = true;
    this.sched.at(this.sched.now() + n * this.byteMsToDte, () => {
      this.rxBusy = false;
      let delivered = 0;
      for (const b of chunk) {
        if (this.xonxoff && (b === XON || b === XOFF)) {
          if (b === XOFF) {
            this.held = true;
            this.stats.xoffHonoured++;
          } else if (this.held) {
            this.held = false;
            this.pumpTx();
          }
          continue;
        }
        if (this.dteRx.length - this.dteRxHead >= this.rxCap) {
          this.stats.rxOverruns++;
          continue;
        }
        this.dteRx.push(b);
        delivered++;
      }
      this.stats.toDte += delivered;
      if (delivered && this.dte.onReadable) this.dte.onReadable();
      this.pumpRx();
    });
  }
}
