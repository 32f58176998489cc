// DIS/DTC and DCS as tables (T.30 Table 2). Bit n of the FIF is octet (n-1)>>3, mask
// 1 << ((n-1)&7). Only what this terminal uses is modelled; everything else is left 0.

export type Coding = 'MH' | 'MR' | 'MMR';

/** What a station can do (from a DIS) or what the local terminal offers. */
export interface Caps {
  /** Modulation families: V.27ter (2400/4800), V.29 (7200/9600), V.17 (7200..14400). */
  v27: boolean;
  v29: boolean;
  v17: boolean;
  fine: boolean;
  mr: boolean;
  mmr: boolean;
  ecm: boolean;
  /** 0: 1728 (A4) only, 1: also 2048 (B4), 2: also 2432 (A3). */
  widths: number;
  /** 0: A4, 1: unlimited, 2: A4 and B4. */
  lengths: number;
  /** Minimum scan-line time in ms at standard / fine resolution. */
  minScanStd: number;
  minScanFine: number;
  sub: boolean;
  pwd: boolean;
  /** DIS bit 10: ready to receive. */
  canReceive: boolean;
  /** DIS bit 9: has a document to send (polling). */
  canSend: boolean;
}

/** What the sender chose (a DCS). */
export interface Params {
  rate: number;
  /** V.17 at 7200/9600 vs V.29 at the same rates. */
  v17: boolean;
  fine: boolean;
  coding: Coding;
  ecm: boolean;
  /** ECM frame size: 256 or 64 octets. */
  frameSize: number;
  width: number;
  /** 0: A4, 1: unlimited, 2: B4. */
  length: number;
  minScan: number;
}

function bit(f: Uint8Array, n: number): boolean {
  const i = (n - 1) >> 3;
  return i < f.length && ((f[i] >> ((n - 1) & 7)) & 1) === 1;
}

function set(f: Uint8Array, n: number): void {
  f[(n - 1) >> 3] |= 1 << ((n - 1) & 7);
}

/** Octets needed so the highest set bit fits, with the extend bits (24, 32, 40, ...) chained. */
function trim(f: Uint8Array): Uint8Array {
  let last = 3;
  for (let i = f.length - 1; i >= 3; i--) {
    if (f[i] !== 0) {
      last = i + 1;
      break;
    }
  }
  for (let o = 3; o < last; o++) set(f, o * 8); // bit 24 extends to octet 4, bit 32 to 5, ...
  const out = new Uint8Array(last);
  out.set(f.subarray(0, last));
  return out;
}

// Min scan-line time, DIS bits 21, 22, 23 (T.30 Table 2 note): [std ms, fine ms] per pattern
// b21 + 2*b22 + 4*b23.
const SCAN_DIS: number[][] = [
  [20, 20], [5, 5], [10, 10], [20, 10], [40, 40], [40, 20], [10, 5], [0, 0],
];
// DCS bits 21-23 for a time: pattern b21 + 2*b22 + 4*b23.
const SCAN_DCS: { [ms: number]: number } = { 20: 0, 5: 1, 10: 2, 40: 4, 0: 7 };

export function encodeDis(c: Caps): Uint8Array {
  const f = new Uint8Array(8);
  if (c.canSend) set(f, 9);
  if (c.canReceive) set(f, 10);
  // bits 11-14: 0100 V.27ter, 1100 +V.29, 1101 +V.17 (bits 11,12,13,14)
  if (c.v29) set(f, 11);
  if (c.v27 || c.v29 || c.v17) set(f, 12);
  if (c.v17) {
    set(f, 11);
    set(f, 14);
  }
  if (c.fine) set(f, 15);
  if (c.mr) set(f, 16);
  if (c.widths === 1) set(f, 17);
  if (c.widths === 2) set(f, 18);
  if (c.lengths === 1) set(f, 19);
  if (c.lengths === 2) set(f, 20);
  // the receiver's own minimum scan time: 0 ms (all three bits)
  const t = c.minScanStd === 0 ? 7 : c.minScanStd === 5 ? 1 : c.minScanStd === 10 ? 2 : c.minScanStd === 40 ? 4 : 0;
  if (t & 1) set(f, 21);
  if (t & 2) set(f, 22);
  if (t & 4) set(f, 23);
  if (c.ecm) set(f, 27);
  if (c.mmr && c.ecm) set(f, 31); // T.6 needs ECM (T.30 §5.3.6.2.1 note)
  if (c.sub) set(f, 49);
  if (c.pwd) set(f, 50);
  return trim(f);
}

export function decodeDis(f: Uint8Array): Caps {
  const r11 = bit(f, 11);
  const r12 = bit(f, 12);
  const r13 = bit(f, 13);
  const r14 = bit(f, 14);
  const p = (bit(f, 21) ? 1 : 0) + (bit(f, 22) ? 2 : 0) + (bit(f, 23) ? 4 : 0);
  return {
    v27: true, // V.27ter fallback is always there (0000)
    v29: r11,
    v17: r11 && r12 && r14 && !r13 ? true : r11 && r12 && r13 && r14,
    fine: bit(f, 15),
    mr: bit(f, 16),
    mmr: bit(f, 31),
    ecm: bit(f, 27),
    widths: bit(f, 18) ? 2 : bit(f, 17) ? 1 : 0,
    lengths: bit(f, 19) ? 1 : bit(f, 20) ? 2 : 0,
    minScanStd: SCAN_DIS[p][0],
    minScanFine: SCAN_DIS[p][1],
    sub: bit(f, 49),
    pwd: bit(f, 50),
    canReceive: bit(f, 10),
    canSend: bit(f, 9),
  };
}

