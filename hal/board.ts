// Everything the firmware may touch, handed to it at boot. The simulator, a laptop with a USB
// modem (hal/node) and an Espruino board (hal/espruino) each build one of these.
import type { Clock } from './clock.ts';
import type { Ncu } from './ncu.ts';
import type { Uart } from './uart.ts';
import type { Scanner } from './scanner.ts';
import type { Printer } from './printer.ts';
import type { Keypad } from './keypad.ts';
import type { Lcd } from './lcd.ts';
import type { Flash } from './flash.ts';
import type { Entropy } from './entropy.ts';
import type { Net } from './net.ts';
import type { CryptoAccel } from './crypto.ts';
import type { KeyStore } from './keystore.ts';

export interface Board {
  clock: Clock;
  ncu: Ncu;
  modem: Uart;
  scanner: Scanner;
  printer: Printer;
  keypad: Keypad;
  lcd: Lcd;
  flash: Flash;
  entropy: Entropy;
  net: Net | null;
  crypto: CryptoAccel | null;
  /** Secrets kept apart from the data flash (hal/keystore.ts); absent: a flash record is used. */
  keyStore?: KeyStore | null;
  /** Debug/trace output (the console on a laptop, the USB console on a board). */
  log: (line: string) => void;
  /** Restart the whole program (the kernel's fault policy of last resort). */
  reboot: () => void;
  /**
   * Trace lines the kernel keeps (its ring, read by the status page and after a fault; default
   * 256). A board keeps few: on the interpreter each line is several variables.
   */
  traceLines?: number;
  /**
   * Received ECM frames kept past a gap (of 256 octets each; default 64, 16 KB held during an
   * ECM reception). Fewer cost only repeats after PPR when the line loses frames.
   */
  ecmRxFrames?: number;
  /**
   * Octets of received page data (no ECM) held for the full decode behind the line (default 64
   * KB). A board whose decode runs far slower than the line sets 0: its pages are judged by the
   * line scan alone, and no decode slice takes the CPU the receive path needs (docs/FAX-LINE.md).
   */
  rxDecodeBacklog?: number;
  /**
   * The highest line rate at which this board keeps up with an ECM reception (its HDLC frames are
   * found in JavaScript). With fax.maxRate above it the DIS offers no ECM: a sender would lose
   * most of each block and repeat it. Absent: ECM at any rate.
   */
  ecmMaxRate?: number;
  /**
   * Documents the store keeps at most (each one's index costs RAM: ~62 variables for three pages
   * on the interpreter, docs/ESPRUINO.md). At the cap the store counts as full: a reception is
   * refused as on a full memory until documents are fetched, printed or deleted. Absent: no cap.
   */
  storeMaxDocuments?: number;
}
