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
      const t = e.time * 1000;
      if (!self.off && t - self.lastPulse > RING_GAP_MS && self.onRing) self.onRing();
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