/** DCS bits 11-14 per rate (bits 11,12,13,14 as b11 + 2*b12 + 4*b13 + 8*b14). */
function rateBits(rate: number, v17: boolean): number {
  if (rate === 14400) return 8;
  if (rate === 12000) return 8 + 2;
  if (rate === 9600) return v17 ? 8 + 1 : 1;
  if (rate === 7200) return v17 ? 8 + 2 + 1 : 2 + 1;
  if (rate === 4800) return 2;
  return 0;
}

export function encodeDcs(p: Params): Uint8Array {
  const f = new Uint8Array(8);
  set(f, 10); // receiver operating (DCS bit 10)
  const r = rateBits(p.rate, p.v17);
  if (r & 1) set(f, 11);
  if (r & 2) set(f, 12);
  if (r & 4) set(f, 13);
  if (r & 8) set(f, 14);
  if (p.fine) set(f, 15);
  if (p.coding === 'MR') set(f, 16);
  if (p.width === 2048) set(f, 17);
  if (p.width === 2432) set(f, 18);
  if (p.length === 1) set(f, 19);
  if (p.length === 2) set(f, 20);
  const t = SCAN_DCS[p.minScan] === undefined ? 0 : SCAN_DCS[p.minScan];
  if (t & 1) set(f, 21);
  if (t & 2) set(f, 22);
  if (t & 4) set(f, 23);
  if (p.ecm) set(f, 27);
  if (p.ecm && p.frameSize === 64) set(f, 28);
  if (p.coding === 'MMR') set(f, 31);
  return trim(f);
}

export function decodeDcs(f: Uint8Array): Params {
  const r = (bit(f, 11) ? 1 : 0) + (bit(f, 12) ? 2 : 0) + (bit(f, 13) ? 4 : 0) + (bit(f, 14) ? 8 : 0);
  const RATES: { [bits: number]: number } = { 0: 2400, 2: 4800, 1: 9600, 3: 7200, 8: 14400, 10: 12000, 9: 9600, 11: 7200 };
  const p = (bit(f, 21) ? 1 : 0) + (bit(f, 22) ? 2 : 0) + (bit(f, 23) ? 4 : 0);
  return {
    rate: RATES[r] === undefined ? 0 : RATES[r],
    v17: (r & 8) !== 0,
    fine: bit(f, 15),
    coding: bit(f, 31) ? 'MMR' : bit(f, 16) ? 'MR' : 'MH',
    ecm: bit(f, 27),
    frameSize: bit(f, 28) ? 64 : 256,
    width: bit(f, 18) ? 2432 : bit(f, 17) ? 2048 : 1728,
    length: bit(f, 19) ? 1 : bit(f, 20) ? 2 : 0,
    minScan: SCAN_DIS[p][0],
  };
}

/** The V.17 → V.29 → V.27ter ladder (T.30 §5.3.6.2.3 fallback), fastest first. */
export const LADDER: { rate: number; v17: boolean }[] = [
  { rate: 14400, v17: true },
  { rate: 12000, v17: true },
  { rate: 9600, v17: true },
  { rate: 9600, v17: false },
  { rate: 7200, v17: false },
  { rate: 4800, v17: false },
  { rate: 2400, v17: false },
];

/** First ladder step at or after `from` that both ends support (-1 when none). */
export function ladderStep(local: Caps, remote: Caps, from: number): number {
  for (let i = from; i < LADDER.length; i++) {
    const s = LADDER[i];
    if (s.v17 && local.v17 && remote.v17) return i;
    if (!s.v17 && (s.rate === 9600 || s.rate === 7200) && local.v29 && remote.v29) return i;
    if (!s.v17 && s.rate <= 4800 && local.v27) return i;
  }
  return -1;
}

/** T.31 modulation code for +FTM/+FRM (T.31 Table 2). */
export function modulation(rate: number, v17: boolean): number {
  if (v17) return rate === 14400 ? 145 : rate === 12000 ? 121 : rate === 9600 ? 97 : 73;
  return rate === 9600 ? 96 : rate === 7200 ? 72 : rate === 4800 ? 48 : 24;
}

function widthText(w: number): string {
  return w === 1728 ? '' : ' ' + w;
}

export function describeCaps(c: Caps): string {
  const rate = c.v17 ? '14400' : c.v29 ? '9600' : '4800';
  let s = rate + (c.fine ? ' fine' : ' std') + ' MH';
  if (c.mr) s += ' MR';
  if (c.mmr) s += ' MMR';
  if (c.ecm) s += ' ECM';
  if (c.widths) s += c.widths === 2 ? ' A3' : ' B4';
  if (c.sub) s += ' SUB';
  if (c.pwd) s += ' PWD';
  return s;
}

export function describeParams(p: Params): string {
  let s = p.rate + (p.v17 || p.rate > 9600 ? '' : p.rate >= 7200 ? ' V.29' : ' V.27ter');
  s += (p.fine ? ' fine ' : ' std ') + p.coding;
  if (p.ecm) s += ' ECM' + (p.frameSize === 64 ? '64' : '');
  s += widthText(p.width);
  return s;
}
