// The one way tests build the appliance: the whole firmware (createAppliance through the
// simulator's session) on the simulated board, in virtual time from a fixed date, with settings
// given as the JSON a settings file holds. The helpers every end-to-end test needs go with it:
// keys at the panel, the LCD, a remote fax machine's call run to its end.
//
//   const s = bootAppliance({ boxes: [{ number: '12', code: '471100' }] }, { seed: 'my-test' });
//   const far = remoteCall(s, [page], { sub: '12' }, { settleMs: 20000 });
//   keys(s, 'BOX 12 OK 471100 OK wait:20s');
//   assert.equal(lcd(s), ['…', '…']);
//
// Every option of the simulator's session (dataDir, line, applianceKey, out/trace, wallStart)
// passes through; `seed` is required so that each test's entropy (code hashes, keys) is its own.
import { startSession } from '../../sim/session.ts';
import type { Session, SessionOptions, RemoteSendOptions } from '../../sim/session.ts';
import { parseKeyScript } from '../../sim/board/keypad.ts';
import { validateSettings } from '../../firmware/app/settings.ts';
import type { Settings } from '../../firmware/config/settings.ts';
import type { Bitmap } from '../../host/image/bitmap.ts';
import type { RemoteFax } from '../../sim/line/index.ts';

export type { Session };

/** The tests' calendar time at boot: 25 November 2026, 09:00 UTC. */
export const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

/** Settings from the JSON of a settings file; every error named when it is refused. */
export function settingsFrom(json: object): Settings {
  const r = validateSettings(json);
  if (!r.settings) throw new Error(r.errors.join('; '));
  return r.settings;
}

export interface BootOptions extends Partial<Omit<SessionOptions, 'settings' | 'seed'>> {
  seed: string;
}

/** The appliance booted on the simulated board (in memory unless `dataDir`), the clock at T0. */
export function bootAppliance(json: object, opts: BootOptions): Session {
  return startSession({ wallStart: T0, dataDir: null, ...opts, settings: settingsFrom(json) });
}

/** Keys at the panel (sim/board/keypad.ts names: `BOX 12 OK 4711 OK wait:3s`), in virtual time. */
export function keys(s: Session, script: string): void {
  s.runScript(parseKeyScript(script));
}

/** The LCD's two lines without their trailing blanks. */
export function lcd(s: Session): string[] {
  return s.sim.lcd.lines.map((l) => l.trimEnd());
}

/**
 * Let virtual time run, a second at a time, until a call ends or `limitMs` has passed; then
 * `settleMs` more (printing, delivery). False when no call ended.
 */
export function untilCallEnds(s: Session, o: { limitMs?: number; settleMs?: number } = {}): boolean {
  const start = s.app.callsEnded;
  const end = s.sim.clock.now() + (o.limitMs ?? 600000);
  while (s.app.callsEnded === start && s.sim.clock.now() < end) s.runFor(1000);
  const ended = s.app.callsEnded !== start;
  if (o.settleMs) s.runFor(o.settleMs);
  return ended;
}

/** A remote fax machine on the emulated line calls the appliance with `pages`; runs the call to its end. */
export function remoteCall(s: Session, pages: Bitmap[], send: RemoteSendOptions = {}, o: { limitMs?: number; settleMs?: number } = {}): RemoteFax {
  const far = s.remoteSends(pages, send);
  untilCallEnds(s, o);
  return far;
}
