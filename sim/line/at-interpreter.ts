// The DTE side of the emulated Class 1 modem: the AT command interpreter as SpanDSP's at_interpreter
// has it (echo, verbose or numeric result codes, S-registers, V.250 and T.31 commands, a line
// stopping at its first unknown command with OK) and the result codes and data it sends back.
// What a command does on the line (answer, dial, the Class 1 transmit and receive commands, a
// byte aborting a receive) is the line-side modem's (class1-modem.ts), which extends this class.
import type { ModemSide } from './serial-link.ts';
import type { Carrier } from './signals.ts';
import { CLASS1_MODULATIONS, CLASS1_MODULATION_LIST } from './signals.ts';

export type AtMode = 'onhook-cmd' | 'offhook-cmd' | 'delivery' | 'hdlc' | 'stuffed' | 'connected';

export const RESULT = {
  OK: 0,
  CONNECT: 1,
  RING: 2,
  NO_CARRIER: 3,
  ERROR: 4,
  NO_DIALTONE: 6,
  BUSY: 7,
  NO_ANSWER: 8,
  FCERROR: 9,
  FRH3: 10,
} as const;
export const RESULT_TEXT: { [code: number]: string } = {
  0: 'OK',
  1: 'CONNECT',
  2: 'RING',
  3: 'NO CARRIER',
  4: 'ERROR',
  5: '???',
  6: 'NO DIALTONE',
  7: 'BUSY',
  8: 'NO ANSWER',
  9: '+FCERROR',
  10: '+FRH:3',
};

export interface Profile {
  echo: boolean;
  verbose: boolean;
  quiet: boolean;
  adaptive: boolean;
  s: number[];
}

export function factoryProfile(): Profile {
  const s = new Array(100).fill(0);
  s[3] = 13;
  s[4] = 10;
  s[5] = 8;
  s[6] = 1;
  s[7] = 60;
  s[8] = 5;
  return { echo: true, verbose: true, quiet: false, adaptive: false, s };
}

/** What ATI0/ATI3 and +GMI/+GMM answer. */
export interface ModemIdents {
  model?: string;
  manufacturer?: string;
}

export abstract class AtInterpreter {
  /** Every result code sent to the DTE, in order (tests read it). */
  readonly results: string[] = [];
  protected p: Profile = factoryProfile();
  protected fclass = 0;
  protected mode: AtMode = 'onhook-cmd';
  protected ringsIndicated = 0;
  protected flow = 4; // &K
  private line: number[] = [];
  private lineStarted = false;

  constructor(
    readonly serial: ModemSide,
    private readonly idents: ModemIdents,
  ) {
    serial.onData = (bytes) => {
      for (let i = 0; i < bytes.length; i++) this.fromDte(bytes[i]);
    };
  }

  // ---- what the line-side modem does for the interpreter -----------------------------------

  protected abstract note(text: string): void;
  /** A byte from the DTE while the modem receives: the receive ends (T.31 §8.3.4). */
  protected abstract abortReceive(c: number): void;
  /** A byte of a V.21 frame (+FTH) or of page data (+FTM) from the DTE. */
  protected abstract hdlcByte(c: number): void;
  protected abstract stuffedByte(c: number): void;
  protected abstract ata(): void;
  protected abstract atd(rest: string): number | null;
  protected abstract localHangup(): void;
  protected abstract startFlush(): void;
  protected abstract startSilenceTx(ms: number): void;
  protected abstract startSilenceRx(ms: number): void;
  protected abstract startV21Tx(): void;
  protected abstract frh3(): void;
  protected abstract startHsTx(c: Carrier): void;
  protected abstract startHsRx(c: Carrier): void;

  // ---- output to the DTE -------------------------------------------------------------------

