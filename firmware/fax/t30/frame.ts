// T.30 HDLC frames as the Class 1 modem gives and takes them: address 0xFF, control 0x03 (more
// frames follow) or 0x13 (final frame of the message), FCF, FIF (T.30 §5.3.4–5.3.6). The two FCS
// octets are added and checked by the modem for V.21 frames; ECM frames carry their own.
import { fcfKind, fcfName, CSI, TSI, SUB, SID, PWD_POLL, CIG, PPS, PPR, CTC, NSF, NSS, NSC } from './fcf.ts';

export interface Frame {
  fcf: number;
  /** Facsimile information field (may be empty). */
  fif: Uint8Array;
  /** Control field was 0x13: the last frame of a message. */
  final: boolean;
}

export function makeFrame(fcf: number, fif: Uint8Array | null, final: boolean): Frame {
  return { fcf: fcf, fif: fif || new Uint8Array(0), final: final };
}

/** Wire octets (without FCS) of a frame. */
export function frameBytes(f: Frame): Uint8Array {
  const b = new Uint8Array(3 + f.fif.length);
  b[0] = 0xff;
  b[1] = f.final ? 0x13 : 0x03;
  b[2] = f.fcf;
  b.set(f.fif, 3);
  return b;
}

/** Parse wire octets (FCS already stripped); null when it is not a T.30 frame. */
export function parseFrame(b: Uint8Array, len: number): Frame | null {
  if (len < 3 || b[0] !== 0xff || (b[1] & 0xef) !== 0x03) return null;
  const fif = new Uint8Array(len - 3);
  fif.set(b.subarray(3, len));
  return { fcf: b[2], fif: fif, final: (b[1] & 0x10) !== 0 };
}

/**
 * Identity FIFs (CSI, TSI, CIG, SUB, SID, PWD): 20 octets of IA5 digits, '+' and space, sent
 * last character first (T.30 §5.3.6.2.4–2.5), padded with spaces.
 */
export function encodeIdent(text: string): Uint8Array {
  const b = new Uint8Array(20);
  for (let i = 0; i < 20; i++) b[i] = 0x20;
  const n = text.length < 20 ? text.length : 20;
  for (let i = 0; i < n; i++) b[19 - i] = text.charCodeAt(i) & 0x7f;
  return b;
}

export function decodeIdent(fif: Uint8Array): string {
  let s = '';
  for (let i = fif.length - 1; i >= 0; i--) {
    const c = fif[i];
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s.replace(/^ +/, '').replace(/ +$/, '');
}

function reverse8(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  return r;
}

function hex2(b: number): string {
  return (b < 16 ? '0' : '') + b.toString(16);
}

function isIdent(kind: number): boolean {
  return kind === CSI || kind === TSI || kind === SUB || kind === SID || kind === PWD_POLL || kind === CIG;
}

/** One readable word group for a frame: `TSI "+1 555 0100"`, `PPS-MPS p1 b0 n12`, `PPR 3 missing`. */
export function describeFrame(f: Frame, capsText: (f: Frame) => string): string {
  const kind = fcfKind(f.fcf);
  const name = fcfName(f.fcf);
  // SID and PWD carry passwords (T.30 §5.3.6): traced by name and length, never their text.
  if (kind === SID || kind === PWD_POLL) return name + ' (' + decodeIdent(f.fif).length + ' characters)';
  if (isIdent(kind)) return name + ' "' + decodeIdent(f.fif) + '"';
  if (kind === PPS || kind === (0xce)) {
    if (f.fif.length >= 4) return name + '-' + fcfName(f.fif[0]) + ' p' + f.fif[1] + ' b' + f.fif[2] + ' n' + (f.fif[3] + 1);
    return name;
  }
  if (kind === PPR) {
    let missing = 0;
    for (let i = 0; i < f.fif.length; i++) for (let b = 0; b < 8; b++) if ((f.fif[i] >> b) & 1) missing++;
    return name + ' ' + missing + ' missing';
  }
  if (kind === CTC) return name;
  if (kind === NSF || kind === NSS || kind === NSC) {
    // T.35 country code (bit-reversed as sent, T.30 §5.3.6.2.7), then the maker's octets: shown, never used
    if (f.fif.length === 0) return name;
    return name + ' T.35 country 0x' + hex2(reverse8(f.fif[0])) + ', ' + f.fif.length + ' octets';
  }
  const caps = capsText(f);
  return caps ? name + ' ' + caps : name;
}
