// Line relay on a GPIO, ring detector (opto-coupler) and loop-current sense as inputs.
import type { Ncu } from '../ncu.ts';
import type { PinMap } from './pins.ts';

/** A ring burst is 1–2 s of pulses; report one ring per burst. */
const RING_GAP_MS = 1500;

export class EspruinoNcu implements Ncu {
  onRing: (() => void) | null = null;
  private off = false;
  private lastPulse = 0;
  private pins: PinMap;

  constructor(pins: PinMap) {
    this.pins = pins;
    pinMode(pins.ringDetect, 'input_pullup');
    pinMode(pins.loopCurrent, 'input');
    digitalWrite(pins.hookRelay, 0);
    const self = this;
    setWatch(function (e) {
      // e.time is getTime(), which setTime() moves: a gap that came out negative means the date
      // was set back since the last pulse, and is a new ring too.
      const t = e.time * 1000;
      const gap = t - self.lastPulse;
      if (!self.off && (gap > RING_GAP_MS || gap < 0) && self.onRing) self.onRing();
      self.lastPulse = t;
    }, pins.ringDetect, { repeat: true, edge: 'falling', debounce: 10 });
  }

  setOffHook(off: boolean): void {
    this.off = off;
    digitalWrite(this.pins.hookRelay, off ? 1 : 0);
  }
  isOffHook(): boolean {
    return this.off;
  }
  lineCurrent(): boolean {
    return digitalRead(this.pins.loopCurrent) === 1;
  }
}
