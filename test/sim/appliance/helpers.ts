// End-to-end helpers: an appliance session on the simulated board with box 12 (the shared rig,
// test/rig/appliance.ts), remote fax machines on the emulated line, printed pages compared with
// what was sent.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bitmap } from '../../../host/image/bitmap.ts';
import type { PrintedPage } from '../../../sim/board/printer.ts';
import { testPage } from '../../firmware/print/helpers.ts';
import type { JournalRecord } from '../../../firmware/fax/t30/index.ts';
import { bootAppliance, untilCallEnds, T0 } from '../../rig/appliance.ts';
import type { Session } from '../../rig/appliance.ts';
import { faxStation } from '../../rig/fax-station.ts';
import type { StoredPage } from '../../rig/fax-station.ts';

export { T0, keys } from '../../rig/appliance.ts';

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
  return bootAppliance(settingsJson(), { wallStart, seed: 'e2e', dataDir: dir });
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
  untilCallEnds(s, { limitMs, settleMs: 20000 });
}

export interface FarReceiver {
  pages: StoredPage[];
  journal: JournalRecord[];
}

/** Another firmware fax terminal on the session's line at `number`, answering and receiving. */
export function farReceiver(s: Session, number: string): FarReceiver {
  const st = faxStation(s.sim.line!, s.sim.virtual!, number, { ident: '+33 1 555' });
  return { pages: st.stored, journal: st.journal };
}
