// What the panel's appliance dialogs use: the store, the mailbox, the spooler, the scanner path
// and the settings. The appliance attaches them once at boot (attachServices); the dialogs reach
// them through services(me).
import type { SendQueue } from '../jobs/index.ts';
import type { Entropy } from '../../hal/entropy.ts';
import type { Settings } from '../config/settings.ts';
import type { Store } from '../store/index.ts';
import type { Mailbox } from '../mailbox/index.ts';
import type { Spooler } from '../print/spooler.ts';
import type { ScanAgent } from '../scan/index.ts';
import type { Panel } from './panel.ts';

export interface PanelServices {
  store: Store;
  mailbox: Mailbox;
  spooler: Spooler;
  scanner: ScanAgent;
  entropy: Entropy;
  settings: () => Settings;
  /** Keep the settings (changed in place) in the store; false when it could not. */
  saveSettings: () => boolean;
  /** Hand a stored document to the fax line to send to `number`; false when the line is busy. */
  sendDocument: (id: number, number: string) => boolean;
}

interface WithServices {
  services: PanelServices | null;
}

export function attachServices(panel: Panel, s: PanelServices): void {
  (panel as unknown as WithServices).services = s;
}

export function services(me: Panel): PanelServices {
  const s = (me as unknown as WithServices).services;
  if (!s) throw new Error('panel: appliance services not attached');
  return s;
}

/** `****` for a code being typed. */
export function mask(entry: string): string {
  let s = '';
  for (let i = 0; i < entry.length; i++) s += '*';
  return s;
}

/** "2 min", "45 s", "3 h" for a remaining lock time. */
export function fmtWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return s + ' s';
  const m = Math.ceil(s / 60);
  if (m < 60) return m + ' min';
  return Math.ceil(m / 60) + ' h';
}

/** Digits and BACK editing shared by the entry dialogs; true when the key was used. */
export function editDigits(me: Panel, key: string, max: number): boolean {
  if (key >= '0' && key <= '9') {
    if (me.entry.length < max) me.entry += key;
    return true;
  }
  if (key === 'BACK' && me.entry.length > 0) {
    me.entry = me.entry.substring(0, me.entry.length - 1);
    return true;
  }
  return false;
}

interface WithQueue {
  sendQueue: SendQueue | null;
}

/** The appliance gives the panel its send queue once at boot (the queue screen shows it). */
export function attachQueue(panel: Panel, q: SendQueue): void {
  (panel as unknown as WithQueue).sendQueue = q;
}

export function queueAttached(panel: Panel): SendQueue | null {
  return (panel as unknown as WithQueue).sendQueue || null;
}
