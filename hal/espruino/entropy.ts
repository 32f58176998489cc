// The chip's hardware random number generator (E.hwRand: 32 bits per call).
import type { Entropy } from '../entropy.ts';

export class EspruinoEntropy implements Entropy {
  fill(out: Uint8Array): void {
    let r = 0;
    for (let i = 0; i < out.length; i++) {
      if ((i & 3) === 0) r = E.hwRand();
      out[i] = (r >>> ((i & 3) * 8)) & 0xff;
    }
  }
}
