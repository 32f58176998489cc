// The simulator in a terminal (`faxvault sim` live): raw key input decoded into panel keys, and
// the screen — the LCD, the key hint, and a status area under it with the last events (call
// results with page counts, printed pages with their files, faults) so nothing that happened
// is overwritten by the next LCD redraw. On exit a summary says what the run did.
import type { KeyName } from '../hal/keypad.ts';
import { renderScreen } from './board/lcd.ts';
import type { StoreCapacity } from '../firmware/store/index.ts';
import { sizeText } from '../firmware/store/index.ts';

/** Single-byte keys (a raw terminal sends one byte per key, several when typed fast or pasted). */
const BYTE_KEYS: { [ch: string]: KeyName } = {
  '\r': 'OK', '\n': 'OK', '\x7f': 'BACK', '\b': 'BACK',
  m: 'MENU', s: 'START', b: 'BOX', r: 'REPORT', p: 'SPEED',
};

/** CSI / SS3 sequences (ECMA-48 §5.4): arrows in normal and application cursor mode. */
const ESCAPE_KEYS: { [seq: string]: KeyName } = {
  '\x1b[A': 'UP', '\x1b[B': 'DOWN', '\x1bOA': 'UP', '\x1bOB': 'DOWN',
};

export type TerminalInput = { kind: 'key'; key: KeyName } | { kind: 'quit' };

/**
 * Turns the bytes of a raw terminal into keys: every key of a chunk (a paste of "56" is two
 * keys), and escape sequences even when a read splits them. A lone ESC is STOP, but only once
 * no more bytes follow within `escWaitMs` (the caller calls flush() then), since ESC is also
 * the start of an arrow key's sequence.
 */
export class KeyDecoder {
  private pending = '';

  feed(chunk: string): TerminalInput[] {
    const out: TerminalInput[] = [];
    let s = this.pending + chunk;
    this.pending = '';
    while (s.length > 0) {
      const c = s.charAt(0);
      if (c === '\x1b') {
        if (s.length === 1) {
          this.pending = s; // maybe the start of a sequence: wait for the rest (or flush)
          break;
        }
        const n = s.charAt(1);
        if (n === '[' || n === 'O') {
          // CSI: parameters and intermediates 0x20–0x3f, then one final byte 0x40–0x7e.
          let i = 2;
          while (i < s.length && s.charCodeAt(i) >= 0x20 && s.charCodeAt(i) <= 0x3f) i++;
          if (i >= s.length) {
            this.pending = s; // split across reads
            break;
          }
          const seq = s.substring(0, i + 1);
          if (ESCAPE_KEYS[seq]) out.push({ kind: 'key', key: ESCAPE_KEYS[seq] });
          s = s.substring(i + 1);
          continue;
        }
        out.push({ kind: 'key', key: 'STOP' }); // ESC then another key: ESC was STOP
        s = s.substring(1);
        continue;
      }
      s = s.substring(1);
      if (c === 'q' || c === '\x03') {
        out.push({ kind: 'quit' });
        continue;
      }
      const k = BYTE_KEYS[c] ?? (/^[0-9*#]$/.test(c) ? (c as KeyName) : null);
      if (k) out.push({ kind: 'key', key: k });
    }
    return out;
  }

  /** True when a lone ESC is waiting (flush() after a short pause makes it STOP). */
  waiting(): boolean {
    return this.pending.length > 0;
  }

  /** No more bytes came: whatever is pending is a lone ESC, i.e. STOP. */
  flush(): TerminalInput[] {
    const had = this.pending;
    this.pending = '';
    return had === '\x1b' ? [{ kind: 'key', key: 'STOP' }] : [];
  }
}

export const KEY_HINT =
  'keys: 0-9 * #  Enter=OK  Backspace=BACK  Esc=STOP  arrows=UP/DOWN\n' +
  '      m=MENU  b=BOX  r=REPORT  s=START  p=SPEED  q=quit';

/** The last events of a live run and the totals for the summary at exit. */
export class EventLog {
  readonly lines: string[] = [];
  calls = 0;
  printed: string[] = [];
  faults = 0;

  constructor(readonly keep = 6) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.keep) this.lines.shift();
  }

  call(summary: string): void {
    this.calls++;
    this.add(summary);
  }

  page(file: string | null): void {
    if (file) this.printed.push(file);
    this.add('printed ' + (file ?? 'a page (no --data: not kept)'));
  }

  fault(text: string): void {
    this.faults++;
    this.add('fault: ' + text);
  }

  summary(): string[] {
    const out = [`${this.calls} call${this.calls === 1 ? '' : 's'}, ${this.printed.length} page${this.printed.length === 1 ? '' : 's'} printed, ${this.faults} fault${this.faults === 1 ? '' : 's'}`];
    if (this.printed.length) out.push('printed: ' + this.printed.join(' '));
    return out;
  }
}

/** The whole live screen: LCD, key hint, footer (web panel address…), the last events. */
export function liveScreen(lcd: string[], events: EventLog, footer: string): string {
  const parts = [renderScreen(lcd), KEY_HINT];
  if (footer) parts.push(footer.replace(/\n$/, ''));
  parts.push('-- last events ' + '-'.repeat(30));
  parts.push(events.lines.length ? events.lines.join('\n') : '(none yet)');
  return parts.join('\n') + '\n';
}

/** The store's size and room, for the status area and the summary at exit. */
export function memoryLine(c: StoreCapacity): string {
  return `memory: ${sizeText(c.flashBytes)} flash, ${c.percent}% used, room for about ${c.freePages} more page${c.freePages === 1 ? '' : 's'} of typed text (${c.totalPages} when empty)`;
}
