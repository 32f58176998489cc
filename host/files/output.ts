// What every `faxvault` command writes for the user (exported pages, converted files, opened
// plaintext, envelopes) follows one rule: an existing file is never replaced unless --force;
// a missing folder is named before anything is written; all of a command's files are checked
// before the first is written, and each is written atomically (host/files/durable.ts).
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { writeDurably } from './durable.ts';
import { describeFsError } from './errors.ts';

export class OutputError extends Error {}

export interface OutputFile {
  path: string;
  data: Uint8Array | string;
}

/**
 * The names of an N-page image written one file per page (PNG): OUT itself for one page;
 * OUT-1.png, OUT-2.png … (OUT without its extension, a dash, the page number) for several.
 */
export function pageFileNames(out: string, pages: number): string[] {
  if (pages <= 1) return [out];
  const ext = extname(out);
  const stem = ext ? out.slice(0, -ext.length) : out;
  const names: string[] = [];
  for (let i = 1; i <= pages; i++) names.push(`${stem}-${i}${ext || '.png'}`);
  return names;
}

/** Refuses (OutputError, one line) what cannot or must not be written; writes nothing. */
export function checkOutputs(paths: string[], force: boolean): void {
  for (const p of paths) {
    const dir = dirname(p) || '.';
    if (!existsSync(dir)) throw new OutputError(`cannot write ${p}: no such folder ${dir}`);
    if (!statSync(dir).isDirectory()) throw new OutputError(`cannot write ${p}: ${dir} is not a folder`);
    if (basename(p) === '' || (existsSync(p) && statSync(p).isDirectory())) throw new OutputError(`cannot write ${p}: it is a folder`);
    if (existsSync(p) && !force) throw new OutputError(`${p} already exists; not overwriting it (pass --force)`);
  }
}

/** Checks all outputs, then writes each atomically with `mode` (0o600 for plaintext of secrets). */
export function writeOutputs(files: OutputFile[], o: { force: boolean; mode: number }): void {
  checkOutputs(files.map((f) => f.path), o.force);
  for (const f of files) {
    try {
      writeDurably(f.path, f.data, { mode: o.mode, replace: o.force });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new OutputError(`${f.path} already exists; not overwriting it (pass --force)`);
      if (code) throw new OutputError(`cannot write ${f.path}: ${describeFsError(e)}`);
      throw e;
    }
  }
}
