// The entropy source, tested before it is trusted, and salts that never repeat.
//
// HealthTestedEntropy runs the continuous health tests of NIST SP 800-90B §4.4 on every byte the
// hardware generator gives, and a start-up test on the first 1,024 (§4.3): a generator stuck at
// one value (all 0x00, all 0xff, anything) or one that favours a value fails, and then stays
// failed until a restart — every later fill() throws, so nothing is sealed or salted with it.
//   §4.4.1 repetition count test: cutoff C = 1 + ⌈20/H⌉ identical bytes in a row (α = 2^-20)
//   §4.4.2 adaptive proportion test: window W = 512 bytes, cutoff = 1 + CRITBINOM(W, 2^-H, 1-α)
//          occurrences of the window's first byte
// with H = 2 bits of min-entropy claimed per byte — far below what a whitened hardware RNG
// gives, so a healthy source never trips them (false alarm rate 2^-20 per test window) and a
// broken one does within a few bytes (stuck) or one window (biased).
//
// FreshBytes then derives every salt or nonce as SHA-256(counter ‖ 32 tested random bytes), the
// counter persisted in the store (`rng.counter`, reserved RESERVE at a time so the flash is
// written once per RESERVE draws): even a generator that repeats itself after a restart, and that
// the tests cannot see, never gives the same salt twice. No counter can be reserved: fill() throws.
import type { Entropy } from '../../hal/entropy.ts';
import { sha256 } from './sha256.ts';

/** Claimed min-entropy per byte (bits) for the cutoffs below. */
export const CLAIMED_H = 2;
/** §4.4.1: 1 + ceil(20 / H). */
export const RCT_CUTOFF = 11;
/** §4.4.2 for W = 512, H = 2: 1 + CRITBINOM(512, 1/4, 1 - 2^-20). */
export const APT_WINDOW = 512;
export const APT_CUTOFF = 177;
/** §4.3: start-up test over this many bytes before the first byte is used. */
export const STARTUP_BYTES = 1024;

/** The error every refusal throws (a plain Error: the device has no Error subclasses). */
export function entropyFailure(message: string): Error {
  return new Error('entropy: ' + message);
}

export class HealthTestedEntropy implements Entropy {
  /** Why the source failed ('' while healthy); sticky until a restart. */
  failure = '';
  private started = false;
  private last = -1;
  private run = 0;
  private aptFirst = -1;
  private aptCount = 0;
  private aptSeen = 0;

  constructor(readonly source: Entropy) {}

  /** Feed one byte through both tests; false once the source has failed. */
  private test(b: number): boolean {
    if (b === this.last) {
      this.run++;
      if (this.run >= RCT_CUTOFF) this.failure = 'repetition count test: ' + this.run + ' bytes of ' + b + ' in a row';
    } else {
      this.last = b;
      this.run = 1;
    }
    if (this.aptSeen === 0) {
      this.aptFirst = b;
      this.aptCount = 1;
    } else if (b === this.aptFirst) {
      this.aptCount++;
      if (this.aptCount >= APT_CUTOFF) this.failure = 'adaptive proportion test: ' + this.aptCount + ' of ' + APT_WINDOW + ' bytes are ' + b;
    }
    this.aptSeen = (this.aptSeen + 1) % APT_WINDOW;
    return !this.failure;
  }

  private draw(out: Uint8Array): void {
    this.source.fill(out);
    for (let i = 0; i < out.length; i++) if (!this.test(out[i])) break;
  }

  /** True while the source passes its tests (runs the start-up test on first use). */
  healthy(): boolean {
    if (!this.started && !this.failure) {
      this.started = true;
      this.draw(new Uint8Array(STARTUP_BYTES));
    }
    return !this.failure;
  }

  fill(out: Uint8Array): void {
    if (!this.healthy()) throw entropyFailure('source failed its health test (' + this.failure + ')');
    const tmp = new Uint8Array(out.length);
    this.draw(tmp);
    if (this.failure) throw entropyFailure('source failed its health test (' + this.failure + ')');
    out.set(tmp);
  }
}

/** The store calls FreshBytes needs (a Store satisfies it). */
export interface CounterRecords {
  getSetting(name: string): string | null;
  setSetting(name: string, value: string): boolean;
}

export const COUNTER_RECORD = 'rng.counter';
/** Counter values reserved per flash write. */
export const RESERVE = 1024;

export class FreshBytes implements Entropy {
  private next = -1;
  private limit = -1;

  constructor(readonly tested: HealthTestedEntropy, readonly records: CounterRecords) {}

  /** The next counter value, reserving a new block in flash when the current one is used up. */
  private count(): number {
    if (this.next < 0 || this.next >= this.limit) {
      const stored = Number(this.records.getSetting(COUNTER_RECORD) || '0');
      const base = stored > this.next ? stored : this.next;
      if (!(base >= 0) || !this.records.setSetting(COUNTER_RECORD, String(base + RESERVE))) {
        throw entropyFailure('salt counter cannot be reserved (store full)');
      }
      this.next = base;
      this.limit = base + RESERVE;
    }
    return this.next++;
  }

  fill(out: Uint8Array): void {
    const raw = new Uint8Array(40);
    this.tested.fill(raw.subarray(8));
    const c = this.count();
    // 2^53 counter values at most: big-endian in 8 bytes.
    let hi = Math.floor(c / 4294967296);
    let lo = c % 4294967296;
    for (let i = 7; i >= 4; i--) {
      raw[i] = lo & 0xff;
      lo = Math.floor(lo / 256);
    }
    for (let i = 3; i >= 0; i--) {
      raw[i] = hi & 0xff;
      hi = Math.floor(hi / 256);
    }
    let done = 0;
    let block = 0;
    while (done < out.length) {
      raw[8] ^= block; // more than 32 bytes: a different input per block
      const h = sha256(raw);
      const n = Math.min(32, out.length - done);
      out.set(h.subarray(0, n), done);
      done += n;
      block++;
    }
  }
}

/** A salt or nonce that cannot be random: all bytes the same (a stuck generator). */
export function looksStuck(b: Uint8Array): boolean {
  for (let i = 1; i < b.length; i++) if (b[i] !== b[0]) return false;
  return true;
}
