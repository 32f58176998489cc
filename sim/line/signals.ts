// What travels on the simulated line, in time: tones, V.21 HDLC frames at 300 bit/s, high-speed
// training and data, silence (nothing). No audio: each end transmits these signals with the
// timing the modulation gives them and the far end hears them one line delay later.

export type Modulation = 'v21' | 'v27ter' | 'v29' | 'v17';

export interface Carrier {
  mod: Modulation;
  /** Bit rate: 300 for V.21; 2400/4800 V.27ter; 7200/9600 V.29; 7200–14400 V.17. */
  rate: number;
  /** V.17 short training (+FTM=74/98/122/146): only a receiver that already trained long can follow. */
  short?: boolean;
}

export type LineSignal =
  /** Call tones: CNG 1100 Hz from the caller, CED 2100 Hz from the answerer (T.30 §4.1). */
  | { kind: 'tone'; tone: 'CNG' | 'CED'; on: boolean }
  /** A carrier starts (V.21 preamble flags, or high-speed training, begin now). */
  | { kind: 'carrier-on'; id: number; carrier: Carrier }
  /** V.21: enough preamble flags went by for a receiver to frame (T.30 §5.3.1: 1 s of flags). */
  | { kind: 'flags'; id: number }
  /** V.21: a whole HDLC frame, FCS included; `start` is when its first bit was on the line. */
  | { kind: 'frame'; id: number; bytes: Uint8Array; ok: boolean; start: number }
  /** High speed: training is over, data follows. */
  | { kind: 'trained'; id: number }
  /**
   * High speed: data bytes as the demodulator delivers them (LSB first on the line). `turnOff`
   * marks the transmitter's closing ones (after the last data byte) that a modem passes on.
   */
  | { kind: 'data'; id: number; bytes: Uint8Array; turnOff?: boolean }
  | { kind: 'carrier-off'; id: number };

/**
 * Training time of each modulation, ms (V.27ter §2.5, V.29 §4.1, V.17 §7: long and short), plus
 * the ~20 ms a receiver takes to declare itself trained (measured on SpanDSP's t31 against
 * this emulator: test/interop/line/t31-compare.test.ts).
 */
export function trainingMs(c: Carrier): number {
  const settle = 20;
  switch (c.mod) {
    case 'v27ter':
      return settle + (c.rate === 2400 ? 943 : 708);
    case 'v29':
      return settle + 253;
    case 'v17':
      return settle + (c.short ? 142 : 1393);
    default:
      return 0;
  }
}

/** After the turn-off ones a high-speed transmitter takes this long to report done (SpanDSP, measured: OK ~40 ms later). */
export const TX_SHUTDOWN_MS = 40;

/** A V.21 receiver notices the carrier has gone this long after it went (SpanDSP, measured). */
export const V21_LOSS_DETECT_MS = 20;

/** Class 1 modulation numbers (T.31 Table 5): +FTM=/+FRM= value → carrier. */
export const CLASS1_MODULATIONS: { [n: number]: Carrier } = {
  24: { mod: 'v27ter', rate: 2400 },
  48: { mod: 'v27ter', rate: 4800 },
  72: { mod: 'v29', rate: 7200 },
  96: { mod: 'v29', rate: 9600 },
  73: { mod: 'v17', rate: 7200 },
  74: { mod: 'v17', rate: 7200, short: true },
  97: { mod: 'v17', rate: 9600 },
  98: { mod: 'v17', rate: 9600, short: true },
  121: { mod: 'v17', rate: 12000 },
  122: { mod: 'v17', rate: 12000, short: true },
  145: { mod: 'v17', rate: 14400 },
  146: { mod: 'v17', rate: 14400, short: true },
};

/** The list +FTM=? / +FRM=? answer with. */
export const CLASS1_MODULATION_LIST = '24,48,72,73,74,96,97,98,121,122,145,146';

export function carrierName(c: Carrier): string {
  return c.mod === 'v21' ? 'V.21' : `${c.mod === 'v27ter' ? 'V.27ter' : c.mod === 'v29' ? 'V.29' : 'V.17'} ${c.rate}${c.short ? ' short' : ''}`;
}

/**
 * Can a receiver started for `want` train on `got`? Same modulation and symbol rate trains
 * (V.29 7200/9600 and V.17 rates share the training, so a wrong rate trains and yields
 * garbage); V.27ter 2400 and 4800 differ in symbol rate; a long-train V.17 receiver cannot
 * follow a short train.
 */
export function trainsOn(want: Carrier, got: Carrier): 'ok' | 'garbage' | 'no' {
  if (want.mod !== got.mod) return 'no';
  if (want.mod === 'v27ter' && want.rate !== got.rate) return 'no';
  if (want.mod === 'v17' && !want.short && got.short) return 'no';
  return want.rate === got.rate ? 'ok' : 'garbage';
}

/** Deterministic PRNG (xorshift32) seeded from a string or number. */
export class Rng {
  private s: number;
  constructor(seed: string | number) {
    let h = 2166136261;
    const str = String(seed);
    for (let i = 0; i < str.length; i++) {
      h ^= str.charCodeAt(i);
      h = Math.imul(h, 16777619) >>> 0;
    }
    this.s = h || 0x9e3779b9;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** The transmitter's turn-off after the last data byte: ~25 ms of ones (SpanDSP's V.29 sent 29 bytes at 9600). */
export function turnOffBytes(c: Carrier): Uint8Array {
  return new Uint8Array(Math.ceil((c.rate * 0.025) / 8)).fill(0xff);
}

/** What a receiver demodulates as the carrier decays, before it detects the loss: ~10 ms. */
export const DECAY_MS = 10;
