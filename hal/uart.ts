// The modem's serial port (ECMA-419 style: callbacks only post, reads and writes never block).

export interface Uart {
  /** Queue bytes for the modem; returns how many were accepted (0 when the transmit buffer is full). */
  write(bytes: Uint8Array): number;
  /** Take up to `max` received bytes (an empty array when none). */
  read(max: number): Uint8Array;
  /** Bytes waiting to be read. */
  readable(): number;
  /** Called when bytes arrive (after `readable()` went from 0 to more). */
  onReadable: (() => void) | null;
  /** Called when the transmit buffer has room again after a short write. */
  onWritable: (() => void) | null;
  /** DTR line: dropping it makes a Class 1 modem hang up (V.250 &D2). */
  setDtr(on: boolean): void;
  /** The UART honours XON/XOFF from the modem (a pty or TCP link has no CTS). */
  setXonXoff(on: boolean): void;
  /**
   * A call starts receiving (true) or is hung up (false). Optional: a board's UART keeps small
   * buffers between calls, when only result codes and RING come, and full ones for page data.
   */
  inCall?(on: boolean): void;
}
