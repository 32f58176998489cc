// An ESC/POS thermal print mechanism on a UART: each fax line is sent as a one-line raster
// image (GS v 0). The head is 216 mm at 8 dots/mm = 1728 dots, the fax width; wider lines
// (B4, A3) arrive already reduced by the page transformations.
import type { Printer, PrintPageInfo } from '../printer.ts';
import type { PinMap } from './pins.ts';

const HEAD_BYTES = 216; // 1728 dots

export class EspruinoPrinter implements Printer {
  onPaper: ((present: boolean) => void) | null = null;
  private serial: any;
  private pins: PinMap;
  private inPage = false;

  constructor(pins: PinMap) {
    this.pins = pins;
    // A hardware UART of its own (not the console's: pins.ts).
    this.serial = (global as any)[pins.printerUart];
    this.serial.setup(115200, { tx: pins.printerTx, rx: pins.printerRx });
    pinMode(pins.paperSensor, 'input');
    const self = this;
    setWatch(function (e) {
      if (self.onPaper) self.onPaper(!e.state);
    }, pins.paperSensor, { repeat: true, edge: 'both', debounce: 50 });
  }
  paperPresent(): boolean {
    return digitalRead(this.pins.paperSensor) === 0;
  }
  beginPage(info: PrintPageInfo): boolean {
    if (!this.paperPresent()) return false;
    this.inPage = true;
    this.serial.write([0x1b, 0x40]); // ESC @: initialise
    return true;
  }
  line(row: Uint8Array): boolean {
    if (!this.inPage || !this.paperPresent()) return false;
    const n = row.length < HEAD_BYTES ? row.length : HEAD_BYTES;
    // GS v 0 m xL xH yL yH: raster bit image, n bytes wide, 1 line.
    this.serial.write([0x1d, 0x76, 0x30, 0, n & 0xff, n >> 8, 1, 0]);
    this.serial.write(row.subarray(0, n));
    return true;
  }
  endPage(): boolean {
    if (!this.inPage) return false;
    this.inPage = false;
    this.serial.write([0x1b, 0x64, 4]); // ESC d 4: feed, then the cutter
    this.serial.write([0x1d, 0x56, 1]);
    return this.paperPresent();
  }
}
