// The settings key-value store: small named strings kept as SETTING records in the log (payload:
// name, 0x00, value), the latest record of a name wins and supersedes the older ones. Short values
// are held in RAM (most are a number or a hash); a long one (the settings' JSON, ~1.7 KB: ~120
// variables on the board) is read back from its record when asked for. A value is saved before
// set() returns true.
import type { LogIndex, RecordLog } from './log.ts';
import { REC, bytesText, textBytes } from './layout.ts';

/** Values longer than this stay in flash and are read when asked for. */
const HELD_CHARS = 64;

/** Where the name ends in a SETTING payload (its 0x00 separator, or the end). */
function nameEnd(p: Uint8Array): number {
  let z = 0;
  while (z < p.length && p[z] !== 0) z++;
  return z;
}

export class SettingsIndex implements LogIndex {
  private values: { [name: string]: string } = {};
  private addrs: { [name: string]: number } = {};

  constructor(readonly log: RecordLog) {
    log.attach([REC.SETTING], this);
  }

  clear(): void {
    this.values = {};
    this.addrs = {};
  }

  apply(type: number, key: number, addr: number, p: Uint8Array): void {
    const z = nameEnd(p);
    const name = bytesText(p, 0, z);
    if (this.addrs[name] !== undefined) this.log.kill(this.addrs[name]);
    this.addrs[name] = addr;
    if (p.length - z - 1 <= HELD_CHARS) this.values[name] = bytesText(p, z + 1, p.length);
    else delete this.values[name];
  }

  isLive(type: number, key: number, addr: number, p: Uint8Array): boolean {
    return this.addrs[bytesText(p, 0, nameEnd(p))] === addr;
  }

  reclaimed(): void {}

  /** The latest value of `name`; null when there is none, or its record no longer reads back. */
  get(name: string): string | null {
    const v = this.values[name];
    if (v !== undefined) return v;
    const a = this.addrs[name];
    if (a === undefined) return null;
    const p = this.log.payload(a);
    return p ? bytesText(p, nameEnd(p) + 1, p.length) : null;
  }

  /**
   * Save a named value (latest wins). False when even the settings reserve is used up, or when
   * the value does not fit in one record (a sector's worth): refused, never thrown, so a caller
   * with an outsized value (settings with many boxes) reports it instead of faulting.
   */
  set(name: string, value: string): boolean {
    if (this.get(name) === value) return true;
    const p = textBytes(name + '\u0000' + value);
    if (p.length > this.log.maxPayload()) return false;
    return this.log.append(REC.SETTING, 0, p, 'meta') >= 0;
  }

  names(): string[] {
    return Object.keys(this.addrs);
  }
}
