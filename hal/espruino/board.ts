// The appliance board on the Espruino interpreter: every HAL device from the pin map.
import type { Board } from '../board.ts';
import type { PinMap } from './pins.ts';
import { ESP32_MAX_DOCUMENTS } from './pins.ts';
import { EspruinoClock } from './clock.ts';
import { EspruinoUart } from './uart.ts';
import { EspruinoNcu } from './ncu.ts';
import { EspruinoLcd } from './lcd.ts';
import { EspruinoKeypad } from './keypad.ts';
import { EspruinoFlash } from './flash.ts';
import { SpiNorFlash } from './spi-flash.ts';
import { EspruinoEntropy } from './entropy.ts';
import { EspruinoPrinter } from './printer.ts';
import { NoScanner } from './scanner.ts';
import { espruinoNet } from './net.ts';
import { espruinoCrypto } from './crypto.ts';

export function createEspruinoBoard(pins: PinMap): Board {
  return {
    clock: new EspruinoClock(),
    ncu: new EspruinoNcu(pins),
    modem: new EspruinoUart(pins),
    scanner: new NoScanner(),
    printer: new EspruinoPrinter(pins),
    keypad: new EspruinoKeypad(pins),
    lcd: new EspruinoLcd(pins),
    // The store on an external SPI flash chip when the board has one (its size is the chip's).
    flash: pins.storeChip ? new SpiNorFlash(pins.storeChip) : new EspruinoFlash(pins),
    entropy: new EspruinoEntropy(),
    net: espruinoNet(),
    crypto: espruinoCrypto(),
    log: function (line: string) {
      print(line);
    },
    reboot: function () {
      if (E.reboot) E.reboot();
    },
    // 16 lines of ~60 characters: ~100 variables; the ring's default 256 would grow to ~1,800
    // over a call (docs/ESPRUINO.md, "Memory budget").
    traceLines: 16,
    // 16 frames (4 KB, ~300 variables) instead of 64 (16 KB, ~1,170) during an ECM reception.
    ecmRxFrames: 16,
    // The interpreter decodes a dense page at ~0.14 KB/s on an ESP32 (the line brings 1.8 KB/s):
    // pages are judged by the line scan; a decode slice would hold the CPU for seconds.
    rxDecodeBacklog: 0,
    // ECM keeps up only to 4800 bit/s (HDLC frames in JavaScript, ~30 µs an octet: `npm run
    // bench -- device-receive`); without ECM every coding keeps up at 14400.
    ecmMaxRate: 4800,
    storeMaxDocuments: ESP32_MAX_DOCUMENTS,
  };
}
