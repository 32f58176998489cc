// How much each property runs: a short run in `npm test` (FUZZ_RUNS unset: a few hundred inputs
// per property, seconds), millions in `npm run fuzz` (scripts/fuzz.mjs sets FUZZ_RUNS, or
// FUZZ_SECONDS for a time budget per property). FUZZ_SEED replays a run; a failure prints the
// seed and the shrunk input (fast-check's counterexample) to reproduce it.
import fc from 'fast-check';

const RUNS = Number(process.env.FUZZ_RUNS || 300);
const SECONDS = Number(process.env.FUZZ_SECONDS || 0);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let total = 0;

/**
 * Runs a property `scale` × FUZZ_RUNS times (at least once), or for FUZZ_SECONDS × scale, and
 * counts the inputs it tried. Some parsers are slower per input (pairings, the whole Class 1
 * driver in virtual time): they take a smaller scale.
 */
export function check<T>(name: string, prop: fc.IPropertyWithHooks<T>, scale = 1): void {
  let n = 0;
  const counted = prop.beforeEach(function (previous: () => void) {
    n++;
    previous();
  });
  const numRuns = Math.max(1, Math.round(RUNS * scale));
  if (SECONDS > 0) fc.assert(counted, { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: SECONDS * 1000 * scale, markInterruptAsFailure: false, seed: SEED });
  else fc.assert(counted, { numRuns: numRuns, seed: SEED });
  total += n;
  console.log('fuzz: ' + name + ': ' + n + ' inputs');
}

/** Inputs tried by this file so far. */
export function inputs(): number {
  return total;
}

/** Bytes, biased towards the short and towards a few interesting values. */
export function bytes(max: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: max }),
    fc.array(fc.constantFrom(0x00, 0x01, 0x10, 0x03, 0x0d, 0x0a, 0x11, 0x13, 0x7e, 0x80, 0xff), { maxLength: max }).map((a) => Uint8Array.from(a)),
  );
}

/** A valid input with some bytes changed, cut, or grown: what a noisy line or an attacker does. */
export function mutated(valid: Uint8Array, r: number[]): Uint8Array {
  let b = valid.slice();
  for (let i = 0; i + 2 < r.length; i += 3) {
    const op = r[i] % 5;
    const at = b.length ? r[i + 1] % b.length : 0;
    if (op === 0 && b.length) b[at] = r[i + 2] & 0xff;
    else if (op === 1 && b.length) b[at] ^= 1 << (r[i + 2] & 7);
    else if (op === 2) b = b.subarray(0, at);
    else if (op === 3) {
      const c = new Uint8Array(b.length + 1);
      c.set(b.subarray(0, at));
      c[at] = r[i + 2] & 0xff;
      c.set(b.subarray(at), at + 1);
      b = c;
    } else if (op === 4 && b.length) {
      const c = new Uint8Array(b.length - 1);
      c.set(b.subarray(0, at));
      c.set(b.subarray(at + 1), at);
      b = c;
    }
  }
  return b;
}

/** Cut `b` into pieces at the given points (as a serial port or a socket delivers it). */
export function pieces(b: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = cuts.map((c) => (b.length ? c % (b.length + 1) : 0)).sort((x, y) => x - y);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of at) {
    out.push(b.subarray(prev, c));
    prev = c;
  }
  out.push(b.subarray(prev));
  return out;
}

export { fc };
