// The appliance: builds the active objects on a Board and starts the kernel. The same code runs
// on the simulated board, a laptop with a modem (hal/node) and an Espruino board (hal/espruino).
// Priorities (higher first): line/T.30 timing work must never wait behind slow jobs, the panel
// answers keys, long jobs (printing, crypto) come last and run in slices.
import type { Board } from '../../hal/board.ts';
import { Kernel } from '../kernel/index.ts';
import type { Settings } from '../config/settings.ts';
import { Panel, STATUS, SET_TIME } from '../panel/index.ts';
import type { PanelStatus } from '../panel/index.ts';

export const PRIO = {
  modem: 60,
  t30: 50,
  store: 40,
  mailbox: 30,
  panel: 20,
  printer: 10,
  jobs: 5,
};

export interface Appliance {
  kernel: Kernel;
  panel: Panel;
  settings: Settings;
  /** Status shown on the idle screen; concerns update the fields they own. */
  status: ApplianceStatus;
  /** Calls finished since boot (the fax line counts them; `faxvault sim --exit-after-calls`). */
  callsEnded: number;
  /** Told after each call with the call's journal line (the simulator prints it). */
  onCallEnd: ((summary: string) => void) | null;
}

export class ApplianceStatus implements PanelStatus {
  line = 'IDLE';
  memory = 0;
  waiting = 0;
  lineState(): string {
    return this.line;
  }
  memoryPercent(): number {
    return this.memory;
  }
  waitingConfidential(): number {
    return this.waiting;
  }
}

export function createAppliance(board: Board, settings: Settings): Appliance {
  const kernel = new Kernel(board.clock, { reboot: board.reboot });
  const status = new ApplianceStatus();
  const panel = new Panel(PRIO.panel, board.lcd, board.clock, status, settings.panel.utcOffsetMinutes);
  panel.addItem('Status', STATUS);
  panel.addItem('Date/time', SET_TIME);
  kernel.add(panel);
  board.keypad.onKey = function (key) {
    panel.post({ sig: 'KEY', key: key } as { sig: string });
  };
  return { kernel: kernel, panel: panel, settings: settings, status: status, callsEnded: 0, onCallEnd: null };
}

/** Start every object; from here on the board's clock drives the kernel. */
export function startAppliance(app: Appliance): void {
  app.kernel.trace('app', 'boot ' + app.settings.station.name);
  app.kernel.start();
}
