// Fault injection on the line, seeded and deterministic. The line knows nothing of T.30 except
// what it needs to count pages: a V.21 DCS frame (FCF 0x82/0x83, T.30 Table 2) announces a
// training check, so the next high-speed carrier from that end is TCF; every other high-speed
// carrier is page data (a whole page without ECM, a block with ECM). Pages are numbered from 1
// over the whole call, frames from 0 in the order they are sent, both directions together.
import type { Line, LinePort } from './line.ts';
import type { LineSignal } from './signals.ts';
import { Rng } from './signals.ts';

export interface FrameInfo {
  /** 0-based over the call, both directions. */
  index: number;
  /** Number of the port that sent it. */
  from: string;
  /** The frame's FCF with the X bit cleared (byte 2 & 0xFE), e.g. 0x80 DIS, 0x82 DCS. */
  fcf: number;
  bytes: Uint8Array;
}

export interface LineFaults {
  /** Seed of every random choice (default 'line'). */
  seed?: string | number;
  /** Probability of each bit of page data being inverted. */
  bitErrorRate?: number;
  /** Apply bitErrorRate to the TCF training check too (default false: pages only). */
  tcfErrors?: boolean;
  /** Invert a bit in chosen bytes (0-based offsets into the page's data) of page N. */
  bitErrors?: { page: number; bytes: number[] }[];
  /** V.21 frames to corrupt (delivered with a bad FCS): frame indices, or a predicate. */
  corruptFrames?: number[] | ((f: FrameInfo) => boolean);
  /** Probability of each V.21 frame bit being inverted (a bad FCS wherever one hits). */
  frameBitErrorRate?: number;
  /** The receiver loses the carrier of page N after `afterBytes` bytes of data. */
  carrierLoss?: { page: number; afterBytes: number }[];
  /** The line drops at this clock time (ms)… */
  dropAt?: number;
  /** …or during page N after `afterBytes` bytes of it (0: as its carrier starts). */
  dropInPage?: { page: number; afterBytes: number };
}

interface CarrierState {
  id: number;
  page: number; // 0 = TCF or not page data
  bytes: number;
  lost: boolean; // carrier loss injected: nothing more of it reaches the far end
  garbled: boolean;
}

export class FaultInjector {
  private rng: Rng;
  private frameIndex = 0;
  private page = 0;
  private dcsFrom = new Set<string>();
  private carriers = new Map<string, CarrierState>();
  private dropArmed = false;

  constructor(private readonly line: Line, readonly f: LineFaults) {
    this.rng = new Rng(f.seed ?? 'line');
  }

  /** A call got connected: arm the timed drop. */
  callStarted(): void {
    if (this.f.dropAt !== undefined && !this.dropArmed) {
      this.dropArmed = true;
      this.line.clock.at(this.f.dropAt, () => this.line.drop(`fault: drop at ${this.f.dropAt} ms`));
    }
  }

  /** Page number (1-based) of the page data being sent now, 0 when none. */
  get pagesStarted(): number {
    return this.page;
  }

  process(from: LinePort, sig: LineSignal): LineSignal[] {
    const who = from.number;
    switch (sig.kind) {
      case 'frame':
        return [this.frame(who, sig)];
      case 'carrier-on': {
        if (sig.carrier.mod === 'v21') return [sig];
        let page = 0;
        if (this.dcsFrom.has(who)) this.dcsFrom.delete(who);
        else page = ++this.page;
        this.carriers.set(who, { id: sig.id, page, bytes: 0, lost: false, garbled: false });
        if (page) this.line.note(`${who} page data ${page} starts`);
        const d = this.f.dropInPage;
        if (page && d && d.page === page && d.afterBytes <= 0) {
          this.line.drop(`fault: drop as page ${page} starts`);
          return [];
        }
        return [sig];
      }
      case 'data':
        return this.data(who, sig);
      case 'trained':
      case 'carrier-off': {
        const c = this.carriers.get(who);
        if (c && c.id === sig.id && c.lost) return [];
        return [sig];
      }
      default:
        return [sig];
    }
  }

