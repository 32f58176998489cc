// T.30 control frames for the scripted remote fax machine: its own small codec, independent of
// the firmware's (the remote is a second opinion, not a mirror). Byte values are as a Class 1
// modem delivers them: the first bit on the line is the least significant, so each FCF below is
// the bit reversal of the bit string in T.30 Table 2, and X (the LSB) is 1 in frames sent by the
// station that received a DIS (T.30 §5.3.6.1).
import { withFcs } from './hdlc.ts';

export const ADDRESS = 0xff;
export const CONTROL = 0x03;
export const CONTROL_FINAL = 0x13;

/** FCFs with X = 0 (T.30 Table 2). */
export const FCF = {
  DIS: 0x80,
  CSI: 0x40,
  NSF: 0x20,
  DTC: 0x81,
  CIG: 0x41,
  DCS: 0x82,
  TSI: 0x42,
  NSS: 0x22,
  SUB: 0xc2,
  SID: 0xa2,
  PWD: 0xc1,
  CFR: 0x84,
  FTT: 0x44,
  EOM: 0x8e,
  MPS: 0x4e,
  EOP: 0x2e,
  PPS: 0xbe,
  EOR: 0xce,
  RR: 0x6e,
  CTC: 0x12,
  MCF: 0x8c,
  RTP: 0xcc,
  RTN: 0x4c,
  PIP: 0xac,
  PIN: 0x2c,
  PPR: 0xbc,
  RNR: 0xec,
  ERR: 0x1c,
  CTR: 0xc4,
  DCN: 0xfa,
  CRP: 0x1a,
} as const;

/** ECM frames on the high-speed carrier (T.4 Annex A): facsimile coded data and return to control. */
export const FCD = 0x06;
export const RCP = 0x86;

const NAMES: { [fcf: number]: string } = {};
for (const [k, v] of Object.entries(FCF)) NAMES[v] = k;
/** Frames without an X bit, whose first bit tells them apart (DIS 0x80 / DTC 0x81, CSI / CIG, NSF / NSC). */
const EXACT: { [byte: number]: string } = { 0x80: 'DIS', 0x81: 'DTC', 0x40: 'CSI', 0x41: 'CIG', 0x20: 'NSF', 0x21: 'NSC', 0xc1: 'PWD' };

/** The name of a frame: DIS, DCS, MCF, … (X ignored where it is an X bit) or "FCF 0x..". */
export function frameName(frame: Uint8Array): string {
  if (frame.length < 3) return 'short frame';
  return EXACT[frame[2]] ?? NAMES[frame[2] & 0xfe] ?? `FCF 0x${frame[2].toString(16).padStart(2, '0')}`;
}

export function fcfOf(frame: Uint8Array): number {
  return frame.length >= 3 ? frame[2] & 0xfe : -1;
}

/** A frame: address, control (final or not), FCF | X, FIF. */
export function frame(fcf: number, fif: number[] | Uint8Array, final: boolean, x: boolean): Uint8Array {
  const out = new Uint8Array(3 + fif.length);
  out[0] = ADDRESS;
  out[1] = final ? CONTROL_FINAL : CONTROL;
  out[2] = fcf | (x ? 1 : 0);
  out.set(fif, 3);
  return out;
}

/** Identity field (CSI/TSI/SUB/SID/PWD): 20 characters, sent last character first (T.30 §5.3.6.2.4). */
export function identFif(text: string): number[] {
  const s = text.slice(0, 20).padEnd(20, ' ');
  const out: number[] = [];
  for (let i = 19; i >= 0; i--) out.push(s.charCodeAt(i) & 0x7f);
  return out;
}

export function identText(frame: Uint8Array): string {
  let s = '';
  for (let i = frame.length - 1; i >= 3; i--) s += String.fromCharCode(frame[i]);
  return s.trim();
}

/** Bit n (T.30 numbering from 1) of a DIS/DTC/DCS frame's FIF. */
export function getBit(frame: Uint8Array, n: number): boolean {
  const i = 3 + ((n - 1) >> 3);
  return i < frame.length && (frame[i] & (1 << ((n - 1) & 7))) !== 0;
}

/** A FIF with the given bits set; extension bits (24, 32, 40, …) are set as needed. */
export function fifWithBits(bits: number[]): number[] {
  const max = bits.reduce((m, b) => Math.max(m, b), 24);
  const len = Math.max(3, Math.ceil(max / 8));
  const fif = new Array(len).fill(0);
  for (const b of bits) fif[(b - 1) >> 3] |= 1 << ((b - 1) & 7);
  for (let i = 3; i < len; i++) fif[i - 1] |= 0x80; // bit 8i is "extend field"
  return fif;
}

/** Rate → DIS/DCS bits 11–14 (T.30 Table 2). */
export const DCS_RATE_BITS: { [rate: string]: number[] } = {
  'v27ter:2400': [],
  'v27ter:4800': [12],
  'v29:9600': [11],
  'v29:7200': [11, 12],
  'v17:14400': [14],
  'v17:12000': [12, 14],
  'v17:9600': [11, 14],
  'v17:7200': [11, 12, 14],
};

export interface Modem {
  mod: 'v27ter' | 'v29' | 'v17';
  rate: number;
}

/** The carrier a DCS selects (bits 11–14). */
export function dcsModem(dcs: Uint8Array): Modem | null {
  const key = [11, 12, 13, 14].map((n) => (getBit(dcs, n) ? 1 : 0)).join('');
  switch (key) {
    case '0000':
      return { mod: 'v27ter', rate: 2400 };
    case '0100':
      return { mod: 'v27ter', rate: 4800 };
    case '1000':
      return { mod: 'v29', rate: 9600 };
    case '1100':
      return { mod: 'v29', rate: 7200 };
    case '0001':
      return { mod: 'v17', rate: 14400 };
    case '0101':
      return { mod: 'v17', rate: 12000 };
    case '1001':
      return { mod: 'v17', rate: 9600 };
    case '1101':
      return { mod: 'v17', rate: 7200 };
    default:
      return null;
  }
}

/** The modems a DIS offers (bits 11–14): the fallback ladder from the fastest down. */
export function disLadder(dis: Uint8Array): Modem[] {
  const b11 = getBit(dis, 11);
  const b12 = getBit(dis, 12);
  const b14 = getBit(dis, 14);
  const out: Modem[] = [];
  if (b11 && b12 && b14) out.push({ mod: 'v17', rate: 14400 }, { mod: 'v17', rate: 12000 }, { mod: 'v17', rate: 9600 }, { mod: 'v17', rate: 7200 });
  if (b11) out.push({ mod: 'v29', rate: 9600 }, { mod: 'v29', rate: 7200 });
  if (b12) out.push({ mod: 'v27ter', rate: 4800 });
  out.push({ mod: 'v27ter', rate: 2400 });
  return out;
}

/** DIS bits 11–14 for a ceiling rate. */
export function disRateBits(maxRate: number): number[] {
  if (maxRate > 9600) return [11, 12, 14];
  if (maxRate >= 7200) return [11, 12];
  if (maxRate >= 4800) return [12];
  return [];
}

export { withFcs };
