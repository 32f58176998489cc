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
//
// The bytes move in chunks, one timer each. In real time a timer may fire late (a loaded
// machine); the wire does not wait for it: a late delivery brings every byte whose time has come,
// so the link keeps its baud rate. (It did not once: each late timer moved one chunk, a loaded
// run fell below the fax line's rate, the modem's transmit buffer ran empty mid-page and efax's
// page reached the far end 16 rows short.)
import type { Uart } from '../../hal/uart.ts';
import type { Clock } from '../../hal/clock.ts';
import { concat } from '../../firmware/crypto/bytes.ts';

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
  /** Periods (absolute clock times) during which DTE → modem bytes are held back. */
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
  private txQ = new ByteFifo();
  private txBusy = false;
  private rxQ = new ByteFifo();
  private rxBusy = false;
  private dteRx = new ByteFifo();
  private xonxoff = false;
  private held = false; // XOFF received and honoured
  private stallUntil = -1;
  /** Where each direction's wire is: the time its last byte taken so far is through. */
  private txWireAt = 0;
  private rxWireAt = 0;
  private readonly byteMsToModem: number;
  private readonly byteMsToDte: number;
  private readonly txCap: number;
  private readonly rxCap: number;
  private wantWritable = false;

  constructor(private readonly clock: Clock, opts: SerialLinkOptions = {}) {
    const baud = opts.baud ?? 115200;
    this.byteMsToDte = 10000 / (opts.modemToDteBaud ?? baud);
    this.byteMsToModem = 10000 / (opts.dteToModemBaud ?? baud);
    this.txCap = opts.txBuffer ?? 1024;
    this.rxCap = opts.rxBuffer ?? 65536;
    for (const s of opts.stalls ?? []) clock.at(s.at, () => this.stall(s.ms));
    const link = this;
    this.dte = {
      onReadable: null,
      onWritable: null,
      write(bytes: Uint8Array): number {
        const room = link.txCap - link.txQ.length;
        const n = Math.max(0, Math.min(room, bytes.length));
        if (n > 0) link.txQ.push(bytes.slice(0, n));
        if (n < bytes.length) link.wantWritable = true;
        link.pumpTx();
        return n;
      },
      read(max: number): Uint8Array {
        return link.dteRx.take(Math.max(0, max));
      },
      readable(): number {
        return link.dteRx.length;
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
        if (bytes.length) link.rxQ.push(bytes.slice());
        link.pumpRx();
      },
      pending(): number {
        return link.rxQ.length;
      },
    };
  }

  /** Hold DTE → modem bytes for `ms` from now (a DTE or driver that stalls). */
  stall(ms: number): void {
    this.stallUntil = Math.max(this.stallUntil, this.clock.now() + ms);
  }

  /** Is the DTE's UART holding its output after an XOFF? */
  get heldByXoff(): boolean {
    return this.held;
  }

  private pumpTx(): void {
    if (this.txBusy) return;
    const now = this.clock.now();
    if (this.held) return;
    if (now < this.stallUntil) {
      this.txBusy = true;
      this.clock.at(this.stallUntil, () => {
        this.txBusy = false;
        this.pumpTx();
      });
      return;
    }
    if (this.txQ.length === 0) return;
    let chunk = this.txQ.take(CHUNK);
    const start = now > this.txWireAt ? now : this.txWireAt;
    this.txBusy = true;
    this.clock.at(start + chunk.length * this.byteMsToModem, () => {
      this.txBusy = false;
      // Late: the bytes due meanwhile went over the wire too (unless XOFF or a stall holds them).
      const due = Math.floor((this.clock.now() - start) / this.byteMsToModem) - chunk.length;
      if (due > 0 && this.txQ.length > 0 && !this.held && this.clock.now() >= this.stallUntil) {
        chunk = concat([chunk, this.txQ.take(due)]);
      }
      this.txWireAt = start + chunk.length * this.byteMsToModem;
      this.stats.toModem += chunk.length;
      if (this.modem.onData) this.modem.onData(chunk);
      if (this.wantWritable && this.txQ.length < this.txCap) {
        this.wantWritable = false;
        if (this.dte.onWritable) this.dte.onWritable();
      }
      this.pumpTx();
    });
  }

  private pumpRx(): void {
    if (this.rxBusy) return;
    if (this.rxQ.length === 0) return;
    // Larger pieces towards the DTE: nothing there waits on single bytes (flow control is the DTE's).
    let chunk = this.rxQ.take(CHUNK * 4);
    const now = this.clock.now();
    const start = now > this.rxWireAt ? now : this.rxWireAt;
    this.rxBusy = true;
    this.clock.at(start + chunk.length * this.byteMsToDte, () => {
      this.rxBusy = false;
      // Late: the bytes due meanwhile came too (see the top).
      const due = Math.floor((this.clock.now() - start) / this.byteMsToDte) - chunk.length;
      if (due > 0 && this.rxQ.length > 0) {
        chunk = concat([chunk, this.rxQ.take(due)]);
      }
      this.rxWireAt = start + chunk.length * this.byteMsToDte;
      let keep = chunk;
      if (this.xonxoff && (chunk.includes(XON) || chunk.includes(XOFF))) {
        const k: number[] = [];
        for (const b of chunk) {
          if (b === XOFF) {
            this.held = true;
            this.stats.xoffHonoured++;
          } else if (b === XON) {
            if (this.held) {
              this.held = false;
              this.pumpTx();
            }
          } else k.push(b);
        }
        keep = Uint8Array.from(k);
      }
      const room = Math.max(0, this.rxCap - this.dteRx.length);
      if (keep.length > room) {
        this.stats.rxOverruns += keep.length - room;
        keep = keep.subarray(0, room);
      }
      if (keep.length) this.dteRx.push(keep);
      const delivered = keep.length;
      this.stats.toDte += delivered;
      if (delivered && this.dte.onReadable) this.dte.onReadable();
      this.pumpRx();
    });
  }
}

/** A byte FIFO of chunks (no per-byte arrays: a page is tens of KB). */
class ByteFifo {
  private chunks: Uint8Array[] = [];
  private off = 0;
  length = 0;
  push(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  take(max: number): Uint8Array {
    const n = Math.min(max, this.length);
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0];
      const k = Math.min(c.length - this.off, n - o);
      out.set(c.subarray(this.off, this.off + k), o);
      o += k;
      this.off += k;
      if (this.off === c.length) {
        this.chunks.shift();
        this.off = 0;
      }
    }
    this.length -= n;
    return out;
  }
}
