// An exclusive lock between processes on one machine, as a lock file created with O_EXCL (the
// create either makes the file or fails, atomically, on every local file system). The file names
// its holder (pid, host); a command that finds the lock held waits for it. A lock whose holder no
// longer runs (a crash, kill -9) is broken: it is moved aside under a name of our own and removed
// only when what was moved is the very lock we judged stale — a fresh lock taken in between is
// put back, never removed.
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { fsyncDir } from './durable.ts';

export class LockBusyError extends Error {}

interface Holder {
  pid: number;
  host: string;
  since: string;
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, someone else's
  }
}

function readHolder(path: string): { text: string; holder: Holder | null } | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const h = JSON.parse(text);
    return { text, holder: h && Number.isInteger(h.pid) && typeof h.host === 'string' ? h : null };
  } catch {
    return { text, holder: null };
  }
}

/** True when the lock at `path` (content `text`) belongs to nobody any more. */
function stale(path: string, holder: Holder | null): boolean {
  if (holder) return holder.host === hostname() && !alive(holder.pid);
  // Unreadable: its creator died between create and write, or is writing it right now.
  try {
    return Date.now() - statSync(path).mtimeMs > 10_000;
  } catch {
    return false;
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncDir(dirname(path));
  return true;
}

function breakStale(path: string, text: string): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else broke it first
    throw e;
  }
  if (readFileSync(aside, 'utf8') === text) {
    unlinkSync(aside);
    return;
  }
  // We moved a lock taken after our look: put it back (link fails if yet another was taken).
  try {
    linkSync(aside, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(aside);
  }
}

/** Runs `fn` holding the lock file `path`; waits up to `waitMs` for another holder. */
export function withLock<T>(path: string, what: string, fn: () => T, waitMs = 30_000): T {
  const deadline = Date.now() + waitMs;
  let delay = 5;
  for (;;) {
    if (tryCreate(path)) break;
    const seen = readHolder(path);
    if (seen && stale(path, seen.holder)) {
      breakStale(path, seen.text);
      continue;
    }
    if (Date.now() > deadline) {
      const who = seen?.holder ? `pid ${seen.holder.pid} on ${seen.holder.host} since ${seen.holder.since}` : 'another process';
      throw new LockBusyError(`${what} is in use by ${who} (lock ${path}); waited ${Math.round(waitMs / 1000)} s`);
    }
    sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
  try {
    return fn();
  } finally {
    const mine = readHolder(path);
    if (mine?.holder && mine.holder.pid === process.pid && mine.holder.host === hostname()) unlinkSync(path);
  }
}
