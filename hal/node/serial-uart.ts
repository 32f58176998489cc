// A Class 1 modem on a serial device or a pseudo-terminal, as a hal/uart.ts Uart, through the
// `serialport` npm package. serialport opens ptys too (checked against the SpanDSP peer's pty),
// but a pty has no modem lines: setting DTR fails there with ENOTTY, which is ignored (on a pty
// the peer learns of a hang-up from ATH or from the DTE closing the device).
import { SerialPort } from 'serialport';
import { StreamUart } from './stream-uart.ts';

export interface SerialUartOptions {
  path: string;
  baudRate?: number;
  onError?: (err: Error) => void;
}

export class SerialUart extends StreamUart {
  private port: SerialPort;
  private open = false;
  /** Resolves when the device is open. */
  readonly ready: Promise<void>;

  constructor(private readonly opts: SerialUartOptions) {
    super();
    this.port = new SerialPort({ path: opts.path, baudRate: opts.baudRate ?? 115200, autoOpen: false, rtscts: false, xon: false, xoff: false });
    this.ready = new Promise((resolve, reject) => {
      this.port.open((err) => {
        if (err) {
          reject(err);
          return;
        }
        this.open = true;
        resolve();
        this.drained();
      });
    });
    this.port.on('data', (d: Buffer) => this.received(d));
    this.port.on('drain', () => this.drained());
    this.port.on('error', (e: Error) => {
      if (this.opts.onError) this.opts.onError(e);
    });
  }

  protected linkUp(): boolean {
    return this.open;
  }

  protected sink(bytes: Buffer): boolean {
    if (!this.open) return false;
    return this.port.write(bytes);
  }

  setDtr(on: boolean): void {
    if (!this.open) return;
    this.port.set({ dtr: on }, () => {
      // ENOTTY on a pty: no modem control lines there.
    });
  }

  close(): Promise<void> {
    if (!this.open) return Promise.resolve();
    this.open = false;
    return new Promise((resolve) => this.port.close(() => resolve()));
  }
}
