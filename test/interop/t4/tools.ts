// Running the real peers of the page-coding interop tests: libtiff's tools, netpbm, ghostscript.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'faxvault-t4-'));
  return { dir, path: (n) => join(dir, n), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs a tool; returns stdout and stderr. Throws on a non-zero exit, and when `strict` also on
 * anything written to stderr (libtiff reports decoding errors as warnings and carries on).
 */
export function run(cmd: string, args: string[], input?: Uint8Array, strict = true): { stdout: Buffer; stderr: string } {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 28 });
  const stderr = String(r.stderr ?? '');
  if (r.error) throw r.error;
  if (r.status !== 0 || (strict && stderr.trim() !== '')) {
    throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${stderr.slice(0, 500)}`);
  }
  return { stdout: r.stdout, stderr };
}
