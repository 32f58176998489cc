// End-to-end helpers: an appliance session on the simulated board with box 12, remote fax
// machines on the emulated line, printed pages compared with what was sent.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSession } from '../../../sim/session.ts';
import type { Session } from '../../../sim/session.ts';
import { parseKeyScript } from '../../../sim/board/keypad.ts';
import { validateSettings } from '../../../firmware/app/settings.ts';
import type { Bitmap } from '../../../host/image/bitmap.ts';
import type { PrintedPage } from '../../../sim/board/printer.ts';
import { testPage } from '../../firmware/print/helpers.ts';
import { Kernel } from '../../../firmware/kernel/index.ts';
import { Class1 } from '../../../firmware/fax/class1/driver.ts';
import { T30Session, defaultCaps, defaultPolicy } from '../../../firmware/fax/t30/index.ts';
import type { JournalRecord, PageInfo } from '../../../firmware/fax/t30/index.ts';

export const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

export function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'fv-appliance-'));
}

export function settingsJson() {
  return {
    station: { ident: '+49 30 1234567', name: 'Office 3', number: '301234567' },
    fax: { ringsBeforeAnswer: 1, unknownSub: 'ordinary' },
    panel: { adminCode: '9999' },
    boxes: [{ number: '12', owner: 'ann@example.com', code: '4711' }],
  };
}

export function boot(dir: string | null, wallStart = T0): Session {
  const r = validateSettings(settingsJson());
  if (!r.settings) throw new Error(r.errors.join('; '));
  return startSession({ settings: r.settings, wallStart, seed: 'e2e', dataDir: dir });
}

/** A page as a remote would scan it: fine resolution, generated shapes. */
export function page(seed: number, height = 400): Bitmap {
  const rows = testPage(1728, height, seed);
  const data = new Uint8Array(216 * height);
  rows.forEach((r, y) => data.set(r, y * 216));
  return { width: 1728, height, xDpi: 204, yDpi: 196, data };
}

export function samePage(want: Bitmap, got: PrintedPage): string | null {
  if (got.width !== want.width) return 'width ' + got.width;
  if (got.rows.length !== want.height) return 'height ' + got.rows.length + ', sent ' + want.height;
  for (let y = 0; y < want.height; y++) {
    const a = want.data.subarray(y * 216, (y + 1) * 216);
    if (Buffer.compare(Buffer.from(a), Buffer.from(got.rows[y])) !== 0) return 'row ' + y + ' differs';
  }
  return null;
}

/** Run until the remote's call is over and the appliance has settled (printing included). */
export function runCall(s: Session, limitMs = 600000): void {
  const end = s.sim.clock.now() + limitMs;
  const start = s.app.callsEnded;
  while (s.app.callsEnded === start && s.sim.clock.now() < end) s.runFor(1000);
  s.runFor(20000);
}

export function keys(s: Session, script: string): void {
  s.runScript(parseKeyScript(script));
}

export interface FarReceiver {
  pages: { info: PageInfo; data: Uint8Array; confirmed: boolean }[];
  journal: JournalRecord[];
}

/** Another firmware fax terminal on the session's line at `number`, answering and receiving. */
export function farReceiver(s: Session, number: string): FarReceiver {
  const m = s.sim.line!.attachModem(number, {});
  const kernel = new Kernel(s.sim.virtual!, { faultPolicy: 'halt' });
  const out: FarReceiver = { pages: [], journal: [] };
  let cur: { info: PageInfo; bytes: number[] } | null = null;
  const c1 = new Class1(m.uart, 2);
  const fax = new T30Session(c1, 1, {
    ident: '+33 1 555',
    caps: defaultCaps(),
    policy: defaultPolicy(),
    autoAnswerRings: 1,
    ecmBlockFrames: 64,
    sink: {
      pageStart(info) {
        cur = { info: { ...info }, bytes: [] };
        return null;
      },
      pageData(b) {
        for (const x of b) cur!.bytes.push(x);
        return null;
      },
      pageEnd(confirmed) {
        out.pages.push({ info: cur!.info, data: new Uint8Array(cur!.bytes), confirmed });
        return null;
      },
    },
    onCallEnd: (r) => out.journal.push(r),
  });
  kernel.add(c1);
  kernel.add(fax);
  kernel.start();
  return out;
}
