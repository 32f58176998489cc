// One simulator run: a simulated board, the appliance on it, keys from a script or the
// terminal, the LCD shown as it changes. Used by `faxvault sim` and by end-to-end tests.
import type { Settings } from '../firmware/config/settings.ts';
import { createAppliance, startAppliance, PRIO } from '../firmware/app/appliance.ts';
import { attachStatusPage } from '../firmware/admin/attach.ts';
import type { Appliance } from '../firmware/app/appliance.ts';
import { fmtTime } from '../firmware/kernel/trace.ts';
import { createSimBoard } from './board/index.ts';
import { Store } from '../firmware/store/index.ts';
import { provisionKey } from '../firmware/delivery/keys.ts';
import type { SimBoard, SimBoardOptions } from './board/index.ts';
import type { KeyStep } from './board/keypad.ts';
import { renderScreen } from './board/lcd.ts';
import type { RemoteFax } from './line/index.ts';
import type { Bitmap } from '../host/image/bitmap.ts';
import { codePage } from '../host/image/tiff.ts';

export interface SessionOptions extends SimBoardOptions {
  settings: Settings;
  /** Print each LCD screen as it changes (scripted runs) — or nothing. */
  out?: (line: string) => void;
  /** Echo the kernel trace (frames, transitions) live. */
  trace?: boolean;
  /** The appliance's FAXNIKS key (POLY), provisioned into the flash store before boot (`sim --key`). */
  applianceKey?: { identity: string; epoch: number; share: Uint8Array };
}

export interface Session {
  sim: SimBoard;
  app: Appliance;
  /** Run key-script steps in virtual time; `gapMs` between key presses. */
  runScript(steps: KeyStep[], gapMs?: number): void;
  /** Let virtual time pass. */
  runFor(ms: number): void;
  /** Every distinct screen so far, as `time |line0|line1|`. */
  screens(): string[];
  /**
   * A remote fax machine on the emulated line calls the appliance and sends these pages (MH, fine,
   * as a plain Group 3 machine would), with SUB/password when given.
   */
  remoteSends(pages: Bitmap[], opts?: RemoteSendOptions): RemoteFax;
}

export interface RemoteSendOptions {
  ident?: string;
  sub?: string;
  pwd?: string;
  ecm?: boolean;
  coding?: 'MH' | 'MR' | 'MMR';
  /** Start the call this long after now (ms of line time). */
  startAfterMs?: number;
}

export function startSession(opts: SessionOptions): Session {
  const sim = createSimBoard(opts);
  const out = opts.out ?? null;
  sim.board.log = out ?? (() => {});
  if (opts.applianceKey) {
    const st = new Store(sim.board.flash);
    st.mount();
    if (!provisionKey(st, opts.applianceKey.identity, opts.applianceKey.epoch, opts.applianceKey.share)) throw new Error('the flash store refused the key');
  }
  const app = createAppliance(sim.board, opts.settings);
  // The plain-HTTP status page (settings http.port, off by default): host builds only.
  attachStatusPage(app.kernel, sim.board, opts.settings, app.store, app.mailbox, app.status, PRIO.http);
  if (opts.trace && out) app.kernel.tracer.sink = (l) => out('  ' + l);
  if (out) {
    sim.lcd.onChange = () => {
      // Print the screen once both rows of a dispatch are written: after the current callbacks.
      const t = sim.clock.now();
      sim.board.clock.defer(() => {
        const last = sim.lcd.history[sim.lcd.history.length - 1];
        if (last && last.time === t && printed !== last) {
          printed = last;
          out(`${fmtTime(t).padStart(9)} |${last.lines[0]}|${last.lines[1]}|`);
        }
      });
    };
  }
  let printed: unknown = null;
  let remotes = 0;
  startAppliance(app);
  const v = sim.virtual;
  function need(): NonNullable<typeof v> {
    if (!v) throw new Error('scripted steps need the virtual clock (not --realtime)');
    return v;
  }
  return {
    sim,
    app,
    runScript(steps, gapMs = 300) {
      const clock = need();
      clock.runFor(0);
      for (const s of steps) {
        if (s.kind === 'wait') clock.runFor(s.ms);
        else if (s.kind === 'key') {
          sim.keys.press(s.key);
          clock.runFor(gapMs);
        } else if (s.kind === 'paper') {
          sim.printer.setPaper(s.present);
          clock.runFor(gapMs);
        } else if (s.kind === 'show' && out) out(renderScreen(sim.lcd.lines));
      }
    },
    runFor(ms) {
      need().runFor(ms);
    },
    screens() {
      return sim.lcd.history.map((s) => `${fmtTime(s.time)} |${s.lines[0]}|${s.lines[1]}|`);
    },
    remoteSends(pages, o = {}) {
      if (!sim.line) throw new Error('remoteSends needs the emulated line (--modem virtual)');
      const coding = o.coding ?? 'MH';
      const coded = pages.map((p) => codePage(p, { coding: coding.toLowerCase() as 'mh' | 'mr' | 'mmr', fillOrder: 2, endMarker: true }).data);
      return sim.line.attachRemote(String(200 + remotes++), {
        role: 'send',
        call: opts.lineNumber ?? '100',
        pages: coded,
        ident: o.ident ?? '+49 89 5550123',
        sub: o.sub,
        pwd: o.pwd,
        ecm: o.ecm ?? false,
        coding,
        fine: pages.every((p) => p.yDpi !== 98),
        startAfterMs: o.startAfterMs ?? 0,
      });
    },
  };
}
