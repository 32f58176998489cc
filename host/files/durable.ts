// Files written so that a crash or power cut leaves either the old content or the new, never a
// torn file, and so that a file, once the call returns, survives a crash: the data goes to a
// temporary file beside the target, is fsynced, is moved into place in one step (rename, or link
// when an existing file must not be replaced), and the directory is fsynced so the name persists.
import { closeSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** fsync a directory so the names created or renamed in it are on disk. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface DurableOptions {
  /** File mode of the new file (before the umask; 0o600 for secrets). */
  mode: number;
  /** Replace an existing file; otherwise an existing path fails with EEXIST and is left as it was. */
  replace: boolean;
}

/** Writes `data` to `path` atomically and durably (see the file comment). Throws Node's errors. */
export function writeDurably(path: string, data: string | Uint8Array, o: DurableOptions): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  const fd = openSync(tmp, 'wx', o.mode);
  let moved = false;
  try {
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (o.replace) renameSync(tmp, path);
    else linkSync(tmp, path); // atomic create-if-absent: EEXIST when someone else's file is there
    moved = o.replace;
  } finally {
    if (!moved) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
  }
  fsyncDir(dirname(path));
}