  protected put(bytes: number[] | Uint8Array): void {
    this.serial.send(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
  }
  protected putText(t: string): void {
    const b: number[] = [];
    for (let i = 0; i < t.length; i++) b.push(t.charCodeAt(i) & 0xff);
    this.put(b);
  }
  protected crlf(): string {
    return String.fromCharCode(this.p.s[3], this.p.s[4]);
  }
  /** An information text (V.250 §5.7.1). */
  protected info(text: string): void {
    if (this.p.quiet) {
      this.putText(text + this.crlf());
      return;
    }
    this.putText((this.p.verbose ? this.crlf() : '') + text + this.crlf());
  }
  protected result(code: number): void {
    this.results.push(RESULT_TEXT[code]);
    this.note(`→ ${RESULT_TEXT[code]}`);
    if (this.p.quiet) return;
    if (this.p.verbose) this.putText(this.crlf() + RESULT_TEXT[code] + this.crlf());
    else this.putText(`${code}${String.fromCharCode(this.p.s[3])}`);
  }

  // ---- input from the DTE ------------------------------------------------------------------

  protected fromDte(c: number): void {
    switch (this.mode) {
      case 'onhook-cmd':
      case 'offhook-cmd':
        if (this.p.echo) this.put([c]);
        this.interpret(c);
        return;
      case 'delivery':
        // Any byte while receiving returns the modem to command mode (T.31 §8.3.4, SpanDSP).
        this.abortReceive(c);
        return;
      case 'hdlc':
        this.hdlcByte(c);
        return;
      case 'stuffed':
        this.stuffedByte(c);
        return;
      case 'connected':
        return;
    }
  }

  protected interpret(ch: number): void {
    const c = ch & 0x7f;
    const S3 = this.p.s[3];
    if (!this.lineStarted || this.line.length < 2) {
      const lc = String.fromCharCode(c).toLowerCase();
      if (lc === 'a') {
        this.line = [0x41];
        this.lineStarted = true;
      } else if (this.line.length === 1) {
        if (lc === 't' || c === 0x2f) this.line.push(lc === 't' ? 0x54 : c);
        else {
          this.line = [];
          this.lineStarted = false;
        }
      }
      return;
    }
    if (c >= 0x20 && c <= 0x7e) {
      if (this.line.length < 255) this.line.push(String.fromCharCode(c).toUpperCase().charCodeAt(0));
    } else if (c === S3) {
      const text = String.fromCharCode(...this.line);
      this.line = [];
      this.lineStarted = false;
      if (text.length > 2) this.execute(text.slice(2));
      else if (text === 'AT') this.result(RESULT.OK);
    } else if (c === this.p.s[5]) {
      if (this.line.length > 0) this.line.pop();
    } else {
      this.line = [];
      this.lineStarted = false;
    }
  }

  /** Run the commands of one line (after "AT"), stopping at the first unknown or failing one. */
  protected execute(cmds: string): void {
    this.note(`AT${cmds}`);
    let t = 0;
    while (t < cmds.length) {
      const r = this.command(cmds, t);
      if (r === null) {
        this.result(RESULT.ERROR);
        return;
      }
      if (r === -1) return; // the command answers later (A, D, class 1, H during data)
      if (r === -2) break; // unknown: SpanDSP stops and answers OK
      t = r;
    }
    this.result(RESULT.OK);
  }

  /** One command at `t`: the index after it, null (ERROR), -1 (no response now), -2 (unknown). */
  protected command(s: string, t: number): number | null {
    const rest = s.slice(t);
    const num = (from: number, max: number): [number, number] | null => {
      let i = from;
      let v = 0;
      while (i < s.length && s[i] >= '0' && s[i] <= '9') {
        v = v * 10 + (s.charCodeAt(i) - 48);
        i++;
      }
      return v > max ? null : [v, i];
    };
    const simple = (len: number, max: number, set: (v: number) => void): number | null => {
      const r = num(t + len, max);
      if (!r) return null;
      set(r[0]);
      return r[1];
    };
    if (rest.startsWith('+FCLASS')) return this.fclassCmd(s, t + 7);
    for (const op of ['+FTH', '+FRH', '+FTM', '+FRM', '+FTS', '+FRS']) {
      if (rest.startsWith(op)) return this.class1Cmd(op, s, t + 4);
    }
    if (rest.startsWith('+FAR')) return this.paramCmd(s, t + 4, 1, '0,1', () => (this.p.adaptive ? 1 : 0), (v) => (this.p.adaptive = v === 1));
    if (rest.startsWith('+FCL')) return this.paramCmd(s, t + 4, 255, '(0-255)', () => 0, () => {});
    if (rest.startsWith('+GCAP')) {
      if (s[t + 5] === '?') {
        this.info('+GCAP:+FCLASS');
        return t + 6;
      }
      return t + 5;
    }
    if (rest.startsWith('+GMI')) return this.infoCmd(t + 4, this.idents.manufacturer ?? 'faxvault');
    if (rest.startsWith('+GMM')) return this.infoCmd(t + 4, this.idents.model ?? 'faxvault-sim');
    if (rest.startsWith('+GMR')) return this.infoCmd(t + 4, '1');
    if (rest.startsWith('&C')) return simple(2, 1, () => {});
    if (rest.startsWith('&D')) return simple(2, 2, () => {});
    if (rest.startsWith('&K')) return simple(2, 6, (v) => (this.flow = v));
    if (rest.startsWith('&F')) {
      this.localHangup();
      this.p = factoryProfile();
      return t + 2;
    }
    const c = s[t];
    switch (c) {
      case ' ':
      case ';':
        return t + 1;
      case 'A':
        this.ata();
        return -1;
      case 'D':
        return this.atd(s.slice(t + 1));
      case 'E':
        return simple(1, 1, (v) => (this.p.echo = v === 1));
      case 'V':
        return simple(1, 1, (v) => (this.p.verbose = v === 1));
      case 'Q':
        return simple(1, 1, (v) => (this.p.quiet = v === 1));
      case 'L':
      case 'M':
        return simple(1, 255, () => {});
      case 'X':
        return simple(1, 4, () => {});
      case 'P':
      case 'T':
        return t + 1;
      case 'I': {
        const r = num(t + 1, 255);
        if (!r) return null;
        if (r[0] === 0) this.info(this.idents.model ?? 'faxvault-sim');
        else if (r[0] === 3) this.info(this.idents.manufacturer ?? 'faxvault');
        else return null;
        return r[1];
      }
      case 'H': {
        const r = num(t + 1, 1);
        if (!r) return null;
        if (r[0] === 1) {
          if (this.mode !== 'onhook-cmd' && this.mode !== 'offhook-cmd') return null;
          this.mode = 'offhook-cmd';
          return r[1];
        }
        this.ringsIndicated = 0;
        if (this.mode !== 'onhook-cmd' && this.mode !== 'offhook-cmd') {
          // Push out the last of the signal, then hang up and say OK (SpanDSP's FAX_MODEM_FLUSH).
          this.startFlush();
          return -1;
        }
        this.localHangup();
        return r[1];
      }
      case 'Z': {
        const r = num(t + 1, 0);
        if (!r) return null;
        this.localHangup();
        this.p = factoryProfile();
        this.ringsIndicated = 0;
        return r[1];
      }
      case 'O':
        return simple(1, 1, () => {});
      case 'S': {
        const r = num(t + 1, 99);
        if (!r) return null;
        const reg = r[0];
        let i = r[1];
        if (s[i] === '=') {
          if (s[i + 1] === '?') {
            this.info('000');
            return i + 2;
          }
          const v = num(i + 1, 255);
          if (!v) return null;
          this.p.s[reg] = v[0];
          return v[1];
        }
        if (s[i] === '?') {
          this.info(String(this.p.s[reg]).padStart(3, '0'));
          return i + 1;
        }
        return null;
      }
      default:
        return -2;
    }
  }

  protected infoCmd(t: number, text: string): number {
    this.info(text);
    return t;
  }

  /** A numeric parameter: =v sets, =? lists, ? shows. */
  protected paramCmd(s: string, t: number, max: number, list: string, get: () => number, set: (v: number) => void): number | null {
    if (s[t] === '=') {
      if (s[t + 1] === '?') {
        this.info(list);
        return t + 2;
      }
      let i = t + 1;
      let v = 0;
      while (i < s.length && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s.charCodeAt(i++) - 48);
      if (v > max) return null;
      set(v);
      return i;
    }
    if (s[t] === '?') {
      this.info(String(get()));
      return t + 1;
    }
    return null;
  }

  protected fclassCmd(s: string, t: number): number | null {
    const list = ['0', '1', '1.0'];
    if (s[t] === '=') {
      if (s[t + 1] === '?') {
        // SpanDSP answers "0,1,1.0" (T.31 says "0,1.0"; the extra 1 suits pre-T.31 DTEs).
        this.info('0,1,1.0');
        return t + 2;
      }
      // Longest match among the list entries.
      let best = -1;
      let bestLen = 0;
      list.forEach((e, i) => {
        if (s.startsWith(e, t + 1) && e.length > bestLen) {
          best = i;
          bestLen = e.length;
        }
      });
      if (best < 0) return null;
      this.fclass = best;
      return t + 1 + bestLen;
    }
    if (s[t] === '?') {
      this.info(list[this.fclass]);
      return t + 1;
    }
    return null;
  }

  protected class1Cmd(op: string, s: string, t: number): number | null {
    const transmit = op[2] === 'T';
    const kind = op[3];
    const allowed = kind === 'S' ? '0-255' : kind === 'H' ? '3' : CLASS1_MODULATION_LIST;
    if (s[t] === '=') {
      if (s[t + 1] === '?') {
        this.info(allowed);
        return t + 2;
      }
    } else if (s[t] === '?') {
      this.info('0');
      return t + 1;
    } else return null;
    let i = t + 1;
    let v = 0;
    while (i < s.length && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s.charCodeAt(i++) - 48);
    if (v > 255) return null;
    // Every Class 1 command is an ERROR on hook (T.31 §8.3).
    if (this.mode === 'onhook-cmd') return null;
    if (kind === 'S') {
      if (transmit) this.startSilenceTx(v * 10);
      else this.startSilenceRx(v * 10);
      return -1;
    }
    if (kind === 'H') {
      if (v !== 3) return null;
      if (transmit) this.startV21Tx();
      else this.frh3();
      return -1;
    }
    const c = CLASS1_MODULATIONS[v];
    if (!c) return null;
    if (transmit) {
      this.mode = 'stuffed';
      this.result(RESULT.CONNECT);
      this.startHsTx(c);
    } else {
      this.mode = 'delivery';
      this.startHsRx(c);
    }
    return -1;
  }
}
