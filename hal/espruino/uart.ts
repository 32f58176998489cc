// The modem on a hardware UART (Serial2) with XON/XOFF, DTR on a GPIO.
import type { Uart } from '../uart.ts';
import type { PinMap } from './pins.ts';

/** Receive buffer bound: the kernel drains it every dispatch; beyond this the modem must pause (XOFF). */
const RX_MAX = 2048;

export class EspruinoUart implements Uart {
  onReadable: (() => void) | null = null;
  onWritable: (() => void) | null = null;
  private rx = new Uint8Array(RX_MAX);
  private rxLen = 0;
  private dtrPin: string;
  private xon = true;
  private pins: PinMap;

  constructor(pins: PinMap) {
    this.pins = pins;
    this.dtrPin = pins.modemDtr;
    Serial2.setup(pins.modemBaud, { rx: pins.modemRx, tx: pins.modemTx, xon: true });
    const self = this;
    Serial2.on('data', function (d: string) {
      const was = self.rxLen;
      for (let i = 0; i < d.length && self.rxLen < RX_MAX; i++) self.rx[self.rxLen++] = d.charCodeAt(i);
      if (was === 0 && self.onReadable) self.onReadable();
    });
    digitalWrite(this.dtrPin, 1);
  }

  write(bytes: Uint8Array): number {
    Serial2.write(bytes);
    return bytes.length;
  }
  read(max: number): Uint8Array {
    const n = max < this.rxLen ? max : this.rxLen;
    const out = new Uint8Array(n);
    out.set(this.rx.subarray(0, n));
    this.rx.set(this.rx.subarray(n, this.rxLen));
    this.rxLen -= n;
    return out;
  }
  readable(): number {
    return this.rxLen;
  }
  setDtr(on: boolean): void {
    digitalWrite(this.dtrPin, on ? 1 : 0);
  }
  setXonXoff(on: boolean): void {
    if (on === this.xon) return;
    this.xon = on;
    Serial2.setup(this.pins.modemBaud, { rx: this.pins.modemRx, tx: this.pins.modemTx, xon: on });
  }
}
