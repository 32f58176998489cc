// The simulated board: every HAL device of hal/board.ts, emulated. Virtual time by default
// (deterministic, whole calls in milliseconds), real time on request.
//   const sim = createSimBoard({ dataDir, seed: 'test' });
//   sim.board → Board for the firmware; sim.lcd, sim.keys, sim.printer, sim.scanner, sim.flash,
//   sim.clock (VirtualClock: runUntil/runFor/runUntilIdle) for the test or the CLI.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Board } from '../../hal/board.ts';
import type { Ncu } from '../../hal/ncu.ts';
import type { Uart } from '../../hal/uart.ts';
import type { Net } from '../../hal/net.ts';
import { VirtualClock } from '../../firmware/kernel/virtual-clock.ts';
import { RealClock } from '../../hal/node/clock.ts';
import { SimLcd } from './lcd.ts';
import { SimKeypad } from './keypad.ts';
import { SimFlash } from './flash.ts';
import { SimPrinter } from './printer.ts';
import { SimScanner } from './scanner.ts';
import { SeededEntropy, OsEntropy } from './entropy.ts';
import { SimKeyStore } from './key-store.ts';
import { unpluggedNcu, silentUart } from './unplugged.ts';
import { createLine } from '../line/index.ts';
import { LoopbackLan } from './net.ts';
import type { SimLine, AttachedModem } from '../line/index.ts';

export interface SimBoardOptions {
  /** Folder for the flash image (flash.bin) and printed pages (printer/). None: all in memory. */
  dataDir?: string | null;
  realtime?: boolean;
  /** Calendar time at boot (Unix ms); default: the host's current time. */
  wallStart?: number;
  /** Seed for the entropy source; none: the OS generator. */
  seed?: string;
  /** Sectors of the board's flash (the store's size); default: an existing image's, else 256 (1 MiB). */
  flashSectors?: number;
  flashSectorSize?: number;
  /** Documents the store keeps at most, as a board with little RAM says (hal/board.ts); default none. */
  storeMaxDocuments?: number;
  /**
   * The telephone line. 'virtual' (default): the emulated PSTN of sim/line with a Class 1 modem
   * emulator on the board's modem port, at `lineNumber`; 'none': unplugged; or a modem UART of
   * a real or software modem outside (hal/node serial/TCP).
   */
  line?: 'virtual' | 'none' | Uart;
  /** The appliance's number on the virtual line (default '100'). */
  lineNumber?: string;
  ncu?: Ncu;
  /** The board's network; default in virtual time: host `lanAddress` on the simulated LAN (`sim.lan`). */
  net?: Net | null;
  /** The appliance's address on the simulated LAN (default 'fax.lan'). */
  lanAddress?: string;
  log?: (line: string) => void;
}

export interface SimBoard {
  board: Board;
  clock: VirtualClock | RealClock;
  /** The virtual clock, or null in real-time mode. */
  virtual: VirtualClock | null;
  lcd: SimLcd;
  keys: SimKeypad;
  flash: SimFlash;
  /** The key store apart from the flash (DIR/keystore.json): the device secret lives there. */
  keyStore: SimKeyStore;
  printer: SimPrinter;
  scanner: SimScanner;
  reboots: number;
  /** The emulated line (attach remote fax machines to it), or null with a real modem / none. */
  line: SimLine | null;
  /** The board's own modem on the emulated line. */
  modem: AttachedModem | null;
  /** The simulated LAN in virtual time (client computers join it with lan.host(address)), else null. */
  lan: LoopbackLan | null;
}

export function createSimBoard(opts: SimBoardOptions = {}): SimBoard {
  const wall = opts.wallStart ?? Date.now();
  const virtual = opts.realtime ? null : new VirtualClock(wall, () => performance.now());
  const clock = virtual ?? new RealClock();
  if (!virtual) clock.setWall(wall);
  const dir = opts.dataDir ?? null;
  if (dir) mkdirSync(dir, { recursive: true });
  const lcd = new SimLcd(() => clock.now());
  const keys = new SimKeypad();
  const flash = new SimFlash({
    sectorSize: opts.flashSectorSize ?? 4096,
    sectorCount: opts.flashSectors,
    file: dir ? join(dir, 'flash.bin') : undefined,
  });
  const keyStore = new SimKeyStore(dir ? join(dir, 'keystore.json') : null);
  const printer = new SimPrinter(dir ? join(dir, 'printer') : null);
  const lineChoice = opts.line ?? 'virtual';
  const line = lineChoice === 'virtual' ? createLine(clock) : null;
  const attached = line ? line.attachModem(opts.lineNumber ?? '100', { baud: 115200 }) : null;
  const modemUart: Uart = attached ? attached.uart : typeof lineChoice === 'object' ? lineChoice : silentUart();
  const scanner = new SimScanner();
  const lan = virtual ? new LoopbackLan(virtual) : null;
  const sim: SimBoard = {
    board: null as unknown as Board,
    clock,
    virtual,
    lcd,
    keys,
    flash,
    keyStore,
    printer,
    scanner,
    reboots: 0,
    line,
    modem: attached,
    lan,
  };
  sim.board = {
    clock,
    ncu: opts.ncu ?? (attached ? attached.ncu : unpluggedNcu()),
    modem: modemUart,
    scanner,
    printer,
    keypad: keys,
    lcd,
    flash,
    entropy: opts.seed !== undefined ? new SeededEntropy(opts.seed) : new OsEntropy(),
    net: opts.net !== undefined ? opts.net : lan ? lan.host(opts.lanAddress ?? 'fax.lan') : null,
    crypto: null,
    keyStore,
    log: opts.log ?? (() => {}),
    storeMaxDocuments: opts.storeMaxDocuments,
    reboot: () => {
      sim.reboots++;
    },
  };
  return sim;
}
