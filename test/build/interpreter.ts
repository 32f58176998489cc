// The Espruino interpreter's Linux build driven as a board is: through its console. The tests of
// test/build and the bench (bench/device.ts) use it when ESPRUINO names the binary (README,
// "Building and the device"; docs/ESPRUINO.md says how to build one that counts like an ESP32).
//
// The Linux port copies a script file into JS variables before running it, so a file holding the
// 177 KB bundle does not fit a 16,383-variable pool: like a board, it gets the bundle written to
// Storage in pieces (the console lines `faxvault flash` sends: host/device/upload-plan.ts), each
// run here being a small script. Scripts, not the interactive console: the port's input thread
// fills the event queue while the main loop empties it, unguarded, and a long line through
// stdin sometimes corrupts it (`ASSERT(len <= 64) FAILED AT src/jsdevices.c`). Standard input
// stays open and silent for the whole run: at end of input the 32-bit port reads a garbage byte
// and floods the console.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uploadPlan } from '../../host/device/upload-plan.ts';
import type { DeviceFile } from '../../host/device/upload-plan.ts';

/** The interpreter binary named by ESPRUINO, when it exists. */
export function interpreterPath(): string | null {
  const p = process.env.ESPRUINO;
  return p && existsSync(p) ? p : null;
}

/** What one run printed, and how it ended. */
export interface Run {
  out: string;
  code: number | null;
  signal: string | null;
}

/**
 * The interpreter in a folder of its own (its Storage is the file espruino.flash there, kept from
 * run to run as a board's flash is). Each run() is one start of the interpreter with a small
 * script; the script ends when it has no timers left or calls quit().
 */
export class Interpreter {
  readonly dir: string;
  private seq = 0;

  constructor(readonly binary: string, dir?: string) {
    this.dir = dir || mkdtempSync(join(tmpdir(), 'fv-espruino-'));
  }

  /**
   * Runs `js` (keep it small: the Linux port copies the script into variables) and returns its
   * output; `onOutput` sees it as it comes (a rig that acts on what the board says) and ends the
   * run by returning 'stop'.
   */
  run(js: string, timeoutMs = 600000, onOutput?: (text: string) => 'stop' | void): Promise<Run> {
    const file = 'run-' + ++this.seq + '.js';
    writeFileSync(join(this.dir, file), js);
    return new Promise((resolve) => {
      const p = spawn(this.binary, [file], { cwd: this.dir, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      const take = (d: Buffer): void => {
        out += d.toString('latin1');
        if (onOutput && onOutput(d.toString('latin1')) === 'stop') p.kill('SIGKILL');
        if (out.length > 2000000) out = out.slice(-1000000);
      };
      p.stdout.on('data', take);
      p.stderr.on('data', take);
      // Standard input stays open and silent (see the top of this file).
      const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
      p.on('exit', (code, signal) => {
        clearTimeout(timer);
        p.stdin.destroy();
        resolve({ out, code, signal });
      });
    });
  }

  /**
   * Writes files to Storage with the console lines `faxvault flash` sends to a board (the same
   * pieces), a few lines per run; throws on a failed write.
   */
  async upload(files: DeviceFile[], linesPerRun = 4): Promise<void> {
    const steps = uploadPlan(files);
    for (let i = 0; i < steps.length; i += linesPerRun) {
      const group = steps.slice(i, i + linesPerRun);
      const r = await this.run(group.map((s, k) => 'print("W' + k + ' "+' + s.code + ');').join('\n'));
      group.forEach((s, k) => {
        if (!new RegExp('^W' + k + ' true', 'm').test(r.out)) throw new Error('Storage write failed at ' + s.what + ': ' + r.out.slice(-800));
      });
    }
  }
}

/** The value printed on a `TAG value` line (the interpreter may prefix its prompt), or null. */
export function tagged(out: string, tag: string): string | null {
  const m = new RegExp('^(?:>?\\x1b\\[J)?' + tag + ' (.*)$', 'm').exec(out);
  return m ? m[1] : null;
}