  private frame(who: string, sig: Extract<LineSignal, { kind: 'frame' }>): LineSignal {
    const info: FrameInfo = { index: this.frameIndex++, from: who, fcf: (sig.bytes[2] ?? 0) & 0xfe, bytes: sig.bytes };
    if (sig.ok && info.fcf === 0x82) this.dcsFrom.add(who);
    let bytes = sig.bytes;
    let ok = sig.ok;
    const c = this.f.corruptFrames;
    const hit = Array.isArray(c) ? c.includes(info.index) : c ? c(info) : false;
    if (hit) {
      bytes = Uint8Array.from(bytes);
      // Invert one bit of the last FCS byte: the receiver's check fails, the content is intact.
      bytes[bytes.length - 1] ^= 0x01;
      ok = false;
      this.line.note(`fault: frame ${info.index} from ${who} corrupted`);
    } else if (this.f.frameBitErrorRate) {
      for (let i = 0; i < bytes.length; i++) {
        for (let b = 0; b < 8; b++) {
          if (this.rng.next() < this.f.frameBitErrorRate) {
            if (bytes === sig.bytes) bytes = Uint8Array.from(bytes);
            bytes[i] ^= 1 << b;
            ok = false;
          }
        }
      }
      if (!ok && sig.ok) this.line.note(`fault: bit errors in frame ${info.index} from ${who}`);
    }
    return bytes === sig.bytes && ok === sig.ok ? sig : { ...sig, bytes, ok };
  }

  private data(who: string, sig: Extract<LineSignal, { kind: 'data' }>): LineSignal[] {
    const c = this.carriers.get(who);
    if (!c || c.id !== sig.id) return [sig];
    if (c.lost) return [];
    const start = c.bytes;
    let bytes = sig.bytes;
    c.bytes += bytes.length;
    const copy = (): Uint8Array => (bytes === sig.bytes ? (bytes = Uint8Array.from(bytes)) : bytes);
    if (c.page) {
      for (const e of this.f.bitErrors ?? []) {
        if (e.page !== c.page) continue;
        for (const off of e.bytes) {
          if (off >= start && off < c.bytes) {
            copy()[off - start] ^= 0x01;
            this.line.note(`fault: bit error in page ${c.page} byte ${off}`);
          }
        }
      }
    }
    const ber = this.f.bitErrorRate ?? 0;
    if (ber > 0 && (c.page || this.f.tcfErrors)) {
      // Draw the gap to the next error instead of a number per bit (geometric distribution).
      let pos = this.skip(ber);
      while (pos < bytes.length * 8) {
        copy()[pos >> 3] ^= 1 << (pos & 7);
        pos += 1 + this.skip(ber);
      }
    }
    const d = this.f.dropInPage;
    if (c.page && d && d.page === c.page && d.afterBytes > start && d.afterBytes <= c.bytes) {
      const part = bytes.subarray(0, d.afterBytes - start);
      this.line.clock.at(this.line.clock.now(), () => this.line.drop(`fault: drop in page ${c.page} after ${d.afterBytes} bytes`));
      return part.length ? [{ ...sig, bytes: part }] : [];
    }
    for (const l of this.f.carrierLoss ?? []) {
      if (c.page === l.page && l.afterBytes >= start && l.afterBytes < c.bytes) {
        c.lost = true;
        this.line.note(`fault: carrier of page ${c.page} lost after ${l.afterBytes} bytes`);
        const part = bytes.subarray(0, l.afterBytes - start);
        const out: LineSignal[] = [];
        if (part.length) out.push({ ...sig, bytes: part });
        out.push({ kind: 'carrier-off', id: sig.id });
        return out;
      }
    }
    return [bytes === sig.bytes ? sig : { ...sig, bytes }];
  }

  /** Bits until the next error at rate p. */
  private skip(p: number): number {
    if (p >= 1) return 0;
    const u = this.rng.next();
    return Math.floor(Math.log(1 - u) / Math.log(1 - p));
  }
}
