// A board with no telephone line attached: the NCU sees no loop current and the modem port
// stays silent (as a modem with its cable pulled would). Used when a simulation needs no line.
import type { Ncu } from '../../hal/ncu.ts';
import type { Uart } from '../../hal/uart.ts';

export function unpluggedNcu(): Ncu {
  let off = false;
  return {
    setOffHook: (v: boolean) => {
      off = v;
    },
    isOffHook: () => off,
    lineCurrent: () => false,
    onRing: null,
  };
}

export function silentUart(): Uart {
  return {
    write: (b: Uint8Array) => b.length,
    read: () => new Uint8Array(0),
    readable: () => 0,
    onReadable: null,
    onWritable: null,
    setDtr: () => {},
    setXonXoff: () => {},
  };
}
