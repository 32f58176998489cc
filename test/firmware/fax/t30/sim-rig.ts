// Firmware fax lines on the simulated PSTN (sim/line: Class 1 modem emulator after SpanDSP's t31,
// scripted remote fax machines, fault injection), all in virtual time on one VirtualClock: the
// stations are the shared test rig's fax terminals (test/rig/fax-station.ts).
import { VirtualClock } from '../../../../firmware/kernel/virtual-clock.ts';
import type { SendPage } from '../../../../firmware/fax/t30/index.ts';
import { T4Decoder, T4Encoder } from '../../../../firmware/fax/t4/index.ts';
import { createLine } from '../../../../sim/line/index.ts';
import type { LineFaults, SimLine } from '../../../../sim/line/index.ts';
import { faxStation } from '../../../rig/fax-station.ts';
import type { Station, StationOptions } from '../../../rig/fax-station.ts';
import { T0 } from '../../../rig/appliance.ts';

export type { Station, StoredPage, StationOptions } from '../../../rig/fax-station.ts';

export interface Bitmap {
  width: number;
  height: number;
  rows: Uint8Array;
}

/** A deterministic page with text-like ink: bars, blocks and a frame, `height` rows of 1728. */
export function testPage(seed: number, height = 300, width = 1728): Bitmap {
  const stride = (width + 7) >> 3;
  const rows = new Uint8Array(stride * height);
  let s = seed * 2654435761 >>> 0;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) / 65536;
  for (let y = 0; y < height; y++) {
    const line = Math.floor(y / 24);
    for (let x = 0; x < width; x++) {
      let black = y === 0 || y === height - 1 || x < 2 || x >= width - 2;
      if (!black && y % 24 > 4 && y % 24 < 18 && x > 100 && x < 1600) {
        // "glyphs": 12-pixel cells, a hash of (cell, line, seed) picks a pattern
        const cell = Math.floor(x / 12);
        const h = (cell * 7919 + line * 104729 + seed * 31) % 97;
        if (h < 60) black = ((x % 12) < 2 + (h % 5)) || ((y % 24) === 6 + (h % 9));
      }
      if (black) rows[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
    }
    void rnd;
  }
  return { width, height, rows };
}

export function pageOf(b: Bitmap, fine = true): SendPage {
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

/** Coded data of a page, for a scripted remote sender. */
export function encodePage(b: Bitmap, coding: 'mh' | 'mr' | 'mmr'): Uint8Array {
  const out: number[] = [];
  const e = new T4Encoder({ coding, width: b.width, bitOrder: 'lsb-first', k: 4, onData: (d) => { for (const x of d) out.push(x); } });
  const stride = (b.width + 7) >> 3;
  for (let r = 0; r < b.height; r++) e.encodeRow(b.rows.subarray(r * stride, (r + 1) * stride));
  e.finish();
  return new Uint8Array(out);
}

export function decode(data: Uint8Array, coding: string, width = 1728): { bitmap: Bitmap; bad: number } {
  const stride = (width + 7) >> 3;
  const rows: Uint8Array[] = [];
  const c = coding.toLowerCase() as 'mh' | 'mr' | 'mmr';
  const d = new T4Decoder({ coding: c, width, bitOrder: 'lsb-first', onRow: (row) => rows.push(row.slice()) });
  d.push(data);
  d.end();
  const out = new Uint8Array(rows.length * stride);
  rows.forEach((r, i) => out.set(r, i * stride));
  return { bitmap: { width, height: rows.length, rows: out }, bad: d.badLines };
}

export function sameBitmap(a: Bitmap, b: Bitmap): string | null {
  if (a.width !== b.width || a.height !== b.height) return `size ${b.width}x${b.height}, expected ${a.width}x${a.height}`;
  for (let i = 0; i < a.rows.length; i++) if (a.rows[i] !== b.rows[i]) return `differs at row ${Math.floor(i / ((a.width + 7) >> 3))}`;
  return null;
}

export class SimRig {
  clock = new VirtualClock(T0);
  line: SimLine;

  constructor(opts: { faults?: LineFaults; delayMs?: number; log?: boolean } = {}) {
    this.line = createLine(this.clock, { faults: opts.faults, delayMs: opts.delayMs, log: opts.log ? (l) => console.log(l) : undefined });
  }

  station(number: string, o: StationOptions = {}): Station {
    return faxStation(this.line, this.clock, number, o);
  }

  /** Run until `done()` or `limitMs` of virtual time. */
  runUntil(done: () => boolean, limitMs = 600000): void {
    const end = this.clock.now() + limitMs;
    while (!done() && this.clock.now() < end) {
      if (!this.clock.step()) break;
    }
  }
}
