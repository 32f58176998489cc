// The keypad of the simulated board, and the `--keys` script language:
//   tokens separated by spaces; a key name (0-9 * # MENU OK BACK UP DOWN START STOP BOX REPORT
//   SPEED); a run of digits (`1234` = four key presses); `wait:2s` / `wait:500ms` / `wait:1m`
//   to let time pass; `paper:out` / `paper:in` for the printer; `show` to print the LCD.
import type { Keypad, KeyName } from '../../hal/keypad.ts';
import { KEY_NAMES } from '../../hal/keypad.ts';

export class SimKeypad implements Keypad {
  onKey: ((key: KeyName) => void) | null = null;
  press(key: KeyName): void {
    if (this.onKey) this.onKey(key);
  }
}

export type KeyStep =
  | { kind: 'key'; key: KeyName }
  | { kind: 'wait'; ms: number }
  | { kind: 'paper'; present: boolean }
  | { kind: 'show' };

/** Parse a key script; throws an Error naming the bad token. */
export function parseKeyScript(script: string): KeyStep[] {
  const steps: KeyStep[] = [];
  for (const raw of script.split(/[\s,]+/).filter(Boolean)) {
    const tok = raw.toUpperCase();
    const wait = /^WAIT:(\d+(?:\.\d+)?)(MS|S|M)?$/.exec(tok);
    if (wait) {
      const n = Number(wait[1]);
      const unit = wait[2] || 'S';
      steps.push({ kind: 'wait', ms: Math.round(unit === 'MS' ? n : unit === 'M' ? n * 60000 : n * 1000) });
    } else if (tok === 'PAPER:OUT' || tok === 'PAPER:IN') {
      steps.push({ kind: 'paper', present: tok === 'PAPER:IN' });
    } else if (tok === 'SHOW') {
      steps.push({ kind: 'show' });
    } else if (/^[0-9*#]+$/.test(tok)) {
      for (const ch of tok) steps.push({ kind: 'key', key: ch as KeyName });
    } else if ((KEY_NAMES as string[]).includes(tok)) {
      steps.push({ kind: 'key', key: tok as KeyName });
    } else {
      throw new Error(`unknown key '${raw}' in --keys (keys: ${KEY_NAMES.join(' ')}; also wait:2s, paper:out, paper:in, show)`);
    }
  }
  return steps;
}
